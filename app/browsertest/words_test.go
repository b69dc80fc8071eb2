package browsertest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestWordsAndMailInTheBrowser: an external editor's menu names her
// company; the audit log reads as sentences; under the demo's log
// transport an admin invites someone and follows the invitation's link
// from Settings → Email; once used, the link's page says whom to ask.
func TestWordsAndMailInTheBrowser(t *testing.T) {
	d := StartDemo(t)

	erin := NewBrowser(t)
	signIn(t, erin, d, "erin@globex.test")
	do(t, erin, d, chromedp.Click(`.user-menu summary`), chromedp.WaitVisible(`.user-menu-panel`))
	if got := run(t, erin, chromedp.Text(`.user-menu summary`)); !strings.Contains(got, "Globex Corporation") || strings.Contains(got, "External") {
		t.Errorf("erin's menu: %q", got)
	}
	Screenshot(t, erin, "erin-home")
	noErrors(t, erin)

	admin := NewBrowser(t)
	// A failed sign-in first, for the audit log.
	do(t, admin, d,
		chromedp.Navigate(d.URL("acme.localhost", "/login")),
		chromedp.WaitVisible(`#f-email`),
		chromedp.SendKeys(`#f-email`, "ada@acme.test"),
		chromedp.SendKeys(`#f-password`, "not-the-password"),
		chromedp.Click(`#login-form button[type=submit]`),
		chromedp.WaitVisible(`#login-form .alert`),
	)
	signIn(t, admin, d, "ada@acme.test")
	status := run(t, admin, chromedp.Evaluate[float64](`fetch('/api/v1/invitations', {method: 'POST',
		headers: {'Content-Type': 'application/json', 'X-CSRF-Token': JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token']},
		body: JSON.stringify({email: 'lena@acme.test', kind: 'member'})}).then(r => r.status)`, chromedp.EvalAwaitPromise))
	if status != 201 {
		t.Fatalf("invite: %v", status)
	}
	do(t, admin, d, chromedp.Navigate(d.URL("acme.localhost", "/audit")), chromedp.WaitVisible(`#audit-rows`))
	if rows := run(t, admin, chromedp.Text(`#audit-rows`)); strings.Contains(rows, "login.failed") || !strings.Contains(rows, "Sign-in failed") {
		t.Errorf("audit rows: %s", rows)
	}
	Screenshot(t, admin, "audit")

	var link string
	for deadline := time.Now().Add(15 * time.Second); link == ""; time.Sleep(200 * time.Millisecond) {
		do(t, admin, d, chromedp.Navigate(d.URL("acme.localhost", "/settings/email")), chromedp.WaitVisible(`#mail-log`))
		link = run(t, admin, chromedp.Evaluate[string](`document.querySelector('#mail-log a.mail-link[href*="/invite/"]')?.href || ''`))
		if time.Now().After(deadline) {
			t.Fatalf("no invitation link on Settings → Email\n%s", d.Logs.String())
		}
	}
	if txt := run(t, admin, chromedp.Text(`#mail-log`)); !strings.Contains(txt, "Written to the log") {
		t.Errorf("mail log: %s", txt)
	}
	Screenshot(t, admin, "settings-email-log")
	noErrors(t, admin, "status of 401 (Unauthorized)")

	invitee := NewBrowser(t)
	do(t, invitee, d,
		chromedp.Navigate(link),
		chromedp.WaitVisible(`#f-name`),
		chromedp.SendKeys(`#f-name`, "Lena Lee"),
		chromedp.SendKeys(`#f-password`, "a long enough passphrase"),
		chromedp.Click(`#set-password-form button[type=submit]`),
		chromedp.WaitVisible(`nav.nav`),
		chromedp.Navigate(link),
		chromedp.WaitVisible(`.error-page`),
	)
	if txt := run(t, invitee, chromedp.Text(`.error-page`)); !strings.Contains(txt, "ask Ada Lovelace for a new one") {
		t.Errorf("used link page: %q", txt)
	}
	Screenshot(t, invitee, "invite-gone")
	noErrors(t, invitee, "status of 410 (Gone)")
}
