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
	match := store.MatchQuery(text)
	if match == "" {
		return q.Where("1 = 0")
	}
	return q.Where("a.id IN (SELECT rowid FROM article_search WHERE article_search MATCH ?)", match)
}
