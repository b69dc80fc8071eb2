package invitations_test

import (
	"context"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/invitations"
	"github.com/atrium-portal/atrium/app/policy"
)

// TestNamesFollowThePeopleRule: inviting and accepting ask people.CheckName,
// the rule editing a user asks: one line, at most 120 characters (not bytes).
func TestNamesFollowThePeopleRule(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	admin := user(t, e.s, "admin@acme.test", policy.Admin)
	if _, err := invitations.Invite(ctx, e.as(admin), invitations.Request{Email: "two@acme.test", Name: "Line one\nLine two"}); fieldErr(err, "name") == "" {
		t.Errorf("invite with a two-line name: %v", err)
	}
	inv, err := invitations.Invite(ctx, e.as(admin), invitations.Request{Email: "x@acme.test"})
	if err != nil {
		t.Fatal(err)
	}
	sec := secret(t, inv)
	for _, bad := range []string{"Line one\nLine two\tTab", "Ada\tLovelace", "Ada\u2028Lovelace", "Ada\r\nBcc: x@evil.test"} {
		if _, err := invitations.Accept(ctx, e.s, hasher, sec, bad, "correct horse battery staple", audit.Who{}); fieldErr(err, "name") == "" {
			t.Errorf("accept with name %q: %v, want a name error", bad, err)
		}
	}
	// 120 characters are allowed however many bytes they take.
	long := strings.Repeat("é", 120)
	u, err := invitations.Accept(ctx, e.s, hasher, sec, long, "correct horse battery staple", audit.Who{})
	if err != nil || u.Name != long {
		t.Fatalf("accept with 120 two-byte characters: %v, %v", u, err)
	}
}
