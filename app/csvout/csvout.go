// Package csvout writes CSV exports that are safe to open in a spreadsheet.
// A cell that starts with =, +, -, @, a tab or a carriage return is read by
// Excel, LibreOffice and Google Sheets as a formula (CSV injection, OWASP);
// every cell of every export goes through Cell, so user-supplied text such
// as a name, an address or a summary stays plain text.
package csvout

import (
	"encoding/csv"
	"io"
)

// Cell returns s so that a spreadsheet shows it as text: a leading
// apostrophe is added when s would start a formula.
func Cell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// Writer is a csv.Writer that escapes every cell it writes.
type Writer struct {
	w   *csv.Writer
	row []string
}

// NewWriter returns a Writer over w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: csv.NewWriter(w)} }

// Write writes one record, each cell escaped with Cell.
func (w *Writer) Write(record []string) error {
	w.row = w.row[:0]
	for _, s := range record {
		w.row = append(w.row, Cell(s))
	}
	return w.w.Write(w.row)
}

// Flush writes any buffered data out.
func (w *Writer) Flush() { w.w.Flush() }

// Error reports an error of an earlier Write or Flush.
func (w *Writer) Error() error { return w.w.Error() }
