package policy_test

import (
	"testing"

	"github.com/atrium-portal/atrium/app/policy"
)

// TestOffice365: the page is read-only for every external kind, follows
// the module and hidden pages, and an integration token needs
// office365:write for it.
func TestOffice365(t *testing.T) {
	member := policy.Actor{UserID: 1, TenantID: 1, Kind: policy.Member}
	hidden := member
	hidden.HiddenPages = []policy.Page{policy.PageOffice365}
	shown := map[policy.Page]policy.Module{policy.PageOffice365: {Show: true, Label: "M365"}}
	editor := policy.Actor{UserID: 2, TenantID: 1, Kind: policy.ExternalEditor, Companies: []int64{7}, Modules: shown}
	viewer := editor
	viewer.Kind = policy.ExternalViewer
	noModule := editor
	noModule.Modules = map[policy.Page]policy.Module{policy.PageTickets: {Show: true}}
	for _, c := range []struct {
		name  string
		a     policy.Actor
		scope policy.ScopeKind
		edit  bool
	}{
		{"member", member, policy.ScopeAll, true},
		{"member with the page hidden", hidden, policy.ScopeNone, false},
		{"external editor", editor, policy.ScopeMember, false},
		{"external viewer", viewer, policy.ScopeMember, false},
		{"external editor without the module", noModule, policy.ScopeNone, false},
		{"client", policy.Actor{UserID: 3, TenantID: 1, Kind: policy.Client}, policy.ScopeNone, false},
		{"anonymous", policy.Actor{}, policy.ScopeNone, false},
	} {
		if got := policy.Office365Scope(c.a); got.Kind != c.scope || got.List != policy.ListOffice365 {
			t.Errorf("%s: scope %+v, want %v", c.name, got, c.scope)
		}
		if got := policy.Allows(c.a, policy.Settings{}, policy.EditOffice365); got != c.edit {
			t.Errorf("%s: edit %v, want %v", c.name, got, c.edit)
		}
	}
	if policy.Label(editor, policy.PageOffice365) != "M365" {
		t.Error("the module label is not the page's title")
	}
	write := []policy.TokenScope{policy.ScopeOffice365Write}
	tickets := []policy.TokenScope{policy.ScopeTicketsWrite}
	for _, r := range []policy.Rule{policy.EditOffice365, policy.ViewPage(policy.PageOffice365)} {
		if !policy.TokenAllows(write, policy.PageOffice365, r, "PUT") {
			t.Errorf("office365:write does not open %s", r)
		}
		if policy.TokenAllows(tickets, policy.PageOffice365, r, "GET") {
			t.Errorf("tickets:write opens %s", r)
		}
	}
}
