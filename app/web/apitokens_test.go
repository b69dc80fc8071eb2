package web_test

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var tokenSecretRE = regexp.MustCompile(`id="token-secret" type="text" readonly value="([^"]+)"`)

// makeToken creates a token through the page at path as a browser would,
// and returns the secret the page shows once.
func makeToken(t *testing.T, c *client, path string, form url.Values) string {
	t.Helper()
	page := c.get(path)
	if page.status != 200 {
		t.Fatalf("GET %s: %d", path, page.status)
	}
	form.Set("_csrf", formCSRF(t, page.body))
	r := c.form(path, form)
	if r.status != 201 {
		t.Fatalf("POST %s: %d %s", path, r.status, r.body)
	}
	if !strings.Contains(html.UnescapeString(r.body), "Copy this token now. You won't see it again.") {
		t.Errorf("the new token's page does not say to copy it now")
	}
	m := tokenSecretRE.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no secret on the page:\n%s", r.body)
	}
	return m[1]
}

// bearer is an API client that sends only the token: no cookie, no CSRF token.
func (e *env) bearer(host, secret string) *client {
	c := e.client(host)
	c.headers["Authorization"] = "Bearer " + secret
	return c
}

func tokenRows(t *testing.T, e *env, where string, args ...any) int {
	t.Helper()
	var n int
	if err := e.db.R.NewRaw("SELECT COUNT(*) FROM api_tokens WHERE "+where, args...).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPersonalToken: a user makes a token on their account; it is shown
// once and stored hashed, and it acts with exactly its user's rights on
// the API of its own tenant only.
func TestPersonalToken(t *testing.T) {
	e := newEnv(t, nil)
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	secret := makeToken(t, ken, "/account/tokens", url.Values{"name": {"my script"}, "expires_in_days": {"30"}})

	if r := ken.get("/account/tokens"); r.status != 200 || strings.Contains(r.body, secret) || !strings.Contains(r.body, "my script") {
		t.Errorf("the list shows the secret again, or not the token: %d", r.status)
	}
	if n := tokenRows(t, e, "token_hash = ? OR name = ?", secret, secret); n != 0 {
		t.Errorf("the secret is stored as is")
	}
	if n := tokenRows(t, e, "name = 'my script' AND kind = 'personal' AND expires_at IS NOT NULL"); n != 1 {
		t.Errorf("stored personal tokens with expiry: %d", n)
	}

	alan := "/api/v1/users/" + strconv.FormatInt(userID(t, e, "acme", "alan@acme.test"), 10)
	tok := e.bearer("acme.localhost", secret)
	for _, sc := range []struct {
		name, method, path string
		body               any
		status             int
		code, has          string
	}{
		{"me", "GET", "/api/v1/me", nil, 200, "", "ken@acme.test"},
		{"a colleague", "GET", alan, nil, 200, "", "alan@acme.test"},
		{"the user list", "GET", "/api/v1/users", nil, 200, "", "alan@acme.test"},
		{"never more than ken may do", "POST", "/api/v1/companies", map[string]any{"name": "Kenco"}, 403, "forbidden", ""},
		{"no signing out a session it does not have", "DELETE", "/api/v1/session", nil, 403, "forbidden", ""},
		{"a page the user has", "GET", "/api/v1/pages/teams", nil, 200, "", `"teams"`},
	} {
		t.Run(sc.name, func(t *testing.T) {
			r := tok.api(sc.method, sc.path, sc.body)
			if r.status != sc.status || (sc.code != "" && r.errorCode() != sc.code) || !strings.Contains(r.body, sc.has) {
				t.Errorf("%s %s = %d %s", sc.method, sc.path, r.status, r.body)
			}
		})
	}

	// HTML pages ignore the header: no token makes tokens or changes a password.
	for _, path := range []string{"/", "/account/tokens", "/account/password"} {
		if r := tok.get(path); r.status != 303 {
			t.Errorf("GET %s with a bearer token = %d, want the sign-in redirect", path, r.status)
		}
	}
	if r := tok.form("/account/tokens", url.Values{"name": {"made by a token"}}); r.status/100 == 2 {
		t.Errorf("a token made a token: %d", r.status)
	}
	if n := tokenRows(t, e, "name = 'made by a token'"); n != 0 {
		t.Errorf("a token made a token")
	}

	// Another tenant's host does not know it.
	if r := e.bearer("northwind.localhost", secret).get("/api/v1/me"); r.status != 401 || r.errorCode() != "invalid_token" || r.header.Get("WWW-Authenticate") == "" {
		t.Errorf("acme's token on northwind = %d %s %q", r.status, r.body, r.header.Get("WWW-Authenticate"))
	}
	for _, bad := range []string{"atr_nope", "", strings.Repeat("x", 200)} {
		if r := e.bearer("acme.localhost", bad).get("/api/v1/me"); r.status != 401 {
			t.Errorf("token %.10q = %d", bad, r.status)
		}
	}

	// Revoked: refused at once.
	var id int64
	if err := e.db.R.NewRaw("SELECT id FROM api_tokens WHERE name = 'my script'").Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	page := ken.get("/account/tokens")
	if r := ken.form("/account/tokens/"+strconv.FormatInt(id, 10)+"/revoke", url.Values{"_csrf": {formCSRF(t, page.body)}}); r.status != 303 {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	if r := tok.get("/api/v1/me"); r.status != 401 || r.errorCode() != "invalid_token" {
		t.Errorf("revoked token = %d %s", r.status, r.body)
	}
	// Creation and revocation are in the audit log.
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	if r := ada.get("/api/v1/audit?action=token."); r.status != 200 || !strings.Contains(r.body, "token.create") || !strings.Contains(r.body, "token.revoke") {
		t.Errorf("audit of tokens: %d %s", r.status, r.body)
	}
}

// TestPersonalTokenDiesWithItsUser: deactivating the user revokes their
// tokens in the same change.
func TestPersonalTokenDiesWithItsUser(t *testing.T) {
	e := newEnv(t, nil)
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	secret := makeToken(t, ken, "/account/tokens", url.Values{"name": {"script"}})
	tok := e.bearer("acme.localhost", secret)
	if r := tok.get("/api/v1/me"); r.status != 200 {
		t.Fatalf("token before: %d", r.status)
	}
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	kenURL := "/api/v1/users/" + strconv.FormatInt(userID(t, e, "acme", "ken@acme.test"), 10)
	if r := ada.api("PATCH", kenURL, map[string]any{"status": "deactivated"}); r.status != 200 {
		t.Fatalf("deactivate: %d %s", r.status, r.body)
	}
	if r := tok.get("/api/v1/me"); r.status != 401 {
		t.Errorf("a deactivated user's token = %d", r.status)
	}
	if n := tokenRows(t, e, "name = 'script' AND revoked_at IS NOT NULL"); n != 1 {
		t.Errorf("the token was not revoked at deactivation")
	}
	// Reactivated, the token stays dead.
	if r := ada.api("PATCH", kenURL, map[string]any{"status": "active"}); r.status != 200 {
		t.Fatalf("reactivate: %d %s", r.status, r.body)
	}
	if r := tok.get("/api/v1/me"); r.status != 401 {
		t.Errorf("a token came back with its user: %d", r.status)
	}
}

// TestIntegrationToken: an admin's integration token acts with the
// admin's rights narrowed to its scopes, needs no CSRF token, and dies
// when the admin is deactivated.
func TestIntegrationToken(t *testing.T) {
	e := newEnv(t, nil)
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	page := alan.get("/settings/integrations")
	if page.status != 200 || !strings.Contains(page.body, "acts with Alan") || !strings.Contains(page.body, "dedicated admin account") {
		t.Fatalf("integrations page: %d %s", page.status, page.body)
	}
	if r := alan.get("/settings"); !strings.Contains(r.body, `href="/settings/integrations"`) {
		t.Errorf("Settings does not list Integrations")
	}
	companies := makeToken(t, alan, "/settings/integrations", url.Values{"name": {"PSA sync"}, "scopes": {"companies:write"}})
	tickets := makeToken(t, alan, "/settings/integrations", url.Values{"name": {"Helpdesk"}, "scopes": {"tickets:write"}})
	if r := alan.get("/settings/integrations"); !strings.Contains(r.body, "PSA sync") || !strings.Contains(r.body, "Companies: read and write") || strings.Contains(r.body, companies) {
		t.Errorf("the list: %s", r.body)
	}
	// No scope: refused, with the form again.
	csrf := formCSRF(t, page.body)
	if r := alan.form("/settings/integrations", url.Values{"_csrf": {csrf}, "name": {"nothing"}}); r.status != 400 || !strings.Contains(r.body, "Choose at least one scope.") {
		t.Errorf("no scope: %d", r.status)
	}

	alanURL := "/api/v1/users/" + strconv.FormatInt(userID(t, e, "acme", "ken@acme.test"), 10)
	tc, tt := e.bearer("acme.localhost", companies), e.bearer("acme.localhost", tickets)
	for _, sc := range []struct {
		name   string
		c      *client
		method string
		path   string
		body   any
		status int
		code   string
	}{
		{"me", tc, "GET", "/api/v1/me", nil, 200, ""},
		{"a page", tc, "GET", "/api/v1/pages/companies", nil, 200, ""},
		{"create a company, no CSRF token", tc, "POST", "/api/v1/companies", map[string]any{"name": "Tokenco"}, 201, ""},
		{"list companies", tc, "GET", "/api/v1/companies", nil, 200, ""},
		{"change a user", tc, "PATCH", alanURL, map[string]any{"name": "Hacked"}, 403, "token_scope"},
		{"list users", tc, "GET", "/api/v1/users", nil, 403, "token_scope"},
		{"invite", tc, "POST", "/api/v1/invitations", map[string]any{"email": "x@acme.test"}, 403, "token_scope"},
		{"sign out", tc, "DELETE", "/api/v1/session", nil, 403, "forbidden"},
		{"without companies:write", tt, "POST", "/api/v1/companies", map[string]any{"name": "Ticketco"}, 403, "token_scope"},
		{"without companies:write, reading", tt, "GET", "/api/v1/companies", nil, 403, "token_scope"},
		{"me with any scope", tt, "GET", "/api/v1/me", nil, 200, ""},
	} {
		t.Run(sc.name, func(t *testing.T) {
			r := sc.c.api(sc.method, sc.path, sc.body)
			if r.status != sc.status || (sc.code != "" && r.errorCode() != sc.code) {
				t.Errorf("%s %s = %d %s", sc.method, sc.path, r.status, r.body)
			}
		})
	}

	// A member has no Integrations.
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	if r := ken.get("/settings/integrations"); r.status != 403 {
		t.Errorf("a member opens integrations: %d", r.status)
	}

	// Its creator deactivated, it stops.
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	if r := ada.api("PATCH", "/api/v1/users/"+strconv.FormatInt(userID(t, e, "acme", "alan@acme.test"), 10), map[string]any{"status": "deactivated"}); r.status != 200 {
		t.Fatalf("deactivate alan: %d %s", r.status, r.body)
	}
	if r := tc.get("/api/v1/me"); r.status != 401 {
		t.Errorf("an integration token outlived its creator: %d", r.status)
	}
}

// TestCSRFStillNeededWithTheCookie: only a bearer request skips CSRF; a
// cookie request without the token is refused as before.
func TestCSRFStillNeededWithTheCookie(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	csrf := ada.csrf
	ada.csrf = ""
	if r := ada.api("POST", "/api/v1/companies", map[string]any{"name": "No CSRF"}); r.status != 403 || r.errorCode() != "csrf" {
		t.Errorf("cookie without CSRF = %d %s", r.status, r.body)
	}
	// A header of another scheme (a proxy's Basic) is not a token: the
	// cookie still decides, and still needs its CSRF token.
	if r := ada.do("POST", "/api/v1/companies", strings.NewReader(`{"name":"Basic"}`), "application/json", map[string]string{"Authorization": "Basic YTpi"}); r.status != 403 || r.errorCode() != "csrf" {
		t.Errorf("cookie with a Basic header and no CSRF = %d %s", r.status, r.body)
	}
	ada.csrf = csrf
	if r := ada.api("POST", "/api/v1/companies", map[string]any{"name": "With CSRF"}); r.status != 201 {
		t.Errorf("cookie with CSRF = %d %s", r.status, r.body)
	}
}
