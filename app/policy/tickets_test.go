package policy_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/policy"
)

// demoTicketRules are the ticket settings of SPEC §15: boards Service Desk
// (externals of every company), Projects (externals of company 1, Globex,
// only) and Internal Ops (members only); time spent and billing code hidden
// from external kinds, priority read-only for external editors; note types
// Discussion (1), Resolution (2) and Internal (3).
func demoTicketRules() policy.TicketRules {
	ext := []policy.Kind{policy.ExternalEditor, policy.ExternalViewer}
	fields := map[policy.TicketField]map[policy.Kind]policy.Access{
		policy.FieldTimeSpent:   {policy.ExternalEditor: policy.Hidden, policy.ExternalViewer: policy.Hidden},
		policy.FieldBillingCode: {policy.ExternalEditor: policy.Hidden, policy.ExternalViewer: policy.Hidden},
		policy.FieldPriority:    {policy.ExternalEditor: policy.Read},
		// An admin's setting above the ceiling is cut to it, and one below
		// the floor raised to it.
		policy.FieldStatus: {policy.ExternalViewer: policy.Edit},
		policy.FieldTitle:  {policy.ExternalViewer: policy.Hidden},
	}
	return policy.TicketRules{
		Boards: []policy.BoardRule{
			{ID: 1, Kinds: ext, AllCompanies: true},
			{ID: 2, Kinds: ext, Companies: []int64{1}},
			{ID: 3},
		},
		NoteTypes: []policy.NoteTypeRule{
			{ID: 1, Read: []policy.Kind{policy.Member, policy.ExternalEditor, policy.ExternalViewer}, Add: []policy.Kind{policy.Member, policy.ExternalEditor}},
			{ID: 2, Read: []policy.Kind{policy.Member, policy.ExternalEditor, policy.ExternalViewer}, Add: []policy.Kind{policy.Member}},
			// An external viewer listed to add is still refused.
			{ID: 3, Read: nil, Add: []policy.Kind{policy.Member, policy.ExternalViewer}},
		},
		Fields: fields,
	}
}

// ticketProfiles are the people of the ticket table: user 1 acts, assigned
// to company 1 (Globex) when external.
func ticketProfiles() []profile {
	out := []profile{{"anonymous", policy.Actor{}}}
	for _, p := range profiles() {
		if p.name == "anonymous" || strings.Contains(p.name, "stored") || (strings.HasPrefix(p.name, "member+") && p.name != "member+admin") {
			continue
		}
		a := p.actor
		if a.Kind.External() {
			a.Companies = []int64{1}
		}
		out = append(out, profile{p.name, a})
		if a.Kind.External() {
			own := a
			own.OwnTicketsOnly = true
			out = append(out, profile{p.name + "+own_only", own})
			hidden := a
			hidden.Modules = map[policy.Page]policy.Module{policy.PageTickets: {Show: false}}
			out = append(out, profile{p.name + "+module_hidden", hidden})
		}
	}
	return out
}

// TestTicketTable renders the ticket decisions of every profile under the
// demo's settings and compares them with testdata/tickets.golden, reviewed
// by hand against SPEC §7 and §15. Regenerate with:
// go test ./app/policy -run TestTicketTable -update
func TestTicketTable(t *testing.T) {
	r := demoTicketRules()
	tickets := []struct {
		name string
		f    policy.TicketFacts
	}{
		{"desk/globex/contact=me", policy.TicketFacts{BoardID: 1, CompanyID: 1, ContactID: 1}},
		{"desk/globex/contact=other", policy.TicketFacts{BoardID: 1, CompanyID: 1, ContactID: 2}},
		{"desk/globex/watched", policy.TicketFacts{BoardID: 1, CompanyID: 1, ContactID: 2, Watchers: []int64{1}}},
		{"desk/initech", policy.TicketFacts{BoardID: 1, CompanyID: 2, ContactID: 1}},
		{"projects/globex", policy.TicketFacts{BoardID: 2, CompanyID: 1, ContactID: 2}},
		{"projects/initech", policy.TicketFacts{BoardID: 2, CompanyID: 2, ContactID: 1}},
		{"internal/globex", policy.TicketFacts{BoardID: 3, CompanyID: 1, ContactID: 1}},
		{"unknown-board", policy.TicketFacts{BoardID: 9, CompanyID: 1, ContactID: 1}},
	}
	var b strings.Builder
	b.WriteString("# profile × field → access (demo settings)\n")
	for _, p := range ticketProfiles() {
		var cells []string
		for _, f := range append(policy.TicketFields, policy.CustomField(7)) {
			cells = append(cells, fmt.Sprintf("%s=%s", f, policy.FieldAccess(p.actor, r, f)))
		}
		fmt.Fprintf(&b, "%-30s %s\n", p.name, strings.Join(cells, " "))
	}
	b.WriteString("\n# profile × note type → read/add (1 Discussion, 2 Resolution, 3 Internal, 9 unknown)\n")
	for _, p := range ticketProfiles() {
		var cells []string
		for _, id := range []int64{1, 2, 3, 9} {
			cells = append(cells, fmt.Sprintf("%d=%v/%v", id, policy.CanReadNote(p.actor, r, id), policy.CanAddNote(p.actor, r, id)))
		}
		choice := map[policy.ContactChoice]string{policy.ContactSelf: "self", policy.ContactColleague: "colleague", policy.ContactAnyone: "anyone"}
		fmt.Fprintf(&b, "%-30s %s contact=%s\n", p.name, strings.Join(cells, " "), choice[policy.ContactChoiceOf(p.actor)])
	}
	b.WriteString("\n# profile × ticket → see, add watchers, edit status, move; create on its board and company\n")
	for _, p := range ticketProfiles() {
		for _, tk := range tickets {
			fmt.Fprintf(&b, "%-30s %-26s see=%-5v watchers=%-5v status=%-5v move=%-5v create=%v\n", p.name, tk.name,
				policy.CanSeeTicket(p.actor, r, tk.f), policy.CanAddWatchers(p.actor, r, tk.f),
				policy.CanEditTicketField(p.actor, r, tk.f, policy.FieldStatus), policy.CanMoveTicket(p.actor, r, tk.f),
				policy.CanCreateTicket(p.actor, r, tk.f.BoardID, tk.f.CompanyID))
		}
	}
	b.WriteString("\n# profile as a candidate contact or watcher of each ticket\n")
	for _, p := range ticketProfiles() {
		var cells []string
		for _, tk := range tickets {
			cells = append(cells, fmt.Sprintf("%s=%v", tk.name, policy.MayBeContactOrWatcher(p.actor, r, tk.f)))
		}
		fmt.Fprintf(&b, "%-30s %s\n", p.name, strings.Join(cells, " "))
	}
	got := b.String()
	const path = "testdata/tickets.golden"
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
		t.Errorf("ticket table changed; review the diff and run with -update:\n%s", diff(string(want), got))
	}
}

// TestTicketScopeMatchesSingleCheck: the scope of a list and the check of
// one ticket are one decision.
func TestTicketScopeMatchesSingleCheck(t *testing.T) {
	r := demoTicketRules()
	for _, p := range ticketProfiles() {
		sc := policy.TicketsScope(p.actor, r)
		for board := int64(0); board <= 4; board++ {
			for company := int64(0); company <= 3; company++ {
				for contact := int64(0); contact <= 2; contact++ {
					f := policy.TicketFacts{BoardID: board, CompanyID: company, ContactID: contact}
					if sc.Matches(f) != policy.CanSeeTicket(p.actor, r, f) {
						t.Errorf("%s: scope and check disagree on %+v", p.name, f)
					}
				}
			}
		}
	}
}
