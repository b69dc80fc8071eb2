package browsertest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestFrame checks the frame at the two sizes: at 1280×800 the super admin,
// who has the longest navigation, sees Settings and Audit in the sidebar
// without scrolling it (the Strategy group folds); on a phone the top bar
// shows the tenant's logo and name and the menu opens the sidebar.
func TestFrame(t *testing.T) {
	d := StartDemo(t)
	b := NewBrowser(t)
	do(t, b, d,
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(d.URL("acme.localhost", "/login")),
		chromedp.WaitVisible(`#f-email`),
		chromedp.SendKeys(`#f-email`, "ada@acme.test"),
		chromedp.SendKeys(`#f-password`, "demo-pass-1"),
		chromedp.Click(`#login-form button[type=submit]`),
		chromedp.WaitVisible(`h1.page-title`),
	)
	onScreen := `(() => {
		const s = document.getElementById('sidebar');
		const r = document.querySelector('nav.nav a[href="%s"]')?.getBoundingClientRect();
		return !!r && r.height > 0 && s.scrollTop === 0 && r.bottom <= Math.min(innerHeight, s.getBoundingClientRect().bottom);
	})()`
	for _, path := range []string{"/settings", "/audit"} {
		if !run(t, b, chromedp.Evaluate[bool](fmt.Sprintf(onScreen, path))) {
			t.Errorf("at 1280×800 the sidebar link %s is not on screen without scrolling", path)
		}
	}
	if open := run(t, b, chromedp.Evaluate[bool](`document.querySelector('details.nav-group-collapsible').open`)); open {
		t.Error("on Home the Strategy group should be folded")
	}
	Screenshot(t, b, "frame-home")

	// A page of the folded group opens it and marks itself.
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/rocks")), chromedp.WaitVisible(`h1.page-title`))
	if !run(t, b, chromedp.Evaluate[bool](`!!document.querySelector('details.nav-group-collapsible[open] a[aria-current=page][href="/rocks"]')`)) {
		t.Error("on /rocks the Strategy group should be open with Rocks marked")
	}

	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/settings/users")), chromedp.WaitVisible(`h1.page-title`))
	Screenshot(t, b, "frame-users")

	// The phone: logo and app name in the top bar, the menu opens the sidebar.
	do(t, b, d, chromedp.EmulateViewport(390, 844), chromedp.Navigate(d.URL("acme.localhost", "/")), chromedp.WaitVisible(`.topbar-brand`))
	if name := run(t, b, chromedp.Text(`.topbar-brand .brand-name`)); name != "Acme Portal" {
		t.Errorf("phone top bar brand %q", name)
	}
	if label := run(t, b, chromedp.Evaluate[string](`document.querySelector('details.user-menu summary').textContent.replace(/\s+/g, ' ').trim()`)); !strings.Contains(label, "account menu") {
		t.Errorf("user menu's name %q", label)
	}
	do(t, b, d, chromedp.Click(`button.menu-toggle`), chromedp.WaitVisible(`#sidebar.open`))
	Screenshot(t, b, "frame-phone-menu")
	do(t, b, d, chromedp.EmulateViewport(390, 844), chromedp.Click(`button.menu-toggle`), chromedp.Click(`details.user-menu summary`), chromedp.WaitVisible(`.user-menu-panel`))
	Screenshot(t, b, "frame-phone-user-menu")
	noErrors(t, b)
}
