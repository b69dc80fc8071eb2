package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// innerScrollBoxes finds elements inside main that scroll on their own:
// overflow auto or scroll with more content than height. A list's rows
// must scroll with the page, never in a box of their own.
const innerScrollBoxes = `[...document.querySelectorAll('main *')].filter(el => {
	const s = getComputedStyle(el);
	return /(auto|scroll)/.test(s.overflowY) && el.scrollHeight > el.clientHeight + 1;
}).map(el => el.tagName.toLowerCase() + '.' + el.className + ' ' + el.scrollHeight + '>' + el.clientHeight)`

// overlappingLabels checks every stacked row of every list in main: each
// cell's label (its ::before) stays inside the cell and beside its value,
// and cells do not run into each other.
const overlappingLabels = `(() => {
	const bad = [];
	const rows = [...document.querySelectorAll('main table tbody tr:not(.load-more)')];
	if (rows.length === 0) bad.push('no rows');
	for (const tr of rows) {
		let prevBottom = -Infinity;
		for (const td of tr.querySelectorAll('td[data-label]')) {
			const name = td.dataset.label + ' of ' + tr.textContent.trim().slice(0, 30);
			const r = td.getBoundingClientRect();
			const cs = getComputedStyle(td), ps = getComputedStyle(td, '::before');
			const w = parseFloat(ps.width), h = parseFloat(ps.height);
			if (!(w > 0 && h > 0)) { bad.push(name + ': label has no box'); continue; }
			let left, top;
			if (ps.position === 'absolute') {
				left = r.left + parseFloat(ps.left); top = r.top + parseFloat(ps.top);
			} else {
				left = r.left + parseFloat(cs.borderLeftWidth) + parseFloat(cs.paddingLeft) + parseFloat(ps.marginLeft);
				top = r.top + parseFloat(cs.borderTopWidth) + parseFloat(cs.paddingTop) + parseFloat(ps.marginTop);
			}
			const label = {left, top, right: left + w, bottom: top + h};
			if (label.bottom > r.bottom + 0.5 || label.top < r.top - 0.5) bad.push(name + ': label outside its cell');
			const range = document.createRange();
			range.selectNodeContents(td);
			for (const v of range.getClientRects()) {
				if (v.width > 0 && v.height > 0 && label.right > v.left + 0.5 && v.right > label.left + 0.5 &&
					label.bottom > v.top + 0.5 && v.bottom > label.top + 0.5) {
					bad.push(name + ': label overlaps the value');
					break;
				}
			}
			if (r.top < prevBottom - 0.5) bad.push(name + ': cell overlaps the one above');
			prevBottom = r.bottom;
		}
	}
	return bad;
})()`

// TestListsInTheBrowser: Settings → Users shows all 14 demo users at
// 1280×800 with the page, not a box, scrolling; the filters swap the list
// through htmx; at 390×844 every list is a stack of cards whose labels
// overlap nothing.
func TestListsInTheBrowser(t *testing.T) {
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
		chromedp.Navigate(d.URL("acme.localhost", "/settings/users")),
		chromedp.WaitVisible(`#user-rows table`),
	)
	if n := run(t, b, chromedp.Evaluate[int](`document.querySelectorAll('#user-rows tbody tr:not(.load-more)').length`)); n != 14 {
		t.Errorf("Settings → Users lists %d people, want the 14 of the demo", n)
	}
	if got := run(t, b, chromedp.Text(`#user-rows .list-count`)); got != "14 people" {
		t.Errorf("count %q", got)
	}
	if boxes := run(t, b, chromedp.Evaluate[[]string](innerScrollBoxes)); len(boxes) > 0 {
		t.Errorf("inner scroll boxes at 1280×800: %v", boxes)
	}
	// Every row can be seen by scrolling the page: the last one is inside the document.
	if ok := run(t, b, chromedp.Evaluate[bool](`(() => {
		const rows = document.querySelectorAll('#user-rows tbody tr');
		const last = rows[rows.length - 1];
		last.scrollIntoView();
		const r = last.getBoundingClientRect();
		return r.top >= 0 && r.bottom <= window.innerHeight + 1;
	})()`)); !ok {
		t.Error("the last user cannot be scrolled into view")
	}
	run(t, b, chromedp.Evaluate[bool](`window.scrollTo(0, 0), true`))
	Screenshot(t, b, "lists-users")
	phoneShots(t, b, "lists-users")

	// A filter swaps the list in place and goes into the address.
	do(t, b, d, chromedp.SetValue(`#user-rows-kind`, "client"))
	run(t, b, chromedp.Evaluate[bool](`document.querySelector('#user-rows-kind').dispatchEvent(new Event('change', {bubbles: true}))`))
	run(t, b, chromedp.Poll[bool](`document.querySelector('#user-rows .list-count')?.textContent.trim() === '1 person'`, chromedp.WithPollingTimeout(10*time.Second)))
	if loc := run(t, b, chromedp.Evaluate[string](`location.search`)); !strings.Contains(loc, "kind=client") {
		t.Errorf("the filter is not in the address: %q", loc)
	}
	// Read in one evaluation: chromedp.Text finds the node, then reads it,
	// and a second swap of the list in between (the change event and
	// SetValue's own may each send a request) left it reading a node
	// that was gone ("No node with given id found", under -race in CI).
	run(t, b, chromedp.Poll[bool](`document.querySelector('#user-rows tbody')?.textContent.includes('Carol') && !document.querySelector('#user-rows .htmx-request')`,
		chromedp.WithPollingTimeout(10*time.Second)))

	pages := []struct{ path, region, name string }{
		{"/settings/users", "#user-rows", "lists-users"},
		{"/settings/teams", "#team-list", "lists-settings-teams"},
		{"/teams", "#team-list", "lists-teams"},
		{"/settings/companies", "#company-list", "lists-companies"},
		{"/audit", "#audit-rows", "lists-audit"},
	}
	for _, p := range pages {
		do(t, b, d, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(d.URL("acme.localhost", p.path)), chromedp.WaitVisible(p.region+` table`))
		if boxes := run(t, b, chromedp.Evaluate[[]string](innerScrollBoxes)); len(boxes) > 0 {
			t.Errorf("%s: inner scroll boxes at 1280×800: %v", p.path, boxes)
		}
		if got := run(t, b, chromedp.Text(p.region+` .list-count`)); got == "" {
			t.Errorf("%s: no count", p.path)
		}
		do(t, b, d, chromedp.EmulateViewport(390, 844), chromedp.Sleep(100*time.Millisecond))
		if bad := run(t, b, chromedp.Evaluate[[]string](overlappingLabels)); len(bad) > 0 {
			t.Errorf("%s at 390×844: %v", p.path, bad)
		}
		if boxes := run(t, b, chromedp.Evaluate[[]string](innerScrollBoxes)); len(boxes) > 0 {
			t.Errorf("%s: inner scroll boxes at 390×844: %v", p.path, boxes)
		}
		do(t, b, d, chromedp.EmulateViewport(1280, 800))
		if p.path != "/settings/users" {
			Screenshot(t, b, p.name)
			phoneShots(t, b, p.name)
		}
	}
	// A filter that hides every row says so and offers to clear it.
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/settings/users?kind=guest&status=deactivated")), chromedp.WaitVisible(`#user-rows .empty-state`))
	if got := run(t, b, chromedp.Text(`#user-rows .empty-state`)); !strings.Contains(got, "No people match these filters.") || !strings.Contains(got, "Clear filters") {
		t.Errorf("empty state: %q", got)
	}
	Screenshot(t, b, "lists-users-empty")
	noErrors(t, b)
}

// phoneShots saves the first two screens of the page at 390×844, as a
// phone shows them, when ATRIUM_SCREENSHOTS names a directory: a full-page
// shot of a long list is too small to read the cards.
func phoneShots(t *testing.T, b *Browser, name string) {
	t.Helper()
	dir := os.Getenv("ATRIUM_SCREENSHOTS")
	if dir == "" {
		return
	}
	for i, y := range []int{0, 700} {
		run(t, b, chromedp.EmulateViewport(390, 844))
		run(t, b, chromedp.Sleep(500*time.Millisecond)) // the sidebar slides away
		run(t, b, chromedp.Evaluate[bool](fmt.Sprintf(`window.scrollTo(0, %d), true`, y)))
		png := run(t, b, chromedp.CaptureScreenshot())
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-phone-%d.png", name, i+1)), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run(t, b, chromedp.Evaluate[bool](`window.scrollTo(0, 0), true`))
	run(t, b, chromedp.EmulateViewport(1280, 800))
}
