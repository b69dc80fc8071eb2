package web_test

import (
	"net/url"
	"strings"
	"testing"
)

// TestNoStore: every API answer, errors included, and every response to a
// signed-in request tells caches not to keep it.
func TestNoStore(t *testing.T) {
	e := newEnv(t, nil)
	anon := e.client("acme.localhost")
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	tok := formCSRF(t, ada.get("/account/password").body)
	tests := []struct {
		name string
		do   func() response
	}{
		{"API sign-in refused", func() response { return anon.login("ada@acme.test", "wrong-password") }},
		{"API unauthenticated", func() response { return anon.api("GET", "/api/v1/me", nil) }},
		{"API unknown path", func() response { return anon.api("GET", "/api/v1/nothing-here", nil) }},
		{"API bad input", func() response { return anon.get("/api/v1/me?q=%00") }},
		{"API reset request", func() response {
			return anon.api("POST", "/api/v1/password-resets", map[string]string{"email": "nobody@acme.test"})
		}},
		{"API me", func() response { return ada.api("GET", "/api/v1/me", nil) }},
		{"API users", func() response { return ada.api("GET", "/api/v1/users", nil) }},
		{"API settings", func() response { return ada.api("GET", "/api/v1/settings", nil) }},
		{"API audit", func() response { return ada.api("GET", "/api/v1/audit", nil) }},
		{"signed-in home", func() response { return ada.get("/") }},
		{"signed-in settings", func() response { return ada.get("/settings/users") }},
		{"signed-in audit CSV", func() response { return ada.get("/audit.csv") }},
		{"signed-in 404", func() response { return ada.get("/no/such/page") }},
		{"signed-in redirect", func() response { return ada.get("/login") }},
		{"signed-in form post", func() response {
			return ada.form("/account/password", url.Values{"_csrf": {tok}, "current_password": {"wrong"}, "new_password": {"x"}})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.do()
			if got := r.header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("status %d, Cache-Control %q", r.status, got)
			}
		})
	}
	// Public assets keep their own caching, signed in or not.
	if r := ada.get("/static/js/app.js"); !strings.Contains(r.header.Get("Cache-Control"), "public") {
		t.Errorf("static file: Cache-Control %q", r.header.Get("Cache-Control"))
	}
}
