package articles

import (
	"strings"
	"unicode"

	"github.com/uptrace/bun"
)

// maxSearchTerms bounds the words of one search.
const maxSearchTerms = 8

// matchQuery turns what a person typed into an FTS5 query: each word a
// quoted phrase (so no operator of the query language can be typed), all
// of them required, the last one a prefix. It returns "" when nothing
// searchable is left.
func matchQuery(q string) string {
	words := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	if len(words) > maxSearchTerms {
		words = words[:maxSearchTerms]
	}
	if len(words) == 0 {
		return ""
	}
	for i, w := range words {
		words[i] = `"` + w + `"`
	}
	return strings.Join(words, " ") + "*"
}

// searchWhere narrows q, already within the reader's scope, to articles
// whose title or body hold every word of text. The index spans every
// tenant and audience; the scope around it decides what is found.
func searchWhere(q *bun.SelectQuery, text string) *bun.SelectQuery {
	match := matchQuery(text)
	if match == "" {
		return q.Where("1 = 0")
	}
	return q.Where("a.id IN (SELECT rowid FROM article_search WHERE article_search MATCH ?)", match)
}
