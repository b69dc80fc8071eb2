package articles

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/markdown"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// Ref names a related object: a category or company.
type Ref struct {
	ID   int64
	Name string
}

// View is an article as one actor may see it, the only value the edges
// build an article's HTML and JSON from. The markdown source, audience,
// companies and published flag are there only when Editable (the reader
// may write the knowledge base); everyone who sees the article reads its
// title, category, rendered body and dates.
type View struct {
	ID       int64
	Title    string
	Category *Ref
	// HTML is the body rendered and sanitised (Get); lists leave it empty.
	HTML      string
	CreatedAt time.Time
	UpdatedAt time.Time

	// Editable: the reader may change the article; the fields below are set.
	Editable  bool
	Body      string
	Audience  policy.Audience
	Companies []Ref
	Published bool
}

// AudienceText is who the article is for, in words, for those who see
// it: "Internal", "All companies" or the companies' names.
func (v *View) AudienceText() string {
	if v.Audience != policy.AudienceCompanies {
		return v.Audience.Label()
	}
	s := ""
	for i, c := range v.Companies {
		if i > 0 {
			s += ", "
		}
		s += c.Name
	}
	if s == "" {
		return "No company yet"
	}
	return s
}

// CompanyIDs are the IDs of the companies the article is shared with.
func (v *View) CompanyIDs() []int64 {
	out := make([]int64, 0, len(v.Companies))
	for _, c := range v.Companies {
		out = append(out, c.ID)
	}
	return out
}

// load reads article id through actor a's scope: ErrNotFound when it does
// not exist in the tenant or a may not see it.
func load(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*Article, error) {
	ar := new(Article)
	err := selectScoped(db, ar, policy.ArticlesScope(a)).Where("a.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("articles: load %d: %w", id, err)
	}
	return ar, nil
}

// Get returns article id as actor a sees it, its body rendered by md.
func Get(ctx context.Context, db *store.Scoped, a policy.Actor, md *markdown.Renderer, id int64) (*View, error) {
	ar, err := load(ctx, db, a, id)
	if err != nil {
		return nil, err
	}
	vs, err := views(ctx, db, a, []Article{*ar})
	if err != nil {
		return nil, err
	}
	v := &vs[0]
	if v.HTML, err = md.HTML(ar.Body); err != nil {
		return nil, fmt.Errorf("articles: render %d: %w", id, err)
	}
	return v, nil
}

// views builds the views of articles as, loaded through a's scope, with
// their categories' names and, for those who may edit, their companies.
func views(ctx context.Context, db *store.Scoped, a policy.Actor, as []Article) ([]View, error) {
	out := make([]View, 0, len(as))
	if len(as) == 0 {
		return out, nil
	}
	var cats []Category
	if err := db.Select(&cats).Scan(ctx); err != nil {
		return nil, fmt.Errorf("articles: load categories: %w", err)
	}
	catName := map[int64]string{}
	for _, c := range cats {
		catName[c.ID] = c.Name
	}
	edit := policy.CanEditArticles(a)
	companies := map[int64][]Ref{}
	if edit {
		ids := make([]int64, len(as))
		for i, ar := range as {
			ids[i] = ar.ID
		}
		var rows []struct {
			ArticleID int64  `bun:"article_id"`
			ID        int64  `bun:"id"`
			Name      string `bun:"name"`
		}
		if err := db.Select((*ArticleCompany)(nil)).
			ColumnExpr("acx.article_id, cn.id, cn.name").
			Join("JOIN companies AS cn ON cn.id = acx.company_id AND cn.tenant_id = acx.tenant_id").
			Where("acx.article_id IN (?)", bun.In(ids)).OrderExpr("cn.name, cn.id").Scan(ctx, &rows); err != nil {
			return nil, fmt.Errorf("articles: load companies: %w", err)
		}
		for _, r := range rows {
			companies[r.ArticleID] = append(companies[r.ArticleID], Ref{ID: r.ID, Name: r.Name})
		}
	}
	for _, ar := range as {
		v := View{ID: ar.ID, Title: ar.Title, CreatedAt: ar.CreatedAt, UpdatedAt: ar.UpdatedAt}
		if ar.CategoryID != nil {
			v.Category = &Ref{ID: *ar.CategoryID, Name: catName[*ar.CategoryID]}
		}
		if edit {
			v.Editable = true
			v.Body, v.Audience, v.Published = ar.Body, ar.Audience, ar.Published
			v.Companies = companies[ar.ID]
		}
		out = append(out, v)
	}
	return out, nil
}
