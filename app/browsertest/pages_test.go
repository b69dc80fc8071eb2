package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAdminPagesInTheBrowser opens each administration page as a super
// admin: each renders under its title with the tenant's frame, and none
// makes the browser report an error (a CSP violation, a script error, a
// missing file).
func TestAdminPagesInTheBrowser(t *testing.T) {
	d := StartDemo(t)
	b := NewBrowser(t)
	do(t, b, d,
		chromedp.Navigate(d.URL("acme.localhost", "/login")),
		chromedp.WaitVisible(`#f-email`),
		chromedp.SendKeys(`#f-email`, "ada@acme.test"),
		chromedp.SendKeys(`#f-password`, "demo-pass-1"),
		chromedp.Click(`#login-form button[type=submit]`),
		chromedp.WaitVisible(`h1.page-title`),
	)
	pages := []struct{ path, title, name string }{
		{"/settings", "Settings", "settings"},
		{"/settings/users", "Users", "settings-users"},
		{"/settings/users/new", "Invite people", "settings-invite"},
		{"/settings/teams", "Teams", "settings-teams"},
		{"/settings/companies", "Companies", "settings-companies"},
		{"/settings/email", "Email", "settings-email"},
		{"/settings/integrations", "Integrations", "settings-integrations"},
		{"/audit", "Audit log", "audit"},
		{"/teams", "Teams", "teams"},
		{"/heatmap", "Heatmap", "heatmap"},
	}
	for _, p := range pages {
		do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", p.path)), chromedp.WaitVisible(`h1.page-title`))
		if got := run(t, b, chromedp.Text(`h1.page-title`)); got != p.title {
			t.Errorf("%s: title %q, want %q", p.path, got, p.title)
		}
		if cur := run(t, b, chromedp.Evaluate[string](`document.querySelector('nav.nav a[aria-current=page]')?.textContent.trim() || ''`)); cur == "" {
			t.Errorf("%s: no current page marked in the navigation", p.path)
		}
		if brand := run(t, b, chromedp.Text(`.brand-name`)); !strings.Contains(brand, "Acme Portal") {
			t.Errorf("%s: brand %q", p.path, brand)
		}
		Screenshot(t, b, p.name)
	}
	noErrors(t, b)
}
