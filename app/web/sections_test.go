package web_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/policy"
)

// TestSectionsCoverTheirPaths: every route under /settings is in the
// Settings section and every route of the audit log in the audit section,
// so a route added there with the plain route helper fails here.
func TestSectionsCoverTheirPaths(t *testing.T) {
	e := newEnv(t, nil)
	sections := e.srv.Sections()
	for route := range e.srv.Rules() {
		method, path, _ := strings.Cut(route, " ")
		var want policy.Page
		switch {
		case path == "/settings" || strings.HasPrefix(path, "/settings/"):
			want = policy.PageSettings
		case path == "/audit" || path == "/audit.csv" || strings.HasPrefix(path, "/api/v1/audit"):
			want = policy.PageAudit
		case method == "GET" && (path == "/api/v1/teams" || path == "/api/v1/teams/:id"):
			want = policy.PageTeams
		case method == "GET" && (path == "/api/v1/companies" || path == "/api/v1/companies/:id"):
			want = policy.PageCompanies
		case path == "/contacts" || strings.HasPrefix(path, "/contacts/") || strings.HasPrefix(path, "/api/v1/contacts"):
			want = policy.PageContacts
		case path == "/plan" || strings.HasPrefix(path, "/plan/") || strings.HasPrefix(path, "/api/v1/plan"):
			want = policy.PagePlan
		case path == "/office365" || strings.HasPrefix(path, "/office365/") || strings.HasPrefix(path, "/api/v1/office365/"):
			want = policy.PageOffice365
		case method == "GET" && (strings.HasSuffix(path, "/versions/:id") || path == "/headlines/:id" || path == "/api/v1/headlines/:id" || path == "/api/v1/seats/:id"):
			want = "" // an object of a strategy page: 404, not 403, outside the page
		case (strings.HasPrefix(path, "/strategy/") && path != "/strategy/dashboard") || strings.HasPrefix(path, "/api/v1/strategy/"):
			want = policy.Page(strings.Split(strings.TrimPrefix(strings.TrimPrefix(path, "/api/v1"), "/strategy/"), "/")[0])
		case path == "/headlines" || strings.HasPrefix(path, "/headlines/") || strings.HasPrefix(path, "/api/v1/headlines"):
			want = policy.PageHeadlines
		case path == "/roles" || strings.HasPrefix(path, "/roles/") || strings.HasPrefix(path, "/api/v1/seats"):
			want = policy.PageRolesChart
		default:
			continue
		}
		if got := sections[route]; got != want {
			t.Errorf("%s is in section %q, want %q", route, got, want)
		}
	}
}

var paramRE = regexp.MustCompile(`:[a-z_]+`)

// TestHiddenPageClosesItsSection: with Settings, the audit log, Teams,
// Companies, Contacts, Office 365 and Plan hidden from alan (an admin), every route of their sections answers 403, whatever
// its own rule would say; with them shown again, his pages open.
func TestHiddenPageClosesItsSection(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	alanURL := "/api/v1/users/" + strconv.FormatInt(userID(t, e, "acme", "alan@acme.test"), 10)
	for _, path := range []string{"/settings/users", "/audit.csv", "/api/v1/audit"} {
		if r := alan.get(path); r.status != 200 {
			t.Fatalf("before hiding, %s = %d", path, r.status)
		}
	}
	if r := ada.api("PATCH", alanURL, map[string]any{"hidden_pages": []string{"settings", "audit", "teams", "companies", "contacts", "office365", "plan",
		"vision", "why", "direction", "headlines", "roles_chart"}}); r.status != 200 {
		t.Fatalf("hide pages: %d %s", r.status, r.body)
	}
	n := 0
	for route, page := range e.srv.Sections() {
		method, path, _ := strings.Cut(route, " ")
		path = paramRE.ReplaceAllString(path, "1")
		var r response
		if method == "GET" {
			r = alan.get(path)
		} else {
			r = alan.api(method, path, map[string]any{})
		}
		if r.status != 403 {
			t.Errorf("%s %s (section %s) = %d with the page hidden, want 403", method, path, page, r.status)
		}
		n++
	}
	if n < 30 {
		t.Errorf("only %d routes in sections", n)
	}
	// What only Settings shows is hidden with it: a deactivated user's
	// address and every user's admin fields.
	dora := "/api/v1/users/" + strconv.FormatInt(userID(t, e, "acme", "dora@acme.test"), 10)
	for _, path := range []string{dora, "/api/v1/users?q=dora@", "/users/" + strconv.FormatInt(userID(t, e, "acme", "dora@acme.test"), 10)} {
		if r := alan.get(path); strings.Contains(r.body, "dora@acme.test") || strings.Contains(r.body, `"hidden_pages"`) {
			t.Errorf("%s with Settings hidden shows what Settings shows: %d %.200s", path, r.status, r.body)
		}
	}
	if r := ada.api("PATCH", alanURL, map[string]any{"hidden_pages": []string{}}); r.status != 200 {
		t.Fatalf("show pages: %d %s", r.status, r.body)
	}
	if r := alan.get("/audit.csv"); r.status != 200 {
		t.Errorf("audit.csv after showing the page again = %d", r.status)
	}
}

// TestSettingsPatchRules: each settings field changes only for the
// capability that owns it; someone who owns none is refused even an empty
// change.
func TestSettingsPatchRules(t *testing.T) {
	e := newEnv(t, nil)
	login := func(email string) *client { return e.client("acme.localhost").mustLogin(email, "demo-pass-1") }
	gina, ken, linus, alan := login("gina@guest.test"), login("ken@acme.test"), login("linus@acme.test"), login("alan@acme.test")
	tests := []struct {
		name   string
		c      *client
		body   map[string]any
		status int
	}{
		{"a guest's empty change", gina, map[string]any{}, 403},
		{"a member's empty change", ken, map[string]any{}, 403},
		{"a guest turns why on", gina, map[string]any{"why_enabled": true}, 403},
		{"a strategy admin turns why on", linus, map[string]any{"why_enabled": true}, 200},
		{"a strategy admin renames the app", linus, map[string]any{"branding": map[string]any{"app_name": "X"}}, 403},
		{"an admin turns direction off", alan, map[string]any{"direction_enabled": false}, 403},
		{"an admin renames the app", alan, map[string]any{"branding": map[string]any{"app_name": "Acme Hub"}}, 200},
		{"one refused field refuses all", alan, map[string]any{"why_enabled": false, "branding": map[string]any{"app_name": "Y"}}, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := tt.c.api("PATCH", "/api/v1/settings", tt.body); r.status != tt.status {
				t.Errorf("%d, want %d: %s", r.status, tt.status, r.body)
			}
		})
	}
	r := alan.api("GET", "/api/v1/settings", nil)
	if !strings.Contains(r.body, `"app_name":"Acme Hub"`) || !strings.Contains(r.body, `"why_enabled":true`) {
		t.Errorf("settings after the changes: %s", r.body)
	}
}

// showCompaniesModule has ada show the Companies module to an external
// user, which the demo hides from all of them.
func showCompaniesModule(t *testing.T, e *env, email string) {
	t.Helper()
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	path := "/api/v1/users/" + strconv.FormatInt(userID(t, e, "acme", email), 10)
	mods := []map[string]any{{"key": "companies", "show": true}, {"key": "tickets", "show": true, "label": "Support"}}
	if r := ada.api("PATCH", path, map[string]any{"modules": mods}); r.status != 200 {
		t.Fatalf("show companies to %s: %d %s", email, r.status, r.body)
	}
}
