package articles

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// cursorArticles tags the cursors of the articles list.
const cursorArticles = "articles"

// Sorts are the orders of the articles list: the most recently changed
// first (the default), or by title.
var Sorts = store.Sorts{
	{Name: "-updated", Label: "Recently updated", Expr: "a.updated_at", ID: "a.id", Desc: true},
	{Name: "title", Label: "Title A–Z", Expr: "a.title", ID: "a.id"},
	{Name: "-title", Label: "Title Z–A", Expr: "a.title", ID: "a.id", Desc: true},
}

// Query is what an articles list asks for: a category (0 for any), a
// search and a sort of Sorts ("" for the default).
type Query struct {
	CategoryID int64
	Q          string
	Sort       string
}

func (q Query) check() (store.Sort, error) {
	errs := valid.Errors{}
	if utf8.RuneCountInString(q.Q) > MaxSearch {
		errs.Add("q", fmt.Sprintf("Search for at most %d characters.", MaxSearch))
	}
	if q.CategoryID < 0 {
		errs.Add("category", "Choose a category from the list.")
	}
	o, ok := Sorts.Find(q.Sort)
	if !ok {
		errs.Add("sort", "Sort by one of: "+Sorts.Names()+".")
	}
	return o, errs.Err()
}

// filtered is the select of the articles in a's scope matching q, without
// order or limit.
func filtered(db *store.Scoped, model any, a policy.Actor, q Query) *bun.SelectQuery {
	sq := selectScoped(db, model, policy.ArticlesScope(a))
	if q.CategoryID != 0 {
		sq = sq.Where("a.category_id = ?", q.CategoryID)
	}
	if q.Q != "" {
		sq = searchWhere(sq, q.Q)
	}
	return sq
}

// List returns one page of the articles actor a may see matching q, and
// the cursor of the next page ("" on the last). Bodies are not rendered:
// a list shows titles. Invalid filters are valid.Errors; a cursor of
// another list or sort is store.ErrBadCursor.
func List(ctx context.Context, db *store.Scoped, a policy.Actor, q Query, p store.Page) ([]View, string, error) {
	o, err := q.check()
	if err != nil {
		return nil, "", err
	}
	after, ok, err := o.Decode(cursorArticles, p.Cursor)
	if err != nil {
		return nil, "", err
	}
	limit := p.Size()
	var as []Article
	sq := filtered(db, &as, a, q).ColumnExpr("a.*").ColumnExpr("CAST(" + o.Expr + " AS TEXT) AS sort_key")
	if err := o.Apply(sq, after, ok, limit).Scan(ctx); err != nil {
		return nil, "", fmt.Errorf("articles: list: %w", err)
	}
	next := ""
	if len(as) > limit {
		as = as[:limit]
		last := as[len(as)-1]
		next = o.Encode(cursorArticles, last.SortKey, last.ID)
	}
	vs, err := views(ctx, db, a, as)
	return vs, next, err
}

// Count returns how many articles actor a may see match q.
func Count(ctx context.Context, db *store.Scoped, a policy.Actor, q Query) (int, error) {
	if _, err := q.check(); err != nil {
		return 0, err
	}
	n, err := filtered(db, (*Article)(nil), a, q).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("articles: count: %w", err)
	}
	return int(n), nil
}
