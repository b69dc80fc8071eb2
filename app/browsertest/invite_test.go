package browsertest

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/atrium-portal/atrium/app/mail/mailtest"
)

// TestInviteExternalEditor is issue 3's flow end to end: an admin invites an
// external editor for Globex from Settings → Users; the invitee receives a
// branded email over SMTP from the tenant's sender, opens the link,
// chooses a name and password, and lands in a portal showing only their
// modules, under their labels.
func TestInviteExternalEditor(t *testing.T) {
	d := StartDemo(t)
	in := mailtest.Start(t)
	host, port, _ := net.SplitHostPort(in.Addr)
	d.Atrium(t, "tenant", "update", "--slug", "acme", "--smtp-host", host, "--smtp-port", port, "--smtp-tls", "none",
		"--mail-from-name", "Acme Service Desk", "--mail-from-address", "desk@acme.example")

	admin := NewBrowser(t)
	do(t, admin, d,
		chromedp.Navigate(d.URL("acme.localhost", "/login")),
		chromedp.WaitVisible(`#f-email`),
		chromedp.SendKeys(`#f-email`, "alan@acme.test"),
		chromedp.SendKeys(`#f-password`, "demo-pass-1"),
		chromedp.Click(`#login-form button[type=submit]`),
		chromedp.WaitVisible(`h1.page-title`),
		chromedp.Navigate(d.URL("acme.localhost", "/settings/users/new")),
		chromedp.WaitVisible(`#user-form`),
		chromedp.SendKeys(`#user-email`, "ivy@globex.test"),
		chromedp.SetValue(`#user-kind`, "external_editor"),
	)
	// SetValue fires no event; a person choosing the kind does.
	run(t, admin, chromedp.Evaluate[bool](`document.getElementById('user-kind').dispatchEvent(new Event('change', {bubbles: true}))`))
	run(t, admin, chromedp.Evaluate[bool](`(() => {
		for (const i of document.querySelectorAll('input[name=company_ids]')) {
			if (i.parentElement.textContent.includes('Globex')) i.checked = true;
		}
		for (const k of ['plan', 'office365']) document.querySelector('input[name=module_show_' + k + ']').checked = false;
		document.querySelector('input[name=module_show_tickets]').checked = true;
		document.querySelector('input[name=module_show_reports]').checked = true;
		return true;
	})()`))
	do(t, admin, d,
		chromedp.SendKeys(`input[name=module_label_tickets]`, "Support"),
		chromedp.Click(`#user-form button[type=submit]`),
		chromedp.WaitVisible(`#invitations`),
	)
	if body := run(t, admin, chromedp.Text(`#invitations`)); !strings.Contains(body, "ivy@globex.test") {
		t.Fatalf("invitation not listed: %s", body)
	}
	Screenshot(t, admin, "users")
	noErrors(t, admin)

	var msg mailtest.Message
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if ms := in.Messages(); len(ms) > 0 {
			msg = ms[0]
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no invitation email\n%s", d.Logs.String())
		}
	}
	body := msg.Body()
	for _, want := range []string{`From: "Acme Service Desk" <desk@acme.example>`, "To: ivy@globex.test", "Acme Portal", "#0F766E", "Alan Turing has invited you"} {
		if !strings.Contains(body, want) {
			t.Errorf("email lacks %q", want)
		}
	}
	link := msg.Link("/invite/")
	if !strings.HasPrefix(link, "http://acme.localhost:"+d.Port+"/invite/") {
		t.Fatalf("link %q is not on the primary host", link)
	}

	invitee := NewBrowser(t)
	do(t, invitee, d,
		chromedp.Navigate(link),
		chromedp.WaitVisible(`#f-name`),
		chromedp.SendKeys(`#f-name`, "Ivy Globex"),
		// "password" passes the browser's own length check; the server
		// refuses it as too common and says so next to the field.
		chromedp.SendKeys(`#f-password`, "password"),
		chromedp.Click(`#set-password-form button[type=submit]`),
		chromedp.WaitVisible(`#set-password-form .field-error`),
	)
	if msg := run(t, invitee, chromedp.Text(`#set-password-form .field-error`)); !strings.Contains(msg, "too common") {
		t.Errorf("common password message: %q", msg)
	}
	do(t, invitee, d,
		chromedp.SetValue(`#f-password`, "a long enough passphrase"),
		chromedp.Click(`#set-password-form button[type=submit]`),
		chromedp.WaitVisible(`nav.nav`),
	)
	nav := run(t, invitee, chromedp.Evaluate[[]string](`[...document.querySelectorAll('nav.nav a.nav-link')].map(a => a.textContent.trim())`))
	if got := strings.Join(nav, ","); got != "Home,Support,Reports" {
		t.Errorf("invitee's navigation: %s", got)
	}
	if r := run(t, invitee, chromedp.Text(`.user-menu summary`)); !strings.Contains(r, "Ivy Globex") {
		t.Errorf("user menu: %q", r)
	}
	Screenshot(t, invitee, "invitee-home")
	noErrors(t, invitee, "status of 400 (Bad Request) http://acme.localhost:"+d.Port+"/invite/")
}
