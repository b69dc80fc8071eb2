package policy

import "slices"

// Knowledge base articles (SPEC §5, page external_content at /kb). Who
// reads an article is decided here from the actor and the article's facts:
// the list's scope (ArticlesScope) and a single article (CanSeeArticle)
// are one decision, so the page, the search, the JSON and /kb/ID agree.
//
// Members read every article, internal ones and drafts included. External
// users with the page (their kind, the module shown, not hidden) read the
// published articles shared with every company, and those shared with one
// of their assigned companies. Guests and clients have no knowledge base.
//
// Writing is for members with the page: the staff write the knowledge base
// for their clients, so every member may, not only admins (an admin who
// wants fewer writers hides the page from a member).

// EditArticles covers writing, changing and deleting articles and their
// categories.
const EditArticles Rule = "articles.edit"

func init() { actionRules[EditArticles] = CanEditArticles }

// CanEditArticles reports whether actor a may write articles and manage
// their categories: members with the knowledge base page. Those who may
// edit also see an article's markdown source, audience, companies and
// whether it is published.
func CanEditArticles(a Actor) bool { return a.Kind == Member && a.kbPage() }

// kbPage reports whether the knowledge base is within the actor's kind
// and, for external users, shown by their module settings. Tenant toggles
// do not touch it.
func (a Actor) kbPage() bool { return CanSeePage(a, Settings{}, PageExternalContent) }

// Audience is who an article is written for.
type Audience string

// The audiences.
const (
	// AudienceInternal: members only.
	AudienceInternal Audience = "internal"
	// AudienceAll: every company's external users, once published.
	AudienceAll Audience = "all"
	// AudienceCompanies: the external users of the companies listed, once published.
	AudienceCompanies Audience = "companies"
)

// Audiences lists every audience in the order forms show them.
var Audiences = []Audience{AudienceInternal, AudienceAll, AudienceCompanies}

// Valid reports whether x is a known audience.
func (x Audience) Valid() bool { return slices.Contains(Audiences, x) }

// Label is the audience in words, for members.
func (x Audience) Label() string {
	switch x {
	case AudienceInternal:
		return "Internal"
	case AudienceAll:
		return "All companies"
	case AudienceCompanies:
		return "Selected companies"
	}
	return string(x)
}

// ArticleFacts are what the policy needs of one article.
type ArticleFacts struct {
	Audience  Audience
	Published bool
	// Companies are the companies an article for AudienceCompanies is shared with.
	Companies []int64
}

// ArticleScope is which articles an actor may list and open. The articles
// package turns it into SQL in one function; Matches is the same decision
// for one article.
type ArticleScope struct {
	TenantID int64
	// All: every article of the tenant (members).
	All bool
	// Shared: the published articles for every company and those for one
	// of Companies (external users).
	Shared    bool
	Companies []int64
}

// None reports whether the scope matches no article.
func (s ArticleScope) None() bool { return s.TenantID == 0 || (!s.All && !s.Shared) }

// Matches reports whether an article with facts f is in the scope.
func (s ArticleScope) Matches(f ArticleFacts) bool {
	switch {
	case s.None():
		return false
	case s.All:
		return true
	case !f.Published:
		return false
	case f.Audience == AudienceAll:
		return true
	case f.Audience == AudienceCompanies:
		return slices.ContainsFunc(f.Companies, func(c int64) bool { return slices.Contains(s.Companies, c) })
	}
	return false
}

// ArticlesScope is the articles actor a may see: members every article,
// external users with the page the published ones shared with them,
// nobody else any.
func ArticlesScope(a Actor) ArticleScope {
	if !a.SignedIn() || !a.kbPage() {
		return ArticleScope{}
	}
	switch {
	case a.Kind == Member:
		return ArticleScope{TenantID: a.TenantID, All: true}
	case a.Kind.External():
		return ArticleScope{TenantID: a.TenantID, Shared: true, Companies: slices.Clone(a.Companies)}
	}
	return ArticleScope{}
}

// CanSeeArticle reports whether actor a may open the article with facts f.
func CanSeeArticle(a Actor, f ArticleFacts) bool { return ExplainArticle(a, f, nil) }
