package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestInviteFormMarksARefusedFlag: when the invite form is refused for a
// flag the sender may not set (a people admin and the test-user flag, sent
// by a stale or hand-made form), the answer says which, next to the field,
// not only "Fix the fields marked below" over a form with nothing marked.
func TestInviteFormMarksARefusedFlag(t *testing.T) {
	e := newEnv(t, nil)
	grace := e.client("acme.localhost").mustLogin("grace@acme.test", "demo-pass-1")
	r := grace.htmx("POST", "/settings/users/new", url.Values{"email": {"tess@acme.test"}, "kind": {"member"}, "test_user": {"1"}})
	if r.status != 400 || strings.Contains(r.body, "<html") {
		t.Fatalf("refused invite: %d %s", r.status, r.body)
	}
	if !strings.Contains(r.body, "Fix the fields marked below.") {
		t.Errorf("no form error: %s", r.body)
	}
	marked := regexp.MustCompile(`<div class="field has-error"><p class="field-error" id="user-test_user-error">You can&#39;t make someone a test user.</p></div>`)
	if !marked.MatchString(r.body) {
		t.Errorf("the test-user refusal is not marked at its field:\n%s", r.body)
	}
	// The flag grace may not set is still not offered to her.
	if strings.Contains(r.body, `name="test_user"`) {
		t.Error("the test-user checkbox is shown to a people admin")
	}
	if r := grace.api("GET", "/api/v1/invitations", nil); strings.Contains(r.body, "tess@acme.test") {
		t.Error("the refused invitation was sent")
	}
}
