package web_test

import (
	"net/url"
	"strings"
	"testing"
)

// TestCSRF: every cookie-authenticated state change needs the session's
// token; anonymous forms need their double-submit cookie; other origins are refused.
func TestCSRF(t *testing.T) {
	e := newEnv(t, nil)
	signedIn := func() *client { return e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1") }

	t.Run("API write without token", func(t *testing.T) {
		c := signedIn()
		tok := c.csrf
		c.csrf = ""
		r := c.api("DELETE", "/api/v1/session", nil)
		if r.status != 403 || r.errorCode() != "csrf" {
			t.Errorf("%d %s", r.status, r.body)
		}
		c.csrf = "wrong-" + tok
		if r := c.api("DELETE", "/api/v1/session", nil); r.status != 403 {
			t.Errorf("wrong token: %d", r.status)
		}
		c.csrf = tok
		if r := c.api("DELETE", "/api/v1/session", nil); r.status != 204 {
			t.Errorf("right token: %d", r.status)
		}
	})
	t.Run("API PATCH without token", func(t *testing.T) {
		c := signedIn()
		c.csrf = ""
		r := c.api("PATCH", "/api/v1/settings", map[string]any{"branding": map[string]string{"app_name": "Hacked"}})
		if r.status != 403 || r.errorCode() != "csrf" {
			t.Errorf("%d %s", r.status, r.body)
		}
		if strings.Contains(e.client("acme.localhost").get("/login").body, "Hacked") {
			t.Error("the write happened")
		}
	})
	t.Run("form without token", func(t *testing.T) {
		c := signedIn()
		if r := c.form("/logout", url.Values{}); r.status != 403 {
			t.Errorf("logout form without token: %d", r.status)
		}
		if r := c.api("GET", "/api/v1/me", nil); r.status != 200 {
			t.Errorf("session ended by a forged form: %d", r.status)
		}
	})
	t.Run("htmx header token", func(t *testing.T) {
		c := signedIn()
		r := c.htmx("POST", "/logout", url.Values{})
		if r.status != 303 {
			t.Errorf("htmx logout with header token: %d", r.status)
		}
	})
	t.Run("anonymous form without double-submit cookie", func(t *testing.T) {
		c := e.client("acme.localhost")
		r := c.form("/login", url.Values{"email": {"ada@acme.test"}, "password": {"demo-pass-1"}, "_csrf": {"made-up"}})
		if r.status != 403 {
			t.Errorf("login form without its cookie: %d", r.status)
		}
	})
	t.Run("cross-origin request", func(t *testing.T) {
		c := signedIn()
		r := c.do("DELETE", "/api/v1/session", nil, "", map[string]string{"X-CSRF-Token": c.csrf, "Origin": "https://evil.example"})
		if r.status != 403 {
			t.Errorf("other origin: %d", r.status)
		}
		r = c.do("DELETE", "/api/v1/session", nil, "", map[string]string{"X-CSRF-Token": c.csrf, "Origin": "http://acme.localhost:8080"})
		if r.status != 204 {
			t.Errorf("same origin: %d %s", r.status, r.body)
		}
	})
	t.Run("anonymous JSON must be JSON", func(t *testing.T) {
		c := e.client("acme.localhost")
		r := c.do("POST", "/api/v1/session", strings.NewReader(`{"email":"ada@acme.test","password":"demo-pass-1"}`), "text/plain", nil)
		if r.status == 200 {
			t.Errorf("a text/plain cross-site-able login was accepted")
		}
	})
	t.Run("token in the query string", func(t *testing.T) {
		c := signedIn()
		tok := url.QueryEscape(c.csrf)
		if r := c.do("DELETE", "/api/v1/session?_csrf="+tok, nil, "", nil); r.status != 403 || r.errorCode() != "csrf" {
			t.Errorf("API with the token in the URL: %d %s", r.status, r.body)
		}
		if r := c.do("POST", "/logout?_csrf="+tok, strings.NewReader(""), "application/x-www-form-urlencoded", nil); r.status != 403 {
			t.Errorf("form with the token in the URL: %d", r.status)
		}
		if r := c.multipartForm("/logout?_csrf="+tok, map[string]string{"other": "x"}, nil, nil); r.status != 403 {
			t.Errorf("multipart form with the token in the URL: %d", r.status)
		}
		if r := c.api("GET", "/api/v1/me", nil); r.status != 200 {
			t.Errorf("session ended by a token in a URL: %d", r.status)
		}
		if r := c.form("/logout", url.Values{"_csrf": {c.csrf}}); r.status != 303 {
			t.Errorf("form with the token in its body: %d", r.status)
		}
		c = signedIn()
		if r := c.multipartForm("/logout", map[string]string{"_csrf": c.csrf}, nil, nil); r.status != 303 {
			t.Errorf("multipart form with the token in its body: %d", r.status)
		}
	})
	t.Run("anonymous form token in the query string", func(t *testing.T) {
		c := e.client("acme.localhost")
		tok := formCSRF(t, c.get("/login").body)
		form := url.Values{"email": {"alan@acme.test"}, "password": {"demo-pass-1"}}
		if r := c.form("/login?_csrf="+url.QueryEscape(tok), form); r.status != 403 {
			t.Errorf("sign-in form with the token in the URL: %d", r.status)
		}
		form.Set("_csrf", tok)
		if r := c.form("/login", form); r.status != 303 {
			t.Errorf("sign-in form with the token in its body: %d %s", r.status, r.body)
		}
	})
}

// TestPublicFormsWithASession: a browser that is signed in can still use the
// signed-out forms (forgot, reset, invitation) with the token their page
// carries; without it they are refused as before.
func TestPublicFormsWithASession(t *testing.T) {
	e := newEnv(t, nil)
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	page := ken.get("/forgot")
	tok := formCSRF(t, page.body)
	if r := ken.form("/forgot", url.Values{"_csrf": {tok}, "email": {"ken@acme.test"}}); r.status != 200 {
		t.Errorf("forgot with the page's token while signed in: %d", r.status)
	}
	if r := ken.form("/forgot", url.Values{"email": {"ken@acme.test"}}); r.status != 403 {
		t.Errorf("forgot without a token while signed in: %d", r.status)
	}
	if r := ken.form("/forgot", url.Values{"_csrf": {ken.csrf}, "email": {"ken@acme.test"}}); r.status != 403 {
		t.Errorf("forgot with the session's token instead of the form's: %d", r.status)
	}
}
