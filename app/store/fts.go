package store

import (
	"strings"
	"unicode"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
)

// MaxSearchTerms bounds the words of one full-text search.
const MaxSearchTerms = 8

// MatchQuery turns what a person typed into a SQLite FTS5 query: each word
// a quoted phrase (so no operator of the query language can be typed), all
// of them required, the last one a prefix; at most MaxSearchTerms words. It
// returns "" when nothing searchable is left. Tickets and articles search
// through it; PostgreSQL's is TSQuery.
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

// TSQuery is MatchQuery for PostgreSQL: each word a quoted lexeme, all of
// them required (&), the last one a prefix (:*), for to_tsquery('simple', …).
// Words hold only letters and digits, so nothing of the query language can
// be typed.
func TSQuery(q string) string {
	words := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	if len(words) > MaxSearchTerms {
		words = words[:MaxSearchTerms]
	}
	if len(words) == 0 {
		return ""
	}
	for i, w := range words {
		words[i] = "'" + strings.ToLower(w) + "'"
	}
	return strings.Join(words, " & ") + ":*"
}

// TextIndex is one table's full-text index in both dialects: SQLite's FTS5
// table, whose rowid is the indexed row's id, and PostgreSQL's tsvector
// column on the row itself (to_tsvector('simple', …), GIN-indexed).
type TextIndex struct {
	FTS5   string
	Column string
}

// Match is the condition "the row of alias holds every word typed" for the
// dialect of q, with its one argument; ok is false when nothing searchable
// was typed. Tickets and articles search through it.
func (ix TextIndex) Match(q *bun.SelectQuery, alias, typed string) (cond string, arg any, ok bool) {
	if q.Dialect().Name() == dialect.PG {
		tsq := TSQuery(typed)
		return alias + "." + ix.Column + " @@ to_tsquery('simple', ?)", tsq, tsq != ""
	}
	m := MatchQuery(typed)
	return alias + ".id IN (SELECT rowid FROM " + ix.FTS5 + " WHERE " + ix.FTS5 + " MATCH ?)", m, m != ""
}
