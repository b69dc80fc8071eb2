package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/tenant"
)

// parseHTML parses a page or fragment, failing the test when it cannot.
func parseHTML(t *testing.T, body string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	return doc
}

// walk calls fn on every element under n, in document order.
func walk(n *html.Node, fn func(*html.Node)) {
	if n.Type == html.ElementNode {
		fn(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func attr(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

// firstLink is the first path in body matching re's one group, such as a
// user's or a team's edit page.
func firstLink(t *testing.T, body, re string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no link like %s in:\n%s", re, body)
	}
	return m[0]
}

// settingsPages are the settings pages with forms, as a super admin sees them.
func settingsPages(t *testing.T, ada *client) []string {
	t.Helper()
	pages := []string{"/settings", "/settings/users", "/settings/users/new", "/settings/teams", "/settings/companies",
		"/settings/branding", "/settings/email", "/settings/tickets"}
	pages = append(pages,
		firstLink(t, ada.get("/settings/users?q=ken").body, `/settings/users/[0-9]+`),
		firstLink(t, ada.get("/settings/teams").body, `/settings/teams/[0-9]+`),
		firstLink(t, ada.get("/settings/companies").body, `/settings/companies/[0-9]+`))
	// A deactivated user's page has a status section instead of the danger zone.
	pages = append(pages, firstLink(t, ada.get("/settings/users?q=dora").body, `/settings/users/[0-9]+`))
	return pages
}

// TestSettingsPagesHaveUniqueIDs: no element ID is used twice on any
// settings page (Settings → Companies once had three inputs with f-name:
// the company form's and the group forms'), and every label points at an
// element that exists.
func TestSettingsPagesHaveUniqueIDs(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	for _, path := range settingsPages(t, ada) {
		r := ada.get(path)
		if r.status != 200 {
			t.Errorf("%s: %d", path, r.status)
			continue
		}
		doc := parseHTML(t, r.body)
		ids := map[string]int{}
		var fors []string
		walk(doc, func(n *html.Node) {
			if id, ok := attr(n, "id"); ok {
				ids[id]++
			}
			if n.Data == "label" {
				if f, ok := attr(n, "for"); ok {
					fors = append(fors, f)
				}
			}
		})
		for id, n := range ids {
			if n > 1 {
				t.Errorf("%s: id %q is used %d times", path, id, n)
			}
		}
		for _, f := range fors {
			if ids[f] == 0 {
				t.Errorf("%s: a label is for %q, which no element has", path, f)
			}
		}
	}
}

// TestSettingsHeadingsInOrder: every settings page starts at the page's h1
// and goes down one level at a time (h1, then h2 sections, then h3 within
// them), never skipping one (Branding and Email once jumped from h1 to h3).
func TestSettingsHeadingsInOrder(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	for _, path := range settingsPages(t, ada) {
		doc := parseHTML(t, ada.get(path).body)
		var levels []int
		var texts []string
		walk(doc, func(n *html.Node) {
			if len(n.Data) == 2 && n.Data[0] == 'h' && n.Data[1] >= '1' && n.Data[1] <= '6' {
				levels = append(levels, int(n.Data[1]-'0'))
				if n.FirstChild != nil {
					texts = append(texts, n.Data+" "+strings.TrimSpace(n.FirstChild.Data))
				}
			}
		})
		if len(levels) == 0 || levels[0] != 1 {
			t.Errorf("%s: the first heading is not h1: %v", path, texts)
			continue
		}
		for i := 1; i < len(levels); i++ {
			if levels[i] > levels[i-1]+1 {
				t.Errorf("%s: heading h%d follows h%d: %v", path, levels[i], levels[i-1], texts)
			}
			if levels[i] == 1 {
				t.Errorf("%s: a second h1: %v", path, texts)
			}
		}
	}
}

// kindsOf is the data-kinds value a part of the user form must carry:
// the kinds the policy rule admits, in policy.Kinds order.
func kindsOf(applies func(policy.Kind) bool) string {
	var out []string
	for _, k := range policy.Kinds {
		if applies(k) {
			out = append(out, string(k))
		}
	}
	return strings.Join(out, " ")
}

// TestInviteFormPartsFollowThePolicy: each part of the invite form that
// applies to some kinds only says which, in words for the reader and in
// data-kinds for app.js, both from the policy's rules, so the page, the
// script and the server's refusals agree.
func TestInviteFormPartsFollowThePolicy(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	body := ada.get("/settings/users/new").body
	doc := parseHTML(t, body)
	parts := map[string]string{} // the field name inside → data-kinds
	walk(doc, func(n *html.Node) {
		kinds, ok := attr(n, "data-kinds")
		if !ok || n.Data != "div" {
			return
		}
		walk(n, func(in *html.Node) {
			if name, ok := attr(in, "name"); ok && in.Data == "input" {
				if _, seen := parts[name]; !seen {
					parts[name] = kinds
				}
			}
		})
	})
	for name, want := range map[string]string{
		"capabilities":        kindsOf(policy.MayHoldCapabilities),
		"team_ids":            kindsOf(policy.MayJoinTeams),
		"company_ids":         kindsOf(policy.HasCompanies),
		"module_show_tickets": kindsOf(policy.HasCompanies),
		"own_tickets_only":    kindsOf(policy.HasCompanies),
	} {
		if parts[name] != want {
			t.Errorf("%s is shown for %q, want %q", name, parts[name], want)
		}
	}
	for _, note := range []string{"For members only.", "For members and clients.", "For external editors and external viewers."} {
		if !strings.Contains(body, note) {
			t.Errorf("the invite form does not say %q", note)
		}
	}
	if !strings.Contains(body, `data-kind-select`) {
		t.Error("the kind select is not marked for app.js")
	}
}

// TestInviteFormWithoutJavaScript: without JavaScript every part of the
// form shows and is sent as ticked. A member's invitation with only what
// applies to members goes out; one that also assigns a company is refused
// with the message next to the companies, and nothing is sent.
func TestInviteFormWithoutJavaScript(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	page := ada.get("/settings/users/new").body
	csrf := formCSRF(t, page)
	team := regexp.MustCompile(`name="team_ids" value="([0-9]+)"`).FindStringSubmatch(page)
	company := regexp.MustCompile(`name="company_ids" value="([0-9]+)"`).FindStringSubmatch(page)
	if team == nil || company == nil {
		t.Fatal("the invite form offers no team or no company")
	}

	refused := ada.form("/settings/users/new", url.Values{"_csrf": {csrf}, "email": {"mo@acme.test"}, "kind": {"member"},
		"team_ids": {team[1]}, "company_ids": {company[1]}})
	if refused.status != 400 {
		t.Fatalf("a member with a company: %d", refused.status)
	}
	doc := parseHTML(t, refused.body)
	var companiesError string
	walk(doc, func(n *html.Node) {
		if n.Data != "fieldset" {
			return
		}
		isCompanies := false
		walk(n, func(in *html.Node) {
			if name, _ := attr(in, "name"); name == "company_ids" {
				isCompanies = true
			}
		})
		if !isCompanies {
			return
		}
		walk(n, func(in *html.Node) {
			if class, _ := attr(in, "class"); class == "field-error" && in.FirstChild != nil {
				companiesError = in.FirstChild.Data
			}
		})
	})
	if companiesError != "Only external users are assigned to companies." {
		t.Errorf("the companies' message: %q\n%s", companiesError, refused.body)
	}
	if r := ada.api("GET", "/api/v1/invitations", nil); strings.Contains(r.body, "mo@acme.test") {
		t.Error("the refused invitation was sent")
	}

	sent := ada.form("/settings/users/new", url.Values{"_csrf": {csrf}, "email": {"mo@acme.test"}, "kind": {"member"},
		"team_ids": {team[1]}, "capabilities": {"headlines_admin"}})
	if sent.status != 303 && sent.status != 302 {
		t.Fatalf("a member with a team and a capability: %d\n%s", sent.status, sent.body)
	}
	if r := ada.api("GET", "/api/v1/invitations", nil); !strings.Contains(r.body, "mo@acme.test") {
		t.Error("the invitation was not sent")
	}
}

// TestBrandingRendersTheContrastRule: Settings → Branding carries the
// server's contrast rule (background, minimum, sentences) for app.js, and
// a colour below it is refused on save with the rule's own sentence.
func TestBrandingRendersTheContrastRule(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	page := ada.get("/settings/branding").body
	doc := parseHTML(t, page)
	var note *html.Node
	walk(doc, func(n *html.Node) {
		if v, _ := attr(n, "data-contrast-for"); v == "branding-primary_color" {
			note = n
		}
	})
	if note == nil {
		t.Fatal("no contrast note for the primary colour")
	}
	r := tenant.PrimaryContrast
	for k, want := range map[string]string{"data-contrast-against": r.Against, "data-contrast-min": tenant.FormatRatio(r.Min),
		"data-contrast-message": r.Message, "data-contrast-ok": r.OK, "data-format-message": tenant.ColorFormatMessage} {
		if got, _ := attr(note, k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	// The hex text field is what is sent; the picker beside it has no name.
	if !strings.Contains(page, `id="branding-primary_color" class="color-hex" type="text" name="primary_color"`) {
		t.Error("no #RRGGBB text field for the primary colour")
	}
	if regexp.MustCompile(`type="color"[^>]*name=`).MatchString(page) {
		t.Error("a colour picker is sent with the form")
	}

	res := ada.multipartForm("/settings/branding", map[string]string{"_csrf": formCSRF(t, page), "app_name": "Acme Portal",
		"primary_color": "#FFFF00", "accent_color": "#F59E0B"}, nil, nil)
	_, want := r.Check("#FFFF00")
	if res.status != 400 || want == "" || !strings.Contains(res.body, `<p class="field-error" id="branding-primary_color-error">`+want+`</p>`) {
		t.Errorf("a yellow primary colour: %d, want %q next to the field\n%s", res.status, want, res.body)
	}
}
