package policy_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/policy"
)

// articleProfiles are the people of the article table: user 1 acts,
// assigned to company 1 (Globex) when external; each external kind also
// with the module hidden, and the member with the page hidden.
func articleProfiles() []profile {
	var out []profile
	for _, p := range profiles() {
		if strings.Contains(p.name, "stored") || (strings.HasPrefix(p.name, "member+") && p.name != "member+super_admin") {
			continue
		}
		a := p.actor
		if a.Kind.External() {
			a.Companies = []int64{1}
		}
		out = append(out, profile{p.name, a})
		switch {
		case a.Kind.External():
			hidden := a
			hidden.Modules = map[policy.Page]policy.Module{policy.PageExternalContent: {Show: false}}
			out = append(out, profile{p.name + "+module_hidden", hidden})
		case a.Kind == policy.Member && len(a.Capabilities) == 0:
			hidden := a
			hidden.HiddenPages = []policy.Page{policy.PageExternalContent}
			out = append(out, profile{p.name + "+page_hidden", hidden})
		}
	}
	return out
}

// TestArticleTable renders who reads which article and who writes, and
// compares it with testdata/articles.golden, reviewed by hand against
// SPEC §5. Regenerate with: go test ./app/policy -run TestArticleTable -update
func TestArticleTable(t *testing.T) {
	articles := []struct {
		name string
		f    policy.ArticleFacts
	}{
		{"internal/published", policy.ArticleFacts{Audience: policy.AudienceInternal, Published: true}},
		{"all/published", policy.ArticleFacts{Audience: policy.AudienceAll, Published: true}},
		{"all/draft", policy.ArticleFacts{Audience: policy.AudienceAll}},
		{"companies=globex/published", policy.ArticleFacts{Audience: policy.AudienceCompanies, Published: true, Companies: []int64{1}}},
		{"companies=globex/draft", policy.ArticleFacts{Audience: policy.AudienceCompanies, Companies: []int64{1}}},
		{"companies=initech/published", policy.ArticleFacts{Audience: policy.AudienceCompanies, Published: true, Companies: []int64{2}}},
		{"companies=none/published", policy.ArticleFacts{Audience: policy.AudienceCompanies, Published: true}},
		{"unknown-audience/published", policy.ArticleFacts{Audience: "everyone", Published: true}},
	}
	var b strings.Builder
	b.WriteString("# profile × article → may read (external users assigned to company 1, globex); then may write articles\n")
	for _, p := range articleProfiles() {
		sc := policy.ArticlesScope(p.actor)
		for _, a := range articles {
			got := policy.CanSeeArticle(p.actor, a.f)
			if got != sc.Matches(a.f) {
				t.Errorf("%s %s: CanSeeArticle and the scope disagree", p.name, a.name)
			}
			fmt.Fprintf(&b, "%-34s read %-28s %v\n", p.name, a.name, got)
		}
		fmt.Fprintf(&b, "%-34s write articles %v (rule %v)\n", p.name, policy.CanEditArticles(p.actor),
			policy.Allows(p.actor, policy.Settings{}, policy.EditArticles))
	}
	got := b.String()
	const path = "testdata/articles.golden"
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("article table changed; review the diff and run with -update:\n%s", diff(string(want), got))
	}
}

// TestArticleScopeFailsClosed: the zero scope and a scope of another
// tenant's actor match nothing.
func TestArticleScopeFailsClosed(t *testing.T) {
	var zero policy.ArticleScope
	if !zero.None() || zero.Matches(policy.ArticleFacts{Audience: policy.AudienceAll, Published: true}) {
		t.Error("the zero scope matches an article")
	}
	if s := policy.ArticlesScope(policy.Actor{Kind: policy.Member}); !s.None() {
		t.Errorf("an anonymous actor got %+v", s)
	}
}
