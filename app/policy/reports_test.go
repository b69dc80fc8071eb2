package policy_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/policy"
)

// reportProfiles are the people of the report table: user 1 acts, assigned
// to company 1 (Globex) when external, with the reports module shown, or
// hidden in the +module_hidden rows.
func reportProfiles() []profile {
	var out []profile
	for _, p := range profiles() {
		a := p.actor
		if a.Kind.External() {
			a.Companies = []int64{1}
		}
		out = append(out, profile{p.name, a})
		if a.Kind.External() && !strings.Contains(p.name, "stored") {
			hidden := a
			hidden.Modules = map[policy.Page]policy.Module{policy.PageReports: {Show: false}}
			out = append(out, profile{p.name + "+module_hidden", hidden})
		}
	}
	member := policy.Actor{UserID: 1, TenantID: 1, Kind: policy.Member, HiddenPages: []policy.Page{policy.PageReports}}
	return append(out, profile{"member+reports_hidden", member})
}

// TestReportTable renders every report decision of every profile and
// compares it with testdata/reports.golden, reviewed by hand against SPEC
// §8 and docs/reports.md. Regenerate with:
// go test ./app/policy -run TestReportTable -update
func TestReportTable(t *testing.T) {
	reports := []struct {
		name string
		f    policy.ReportFacts
	}{
		{"globex/published", policy.ReportFacts{CompanyID: 1, Published: true}},
		{"globex/draft", policy.ReportFacts{CompanyID: 1}},
		{"initech/published", policy.ReportFacts{CompanyID: 2, Published: true}},
	}
	var b strings.Builder
	b.WriteString("# profile × report → see, edit; then scope, internal parts, the stand-in audience\n")
	for _, p := range reportProfiles() {
		for _, r := range reports {
			fmt.Fprintf(&b, "%-36s %-18s see=%-5v edit=%v\n", p.name, r.name,
				policy.CanSeeReport(p.actor, r.f), policy.CanEditReport(p.actor, r.f))
		}
		sc := policy.ReportsScope(p.actor)
		fmt.Fprintf(&b, "%-36s scope all=%-5v companies=%v published_only=%-5v internal_parts=%-5v public_part=%v\n", p.name,
			sc.All, sc.Companies, sc.PublishedOnly(), policy.CanSeePart(p.actor, true), policy.CanSeePart(p.actor, false))
	}
	aud := policy.ReportAudience(1, 1)
	fmt.Fprintf(&b, "audience signed_in=%v internal_parts=%v edit_rule=%v page_rule=%v\n", aud.SignedIn(),
		policy.CanSeePart(aud, true), policy.Allows(aud, policy.Settings{}, policy.EditReports),
		policy.Allows(aud, policy.Settings{}, policy.ViewPage(policy.PageReports)))
	r := demoTicketRules()
	fmt.Fprintf(&b, "shared boards of company 1: %v, of company 2: %v\n", policy.SharedBoards(r, 1), policy.SharedBoards(r, 2))
	got := b.String()
	const path = "testdata/reports.golden"
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
		t.Errorf("report table changed; review the diff and run with -update:\n%s", diff(string(want), got))
	}
}

// TestReportScopeMatchesSingleCheck: the scope of a list and the check of
// one report are one decision, and no scope reaches a draft but a member's.
func TestReportScopeMatchesSingleCheck(t *testing.T) {
	for _, p := range reportProfiles() {
		sc := policy.ReportsScope(p.actor)
		for company := int64(0); company <= 3; company++ {
			for _, pub := range []bool{false, true} {
				f := policy.ReportFacts{CompanyID: company, Published: pub}
				if sc.Matches(f) != policy.CanSeeReport(p.actor, f) {
					t.Errorf("%s: scope and check disagree on %+v", p.name, f)
				}
				if !pub && sc.Matches(f) && p.actor.Kind != policy.Member {
					t.Errorf("%s sees a draft", p.name)
				}
			}
		}
	}
}
