package policy_test

import (
	"testing"

	"github.com/atrium-portal/atrium/app/policy"
)

// TestTokenAllows: an integration token reaches the routes its scopes open
// and nothing else; who-am-I routes are open to every token, the
// principal's own routes to none.
func TestTokenAllows(t *testing.T) {
	companies := []policy.TokenScope{policy.ScopeCompaniesWrite}
	tickets := []policy.TokenScope{policy.ScopeTicketsWrite}
	all := policy.TokenScopes
	tests := []struct {
		name   string
		scopes []policy.TokenScope
		page   policy.Page
		rule   policy.Rule
		method string
		want   bool
	}{
		{"me for any token", nil, "", policy.Whoami, "GET", true},
		{"me with a scope", companies, "", policy.Whoami, "GET", true},
		{"create a company", companies, policy.PageSettings, policy.ManageCompanies, "POST", true},
		{"create a company without the scope", tickets, policy.PageSettings, policy.ManageCompanies, "POST", false},
		{"list companies", companies, policy.PageCompanies, policy.SignedIn, "GET", true},
		{"list companies without the scope", tickets, policy.PageCompanies, policy.SignedIn, "GET", false},
		{"list teams: no scope opens it", all, policy.PageTeams, policy.SignedIn, "GET", false},
		{"list users: no scope opens it", all, "", policy.SignedIn, "GET", false},
		{"change a user: no scope opens it", all, policy.PageSettings, policy.ManageUsers, "PATCH", false},
		{"invite: no scope opens it", all, policy.PageSettings, policy.InviteUsers, "POST", false},
		{"integrations: no scope opens it", all, policy.PageSettings, policy.ManageIntegrations, "POST", false},
		{"own account never", all, "", policy.OwnAccount, "POST", false},
		{"sign out never", all, "", policy.SignOut, "DELETE", false},
		{"a ticket rule", tickets, "", policy.Rule("tickets.edit"), "PATCH", true},
		{"a ticket rule without the scope", companies, "", policy.Rule("tickets.edit"), "PATCH", false},
		{"the tickets page rule", tickets, "", policy.ViewPage(policy.PageTickets), "GET", true},
		{"contacts section", []policy.TokenScope{policy.ScopeContactsWrite}, policy.PageContacts, policy.SignedIn, "GET", true},
		{"office 365 section", []policy.TokenScope{policy.ScopeOffice365Write}, policy.PageOffice365, policy.SignedIn, "POST", true},
		{"unknown scope opens nothing", []policy.TokenScope{"companies:admin"}, policy.PageSettings, policy.ManageCompanies, "POST", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := policy.TokenAllows(tt.scopes, tt.page, tt.rule, tt.method); got != tt.want {
				t.Errorf("TokenAllows(%v, %q, %q, %s) = %v, want %v", tt.scopes, tt.page, tt.rule, tt.method, got, tt.want)
			}
		})
	}
}
