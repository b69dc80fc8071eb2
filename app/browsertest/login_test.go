package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func run[T any](t *testing.T, b *Browser, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(b.Ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func do(t *testing.T, b *Browser, d *Demo, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.Ctx, steps...); err != nil {
		t.Fatalf("%v\nserver log:\n%s", err, d.Logs.String())
	}
}

func brandColor(t *testing.T, b *Browser) string {
	return run(t, b, chromedp.Evaluate[string](`getComputedStyle(document.documentElement).getPropertyValue('--brand').trim().toLowerCase()`))
}

// noErrors fails on anything the browser reported except the expected
// entries (for example the 401 a refused sign-in answers with).
func noErrors(t *testing.T, b *Browser, expected ...string) {
	t.Helper()
next:
	for _, e := range b.Errors() {
		for _, x := range expected {
			if strings.Contains(e, x) {
				continue next
			}
		}
		t.Errorf("browser reported: %s", e)
	}
}

// TestLoginBrandedAndLogout: sign in on acme.localhost through the htmx
// form, see the Acme branding on the home page, sign out.
func TestLoginBrandedAndLogout(t *testing.T) {
	d := StartDemo(t)
	b := NewBrowser(t)
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/login")), chromedp.WaitVisible(`#f-email`))
	if name := run(t, b, chromedp.Text(`.brand-name`)); name != "Acme Portal" {
		t.Errorf("brand name %q", name)
	}
	if c := brandColor(t, b); c != "#0f766e" {
		t.Errorf("--brand = %q", c)
	}
	Screenshot(t, b, "login")
	do(t, b, d,
		chromedp.SendKeys(`#f-email`, "ada@acme.test"),
		chromedp.SendKeys(`#f-password`, "demo-pass-1"),
		chromedp.Click(`#login-form button[type=submit]`),
		chromedp.WaitVisible(`h1.page-title`),
		chromedp.WaitVisible(`nav.nav a[href="/settings"]`),
	)
	name, title, url := run(t, b, chromedp.Text(`.brand-name`)), run(t, b, chromedp.Text(`h1.page-title`)), run(t, b, chromedp.Location())
	if name != "Acme Portal" || title != "Home" || !strings.HasSuffix(url, "/") {
		t.Errorf("after sign-in: brand %q, title %q, url %q", name, title, url)
	}
	if c := brandColor(t, b); c != "#0f766e" {
		t.Errorf("home page --brand = %q", c)
	}
	Screenshot(t, b, "home")
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/settings/branding")), chromedp.WaitVisible(`#brand-preview`))
	Screenshot(t, b, "branding")
	const signOut = `details.user-menu form[action="/logout"] button[type=submit]`
	do(t, b, d,
		chromedp.Navigate(d.URL("acme.localhost", "/")),
		chromedp.WaitVisible(`details.user-menu summary`),
		chromedp.Click(`details.user-menu summary`),
		chromedp.WaitVisible(signOut),
	)
	if label := run(t, b, chromedp.Text(signOut)); label != "Sign out" {
		t.Fatalf("user menu button %q, want Sign out", label)
	}
	do(t, b, d, chromedp.Click(signOut), chromedp.WaitVisible(`#login-form`))
	if url := run(t, b, chromedp.Location()); !strings.Contains(url, "/login") {
		t.Errorf("after sign-out at %q", url)
	}
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/")), chromedp.WaitVisible(`#login-form`))
	if url := run(t, b, chromedp.Location()); !strings.Contains(url, "/login") {
		t.Errorf("home after sign-out: %q", url)
	}
	noErrors(t, b)
}

// TestWrongPasswordInline: the error appears inside the form, without a
// page load, and the typed address stays.
func TestWrongPasswordInline(t *testing.T) {
	d := StartDemo(t)
	b := NewBrowser(t)
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/login")), chromedp.WaitVisible(`#f-email`))
	run(t, b, chromedp.Evaluate[bool](`window.__marker = true`))
	do(t, b, d,
		chromedp.SendKeys(`#f-email`, "ada@acme.test"),
		chromedp.SendKeys(`#f-password`, "not-the-password"),
		chromedp.Click(`#login-form button[type=submit]`),
		chromedp.WaitVisible(`#login-form .alert-error`),
	)
	msg, email := run(t, b, chromedp.Text(`#login-form .alert-error`)), run(t, b, chromedp.Value(`#f-email`))
	marker := run(t, b, chromedp.Evaluate[bool](`window.__marker === true`))
	if msg != "Email or password is incorrect." || email != "ada@acme.test" || !marker {
		t.Errorf("message %q, email %q, same page %v", msg, email, marker)
	}
	noErrors(t, b, "status of 401 (Unauthorized) http://acme.localhost:"+d.Port+"/login")
}

// TestNorthwindBranding: the other tenant's host shows its own name and colour.
func TestNorthwindBranding(t *testing.T) {
	d := StartDemo(t)
	b := NewBrowser(t)
	do(t, b, d, chromedp.Navigate(d.URL("northwind.localhost", "/login")), chromedp.WaitVisible(`#f-email`))
	name, title := run(t, b, chromedp.Text(`.brand-name`)), run(t, b, chromedp.Title())
	if name != "Northwind Hub" || !strings.Contains(title, "Northwind Hub") {
		t.Errorf("brand %q, title %q", name, title)
	}
	if c := brandColor(t, b); c != "#1d4ed8" {
		t.Errorf("--brand = %q", c)
	}
	noErrors(t, b)
}
