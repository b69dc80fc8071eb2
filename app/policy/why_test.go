package policy_test

import (
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/policy"
)

// explained runs decide with a Why and without, failing when the two
// disagree or the explanation is empty or badly worded, and returns the
// decision.
func explained(t *testing.T, what string, decide func(w *policy.Why) bool) bool {
	t.Helper()
	w := &policy.Why{Name: "Pat", Objects: true}
	got, plain := decide(w), decide(nil)
	if got != plain {
		t.Errorf("%s: explained %v, decided %v", what, got, plain)
	}
	rs := w.Reasons()
	if len(rs) == 0 {
		t.Errorf("%s: no reasons", what)
	}
	for _, r := range rs {
		if strings.Contains(r, "%!") || r == "" || !strings.HasSuffix(r, ".") {
			t.Errorf("%s: badly worded reason %q", what, r)
		}
	}
	return got
}

// TestExplanationsAgree: every explained decision is the decision: routes
// for every profile and rule (Allows, CanSeePage), tickets, reports and
// their parts, articles, and the objects of one company.
func TestExplanationsAgree(t *testing.T) {
	s := policy.Settings{WhyEnabled: true}
	for _, p := range profiles() {
		for _, r := range rules() {
			got := explained(t, p.name+" "+string(r), func(w *policy.Why) bool { return policy.ExplainRoute(p.actor, s, "", r, w) })
			if got != policy.Allows(p.actor, s, r) {
				t.Errorf("%s %s: ExplainRoute %v, Allows %v", p.name, r, got, !got)
			}
		}
	}
	tr := demoTicketRules()
	for _, p := range ticketProfiles() {
		a := p.actor
		for board := int64(0); board <= 4; board++ {
			explained(t, p.name+" board", func(w *policy.Why) bool { return policy.ExplainBoard(a, tr, board, w) })
			for company := int64(0); company <= 3; company++ {
				for contact := int64(0); contact <= 2; contact++ {
					f := policy.TicketFacts{BoardID: board, CompanyID: company, ContactID: contact, Watchers: []int64{2}}
					got := explained(t, p.name+" ticket", func(w *policy.Why) bool { return policy.ExplainTicket(a, tr, f, w) })
					if got != policy.TicketsScope(a, tr).Matches(f) {
						t.Errorf("%s %+v: explained %v, the scope says otherwise", p.name, f, got)
					}
				}
			}
		}
		for company := int64(0); company <= 3; company++ {
			for _, published := range []bool{false, true} {
				f := policy.ReportFacts{CompanyID: company, Published: published}
				got := explained(t, p.name+" report", func(w *policy.Why) bool { return policy.ExplainReport(a, f, w) })
				if got != policy.ReportsScope(a).Matches(f) {
					t.Errorf("%s %+v: explained %v, the scope says otherwise", p.name, f, got)
				}
				for _, internal := range []bool{false, true} {
					got := explained(t, p.name+" part", func(w *policy.Why) bool { return policy.ExplainReportPart(a, f, internal, w) })
					if want := policy.CanSeeReport(a, f) && policy.CanSeePart(a, internal); got != want {
						t.Errorf("%s %+v internal %v: explained %v", p.name, f, internal, got)
					}
				}
				for _, aud := range policy.Audiences {
					af := policy.ArticleFacts{Audience: aud, Published: published, Companies: []int64{company}}
					got := explained(t, p.name+" article", func(w *policy.Why) bool { return policy.ExplainArticle(a, af, w) })
					if got != policy.ArticlesScope(a).Matches(af) {
						t.Errorf("%s %+v: explained %v, the scope says otherwise", p.name, af, got)
					}
				}
			}
			explained(t, p.name+" contact", func(w *policy.Why) bool { return policy.ExplainContact(a, company, w) })
			explained(t, p.name+" office365", func(w *policy.Why) bool { return policy.ExplainOffice365(a, company, w) })
			explained(t, p.name+" plan", func(w *policy.Why) bool { return policy.ExplainPlanItem(a, company, w) })
			explained(t, p.name+" company", func(w *policy.Why) bool { return policy.ExplainCompany(a, company, w) })
		}
		explained(t, p.name+" user", func(w *policy.Why) bool { return policy.ExplainUser(a, 7, w) })
		explained(t, p.name+" team", func(w *policy.Why) bool { return policy.ExplainTeam(a, true, w) })
	}
}
