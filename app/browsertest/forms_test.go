package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// chooseKind picks a kind in the user form's select as a person does,
// with the change event that follows.
func chooseKind(t *testing.T, b *Browser, d *Demo, kind string) {
	t.Helper()
	do(t, b, d, chromedp.SetValue(`#user-kind`, kind))
	run(t, b, chromedp.Evaluate[bool](`document.getElementById('user-kind').dispatchEvent(new Event('change', {bubbles: true}))`))
}

// shownParts is which of the user form's fields are on show and enabled.
func shownParts(t *testing.T, b *Browser) map[string]bool {
	t.Helper()
	return run(t, b, chromedp.Evaluate[map[string]bool](`(() => {
		const out = {};
		for (const name of ['capabilities', 'team_ids', 'company_ids', 'module_show_tickets', 'own_tickets_only', 'test_user']) {
			const el = document.querySelector('#user-form [name=' + name + ']');
			out[name] = !!el && !el.disabled && el.offsetParent !== null;
		}
		return out;
	})()`))
}

// TestInviteFormFollowsTheKind: the invite form shows what applies to the
// chosen kind: capabilities and teams for a member; companies, modules and
// own-tickets-only for an external editor; the rest hidden and not sent.
// It also takes the screenshots of the form pages.
func TestInviteFormFollowsTheKind(t *testing.T) {
	d := StartDemo(t)
	b := NewBrowser(t)
	signIn(t, b, d, "ada@acme.test")
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/settings/users/new")), chromedp.WaitVisible(`#user-form`))

	want := map[string]map[string]bool{
		"member":          {"capabilities": true, "team_ids": true, "company_ids": false, "module_show_tickets": false, "own_tickets_only": false, "test_user": true},
		"client":          {"capabilities": false, "team_ids": true, "company_ids": false, "module_show_tickets": false, "own_tickets_only": false, "test_user": true},
		"guest":           {"capabilities": false, "team_ids": false, "company_ids": false, "module_show_tickets": false, "own_tickets_only": false, "test_user": true},
		"external_editor": {"capabilities": false, "team_ids": false, "company_ids": true, "module_show_tickets": true, "own_tickets_only": true, "test_user": true},
	}
	check := func(kind string) {
		got := shownParts(t, b)
		for name, w := range want[kind] {
			if got[name] != w {
				t.Errorf("%s: %s shown %v, want %v", kind, name, got[name], w)
			}
		}
	}
	check("member") // the form opens on member
	Screenshot(t, b, "invite-member")
	for _, kind := range []string{"guest", "client", "external_editor"} {
		chooseKind(t, b, d, kind)
		check(kind)
	}
	// The whole Teams and companies section goes for a guest.
	chooseKind(t, b, d, "guest")
	if hidden := run(t, b, chromedp.Evaluate[bool](`document.getElementById('user-teams-heading').closest('section').hidden`)); !hidden {
		t.Error("a guest's form shows the Teams and companies section")
	}
	chooseKind(t, b, d, "external_editor")
	Screenshot(t, b, "invite-external-editor")
	// Module checkboxes are in the brand colour.
	accent := run(t, b, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('[name=module_show_plan]')).accentColor`))
	brand := run(t, b, chromedp.Evaluate[string](`(() => { const s = document.createElement('span'); s.style.color = getComputedStyle(document.documentElement).getPropertyValue('--brand'); document.body.append(s); const c = getComputedStyle(s).color; s.remove(); return c; })()`))
	if accent != brand {
		t.Errorf("module checkboxes in %s, the brand is %s", accent, brand)
	}

	// A user's page, a team's and Companies, for the screenshots, with the
	// dangerous actions last, in their danger zone.
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/settings/users?q=ken")), chromedp.WaitVisible(`#user-rows`))
	do(t, b, d, chromedp.Click(`#user-rows a[href^="/settings/users/"]`), chromedp.WaitVisible(`#user-form`))
	Screenshot(t, b, "user-edit")
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/settings/teams")), chromedp.WaitVisible(`h1.page-title`))
	do(t, b, d, chromedp.Click(`a[href^="/settings/teams/"]`), chromedp.WaitVisible(`#team-form`))
	Screenshot(t, b, "team")
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/settings/companies")), chromedp.WaitVisible(`#company-form`))
	Screenshot(t, b, "companies")
	do(t, b, d, chromedp.Click(`a[href^="/settings/companies/"]`), chromedp.WaitVisible(`#company-form`))
	Screenshot(t, b, "company")
	last := run(t, b, chromedp.Evaluate[string](`[...document.querySelectorAll('main section')].pop().querySelector('h2').textContent`))
	if last != "Danger zone" {
		t.Errorf("the company page ends with %q", last)
	}
	noErrors(t, b)
}

// TestBrandingHexAndContrast: the brand colour is a #RRGGBB text field with
// a picker beside it, each following the other; typing a colour too light
// for white says so live in the very sentence the server answers on save.
func TestBrandingHexAndContrast(t *testing.T) {
	d := StartDemo(t)
	b := NewBrowser(t)
	signIn(t, b, d, "ada@acme.test")
	do(t, b, d, chromedp.Navigate(d.URL("acme.localhost", "/settings/branding")), chromedp.WaitVisible(`#branding-primary_color`))

	picker := `[data-color-picker-for="branding-primary_color"]`
	if visible := run(t, b, chromedp.Evaluate[bool](`!document.querySelector('`+picker+`').hidden`)); !visible {
		t.Fatal("the colour picker stays hidden with JavaScript")
	}
	// The picker writes the text field.
	run(t, b, chromedp.Evaluate[bool](`(() => { const p = document.querySelector('`+picker+`'); p.value = '#1d4ed8'; return p.dispatchEvent(new Event('input', {bubbles: true})); })()`))
	if v := run(t, b, chromedp.Evaluate[string](`document.getElementById('branding-primary_color').value`)); v != "#1D4ED8" {
		t.Errorf("text field after the picker: %q", v)
	}
	// Typing writes the picker and the live note.
	run(t, b, chromedp.Evaluate[bool](`(() => { document.getElementById('branding-primary_color').value = ''; return true; })()`))
	do(t, b, d, chromedp.SendKeys(`#branding-primary_color`, "#FFFF00"))
	if v := run(t, b, chromedp.Evaluate[string](`document.querySelector('`+picker+`').value`)); v != "#ffff00" {
		t.Errorf("picker after typing: %q", v)
	}
	live := run(t, b, chromedp.Text(`#branding-primary_color-contrast`))
	if !strings.Contains(live, "needs 3:1") {
		t.Errorf("live note: %q", live)
	}
	Screenshot(t, b, "branding-live")
	do(t, b, d,
		chromedp.Click(`#branding-form button[type=submit]`),
		chromedp.WaitVisible(`#branding-primary_color-error`),
	)
	saved := run(t, b, chromedp.Text(`#branding-primary_color-error`))
	if saved != live {
		t.Errorf("live %q, on save %q", live, saved)
	}
	// After the refusal the message stands alone, not repeated in the note,
	// and the picker is back beside the re-rendered field.
	if again := run(t, b, chromedp.Text(`#branding-primary_color-contrast`)); again != "" {
		t.Errorf("note repeats the refusal: %q", again)
	}
	// app.js reveals it when htmx has settled the swap, a moment after
	// the error shows: wait for it (the harness's timeout fails the test).
	do(t, b, d, chromedp.WaitVisible(picker))
	Screenshot(t, b, "branding-refused")
	// Changing the colour again: the note speaks, the stale message goes.
	run(t, b, chromedp.Evaluate[bool](`(() => { document.getElementById('branding-primary_color').value = ''; return true; })()`))
	do(t, b, d, chromedp.SendKeys(`#branding-primary_color`, "#0f766e"))
	if note := run(t, b, chromedp.Text(`#branding-primary_color-contrast`)); note != "Contrast with white: 5.4:1 (needs 3:1)." {
		t.Errorf("note for a dark colour: %q", note)
	}
	if gone := run(t, b, chromedp.Evaluate[bool](`document.getElementById('branding-primary_color-error').hidden`)); !gone {
		t.Error("the stale refusal stays after the colour changed")
	}
	noErrors(t, b, "status of 400 (Bad Request)")
}
