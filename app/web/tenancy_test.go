package web_test

import (
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/config"
)

// TestHostResolution covers aliases, ports, case, unknown hosts and the
// forwarded headers from trusted and untrusted peers.
func TestHostResolution(t *testing.T) {
	withDefault := newEnv(t, nil)
	noDefault := newEnv(t, func(c *config.Config) { c.DefaultTenant = "" })
	trusting := newEnv(t, func(c *config.Config) { c.DefaultTenant = ""; c.TrustedProxies = []string{"0.0.0.0"} })

	tests := []struct {
		name    string
		e       *env
		host    string
		headers map[string]string
		status  int
		want    string
		notWant string
	}{
		{"primary host", withDefault, "acme.localhost", nil, 200, "Acme Portal", "Northwind Hub"},
		{"alias", withDefault, "localhost", nil, 200, "Acme Portal", ""},
		{"port stripped", withDefault, "northwind.localhost:8080", nil, 200, "Northwind Hub", "Acme Portal"},
		{"case folded", withDefault, "NorthWind.LocalHost:8080", nil, 200, "Northwind Hub", ""},
		{"trailing dot", withDefault, "northwind.localhost.", nil, 200, "Northwind Hub", ""},
		{"unknown host gets the default tenant", withDefault, "elsewhere.example", nil, 200, "Acme Portal", ""},
		{"unknown host without default is a plain 404", noDefault, "elsewhere.example", nil, 404, "No workspace", "Acme Portal"},
		{"forwarded host from an untrusted peer is ignored", noDefault, "acme.localhost",
			map[string]string{"X-Forwarded-Host": "northwind.localhost"}, 200, "Acme Portal", "Northwind Hub"},
		{"forwarded host from a trusted proxy counts", trusting, "internal.lan",
			map[string]string{"X-Forwarded-Host": "northwind.localhost"}, 200, "Northwind Hub", ""},
		{"a trusted proxy forwarding an unknown host gets 404", trusting, "acme.localhost",
			map[string]string{"X-Forwarded-Host": "evil.example"}, 404, "No workspace", "Acme Portal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.e.client(tt.host).do("GET", "/login", nil, "", tt.headers)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d\n%s", r.status, tt.status, r.body)
			}
			if !strings.Contains(r.body, tt.want) {
				t.Errorf("body lacks %q", tt.want)
			}
			if tt.notWant != "" && strings.Contains(r.body, tt.notWant) {
				t.Errorf("body has %q", tt.notWant)
			}
		})
	}
}

// TestForwardedProto: only a trusted proxy can claim HTTPS, which makes
// the session cookie Secure and turns on HSTS.
func TestForwardedProto(t *testing.T) {
	untrusted := newEnv(t, nil)
	trusted := newEnv(t, func(c *config.Config) { c.TrustedProxies = []string{"0.0.0.0/8"} })
	proto := map[string]string{"X-Forwarded-Proto": "https"}

	r := untrusted.client("acme.localhost").do("GET", "/login", nil, "", proto)
	if r.header.Get("Strict-Transport-Security") != "" {
		t.Error("an untrusted peer turned on HSTS")
	}
	c := trusted.client("acme.localhost")
	c.headers = proto
	r = c.login("ada@acme.test", "demo-pass-1")
	if r.status != 200 {
		t.Fatalf("login: %d %s", r.status, r.body)
	}
	if !strings.Contains(strings.ToLower(r.header.Get("Set-Cookie")), "secure") {
		t.Errorf("cookie not Secure behind a trusted HTTPS proxy: %s", r.header.Get("Set-Cookie"))
	}
	if r.header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS behind a trusted HTTPS proxy")
	}
}

// TestCrossTenantRefusal: a session, a password or a cookie of one tenant
// is worthless on another tenant's host.
func TestCrossTenantRefusal(t *testing.T) {
	e := newEnv(t, nil)
	acme := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")

	nw := e.client("northwind.localhost")
	for k, v := range acme.cookies {
		nw.cookies[k] = v
	}
	nw.csrf = acme.csrf
	if r := nw.api("GET", "/api/v1/me", nil); r.status != 401 {
		t.Errorf("acme cookie on northwind: %d, want 401", r.status)
	}
	if r := nw.api("DELETE", "/api/v1/session", nil); r.status != 401 {
		t.Errorf("acme cookie deleting a session on northwind: %d, want 401", r.status)
	}
	// The acme session still works at home after the attempt.
	if r := acme.api("GET", "/api/v1/me", nil); r.status != 200 {
		t.Errorf("acme session after cross-tenant attempt: %d", r.status)
	}
	if r := e.client("northwind.localhost").login("ada@acme.test", "demo-pass-1"); r.status != 401 {
		t.Errorf("acme password on northwind: %d, want 401", r.status)
	}
	if r := e.client("acme.localhost").login("ada@acme.test", "demo-pass-2"); r.status != 401 {
		t.Errorf("northwind password on acme: %d, want 401", r.status)
	}
	nada := e.client("northwind.localhost").mustLogin("ada@acme.test", "demo-pass-2")
	me := nada.api("GET", "/api/v1/me", nil).json(t)
	acmeMe := acme.api("GET", "/api/v1/me", nil).json(t)
	if me["user"].(map[string]any)["id"] == acmeMe["user"].(map[string]any)["id"] {
		t.Error("the same address in two tenants is one user")
	}
	if caps := me["user"].(map[string]any)["capabilities"].([]any); len(caps) != 0 {
		t.Errorf("northwind ada has capabilities %v", caps)
	}
}

// TestBrandingPerTenant: each tenant's pages carry its own colours and name.
func TestBrandingPerTenant(t *testing.T) {
	e := newEnv(t, nil)
	for host, want := range map[string]string{"acme.localhost": "--brand:#0F766E", "northwind.localhost": "--brand:#1D4ED8"} {
		page := e.client(host).get("/login").body
		i := strings.Index(page, "/brand.css?v=")
		if i < 0 {
			t.Fatalf("%s: login page links no brand.css", host)
		}
		href := page[i : i+strings.IndexByte(page[i:], '"')]
		css := e.client(host).get(href)
		if !strings.Contains(css.body, want) {
			t.Errorf("%s: brand.css %q lacks %s", host, css.body, want)
		}
		if !strings.Contains(css.header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: versioned brand.css not cached: %s", host, css.header.Get("Cache-Control"))
		}
	}
}
