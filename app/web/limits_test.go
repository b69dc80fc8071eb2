package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/config"
)

// storedBytes is how much the audit log and the login limiter hold.
func storedBytes(t *testing.T, e *env) (audit, limits int) {
	t.Helper()
	ctx := context.Background()
	if err := e.db.R.QueryRowContext(ctx, "SELECT COALESCE(MAX(LENGTH(summary)), 0) FROM audit_log").Scan(&audit); err != nil {
		t.Fatal(err)
	}
	if err := e.db.R.QueryRowContext(ctx, "SELECT COALESCE(MAX(LENGTH(key)), 0) FROM login_limits").Scan(&limits); err != nil {
		t.Fatal(err)
	}
	return audit, limits
}

// TestOverlongEmailsStopAtTheDoor: sign-in, password reset and invitation
// refuse an address over 254 characters with a field message, before the
// address reaches the audit log, the limiter or a hash.
func TestOverlongEmailsStopAtTheDoor(t *testing.T) {
	e := newEnv(t, nil)
	huge := strings.Repeat("a", 1_800_000) + "@acme.test"
	long := strings.Repeat("a", 250) + "@acme.test"

	anon := e.client("acme.localhost")
	tok := formCSRF(t, anon.get("/login").body)
	r := anon.form("/login", url.Values{"_csrf": {tok}, "email": {huge}, "password": {"whatever-password"}})
	if r.status != 400 || !strings.Contains(r.body, "An email address has at most 254 characters") || strings.Contains(r.body, huge[:1000]) {
		t.Errorf("login form with a 1.8 MB address: %d, message next to the field %v, echoed %v", r.status,
			strings.Contains(r.body, "An email address has at most 254 characters"), strings.Contains(r.body, huge[:1000]))
	}
	r = anon.api("POST", "/api/v1/session", map[string]string{"email": long, "password": "whatever-password"})
	if r.status != 400 || r.errorCode() != "invalid" || !strings.Contains(r.body, `"email"`) {
		t.Errorf("API login with a 260-character address: %d %s", r.status, r.body)
	}

	tok = formCSRF(t, anon.get("/forgot").body)
	r = anon.form("/forgot", url.Values{"_csrf": {tok}, "email": {huge}})
	if r.status != 400 || !strings.Contains(r.body, "at most 254 characters") || len(r.body) > 100_000 {
		t.Errorf("forgot form with a 1.8 MB address: %d (%d bytes)", r.status, len(r.body))
	}
	r = anon.api("POST", "/api/v1/password-resets", map[string]string{"email": long})
	if r.status != 400 || !strings.Contains(r.body, `"email"`) {
		t.Errorf("reset API with a 260-character address: %d %s", r.status, r.body)
	}

	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	r = ada.api("POST", "/api/v1/invitations", map[string]any{"email": long, "kind": "member"})
	if r.status != 400 || !strings.Contains(r.body, `"email"`) {
		t.Errorf("invitation to a 260-character address: %d %s", r.status, r.body)
	}

	if a, l := storedBytes(t, e); a > 1000 || l > 1000 {
		t.Errorf("an overlong address was stored: audit %d bytes, limiter key %d bytes", a, l)
	}
	// The longest valid address still signs in (and fails as a wrong password would).
	ok := strings.Repeat("a", 64) + "@" + strings.Repeat("b", 184) + ".test"
	if r := anon.api("POST", "/api/v1/session", map[string]string{"email": ok, "password": "whatever-password"}); r.status != 401 {
		t.Errorf("a 254-character address: %d", r.status)
	}
}

// TestAuditFilterLimits: an over-long filter is a 400 naming the field.
func TestAuditFilterLimits(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	for field, v := range map[string]string{"q": strings.Repeat("q", 201), "action": strings.Repeat("a", 65), "since": strings.Repeat("2", 5000)} {
		r := ada.api("GET", "/api/v1/audit?"+field+"="+v, nil)
		if r.status != 400 || r.errorCode() != "invalid" || !strings.Contains(r.body, `"`+field+`"`) {
			t.Errorf("%s: %d %s", field, r.status, r.body)
		}
		if r := ada.get("/audit.csv?" + field + "=" + v); r.status != 400 {
			t.Errorf("export with a long %s: %d", field, r.status)
		}
		// The page keeps its frame and says what to fix by the field.
		if r := ada.get("/audit?" + field + "=" + v); r.status != 400 || !strings.Contains(r.body, `class="field-error"`) ||
			!strings.Contains(r.body, "Audit log") || strings.Contains(r.body, v[:60]) {
			t.Errorf("page with a long %s: %d", field, r.status)
		}
	}
	if r := ada.get("/audit?since=yesterday"); r.status != 400 || !strings.Contains(r.body, "Use a date like 2026-11-22.") {
		t.Errorf("page with a bad date: %d", r.status)
	}
	if r := ada.api("GET", "/api/v1/audit?q="+strings.Repeat("q", 200), nil); r.status != 200 {
		t.Errorf("a 200-character search: %d", r.status)
	}
}

// TestAuditExportSaysWhereItStops: an export longer than limits.export_rows
// ends with a row and a header that say so; a shorter one does not.
func TestAuditExportSaysWhereItStops(t *testing.T) {
	e := newEnv(t, func(c *config.Config) { c.Limits.ExportRows = 3 })
	for range 4 {
		e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	}
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	r := ada.get("/audit.csv")
	lines := strings.Split(strings.TrimSpace(r.body), "\n")
	if r.status != 200 || r.header.Get("X-Export-Truncated") != "3" || len(lines) != 5 || !strings.Contains(lines[4], "The export stops at 3 rows") {
		t.Errorf("truncated export: %d %q %d lines\n%s", r.status, r.header.Get("X-Export-Truncated"), len(lines), r.body)
	}
	r = ada.get("/audit.csv?action=login.failed")
	if r.status != 200 || r.header.Get("X-Export-Truncated") != "" || strings.Contains(r.body, "The export stops") {
		t.Errorf("short export: %d %q\n%s", r.status, r.header.Get("X-Export-Truncated"), r.body)
	}
}
