package csvout_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/atrium-portal/atrium/app/csvout"
)

func TestCell(t *testing.T) {
	for in, want := range map[string]string{
		"":                           "",
		"plain":                      "plain",
		`=HYPERLINK("http://x","y")`: `'=HYPERLINK("http://x","y")`,
		"+1+2":                       "'+1+2",
		"-2+3":                       "'-2+3",
		"@SUM(A1)":                   "'@SUM(A1)",
		"\t=1":                       "'\t=1",
		"\r=1":                       "'\r=1",
		"a=1":                        "a=1",
		"2026-11-22T10:00:00Z":       "2026-11-22T10:00:00Z",
		"Ada <ada@acme.test>":        "Ada <ada@acme.test>",
	} {
		if got := csvout.Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriterEscapesEveryCell(t *testing.T) {
	var buf bytes.Buffer
	w := csvout.NewWriter(&buf)
	_ = w.Write([]string{"=1+1", "ok", "@x", "-3"})
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	rec, err := csv.NewReader(&buf).Read()
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"'=1+1", "ok", "'@x", "'-3"} {
		if rec[i] != want {
			t.Errorf("cell %d = %q, want %q", i, rec[i], want)
		}
	}
}
