package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// axeViolation is one rule axe-core found broken, with the elements it found.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeRun runs axe-core on the whole document and keeps the serious and
// critical violations, skipped heading levels (moderate for axe, but they
// break the outline screen-reader users move by) and duplicate IDs, with the page's width against the window's; null
// when axe-core is not in this document yet. The script is injected through
// the DevTools protocol (Runtime.evaluate), which the page's
// Content-Security-Policy does not govern, so the page keeps its strict CSP:
// no inline script is added.
const axeRun = `(async () => {
	if (typeof window.axe !== 'object') return null;
	const r = await axe.run(document, {resultTypes: ['violations']});
	// axe-core 4.7 retired its duplicate-id rules; IDs must still be unique
	// for labels, aria-describedby and htmx targets to find their element.
	const seen = new Map();
	for (const e of document.querySelectorAll('[id]')) seen.set(e.id, (seen.get(e.id) || 0) + 1);
	const dups = [...seen].filter(([, n]) => n > 1);
	const found = r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical' || v.id === 'heading-order');
	if (dups.length) found.push({id: 'duplicate-id', impact: 'serious', help: 'IDs must be unique',
		nodes: dups.map(([id, n]) => ({target: ['#' + id + ' (' + n + ' times)']}))});
	return JSON.stringify({
		scrollWidth: document.documentElement.scrollWidth, innerWidth: innerWidth,
		violations: found
			.map(v => ({id: v.id, impact: v.impact, help: v.help,
				nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + (n.failureSummary ? ' — ' + n.failureSummary.replace(/\s+/g, ' ') : ''))})),
	});
})()`

// axeResult is what axeRun returns.
type axeResult struct {
	ScrollWidth int            `json:"scrollWidth"`
	InnerWidth  int            `json:"innerWidth"`
	Violations  []axeViolation `json:"violations"`
}

// knownElsewhere are violations that another branch of the same piece of
// work fixes (the forms: their section headings and the company form's
// IDs), by page pattern and rule. They are logged, not failed; an entry that
// no longer occurs is logged too, to be removed.
var knownElsewhere = map[string]string{}

var idSegment = regexp.MustCompile(`/\d+`)

// viewport is a window size the pages are checked at.
type viewport struct{ w, h int64 }

func (v viewport) String() string { return fmt.Sprintf("%d×%d", v.w, v.h) }

var (
	desktop = viewport{1280, 800}
	phone   = viewport{390, 844}
)

// axeChecker holds what every check shares: one browser, one demo server,
// the axe-core source and the count of page views checked.
type axeChecker struct {
	t       *testing.T
	b       *Browser
	d       *Demo
	src     string
	size    viewport
	views   int
	errSeen int
	path    string          // the page's pattern (/settings/users/:id), for knownElsewhere
	known   map[string]bool // knownElsewhere entries that occurred
}

// setSize resizes the viewport when it is not already at v.
func (c *axeChecker) setSize(v viewport) {
	c.t.Helper()
	if c.size == v {
		return
	}
	if err := chromedp.Do(c.b.Ctx, chromedp.EmulateViewport(v.w, v.h)); err != nil {
		c.t.Fatalf("viewport %v: %v", v, err)
	}
	c.size = v
}

// check runs axe on the current document at the current size, and at phone
// size also looks for horizontal overflow; what stands for the page in
// failure messages.
func (c *axeChecker) check(what string) {
	c.t.Helper()
	c.views++
	var res axeResult
	for attempt := 0; ; attempt++ {
		out, err := chromedp.Run(c.b.Ctx, chromedp.Evaluate[*string](axeRun, chromedp.EvalAwaitPromise))
		if err != nil {
			c.t.Fatalf("%s at %v: run axe-core: %v", what, c.size, err)
		}
		if out != nil {
			if err := json.Unmarshal([]byte(*out), &res); err != nil {
				c.t.Fatalf("%s at %v: axe result: %v", what, c.size, err)
			}
			break
		}
		if attempt > 0 {
			c.t.Fatalf("%s at %v: axe-core did not load", what, c.size)
		}
		if _, err := chromedp.Run(c.b.Ctx, chromedp.Evaluate[any](c.src+"\n;undefined")); err != nil {
			c.t.Fatalf("%s at %v: inject axe-core: %v", what, c.size, err)
		}
	}
	for _, v := range res.Violations {
		if k := c.path + " " + v.ID; knownElsewhere[k] != "" {
			if !c.known[k] {
				c.t.Logf("%s at %v: axe %s, known (%s)", what, c.size, v.ID, knownElsewhere[k])
			}
			c.known[k] = true
			continue
		}
		c.t.Errorf("%s at %v: axe %s (%s): %s\n\t%s", what, c.size, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
	}
	if c.size == phone && res.ScrollWidth > res.InnerWidth {
		wide, _ := chromedp.Run(c.b.Ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('body *')]
			.filter(e => e.getBoundingClientRect().right > innerWidth + 0.5 && getComputedStyle(e).visibility !== 'hidden')
			.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : '')).join(', ')`))
		c.t.Errorf("%s at %v: horizontal overflow, scrollWidth %d > innerWidth %d (too wide: %s)", what, c.size, res.ScrollWidth, res.InnerWidth, wide)
	}
	errs := c.b.Errors()
	for _, e := range errs[c.errSeen:] {
		c.t.Errorf("%s at %v: browser reported: %s", what, c.size, e)
	}
	c.errSeen = len(errs)
}

// page opens path and checks it at both sizes, starting with the current one
// so that the viewport changes once per page.
func (c *axeChecker) page(who, path string) {
	c.t.Helper()
	resp, err := chromedp.Run(c.b.Ctx, chromedp.NavigateResponse(c.d.URL("acme.localhost", path)))
	if err != nil {
		c.t.Fatalf("%s %s: %v", who, path, err)
	}
	if resp.Status != 200 {
		c.t.Errorf("%s %s: status %d", who, path, resp.Status)
	}
	what := fmt.Sprintf("%s (%s)", path, who)
	c.path = idSegment.ReplaceAllString(path, "/:id")
	defer func() { c.path = "" }()
	first, second := desktop, phone
	if c.size == phone {
		first, second = phone, desktop
	}
	c.setSize(first)
	c.check(what)
	c.setSize(second)
	c.check(what)
}

// signIn clears the cookies and signs in through the form.
func (c *axeChecker) signIn(email string) {
	c.t.Helper()
	c.setSize(desktop)
	do(c.t, c.b, c.d,
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, network.ClearBrowserCookies, cdp.Empty{})
			return err
		}),
		chromedp.Navigate(c.d.URL("acme.localhost", "/login")),
		chromedp.WaitVisible(`#f-email`),
		chromedp.SendKeys(`#f-email`, email),
		chromedp.SendKeys(`#f-password`, "demo-pass-1"),
		chromedp.Click(`#login-form button[type=submit]`),
		chromedp.WaitVisible(`h1.page-title`),
	)
}

// fetchJSON reads an API answer with the browser's session.
func fetchJSON[T any](c *axeChecker, path string) T {
	c.t.Helper()
	v, err := chromedp.Run(c.b.Ctx, chromedp.Evaluate[T](
		`fetch(`+jsString(path)+`, {headers: {Accept: 'application/json'}}).then(r => r.json())`, chromedp.EvalAwaitPromise))
	if err != nil {
		c.t.Fatalf("GET %s: %v", path, err)
	}
	return v
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

type idItem struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Email  string `json:"email"`
	Kind   string `json:"kind"`
	Status string `json:"status"`
}

// TestAccessibility runs axe-core on the sign-in page, on every page of the
// navigation of seven demo users of different kinds, on the settings pages,
// on profiles and on the open menus, at 1280×800 and at 390×844. It fails on any serious or
// critical violation, on horizontal overflow on the phone and on any error
// the browser reports; each failure names the page, the user, the size and
// the rule.
func TestAccessibility(t *testing.T) {
	started := time.Now()
	src, err := os.ReadFile(filepath.Join("testdata", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core: %v (run scripts/update-axe.sh)", err)
	}
	d := StartDemo(t)
	// About 200 s under the race detector on two idle cores (seven users'
	// navigation, every module page, both sizes); room for a busy machine.
	b := NewBrowserWithin(t, 8*time.Minute)
	c := &axeChecker{t: t, b: b, d: d, src: string(src), known: map[string]bool{}}

	// The sign-in page, in the same frame as the invitation, reset and
	// error pages.
	c.page("signed out", "/login")

	// The pages keep their strict CSP while axe runs: no inline script is
	// allowed, and axe still loads because DevTools evaluation is outside it.
	c.signIn("ada@acme.test")
	policyHeader, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](
		`fetch('/').then(r => r.headers.get('Content-Security-Policy') || '')`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(policyHeader, "script-src") || strings.Contains(policyHeader, "unsafe-inline") {
		t.Fatalf("the pages should carry a strict CSP, got %q", policyHeader)
	}
	// An inline script is refused (so a <script> tag could not inject axe),
	// while code evaluated through the DevTools protocol runs.
	inlineRan := run(t, b, chromedp.Evaluate[bool](`(() => {
		const s = document.createElement('script');
		s.textContent = 'window.__inlineRan = true';
		document.head.appendChild(s);
		return window.__inlineRan === true;
	})()`))
	if inlineRan {
		t.Fatal("an inline script ran: the CSP is not strict")
	}
	for i := 0; i < 20 && len(b.Errors()) == 0; i++ {
		time.Sleep(50 * time.Millisecond) // the report arrives as an event
	}
	if errs := b.Errors(); len(errs) != 1 || !strings.Contains(errs[0], "Content Security Policy") {
		t.Fatalf("the refused inline script should be the one error reported, got %q", errs)
	}
	c.errSeen = len(b.Errors())

	users := []string{"ada@acme.test", "alan@acme.test", "erin@globex.test", "victor@globex.test", "carol@globex.test", "gina@guest.test", "oscar@initech.test"}
	for i, email := range users {
		if i > 0 {
			c.signIn(email)
		}
		who := email[:strings.Index(email, "@")]
		me := fetchJSON[struct {
			User  idItem `json:"user"`
			Pages []struct {
				Path string `json:"path"`
			} `json:"pages"`
		}](c, "/api/v1/me")
		if len(me.Pages) == 0 {
			t.Fatalf("%s: no pages in /api/v1/me", who)
		}
		for _, p := range me.Pages {
			c.page(who, p.Path)
			// A company contact's page: its form for editors, its details for viewers.
			if p.Path != "/contacts" {
				continue
			}
			if cs := fetchJSON[struct{ Items []idItem }](c, "/api/v1/contacts?limit=1").Items; len(cs) > 0 {
				c.page(who, fmt.Sprintf("/contacts/%d", cs[0].ID))
			}
		}
		c.page(who, "/account/password")
		c.page(who, "/account/tokens")
		c.page(who, fmt.Sprintf("/users/%d", me.User.ID))
		for _, p := range me.Pages {
			if p.Path == "/tickets" {
				c.ticketPages(who)
			}
			if p.Path == "/kb" {
				c.kbPages(who)
			}
			if p.Path == "/reports" {
				c.reportPages(who)
			}
			if p.Path == "/workboards" { // a workboard's page, its tasks in columns
				for _, wb := range fetchJSON[struct{ Items []idItem }](c, "/api/v1/workboards").Items {
					c.page(who, fmt.Sprintf("/workboards/%d", wb.ID))
					break
				}
			}
			if p.Path == "/teams" { // a team's page: a client team, with a scorecard
				for _, tm := range fetchJSON[struct{ Items []idItem }](c, "/api/v1/teams?limit=100").Items {
					if tm.Kind == "client" {
						c.page(who, fmt.Sprintf("/teams/%d", tm.ID))
						// The team's last meeting: the demo's past L10, ended and rated.
						for _, m := range fetchJSON[struct{ Items []idItem }](c, fmt.Sprintf("/api/v1/meetings?team_id=%d&limit=1", tm.ID)).Items {
							c.page(who, fmt.Sprintf("/teams/%d/meetings/%d", tm.ID, m.ID))
						}
					}
				}
			}
			if p.Path == "/roles" && who == "ada" {
				c.strategyPages(who)
			}
			if p.Path == "/plan" && who == "ada" { // the plan's edit forms, unfolded
				do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/plan")), chromedp.WaitVisible(`details.plan-edit`))
				run(t, b, chromedp.Evaluate[int](`(() => { const ds = document.querySelectorAll('details.plan-edit'); ds.forEach(e => e.open = true); return ds.length })()`))
				c.check("/plan with its edit forms open (ada)")
			}
		}

		// The frame's menus, open: the user menu at both sizes, the folded
		// sidebar on the phone.
		do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/")), chromedp.WaitVisible(`details.user-menu summary`))
		c.setSize(desktop)
		do(t, b, d, chromedp.Click(`details.user-menu summary`), chromedp.WaitVisible(`.user-menu-panel`))
		c.check("/ with the user menu open (" + who + ")")
		c.setSize(phone)
		c.check("/ with the user menu open (" + who + ")")
		do(t, b, d, chromedp.Click(`details.user-menu summary`), chromedp.Click(`button.menu-toggle`), chromedp.WaitVisible(`#sidebar.open`), chromedp.Sleep(250*time.Millisecond))
		c.check("/ with the phone menu open (" + who + ")")

		if who != "ada" {
			continue
		}
		// The settings pages and the objects in them, as the super admin.
		type list struct {
			Items []idItem `json:"items"`
		}
		usersList := fetchJSON[list](c, "/api/v1/users?limit=100").Items
		teams := fetchJSON[list](c, "/api/v1/teams?limit=100").Items
		companies := fetchJSON[list](c, "/api/v1/companies?limit=100").Items
		if len(usersList) == 0 || len(teams) == 0 || len(companies) == 0 {
			t.Fatalf("demo data: %d users, %d teams, %d companies", len(usersList), len(teams), len(companies))
		}
		// A deactivated user (greyed avatar) and a client user (ringed avatar).
		edit, profile := usersList[0], usersList[0]
		for _, u := range usersList {
			if u.Status == "deactivated" {
				edit = u
			}
			if u.Kind == "client" {
				profile = u
			}
		}
		team := teams[0]
		for _, tm := range teams {
			if tm.Kind == "client" {
				team = tm
			}
		}
		for _, path := range []string{
			"/settings", "/settings/users", "/settings/users/new",
			fmt.Sprintf("/settings/users/%d", edit.ID),
			"/settings/teams", fmt.Sprintf("/settings/teams/%d", team.ID),
			"/settings/companies", fmt.Sprintf("/settings/companies/%d", companies[0].ID),
			"/settings/branding", "/settings/email", "/settings/integrations", "/settings/tickets", "/audit", "/office365/import",
			fmt.Sprintf("/users/%d", profile.ID), fmt.Sprintf("/users/%d", edit.ID),
		} {
			c.page(who, path)
		}
	}
	// Oscar sees his own tickets only.
	c.signIn("oscar@initech.test")
	c.ticketPages("oscar")
	// A new API token, its secret shown once above the list, and an
	// integration token with its scopes in the list.
	c.signIn("ada@acme.test")
	for _, path := range []string{"/account/tokens", "/settings/integrations"} {
		do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", path)), chromedp.WaitVisible(`#token-name`),
			chromedp.SendKeys(`#token-name`, "Axe check"))
		if path == "/settings/integrations" {
			do(t, b, d, chromedp.Click(`input[name=scopes][value="companies:write"]`))
		}
		do(t, b, d, chromedp.Click(`#token-form button[type=submit]`), chromedp.WaitVisible(`#token-secret`))
		c.setSize(desktop)
		c.check(path + " with a new token (ada)")
		c.setSize(phone)
		c.check(path + " with a new token (ada)")
	}
	// The Office 365 import's preview, with errors next to their rows.
	file := filepath.Join(t.TempDir(), "users.csv")
	if err := os.WriteFile(file, []byte("display_name,email,licences\nAnn,ann@globex.example,\nBob,bob@,NOPE\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/office365/import")), chromedp.WaitVisible(`#m365-file`),
		chromedp.SetUploadFiles(`#m365-file`, []string{file}), chromedp.Click(`input[name=kind][value=users]`))
	run(t, b, chromedp.Evaluate[int](`document.getElementById('f-company').selectedIndex = 1`))
	do(t, b, d, chromedp.Click(`.m365-import form.card button[type=submit]`), chromedp.WaitVisible(`.m365-preview`))
	c.setSize(desktop)
	c.check("/office365/import with a preview (ada)")
	c.setSize(phone)
	c.check("/office365/import with a preview (ada)")
	for k, why := range knownElsewhere {
		if !c.known[k] {
			t.Logf("known violation %q (%s) no longer occurs: remove it from knownElsewhere", k, why)
		}
	}
	t.Logf("axe-core checked %d page views in %s", c.views, time.Since(started).Round(100*time.Millisecond))
}

// ticketPages checks, for whoever has tickets, the new-ticket form (when
// they may open one) and the first ticket of their list.
func (c *axeChecker) ticketPages(who string) {
	c.t.Helper()
	do(c.t, c.b, c.d, chromedp.Navigate(c.d.URL("acme.localhost", "/tickets")), chromedp.WaitReady(`body`))
	links := run(c.t, c.b, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#ticket-list td.ticket-title a, .page-actions a[href="/tickets/new"]')].map(a => a.getAttribute('href'))`))
	seen := map[string]bool{}
	for _, href := range links {
		kind := "ticket"
		if href == "/tickets/new" {
			kind = href
		}
		if !seen[kind] {
			seen[kind] = true
			c.page(who, href)
		}
	}
}
