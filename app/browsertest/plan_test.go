package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPlanStatusAndComment: Erin, an external editor of Globex, updates an
// initiative's status and comments on it from the plan page, as a person
// does; the page comes back at the item with the change.
func TestPlanStatusAndComment(t *testing.T) {
	d := StartDemo(t)
	b := NewBrowser(t)
	signIn(t, b, d, "erin@globex.test")
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/plan")), chromedp.WaitVisible(`.plan-status-form`))
	Screenshot(t, b, "plan-erin")
	phoneShots(t, b, "plan-erin")
	id := run(t, b, chromedp.Evaluate[string](`[...document.querySelectorAll('article.plan-item')].find(a => a.textContent.includes('Roll out MFA')).id`))
	sel := "#" + id
	do(t, b, d,
		chromedp.SetValue(sel+` .plan-status-form select`, "on_hold"),
		chromedp.Click(sel+` .plan-status-form button[type=submit]`),
		chromedp.WaitVisible(sel+` .badge-plan-on-hold`),
		chromedp.Click(sel+` details.plan-comment summary`),
		chromedp.SendKeys(sel+` .plan-comment-form textarea`, "Paused until the new year."),
		chromedp.Click(sel+` .plan-comment-form button[type=submit]`),
		chromedp.WaitVisible(sel+` .plan-comments li:nth-child(2)`),
	)
	text := run(t, b, chromedp.Evaluate[string](`document.querySelector('`+sel+`').textContent`))
	if !strings.Contains(text, "Paused until the new year.") || !strings.Contains(text, "On hold") {
		t.Errorf("the item after the changes: %q", text)
	}
	if errs := b.Errors(); len(errs) > 0 {
		t.Errorf("browser errors: %q", errs)
	}
}
