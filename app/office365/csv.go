package office365

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Kind is what an import holds: a company's users, or its licences.
type Kind string

// The kinds of import.
const (
	KindUsers    Kind = "users"
	KindLicences Kind = "licences"
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == KindUsers || k == KindLicences }

// Columns are the columns of a file of this kind, as the import reads
// them and the export writes them.
func (k Kind) Columns() []string {
	if k == KindLicences {
		return []string{"sku", "name", "total"}
	}
	return []string{"display_name", "email", "licences", "mfa", "last_sign_in"}
}

// FileError refuses a whole file: too large (TooLarge), not CSV, not
// UTF-8, or without a column the kind needs. Nothing of it is imported.
type FileError struct {
	TooLarge bool
	Message  string
}

func (e *FileError) Error() string { return "office365: " + e.Message }

// RowError is what is wrong with one cell of an import: its row (the
// line of the file, the header being row 1; for the API the item, from
// 1), its column and a sentence.
type RowError struct {
	Row     int
	Column  string
	Message string
}

// LicenceInput is one licence of an import or a request, as given.
type LicenceInput struct {
	Row   int
	SKU   string
	Name  string
	Total string
}

// UserInput is one user of an import or a request, as given: the licences
// by SKU, the MFA state and the last sign-in ("" for unknown and never).
type UserInput struct {
	Row         int
	Email       string
	DisplayName string
	MFA         string
	LastSignIn  string
	Licences    []string
}

// columnNames maps the headers a file may use to the columns of each kind.
var columnNames = map[Kind]map[string]string{
	KindUsers: {
		"display_name": "display_name", "displayname": "display_name", "name": "display_name",
		"email": "email", "upn": "email", "user_principal_name": "email", "userprincipalname": "email",
		"licences": "licences", "licenses": "licences",
		"mfa": "mfa", "mfa_state": "mfa",
		"last_sign_in": "last_sign_in", "last_signin": "last_sign_in", "lastsignin": "last_sign_in", "last_sign-in": "last_sign_in",
	},
	KindLicences: {
		"sku": "sku", "sku_part_number": "sku", "skupartnumber": "sku",
		"name": "name", "friendly_name": "name",
		"total": "total", "total_licences": "total", "total_licenses": "total", "units": "total",
	},
}

// records reads data as CSV for kind k: each row as a map from the kind's
// columns to the cell, with its line. Columns the kind does not know are
// ignored, so an export, which adds some, imports again.
func records(k Kind, data []byte) ([]map[string]string, []int, error) {
	if len(data) > MaxFileBytes {
		return nil, nil, &FileError{TooLarge: true, Message: fmt.Sprintf("The file is larger than %d MB. Split it into smaller files and import each.", MaxFileBytes>>20)}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return nil, nil, &FileError{Message: "The file is not UTF-8 text. Save it as \"CSV UTF-8\" and import it again."}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil, &FileError{Message: "The file is empty. Its first row names the columns: " + strings.Join(k.Columns(), ", ") + "."}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	r.ReuseRecord = false
	header, err := r.Read()
	if err != nil {
		return nil, nil, csvError(err)
	}
	cols := make([]string, len(header))
	have := map[string]bool{}
	for i, h := range header {
		key := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(h)), " ", "_")
		if c, ok := columnNames[k][key]; ok && !have[c] {
			cols[i], have[c] = c, true
		}
	}
	var missing []string
	for _, c := range k.Columns() {
		if !have[c] && (k == KindLicences || c == "email" || c == "display_name") {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		msg := "The file's first row must name the columns " + strings.Join(k.Columns(), ", ") + "; it lacks " + strings.Join(missing, ", ") + "."
		other := KindLicences
		if k == KindLicences {
			other = KindUsers
		}
		for _, h := range header {
			key := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(h)), " ", "_")
			if c := columnNames[other][key]; c == "sku" || c == "email" {
				msg += " It looks like a " + string(other) + " file: choose that kind of import."
				break
			}
		}
		return nil, nil, &FileError{Message: msg}
	}
	var rows []map[string]string
	var lines []int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, csvError(err)
		}
		line, _ := r.FieldPos(0)
		row := map[string]string{}
		blank := true
		for i, v := range rec {
			if i < len(cols) && cols[i] != "" {
				row[cols[i]] = unescapeCell(strings.TrimSpace(v))
				blank = blank && row[cols[i]] == ""
			}
		}
		if blank {
			continue
		}
		if len(rows) == MaxRows {
			return nil, nil, &FileError{TooLarge: true, Message: fmt.Sprintf("The file has more than %d rows. Split it into smaller files and import each.", MaxRows)}
		}
		rows, lines = append(rows, row), append(lines, line)
	}
	return rows, lines, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &FileError{Message: fmt.Sprintf("Row %d is not valid CSV (%v). Check its quotes and commas.", pe.Line, pe.Err)}
	}
	return &FileError{Message: "The file is not valid CSV."}
}

// unescapeCell undoes the apostrophe an export puts before a cell that a
// spreadsheet would read as a formula, so an export imports as it was.
func unescapeCell(s string) string {
	if len(s) > 1 && s[0] == '\'' {
		switch s[1] {
		case '=', '+', '-', '@':
			return s[1:]
		}
	}
	return s
}

// ParseLicences reads a licences file (columns sku, name, total).
func ParseLicences(data []byte) ([]LicenceInput, error) {
	rows, lines, err := records(KindLicences, data)
	if err != nil {
		return nil, err
	}
	out := make([]LicenceInput, 0, len(rows))
	for i, r := range rows {
		out = append(out, LicenceInput{Row: lines[i], SKU: r["sku"], Name: r["name"], Total: r["total"]})
	}
	return out, nil
}

// ParseUsers reads a users file (columns display_name, email, licences as
// SKUs separated by semicolons, mfa, last_sign_in).
func ParseUsers(data []byte) ([]UserInput, error) {
	rows, lines, err := records(KindUsers, data)
	if err != nil {
		return nil, err
	}
	out := make([]UserInput, 0, len(rows))
	for i, r := range rows {
		u := UserInput{Row: lines[i], Email: r["email"], DisplayName: r["display_name"], MFA: r["mfa"], LastSignIn: r["last_sign_in"]}
		for _, s := range strings.Split(r["licences"], ";") {
			if s = strings.TrimSpace(s); s != "" {
				u.Licences = append(u.Licences, s)
			}
		}
		out = append(out, u)
	}
	return out, nil
}
