package web_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/config"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/tenant"
)

func TestLoginAndLogout(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client("acme.localhost")
	r := c.login("ada@acme.test", "demo-pass-1")
	if r.status != 200 {
		t.Fatalf("login: %d %s", r.status, r.body)
	}
	body := r.json(t)
	if body["csrf_token"] == "" || body["user"].(map[string]any)["email"] != "ada@acme.test" {
		t.Errorf("login body: %v", body)
	}
	ck := strings.ToLower(r.header.Get("Set-Cookie"))
	for _, want := range []string{"atrium_session=", "httponly", "samesite=lax", "path=/"} {
		if !strings.Contains(ck, want) {
			t.Errorf("session cookie %q lacks %q", ck, want)
		}
	}
	if strings.Contains(ck, "domain=") {
		t.Errorf("session cookie must be host-only: %q", ck)
	}
	if strings.Contains(ck, "secure") {
		t.Errorf("plain-HTTP cookie marked Secure: %q", ck)
	}
	me := c.api("GET", "/api/v1/me", nil)
	if me.status != 200 || !strings.Contains(me.body, `"super_admin"`) || !strings.Contains(me.body, `"preview":null`) {
		t.Errorf("me: %d %s", me.status, me.body)
	}
	old := c.cookies["atrium_session"]
	// Signing in again gets a new session ID and ends the old one.
	c.mustLogin("ada@acme.test", "demo-pass-1")
	if c.cookies["atrium_session"] == old {
		t.Error("the session ID did not change at sign-in")
	}
	stale := e.client("acme.localhost")
	stale.cookies["atrium_session"] = old
	if r := stale.api("GET", "/api/v1/me", nil); r.status != 401 {
		t.Errorf("the replaced session still works: %d", r.status)
	}
	if r := c.api("DELETE", "/api/v1/session", nil); r.status != 204 {
		t.Fatalf("logout: %d %s", r.status, r.body)
	}
	if r := c.api("GET", "/api/v1/me", nil); r.status != 401 || r.errorCode() != "unauthenticated" {
		t.Errorf("after logout: %d %s", r.status, r.body)
	}
}

// TestUniformRefusal: a wrong password, an unknown address and a
// deactivated user get the same answer.
func TestUniformRefusal(t *testing.T) {
	e := newEnv(t, nil)
	var bodies []string
	for _, try := range [][2]string{
		{"ada@acme.test", "wrong-password"},
		{"nobody@acme.test", "wrong-password"},
		{"dora@acme.test", "demo-pass-1"},
	} {
		r := e.client("acme.localhost").login(try[0], try[1])
		if r.status != 401 || r.errorCode() != "invalid_credentials" {
			t.Errorf("%s: %d %s", try[0], r.status, r.body)
		}
		bodies = append(bodies, r.body)
	}
	if bodies[0] != bodies[1] || bodies[1] != bodies[2] {
		t.Errorf("answers differ: %q", bodies)
	}
}

func TestLoginFormHTMX(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client("acme.localhost")
	page := c.get("/login?next=/settings")
	tok := formCSRF(t, page.body)
	bad := c.do("POST", "/login", strings.NewReader(url.Values{"_csrf": {tok}, "email": {"ada@acme.test"}, "password": {"nope-nope"}, "next": {"/settings"}}.Encode()),
		"application/x-www-form-urlencoded", map[string]string{"HX-Request": "true"})
	if bad.status != 401 || !strings.Contains(bad.body, "Email or password is incorrect.") || strings.Contains(bad.body, "<html") {
		t.Errorf("bad password fragment: %d %s", bad.status, bad.body)
	}
	if !strings.Contains(bad.body, `value="ada@acme.test"`) {
		t.Error("the email the user typed was lost")
	}
	ok := c.do("POST", "/login", strings.NewReader(url.Values{"_csrf": {tok}, "email": {"ada@acme.test"}, "password": {"demo-pass-1"}, "next": {"/settings"}}.Encode()),
		"application/x-www-form-urlencoded", map[string]string{"HX-Request": "true"})
	if ok.header.Get("HX-Redirect") != "/settings" {
		t.Errorf("success: %d HX-Redirect=%q", ok.status, ok.header.Get("HX-Redirect"))
	}
	if r := c.get("/settings"); r.status != 200 || !strings.Contains(r.body, "Branding") {
		t.Errorf("settings after form login: %d", r.status)
	}
	// The sign-out form in the user menu carries the session's token.
	home := c.get("/")
	out := c.form("/logout", url.Values{"_csrf": {formCSRF(t, home.body)}})
	if out.status != 303 || out.header.Get("Location") != "/login" {
		t.Errorf("logout form: %d %s", out.status, out.header.Get("Location"))
	}
	if r := c.get("/"); r.status != 303 || !strings.HasPrefix(r.header.Get("Location"), "/login") {
		t.Errorf("home after logout: %d %s", r.status, r.header.Get("Location"))
	}
}

// TestSignInAgainFromTheForm: a browser that is already signed in (a second
// tab) can sign in through the form; its form token is the one checked.
func TestSignInAgainFromTheForm(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client("acme.localhost")
	tok := formCSRF(t, c.get("/login").body)
	c.mustLogin("ken@acme.test", "demo-pass-1")
	r := c.form("/login", url.Values{"_csrf": {tok}, "email": {"alan@acme.test"}, "password": {"demo-pass-1"}})
	if r.status != 303 {
		t.Fatalf("second sign-in: %d %s", r.status, r.body)
	}
	if me := c.api("GET", "/api/v1/me", nil).body; !strings.Contains(me, "alan@acme.test") {
		t.Errorf("signed in as %s", me)
	}
	if r := c.form("/login", url.Values{"_csrf": {"forged"}, "email": {"ken@acme.test"}, "password": {"demo-pass-1"}}); r.status != 403 {
		t.Errorf("forged form token: %d", r.status)
	}
}

func TestOpenRedirectRefused(t *testing.T) {
	e := newEnv(t, nil)
	for _, next := range []string{"https://evil.example/", "//evil.example", "/\\evil.example"} {
		c := e.client("acme.localhost")
		tok := formCSRF(t, c.get("/login").body)
		r := c.form("/login", url.Values{"_csrf": {tok}, "email": {"ken@acme.test"}, "password": {"demo-pass-1"}, "next": {next}})
		if r.header.Get("Location") != "/" {
			t.Errorf("next=%q redirected to %q", next, r.header.Get("Location"))
		}
	}
}

func TestRateLimit(t *testing.T) {
	e := newEnv(t, nil)
	var codes []int
	var last response
	for i := 0; i < 12; i++ {
		last = e.client("acme.localhost").login("ken@acme.test", "guess-"+strconv.Itoa(i))
		codes = append(codes, last.status)
	}
	if codes[0] != 401 || last.status != 429 || last.errorCode() != "rate_limited" {
		t.Fatalf("codes %v, last %s", codes, last.body)
	}
	ra, err := strconv.Atoi(last.header.Get("Retry-After"))
	if err != nil || ra < 1 || ra > 15*60 {
		t.Errorf("Retry-After = %q", last.header.Get("Retry-After"))
	}
	// The right password is refused too while the account is locked.
	if r := e.client("acme.localhost").login("ken@acme.test", "demo-pass-1"); r.status != 429 {
		t.Errorf("locked account with the right password: %d", r.status)
	}
	// The lock is in the database: it holds after a restart.
	e.restart()
	if r := e.client("acme.localhost").login("ken@acme.test", "demo-pass-1"); r.status != 429 {
		t.Errorf("after restart: %d", r.status)
	}
	// Another account of the same tenant is not locked (per-address limit is higher).
	if r := e.client("acme.localhost").login("ada@acme.test", "demo-pass-1"); r.status != 200 {
		t.Errorf("other account: %d", r.status)
	}
	// The same address in the other tenant is another account.
	if r := e.client("northwind.localhost").login("nina@northwind.test", "demo-pass-1"); r.status != 200 {
		t.Errorf("other tenant: %d", r.status)
	}
}

func TestRateLimitPerAddress(t *testing.T) {
	e := newEnv(t, func(c *config.Config) { c.LoginRate.PerAddress = 5; c.LoginRate.PerAccount = 100 })
	var last response
	for i := 0; i < 6; i++ {
		last = e.client("acme.localhost").login("user"+strconv.Itoa(i)+"@acme.test", "wrong-password")
	}
	if last.status != 429 {
		t.Fatalf("spraying accounts from one address: %d", last.status)
	}
}

// TestSessionsSurviveRestart: sessions live in the database.
func TestSessionsSurviveRestart(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	e.restart()
	if r := c.api("GET", "/api/v1/me", nil); r.status != 200 {
		t.Errorf("after restart: %d", r.status)
	}
}

func TestIdleTimeout(t *testing.T) {
	e := newEnv(t, func(c *config.Config) { c.Session.IdleTimeout = config.Duration{Duration: time.Second} })
	c := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	// Age the session in the database rather than sleeping.
	if _, err := e.db.W.ExecContext(context.Background(), "UPDATE sessions SET last_seen_at = ?", time.Now().UTC().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if r := c.api("GET", "/api/v1/me", nil); r.status != 401 {
		t.Errorf("idle session: %d", r.status)
	}
}

func TestAbsoluteTimeout(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	if _, err := e.db.W.ExecContext(context.Background(), "UPDATE sessions SET expires_at = ?", time.Now().UTC().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if r := c.api("GET", "/api/v1/me", nil); r.status != 401 {
		t.Errorf("expired session: %d", r.status)
	}
}

// TestDeactivatedSessionDies: a session of a user who is deactivated stops working at once.
func TestDeactivatedSessionDies(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	acme, err := e.tenants.BySlug(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Tenant(acme.ID).Update((*people.User)(nil)).Set("status = ?", people.Deactivated).
		Where("email = ?", "ken@acme.test").Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := c.api("GET", "/api/v1/me", nil); r.status != 401 {
		t.Errorf("deactivated user's session: %d", r.status)
	}
}

// TestLogsKeepSecrets: request lines name tenant, user, method, path,
// status and duration, and never a password, cookie or token.
func TestLogsKeepSecrets(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	c.api("GET", "/api/v1/me?token=should-not-appear", nil)
	logs := e.logs.String()
	for _, secret := range []string{"demo-pass-1", c.cookies["atrium_session"], c.csrf, "should-not-appear"} {
		if strings.Contains(logs, secret) {
			t.Errorf("log contains a secret %q", secret)
		}
	}
	for _, want := range []string{"tenant=acme", "user=", "method=GET", "path=/api/v1/me", "status=200", "duration_ms="} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
	_ = tenant.Links{}
}

// TestPasswordChange: the current password is required; afterwards every
// other session of the user is dead and this one lives on.
func TestPasswordChange(t *testing.T) {
	e := newEnv(t, nil)
	here := e.client("acme.localhost").mustLogin("hedy@acme.test", "demo-pass-1")
	elsewhere := e.client("acme.localhost").mustLogin("hedy@acme.test", "demo-pass-1")
	tok := formCSRF(t, here.get("/account/password").body)
	bad := here.form("/account/password", url.Values{"_csrf": {tok}, "current_password": {"nope"}, "new_password": {"a fresh passphrase"}})
	if bad.status != 400 || !strings.Contains(bad.body, "This is not your current password.") {
		t.Errorf("wrong current password: %d", bad.status)
	}
	ok := here.form("/account/password", url.Values{"_csrf": {tok}, "current_password": {"demo-pass-1"}, "new_password": {"a fresh passphrase"}})
	if ok.status != 303 {
		t.Fatalf("change: %d %s", ok.status, ok.body)
	}
	if r := elsewhere.api("GET", "/api/v1/me", nil); r.status != 401 {
		t.Errorf("other session after a password change: %d", r.status)
	}
	if r := here.api("GET", "/api/v1/me", nil); r.status != 200 {
		t.Errorf("this session after a password change: %d", r.status)
	}
	if r := e.client("acme.localhost").login("hedy@acme.test", "a fresh passphrase"); r.status != 200 {
		t.Errorf("new password: %d", r.status)
	}
}
