package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestStrategyVisionEdit: Linus, a strategy admin, edits the vision's core
// focus in the browser; the page shows the new text and the history lists
// the new version, by him, as the current one.
func TestStrategyVisionEdit(t *testing.T) {
	d := StartDemo(t)
	b := NewBrowser(t)
	signIn(t, b, d, "linus@acme.test")
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/strategy/vision")), chromedp.WaitVisible(`#history`))
	Screenshot(t, b, "strategy-vision")
	do(t, b, d,
		chromedp.Click(`.page-actions a.btn-primary`),
		chromedp.WaitVisible(`#doc-core_focus`),
	)
	Screenshot(t, b, "strategy-vision-edit")
	do(t, b, d,
		chromedp.SetValue(`#doc-core_focus`, "**Purpose:** keep growing firms running.\n\n**Niche:** managed IT and security for clinics."),
		chromedp.Click(`#strategy-form button[type=submit]`),
		chromedp.WaitVisible(`#history`),
	)
	text := run(t, b, chromedp.Evaluate[string](`document.querySelector('main').textContent`))
	if !strings.Contains(text, "managed IT and security for clinics") || !strings.Contains(text, "Version 3") {
		t.Errorf("the vision after saving: %q", text)
	}
	first := run(t, b, chromedp.Evaluate[string](`document.querySelector('.strategy-versions li').textContent`))
	if !strings.Contains(first, "Version 3") || !strings.Contains(first, "current") || !strings.Contains(first, "Linus Torvalds") {
		t.Errorf("the history's first entry: %q", first)
	}
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/roles")), chromedp.WaitVisible(`.roles-tree`))
	Screenshot(t, b, "strategy-roles")
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/headlines")), chromedp.WaitVisible(`.headline-list`))
	Screenshot(t, b, "strategy-headlines")
	if errs := b.Errors(); len(errs) > 0 {
		t.Errorf("browser errors: %q", errs)
	}
}

// strategyPages checks, for a super admin, the strategy pages beyond the
// navigation: the vision's edit form and an older version, a headline
// with its form, and the roles chart's seat forms.
func (c *axeChecker) strategyPages(who string) {
	c.t.Helper()
	c.page(who, "/strategy/vision/edit")
	c.page(who, "/strategy/why/edit")
	do(c.t, c.b, c.d, chromedp.Navigate(c.d.URL("acme.localhost", "/strategy/vision")), chromedp.WaitReady(`body`))
	versions := run(c.t, c.b, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.strategy-versions a')].map(a => a.getAttribute('href'))`))
	if len(versions) > 0 {
		c.page(who, versions[0])
	}
	c.page(who, "/headlines/new")
	do(c.t, c.b, c.d, chromedp.Navigate(c.d.URL("acme.localhost", "/headlines")), chromedp.WaitReady(`body`))
	if hs := run(c.t, c.b, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.headline-title a')].map(a => a.getAttribute('href'))`)); len(hs) > 0 {
		c.page(who, hs[0])
		c.page(who, hs[0]+"/edit")
	}
	c.page(who, "/roles/new")
	do(c.t, c.b, c.d, chromedp.Navigate(c.d.URL("acme.localhost", "/roles")), chromedp.WaitReady(`body`))
	if seats := run(c.t, c.b, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.seat-edit a')].map(a => a.getAttribute('href'))`)); len(seats) > 0 {
		c.page(who, seats[0])
		Screenshot(c.t, c.b, "strategy-seat-form")
	}
}

// TestStrategySeatForm: Ada moves a person into a seat from the seat's
// form, as a person does, and the chart shows them there.
func TestStrategySeatForm(t *testing.T) {
	d := StartDemo(t)
	b := NewBrowser(t)
	signIn(t, b, d, "ada@acme.test")
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/roles")), chromedp.WaitVisible(`.roles-tree`))
	edit := run(t, b, chromedp.Evaluate[string](`[...document.querySelectorAll('.seat')].find(s => s.textContent.includes('Finance')).querySelector('.seat-edit a').getAttribute('href')`))
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", edit)), chromedp.WaitVisible(`#seat-form`))
	Screenshot(t, b, "strategy-seat-form")
	do(t, b, d,
		chromedp.Click(`#seat-form input[name=person_ids]:not(:checked)`),
		chromedp.Click(`#seat-form button[type=submit]`),
		chromedp.WaitVisible(`.roles-tree`),
	)
	finance := run(t, b, chromedp.Evaluate[int](`[...document.querySelectorAll('.seat')].find(s => s.textContent.includes('Finance')).querySelectorAll('.seat-people li').length`))
	if finance != 2 {
		t.Errorf("the finance seat holds %d people after adding one, want 2", finance)
	}
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/headlines/new")), chromedp.WaitVisible(`#headline-form`))
	Screenshot(t, b, "strategy-headline-form")
	if errs := b.Errors(); len(errs) > 0 {
		t.Errorf("browser errors: %q", errs)
	}
}
