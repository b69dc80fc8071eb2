package store

import (
	"strings"
	"unicode"
)

// MaxSearchTerms bounds the words of one full-text search.
const MaxSearchTerms = 8

// MatchQuery turns what a person typed into a SQLite FTS5 query: each word
// a quoted phrase (so no operator of the query language can be typed), all
// of them required, the last one a prefix; at most MaxSearchTerms words. It
// returns "" when nothing searchable is left. Tickets and articles search
// through it; PostgreSQL will have its own beside it.
func MatchQuery(q string) string {
	words := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	if len(words) > MaxSearchTerms {
		words = words[:MaxSearchTerms]
	}
	if len(words) == 0 {
		return ""
	}
	for i, w := range words {
		words[i] = `"` + w + `"`
	}
	return strings.Join(words, " ") + "*"
}
