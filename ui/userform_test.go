package ui_test

import (
	"context"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/ui"
)

// TestUserFormMarksRefusedFlags: the test-user and own-tickets-only
// refusals show under their checkbox, and on their own where the form
// does not offer the checkbox to this administrator.
func TestUserFormMarksRefusedFlags(t *testing.T) {
	for _, offered := range []bool{true, false} {
		f := ui.UserForm{Action: "/settings/users/new", SubmitLabel: "Send invitation", CanModules: offered, CanTestUser: offered,
			TestUserError: "No test user.", OwnTicketsError: "No own tickets.", FormError: "Nothing was saved. Fix the fields marked below."}
		var b strings.Builder
		if err := ui.UserFormView(f, "tok").Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		html := b.String()
		for _, want := range []string{
			`<p class="field-error" id="user-test_user-error">No test user.</p>`,
			`<p class="field-error" id="user-own_tickets_only-error">No own tickets.</p>`,
		} {
			if !strings.Contains(html, want) {
				t.Errorf("offered %v: no %s", offered, want)
			}
		}
		for _, box := range []string{`name="test_user"`, `name="own_tickets_only"`} {
			if strings.Contains(html, box) != offered {
				t.Errorf("offered %v: checkbox %s shown %v", offered, box, !offered)
			}
		}
		// Each message follows its own checkbox.
		if offered && (strings.Index(html, `name="test_user"`) > strings.Index(html, "No test user.") ||
			strings.Index(html, `name="own_tickets_only"`) > strings.Index(html, "No own tickets.")) {
			t.Error("a refusal shows before its checkbox")
		}
	}
}
