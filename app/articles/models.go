// Package articles holds a tenant's knowledge base (SPEC §5, page
// external_content at /kb): articles in markdown with their audience and
// companies, their categories, and full-text search.
//
// Every read starts from the policy: a list, a search and a single article
// all go through policy.ArticlesScope, turned into SQL in one function
// (selectScoped), so an article outside the reader's scope is simply not
// found. Every article leaves this package as a View built for its
// reader, from which pages and JSON are made. Each write opens its own
// transaction and records itself in the audit log.
package articles

import (
	"errors"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// The longest text each field takes, in characters, and the most
// categories and companies, checked before storage. Forms carry the same
// numbers as maxlength.
const (
	MaxTitle        = 200
	MaxBody         = 100000
	MaxCategoryName = 60
	MaxCategories   = 100
	MaxCompanies    = 500
	MaxSearch       = 200
)

// Errors of the package.
var (
	// ErrNotFound means no such article or category in this tenant, or
	// not one the actor may see.
	ErrNotFound = errors.New("articles: not found")
	// ErrForbidden means the actor may not write the knowledge base.
	ErrForbidden = errors.New("articles: not allowed to write the knowledge base")
)

// Category is a heading articles are filed under.
type Category struct {
	bun.BaseModel `bun:"table:article_categories,alias:ac"`
	store.TenantOwned

	ID        int64     `bun:"id,pk,autoincrement"`
	Name      string    `bun:"name,notnull"`
	Position  int       `bun:"position,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
}

// Article is one row of articles, as stored. Only this package reads it;
// everyone else gets a View.
type Article struct {
	bun.BaseModel `bun:"table:articles,alias:a"`
	store.TenantOwned

	ID         int64           `bun:"id,pk,autoincrement"`
	CategoryID *int64          `bun:"category_id"`
	Title      string          `bun:"title,notnull"`
	Body       string          `bun:"body,notnull"`
	Audience   policy.Audience `bun:"audience,notnull"`
	Published  bool            `bun:"published,notnull"`
	CreatedBy  *int64          `bun:"created_by"`
	UpdatedBy  *int64          `bun:"updated_by"`
	CreatedAt  time.Time       `bun:"created_at,notnull"`
	UpdatedAt  time.Time       `bun:"updated_at,notnull"`
	// SortKey is the list's sort key as stored, for its cursor.
	SortKey string `bun:"sort_key,scanonly"`
}

// ArticleCompany shares an article for policy.AudienceCompanies with one company.
type ArticleCompany struct {
	bun.BaseModel `bun:"table:article_companies,alias:acx"`
	store.TenantOwned

	ArticleID int64 `bun:"article_id,pk"`
	CompanyID int64 `bun:"company_id,pk"`
}

// companyName reads the names of companies, and nothing else.
type companyName struct {
	bun.BaseModel `bun:"table:companies,alias:cn"`
	store.TenantOwned
	ID   int64  `bun:"id,pk"`
	Name string `bun:"name"`
}
