// Package valid carries input errors per field, so a form can show each
// message next to its field and the API can answer 400 with "fields".
package valid

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Errors maps a field name to what is wrong with it. An empty Errors is no error.
type Errors map[string]string

// Add records msg for field unless the field already has a message.
func (e Errors) Add(field, msg string) {
	if _, ok := e[field]; !ok {
		e[field] = msg
	}
}

// Err returns e as an error, or nil when no field is wrong.
func (e Errors) Err() error {
	if len(e) == 0 {
		return nil
	}
	return e
}

// Error lists the fields and messages in a stable order.
func (e Errors) Error() string {
	keys := make([]string, 0, len(e))
	for k := range e {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+e[k])
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// MaxEmail is the longest email address there can be: 254 characters
// (RFC 5321's 256-octet path less its angle brackets).
const MaxEmail = 254

// HasControl reports whether s holds a control character: a line break
// (CR, LF), a tab or any other. A one-line value that reaches an email
// header, a subject or a log line must not carry one.
func HasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return true
		}
	}
	return false
}

// Line checks a one-line text value: at most max characters and no line
// breaks or other control characters. It returns what is wrong, or "" when
// nothing is. The length is checked first, so an oversized value costs
// nothing more.
func Line(s string, max int) string {
	if len(s) > 4*max || utf8.RuneCountInString(s) > max {
		return fmt.Sprintf("At most %d characters.", max)
	}
	if HasControl(s) {
		return "Use one line, without line breaks."
	}
	if HasDirectionOverride(s) {
		return msgDirection
	}
	return ""
}

const msgDirection = "Remove the invisible characters that reverse the direction of the text."

// HasDirectionOverride reports whether s holds a bidirectional embedding,
// override or isolate (U+202A–U+202E, U+2066–U+2069): invisible characters
// that make a name or a line read differently from what it holds, a known
// way to spoof names in lists and logs.
func HasDirectionOverride(s string) bool {
	for _, r := range s {
		if (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069') {
			return true
		}
	}
	return false
}

// MultiLine checks a text of several lines (notes): at most max
// characters, line breaks and tabs allowed, no other control character.
// A browser sends a textarea's line breaks as CRLF, so CR is allowed only
// before LF. It returns what is wrong, or "" when nothing is.
func MultiLine(s string, max int) string {
	if len(s) > 4*max || utf8.RuneCountInString(s) > max {
		return fmt.Sprintf("At most %d characters.", max)
	}
	for i, r := range s {
		switch {
		case r == '\n' || r == '\t':
		case r == '\r' && i+1 < len(s) && s[i+1] == '\n':
		case unicode.IsControl(r):
			return "Use text, line breaks and tabs only: no other control characters."
		}
	}
	if HasDirectionOverride(s) {
		return msgDirection
	}
	return ""
}

// Email checks the length and characters of an address before anything
// looks it up, stores, hashes or logs it: sign-in, password resets and
// invitations all call it first. It does not require the address to exist
// or even to be well formed; field names the field in the answer.
func Email(field, s string) error {
	s = strings.TrimSpace(s)
	switch {
	case len(s) > MaxEmail:
		return Errors{field: fmt.Sprintf("An email address has at most %d characters.", MaxEmail)}
	case HasControl(s):
		return Errors{field: "Enter an address like name@example.com."}
	}
	return nil
}

// Text reports whether s may be stored and shown as text: valid UTF-8 with
// no NUL byte. The web edge refuses other input with a 400; domain code
// checks again so that such input is never a server error.
func Text(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}
