package web_test

import (
	"net/url"
	"strings"
	"testing"
)

// TestBadTextIsRefused: a NUL byte or invalid UTF-8 anywhere a handler reads
// text is answered 400 with a clear message, never 500.
func TestBadTextIsRefused(t *testing.T) {
	e := newEnv(t, nil)
	anon := e.client("acme.localhost")
	tok := formCSRF(t, anon.get("/login").body)
	signedIn := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	form := func(c *client, path string, v url.Values) func() response {
		return func() response {
			v.Set("_csrf", tok)
			return c.form(path, v)
		}
	}
	json := func(path, body string) func() response {
		return func() response {
			return anon.do("POST", path, strings.NewReader(body), "application/json", nil)
		}
	}
	get := func(c *client, path string) func() response { return func() response { return c.get(path) } }
	tests := []struct {
		name string
		do   func() response
	}{
		{"GET /login?next=NUL", get(anon, "/login?next=%00")},
		{"GET /login?q=NUL", get(anon, "/login?q=%00")},
		{"GET /forgot?q=NUL", get(anon, "/forgot?q=%00")},
		{"GET /forgot?q=bad UTF-8", get(anon, "/forgot?q=%ff")},
		{"GET /reset/NUL", get(anon, "/reset/a%00b")},
		{"GET /reset/bad UTF-8", get(anon, "/reset/a%ffb")},
		{"GET /invite/NUL", get(anon, "/invite/a%00b")},
		{"GET / signed in ?q=NUL", get(signedIn, "/?q=%00")},
		{"GET /settings/users?q=NUL", get(signedIn, "/settings/users?q=%00")},
		{"GET /api/v1/users?q=NUL", get(signedIn, "/api/v1/users?q=%00")},
		{"GET /api/v1/users?q=bad UTF-8", get(signedIn, "/api/v1/users?q=%c3%28")},
		{"GET NUL key", get(anon, "/login?a%00=1")},
		{"POST /login email NUL", form(anon, "/login", url.Values{"email": {"ada\x00@acme.test"}, "password": {"x"}})},
		{"POST /login password NUL", form(anon, "/login", url.Values{"email": {"ada@acme.test"}, "password": {"demo\x00pass-1"}})},
		{"POST /login bad UTF-8", form(anon, "/login", url.Values{"email": {"ada\xff@acme.test"}, "password": {"x"}})},
		{"POST /forgot NUL", form(anon, "/forgot", url.Values{"email": {"ada\x00@acme.test"}})},
		{"POST /forgot bad UTF-8", form(anon, "/forgot", url.Values{"email": {"ada\xfe@acme.test"}})},
		{"POST /reset NUL", form(anon, "/reset/whatever", url.Values{"password": {"a fresh\x00passphrase"}})},
		{"POST /account/password NUL", func() response {
			return signedIn.form("/account/password", url.Values{"_csrf": {formCSRF(t, signedIn.get("/account/password").body)},
				"current_password": {"demo-pass-1\x00"}, "new_password": {"a fresh passphrase"}})
		}},
		{"POST /api/v1/session NUL", json("/api/v1/session", `{"email":"ada\u0000@acme.test","password":"x"}`)},
		{"POST /api/v1/session NUL key", json("/api/v1/session", `{"email\u0000":"ada@acme.test","password":"x"}`)},
		{"POST /api/v1/session bad UTF-8", json("/api/v1/session", "{\"email\":\"ada\xff@acme.test\",\"password\":\"x\"}")},
		{"POST /api/v1/password-resets NUL", json("/api/v1/password-resets", `{"email":"ada@acme.test\u0000"}`)},
		{"POST /api/v1/password-resets/complete NUL", json("/api/v1/password-resets/complete", `{"token":"x","password":"a fresh\u0000passphrase"}`)},
		{"Host NUL", get(e.client("acme.localhost\x00.evil"), "/login")},
		{"Host bad UTF-8", get(e.client("acme\xff.localhost"), "/login")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.do()
			if r.status != 400 || !strings.Contains(r.body, "NUL byte or text that is not valid UTF-8") {
				t.Errorf("%d %.300s", r.status, r.body)
			}
			if strings.HasPrefix(r.header.Get("Content-Type"), "application/json") && r.errorCode() != "invalid_characters" {
				t.Errorf("code %q", r.errorCode())
			}
		})
	}
}

// TestGoodTextPasses: what looks like a NUL but is not one passes the check.
func TestGoodTextPasses(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client("acme.localhost")
	// An escaped backslash followed by "u0000" is text, not a NUL.
	r := c.do("POST", "/api/v1/session", strings.NewReader(`{"email":"ada@acme.test","password":"\\u0000"}`), "application/json", nil)
	if r.status != 401 {
		t.Errorf("escaped backslash: %d %s", r.status, r.body)
	}
	if r := c.get("/login?next=%2Fsettings%3Fq%3D%C3%A9t%C3%A9"); r.status != 200 {
		t.Errorf("UTF-8 query: %d", r.status)
	}
	if r := c.login("ada@acme.test", "demo-pass-1"); r.status != 200 {
		t.Errorf("plain sign-in: %d", r.status)
	}
	// A User-Agent is the client's, not the user's: kept, cleaned, never a 500.
	ua := "Agent\x00/1.0 \xff" + strings.Repeat("é", 200)
	r = c.do("POST", "/api/v1/session", strings.NewReader(`{"email":"ada@acme.test","password":"demo-pass-1"}`), "application/json", map[string]string{"User-Agent": ua})
	if r.status != 200 {
		t.Errorf("sign-in with NUL and bad UTF-8 in User-Agent: %d %s", r.status, r.body)
	}
}
