package web_test

import (
	"strings"
	"testing"
)

// TestInvitationsSortOnTheUsersPage: the pending invitations under Settings
// → Users sort by address or by age through their own parameter, which
// leaves the users' sort and filters alone, and an unknown sort is explained.
func TestInvitationsSortOnTheUsersPage(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	for _, email := range []string{"mia@acme.test", "abe@acme.test", "zoe@acme.test"} {
		if r := ada.api("POST", "/api/v1/invitations", map[string]any{"email": email, "kind": "member"}); r.status != 201 {
			t.Fatalf("invite %s: %d %s", email, r.status, r.body)
		}
	}
	order := func(body string) []string {
		region := body[strings.Index(body, `id="invitation-rows"`):]
		var out []string
		for _, e := range []string{"abe@acme.test", "mia@acme.test", "zoe@acme.test"} {
			out = append(out, e)
		}
		// Sort the three by where they appear in the region.
		for i := range out {
			for j := i + 1; j < len(out); j++ {
				if strings.Index(region, out[j]) < strings.Index(region, out[i]) {
					out[i], out[j] = out[j], out[i]
				}
			}
		}
		return out
	}
	tests := []struct {
		query string
		want  string
	}{
		{"", "zoe@acme.test abe@acme.test mia@acme.test"},
		{"?invitation_sort=email", "abe@acme.test mia@acme.test zoe@acme.test"},
		{"?invitation_sort=created", "mia@acme.test abe@acme.test zoe@acme.test"},
		{"?kind=member&sort=-name&invitation_sort=email", "abe@acme.test mia@acme.test zoe@acme.test"},
	}
	for _, tt := range tests {
		r := ada.get("/settings/users" + tt.query)
		if r.status != 200 {
			t.Fatalf("%s: %d", tt.query, r.status)
		}
		if got := strings.Join(order(r.body), " "); got != tt.want {
			t.Errorf("%s: invitations in order %s, want %s", tt.query, got, tt.want)
		}
	}
	r := ada.get("/settings/users?kind=member&invitation_sort=email")
	if !strings.Contains(r.body, `href="/settings/users?invitation_sort=-created&amp;kind=member"`) &&
		!strings.Contains(r.body, `invitation_sort=created&amp;kind=member`) {
		t.Errorf("the Link column's sort link loses the users' filter")
	}
	if r := ada.get("/settings/users?invitation_sort=bogus"); !strings.Contains(r.body, "Sort by one of:") {
		t.Errorf("an unknown invitation sort is not explained: %d", r.status)
	}
}
