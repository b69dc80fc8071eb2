package policy_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/policy"
)

// TestScopeTable renders every profile × list → scope and compares it with
// testdata/scopes.golden, the list half of the decision table.
// Regenerate with: go test ./app/policy -run TestScopeTable -update
func TestScopeTable(t *testing.T) {
	lists := []struct {
		name string
		f    func(policy.Actor) policy.Scope
	}{
		{"users", policy.UsersScope},
		{"teams", policy.TeamsScope},
		{"companies", policy.CompaniesScope},
		{"company_groups", policy.CompanyGroupsScope},
		{"audit", policy.AuditScope},
		{"invitations", policy.InvitationsScope},
		{"contacts", policy.ContactsScope},
		{"office365", policy.Office365Scope},
		{"plan", policy.PlanScope},
	}
	var b strings.Builder
	b.WriteString("# profile × list → scope (none: no row; self: own row; member: rows the actor belongs or is assigned to; all: the tenant)\n")
	for _, p := range profiles() {
		for _, l := range lists {
			s := l.f(p.actor)
			if string(s.List) != l.name {
				t.Errorf("%s: scope of %s is for %q", p.name, l.name, s.List)
			}
			fmt.Fprintf(&b, "%-34s %-16s %v\n", p.name, l.name, s)
		}
	}
	got := b.String()
	const path = "testdata/scopes.golden"
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
		t.Errorf("scope table changed; review the diff and run with -update:\n%s", diff(string(want), got))
	}
}

// TestScopeFailsClosed: the zero scope, and any scope of an anonymous actor,
// is none and carries neither tenant nor user.
func TestScopeFailsClosed(t *testing.T) {
	var zero policy.Scope
	if zero.Kind != policy.ScopeNone || zero.All() {
		t.Errorf("zero scope is %v", zero)
	}
	for _, f := range []func(policy.Actor) policy.Scope{policy.UsersScope, policy.TeamsScope, policy.CompaniesScope, policy.CompanyGroupsScope, policy.AuditScope, policy.InvitationsScope, policy.ContactsScope, policy.Office365Scope, policy.PlanScope} {
		s := f(policy.Actor{Kind: policy.Member})
		if s.Kind != policy.ScopeNone || s.TenantID != 0 || s.UserID != 0 {
			t.Errorf("anonymous actor got %+v", s)
		}
	}
	a := policy.Actor{UserID: 7, TenantID: 3, Kind: policy.Client}
	if s := policy.TeamsScope(a); s.Kind != policy.ScopeMember || s.UserID != 7 || s.TenantID != 3 {
		t.Errorf("client's teams scope: %+v", s)
	}
}
