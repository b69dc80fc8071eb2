package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// signIn signs email in on Acme through the sign-in form, as a person does.
func signIn(t *testing.T, b *Browser, d *Demo, email string) {
	t.Helper()
	do(t, b, d,
		chromedp.Navigate(d.URL("acme.localhost", "/login")),
		chromedp.WaitVisible(`#f-email`),
		chromedp.SendKeys(`#f-email`, email),
		chromedp.SendKeys(`#f-password`, "demo-pass-1"),
		chromedp.Click(`#login-form button[type=submit]`),
		chromedp.WaitVisible(`h1.page-title`),
	)
}
