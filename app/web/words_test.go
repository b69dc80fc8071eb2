package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/config"
)

// menuBadge finds the badge under the name in the user menu.
var menuBadgeRE = regexp.MustCompile(`(?s)<summary>.*?</summary>`)

// TestMenuLabelSaysWhatOutsideUsersBelongTo: external users and clients
// see their company (or team) in the user menu, never their kind; members
// keep their kind and capability.
func TestMenuLabelSaysWhatOutsideUsersBelongTo(t *testing.T) {
	e := newEnv(t, nil)
	for _, tc := range []struct {
		email string
		want  string
		not   []string
	}{
		{"erin@globex.test", "Globex Corporation", []string{"External editor", "External"}},
		{"victor@globex.test", "Globex Corporation", []string{"External viewer", "External"}},
		{"oscar@initech.test", "Initech", []string{"External editor", "External"}},
		{"carol@globex.test", "Globex Corporation", []string{">Client<"}},
		{"ada@acme.test", "Member · Super admin", nil},
		{"ken@acme.test", "Member", nil},
	} {
		r := e.client("acme.localhost").mustLogin(tc.email, "demo-pass-1").get("/")
		if r.status != 200 {
			t.Fatalf("%s home: %d", tc.email, r.status)
		}
		menu := menuBadgeRE.FindString(r.body)
		if !strings.Contains(menu, `<span class="badge badge-kind">`+tc.want+`</span>`) {
			t.Errorf("%s: menu lacks %q:\n%s", tc.email, tc.want, menu)
		}
		for _, n := range tc.not {
			if strings.Contains(menu, n) {
				t.Errorf("%s: menu shows %q:\n%s", tc.email, n, menu)
			}
		}
	}
}

// TestMenuLabelSeveralCompanies: with several companies the menu names the
// first and counts the others.
func TestMenuLabelSeveralCompanies(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	me := ada.api("GET", "/api/v1/companies", nil)
	var ids []any
	for _, it := range me.json(t)["items"].([]any) {
		ids = append(ids, it.(map[string]any)["id"])
	}
	erin := userID(t, e, "acme", "erin@globex.test")
	if r := ada.api("PATCH", fmt.Sprintf("/api/v1/users/%d", erin), map[string]any{"company_ids": ids[:3]}); r.status != 200 {
		t.Fatalf("assign companies: %d %s", r.status, r.body)
	}
	r := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1").get("/")
	menu := menuBadgeRE.FindString(r.body)
	if !regexp.MustCompile(`badge-kind">[A-Z][^<]+ and 2 more</span>`).MatchString(menu) {
		t.Errorf("menu with 3 companies:\n%s", menu)
	}
}

// TestAuditShowsSentences: the page's action column and the action filter
// speak in words; the CSV and the API keep the action and add its label.
func TestAuditShowsSentences(t *testing.T) {
	e := newEnv(t, nil)
	if r := e.client("acme.localhost").login("ada@acme.test", "wrong-password"); r.status != 401 {
		t.Fatalf("failed login: %d", r.status)
	}
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	page := ada.get("/audit")
	if page.status != 200 {
		t.Fatalf("audit: %d", page.status)
	}
	table := page.body[strings.Index(page.body, `id="audit-rows"`):]
	if strings.Contains(table, "login.failed") || strings.Contains(table, ">login<") {
		t.Errorf("the table shows action codes:\n%s", table)
	}
	for _, want := range []string{">Sign-in failed<", ">Signed in<"} {
		if !strings.Contains(table, want) {
			t.Errorf("the table lacks %s", want)
		}
	}
	for _, want := range []string{`<option value="login.failed">Sign-in failed</option>`, `<option value="user.">Any change to people</option>`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the filter lacks %s", want)
		}
	}
	filtered := ada.get("/audit?action=login.failed")
	if !strings.Contains(filtered.body, `<option value="login.failed" selected>Sign-in failed</option>`) ||
		strings.Contains(filtered.body[strings.Index(filtered.body, `id="audit-rows"`):], ">Signed in<") {
		t.Errorf("filtered by failed sign-ins:\n%s", filtered.body)
	}
	rows, err := csv.NewReader(strings.NewReader(ada.get("/audit.csv").body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][3] != "action" || rows[0][4] != "action_label" {
		t.Fatalf("CSV header: %v", rows[0])
	}
	found := false
	for _, r := range rows[1:] {
		if r[3] == "login.failed" && r[4] == "Sign-in failed" {
			found = true
		}
	}
	if !found {
		t.Errorf("CSV lacks the failed sign-in with its label: %v", rows)
	}
	api := ada.api("GET", "/api/v1/audit?action=login.failed", nil).body
	if !strings.Contains(api, `"action":"login.failed"`) || !strings.Contains(api, `"action_label":"Sign-in failed"`) {
		t.Errorf("API: %s", api)
	}
}

// TestEveryActionHasALabel: every action the filter offers reads as words,
// not as a code.
func TestEveryActionHasALabel(t *testing.T) {
	for _, o := range audit.FilterOptions() {
		if o.Label == "" || strings.ContainsAny(o.Label, "._") {
			t.Errorf("%q: label %q", o.Value, o.Label)
		}
	}
}

// outboxLink is the link with prefix in the last message to an address.
func outboxLink(t *testing.T, e *env, to, prefix string) string {
	t.Helper()
	var body string
	if err := e.db.R.QueryRowContext(context.Background(), "SELECT text_body FROM outbox WHERE to_address = ? ORDER BY id DESC LIMIT 1", to).Scan(&body); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`https?://[^\s]+(` + regexp.QuoteMeta(prefix) + `[A-Za-z0-9_\-]+)`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %s link in %q", prefix, body)
	}
	return m[1]
}

// TestDeadLinkPages: a used invitation link names the inviter to ask for a
// new one (and nobody on another tenant's host); a used reset link leads to
// a new one; neither says a bare 410.
func TestDeadLinkPages(t *testing.T) {
	e := newEnv(t, nil)
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	if r := alan.api("POST", "/api/v1/invitations", map[string]any{"email": "lena@acme.test", "kind": "member"}); r.status != 201 {
		t.Fatalf("invite: %d %s", r.status, r.body)
	}
	path := outboxLink(t, e, "lena@acme.test", "/invite/")
	token := strings.TrimPrefix(path, "/invite/")
	if r := e.client("acme.localhost").api("POST", "/api/v1/invitations/accept", map[string]string{"token": token, "name": "Lena", "password": "correct horse battery"}); r.status != 200 {
		t.Fatalf("accept: %d", r.status)
	}
	r := e.client("acme.localhost").get(path)
	if r.status != 410 {
		t.Fatalf("used link: %d", r.status)
	}
	for _, want := range []string{"This link no longer works", "This link was already used or has expired — ask Alan Turing for a new one.", `href="/login"`, "Acme Portal", "Error 410"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("used invitation page lacks %q:\n%s", want, r.body)
		}
	}
	if strings.Contains(r.body, ">410<") {
		t.Error("the page shows a bare 410")
	}
	// The form posted by htmx gets the same words in place of the form.
	hc := e.client("acme.localhost")
	h := hc.htmx("POST", path, url.Values{"_csrf": {formCSRF(t, hc.get("/login").body)}, "name": {"X"}, "password": {"correct horse battery"}})
	if h.status != 410 || !strings.Contains(h.body, "ask Alan Turing for a new one") || strings.Contains(h.body, "<html") {
		t.Errorf("htmx post of a used link: %d %s", h.status, h.body)
	}
	// On another tenant's host the link is unknown: nobody is named.
	if r := e.client("northwind.localhost").get(path); r.status != 410 || strings.Contains(r.body, "Alan") ||
		!strings.Contains(r.body, "ask the person who invited you for a new one") || !strings.Contains(r.body, "Northwind Hub") {
		t.Errorf("on northwind: %d %s", r.status, r.body)
	}
	// An invitation made on the command line names nobody either.
	if r := e.client("acme.localhost").get("/invite/not-a-real-token"); r.status != 410 || !strings.Contains(r.body, "ask the person who invited you") {
		t.Errorf("unknown link: %d", r.status)
	}

	if r := e.client("acme.localhost").api("POST", "/api/v1/password-resets", map[string]string{"email": "ken@acme.test"}); r.status != 202 {
		t.Fatalf("reset: %d", r.status)
	}
	reset := outboxLink(t, e, "ken@acme.test", "/reset/")
	if r := e.client("acme.localhost").api("POST", "/api/v1/password-resets/complete", map[string]string{"token": strings.TrimPrefix(reset, "/reset/"), "password": "another long passphrase"}); r.status != 204 {
		t.Fatalf("complete: %d", r.status)
	}
	r = e.client("acme.localhost").get(reset)
	for _, want := range []string{"This reset link was already used or has expired. Ask for a new one.", `href="/forgot"`} {
		if r.status != 410 || !strings.Contains(r.body, want) {
			t.Errorf("used reset page (%d) lacks %q", r.status, want)
		}
	}
}

// TestErrorPagesSayWhatToDo: each error page has a heading and a sentence
// with what happened and what to do, in the tenant's frame.
func TestErrorPagesSayWhatToDo(t *testing.T) {
	e := newEnv(t, func(c *config.Config) { c.LoginRate.PerAccount = 2 })
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	for _, tc := range []struct {
		path   string
		htmx   bool
		status int
		want   []string
	}{
		{"/no/such/page", false, 404, []string{"Page not found", "Check the link, or start again from the home page.", `href="/"`, "Acme Portal", `class="user-menu"`}},
		{"/no/such/page", true, 404, []string{"Page not found", "Check the link"}},
		{"/settings", false, 403, []string{"You don&#39;t have access", "If you need it, ask an administrator", `class="user-menu"`}},
		{"/audit", true, 403, []string{"ask an administrator"}},
		{"/settings/users?limit=0", false, 403, []string{"ask an administrator"}},
	} {
		var r response
		if tc.htmx {
			r = ken.htmx("GET", tc.path, nil)
		} else {
			r = ken.get(tc.path)
		}
		if r.status != tc.status {
			t.Errorf("%s: %d", tc.path, r.status)
		}
		for _, w := range tc.want {
			if !strings.Contains(r.body, w) {
				t.Errorf("%s lacks %q", tc.path, w)
			}
		}
	}
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	if r := ada.get("/settings/users?limit=0"); r.status != 400 || !strings.Contains(r.body, "Use a whole number from 1 to") {
		t.Errorf("bad limit: %d %s", r.status, r.body)
	}
	// Too many sign-ins: the form says how long to wait.
	c := e.client("acme.localhost")
	page := c.get("/login")
	tok := formCSRF(t, page.body)
	var last response
	for range 4 {
		last = c.form("/login", url.Values{"_csrf": {tok}, "email": {"grace@acme.test"}, "password": {"wrong-password"}})
	}
	if last.status != 429 || !regexp.MustCompile(`Too many attempts\. Try again in \d+ (seconds|minutes)\.`).MatchString(last.body) {
		t.Errorf("rate limited: %d %s", last.status, last.body)
	}
}
