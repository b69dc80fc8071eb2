package articles

import (
	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/store"
)

// searchWhere narrows q, already within the reader's scope, to articles
// whose title or body hold every word of text (store.MatchQuery: quoted
// words, the last a prefix). The index spans every tenant and audience;
// the scope around it decides what is found.
func searchWhere(q *bun.SelectQuery, text string) *bun.SelectQuery {
	cond, arg, ok := articleIndex.Match(q, "a", text)
	if !ok {
		return q.Where("1 = 0")
	}
	return q.Where(cond, arg)
}

// articleIndex is the articles' full-text index (title and body).
var articleIndex = store.TextIndex{FTS5: "article_search", Column: "search"}
