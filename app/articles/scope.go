package articles

import (
	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// selectScoped starts a select of articles (model: *Article, *[]Article or
// a typed nil for a count) narrowed to the handle's tenant and to the
// policy's scope sc. It is the one place an article scope becomes SQL:
// the list, the search, the categories' counts and every single-article
// load start here. A scope of nobody or of another tenant matches no row.
func selectScoped(db *store.Scoped, model any, sc policy.ArticleScope) *bun.SelectQuery {
	q := db.Select(model)
	switch {
	case sc.None() || sc.TenantID != db.TenantID():
		return q.Where("1 = 0")
	case sc.All:
		return q
	}
	// External users: published, and for every company or for one of theirs.
	q = q.Where("a.published = ?", true)
	if len(sc.Companies) == 0 {
		return q.Where("a.audience = ?", policy.AudienceAll)
	}
	return q.Where(`(a.audience = ? OR (a.audience = ? AND a.id IN
		(SELECT x.article_id FROM article_companies AS x WHERE x.tenant_id = ? AND x.company_id IN (?))))`,
		policy.AudienceAll, policy.AudienceCompanies, sc.TenantID, bun.In(sc.Companies))
}
