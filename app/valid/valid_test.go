package valid_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/valid"
)

func TestLine(t *testing.T) {
	for _, tt := range []struct {
		in   string
		max  int
		okay bool
	}{
		{"Acme Portal", 60, true},
		{"Ünïcödé Portal", 14, true},
		{strings.Repeat("a", 61), 60, false},
		{"Acme\r\nBcc: evil@example.com", 60, false},
		{"Acme\nPortal", 60, false},
		{"Acme\tPortal", 60, false},
		{"Acme\u2028Portal", 60, false},
		{strings.Repeat("é", 1<<20), 60, false},
		{"Eve\u202Enimda", 60, false},
		{"Eve\u2066x\u2069", 60, false},
		{"שלום Acme", 60, true},
	} {
		if got := valid.Line(tt.in, tt.max) == ""; got != tt.okay {
			t.Errorf("Line(%.40q, %d) ok = %v, want %v", tt.in, tt.max, got, tt.okay)
		}
	}
}

func TestEmail(t *testing.T) {
	longest := strings.Repeat("a", 64) + "@" + strings.Repeat("b", 184) + ".test"
	if len(longest) != valid.MaxEmail {
		t.Fatalf("longest is %d", len(longest))
	}
	for in, okay := range map[string]bool{
		"ada@acme.test":                   true,
		"":                                true,
		longest:                           true,
		longest + "x":                     false,
		strings.Repeat("x", 1_800_000):    false,
		"ada@acme.test\r\nBcc: e@evil.ex": false,
	} {
		err := valid.Email("email", in)
		var ve valid.Errors
		if (err == nil) != okay || (err != nil && (!errors.As(err, &ve) || ve["email"] == "")) {
			t.Errorf("Email(%.40q) = %v", in, err)
		}
	}
}

func TestMultiLine(t *testing.T) {
	for _, tt := range []struct {
		in   string
		okay bool
	}{
		{"Renewal in March.\nCall Bob first.", true},
		{"Line one\r\nLine two", true},
		{"Column\tvalue", true},
		{"Ünïcödé notes", true},
		{strings.Repeat("a", 61), false},
		{"bell\a", false},
		{"lone\rreturn", false},
		{"nul\x00byte", false},
		{"escape\x1b[31m", false},
		{"trailing\r", false},
	} {
		if got := valid.MultiLine(tt.in, 60) == ""; got != tt.okay {
			t.Errorf("MultiLine(%.40q) ok = %v, want %v", tt.in, got, tt.okay)
		}
	}
}
