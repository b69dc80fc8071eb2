package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestClientTeamPage: carol, a client, opens her team from /teams, reads
// its rocks and the scorecard (with the metric shared from Service Desk
// and filled from Globex's tickets), adds a to-do with the form and ticks
// it done, as a person does.
func TestClientTeamPage(t *testing.T) {
	d := StartDemo(t)
	b := NewBrowser(t)
	signIn(t, b, d, "carol@globex.test")
	Screenshot(t, b, "home-carol")
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/upcoming")), chromedp.WaitVisible(`#up-week`))
	Screenshot(t, b, "upcoming-carol")
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/teams")), chromedp.WaitVisible(`#team-list`))
	do(t, b, d, chromedp.Click(`#team-list tbody a`), chromedp.WaitVisible(`#scorecard`))
	Screenshot(t, b, "team-carol")
	phoneShots(t, b, "team-carol")
	page := run(t, b, chromedp.Evaluate[string](`document.querySelector('main').textContent`))
	for _, want := range []string{"Migrate Globex mail to M365", "Roll out MFA at Globex", "First response time (h)", "Shared from Service Desk", "Shared mailbox permissions keep resetting"} {
		if !strings.Contains(page, want) {
			t.Errorf("carol's team page lacks %q", want)
		}
	}
	for _, canary := range []string{"SOC", "Leadership", "margin"} {
		if strings.Contains(page, canary) {
			t.Errorf("carol's team page shows %q", canary)
		}
	}
	do(t, b, d,
		chromedp.SendKeys(`#todo-title`, "Order the MFA tokens"),
		chromedp.Click(`.add-todo button[type=submit]`),
		chromedp.WaitVisible(`//li[strong[text()="Order the MFA tokens"]]`),
	)
	do(t, b, d,
		chromedp.Click(`//li[strong[text()="Order the MFA tokens"]]//button`),
		chromedp.WaitNotPresent(`//li[strong[text()="Order the MFA tokens"]]`),
	)
	if errs := b.Errors(); len(errs) > 0 {
		t.Errorf("browser errors: %q", errs)
	}
}
