// Package valid carries input errors per field, so a form can show each
// message next to its field and the API can answer 400 with "fields".
package valid

import (
	"sort"
	"strings"
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

// Text reports whether s may be stored and shown as text: valid UTF-8 with
// no NUL byte. The web edge refuses other input with a 400; domain code
// checks again so that such input is never a server error.
func Text(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}
