package browsertest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// reportPages checks, for whoever has reports, the first reports of their
// list with their print views and, for those who write reports, the
// editor, its preview and the new-report form.
func (c *axeChecker) reportPages(who string) {
	c.t.Helper()
	do(c.t, c.b, c.d, chromedp.Navigate(c.d.URL("acme.localhost", "/reports")), chromedp.WaitReady(`body`))
	links := run(c.t, c.b, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#report-list td.report-title-cell a')].map(a => a.getAttribute('href'))`))
	writes := run(c.t, c.b, chromedp.Evaluate[bool](`!!document.querySelector('.page-actions a[href="/reports/new"]')`))
	for i, href := range links {
		if i == 2 {
			break
		}
		c.page(who, href)
		c.page(who, href+"/print")
		if writes && i == 0 {
			c.page(who, href+"/edit")
			c.page(who, href+"/edit?preview=viewers")
		}
	}
	if writes {
		c.page(who, "/reports/new")
	}
}

// openReport opens the reports list and follows the link titled title.
func openReport(t *testing.T, b *Browser, d *Demo, title string) {
	t.Helper()
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/reports")), chromedp.WaitVisible(`#report-list`))
	href := run(t, b, chromedp.Evaluate[string](`(() => {
		const a = [...document.querySelectorAll('#report-list td.report-title-cell a')].find(a => a.textContent.trim() === `+jsString(title)+`);
		return a ? a.getAttribute('href') : '';
	})()`))
	if href == "" {
		t.Fatalf("no report %q in the list", title)
	}
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", href)), chromedp.WaitVisible(`#report-body`))
}

// TestReportsInTheBrowser: victor opens Globex Q3 QBR and reads three
// parts, without the internal one; ken reads four, the internal one
// badged; ken's editor moves a part in place and previews the report as
// Globex's viewers read it.
func TestReportsInTheBrowser(t *testing.T) {
	d := StartDemo(t)
	b := NewBrowserWithin(t, 2*time.Minute)
	parts := func() []string {
		return run(t, b, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#report-body .report-part h2')].map(h => h.textContent.trim())`))
	}

	signIn(t, b, d, "victor@globex.test")
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/reports")), chromedp.WaitVisible(`#report-list`))
	Screenshot(t, b, "reports-list-victor")
	openReport(t, b, d, "Globex Q3 QBR")
	if got := strings.Join(parts(), ", "); got != "Executive summary, Ticket summary, Rocks status" {
		t.Errorf("victor reads %q", got)
	}
	if text := run(t, b, chromedp.Evaluate[string](`document.body.innerText`)); strings.Contains(text, "Globex margin fell") || strings.Contains(text, "Internal only") || strings.Contains(text, "Edit report") {
		t.Error("victor's report shows the internal part or a write control")
	}
	Screenshot(t, b, "report-victor")
	openReport(t, b, d, "Globex service review")
	if n := run(t, b, chromedp.Evaluate[int](`document.querySelectorAll('#report-body svg.chart rect').length`)); n == 0 {
		t.Error("the chart has no bars")
	}
	Screenshot(t, b, "report-chart-victor")
	do(t, b, d, chromedp.Click(`.page-actions a[href$="/print"]`), chromedp.WaitVisible(`button[data-print]`))
	if text := run(t, b, chromedp.Evaluate[string](`document.querySelector('.print-header').innerText`)); !strings.Contains(text, "Acme Portal") {
		t.Errorf("the print view carries no branding: %q", text)
	}
	Screenshot(t, b, "report-print-victor")

	switchUser(t, b, d, "ken@acme.test")
	openReport(t, b, d, "Globex Q3 QBR")
	if got := strings.Join(parts(), ", "); got != "Executive summary, Ticket summary, Rocks status, Margin analysis" {
		t.Errorf("ken reads %q", got)
	}
	if n := run(t, b, chromedp.Evaluate[int](`document.querySelectorAll('#report-body .report-part .badge-internal').length`)); n != 1 {
		t.Errorf("internal badges: %d", n)
	}
	Screenshot(t, b, "report-ken")
	do(t, b, d, chromedp.Click(`.page-actions a[href$="/edit"]`), chromedp.WaitVisible(`#report-parts`))
	run(t, b, chromedp.Evaluate[bool](`(window.__noReload = true, true)`))
	Screenshot(t, b, "report-editor-ken")
	// Move the internal part (the last) up one place, in place.
	do(t, b, d, chromedp.Click(`#report-parts .part-edit:last-child .part-tools button`),
		chromedp.Poll[chromedp.Void](`document.querySelector('#report-parts .part-edit:nth-last-child(2) h2').textContent.includes('Margin analysis')`, chromedp.WithPollingTimeout(10*time.Second)))
	if !run(t, b, chromedp.Evaluate[bool](`window.__noReload === true`)) {
		t.Error("moving a part reloaded the page")
	}
	do(t, b, d, chromedp.Click(`nav.segmented a:last-child`), chromedp.WaitVisible(`#report-body`))
	if got := strings.Join(parts(), ", "); got != "Executive summary, Ticket summary, Rocks status" {
		t.Errorf("the preview reads %q", got)
	}
	Screenshot(t, b, "report-preview-ken")
}
