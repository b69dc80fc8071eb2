package web

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/config"
	"github.com/atrium-portal/atrium/app/demo"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tenant"
)

// previewServer is the real route table behind a test-only first
// middleware that makes each request a preview: the session is the
// principal's, the actor is another user. No session cookie is sent, so
// loadSession leaves that state as it is. Previews do not exist yet; this
// is the state they will build.
type previewServer struct {
	t         *testing.T
	ctx       context.Context
	srv       *Server
	db        *store.Scoped
	principal *people.User
	actor     *people.User
	session   *auth.Session
}

func newPreviewServer(t *testing.T) *previewServer {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	sdb, err := store.Open(ctx, filepath.Join(dir, "atrium.db"), store.Modernc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sdb.Close() })
	if _, err := sdb.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	tenants := tenant.NewStore(sdb)
	if err := demo.Seed(ctx, sdb, tenants); err != nil {
		t.Fatal(err)
	}
	tn, err := tenants.BySlug(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Defaults()
	cfg.DataDir = dir
	p := &previewServer{t: t, ctx: ctx, db: sdb.Tenant(tn.ID)}
	if p.principal, err = people.UserByEmail(ctx, p.db, "alan@acme.test"); err != nil { // an admin
		t.Fatal(err)
	}
	if p.actor, err = people.UserByEmail(ctx, p.db, "ken@acme.test"); err != nil { // a member
		t.Fatal(err)
	}
	s := &Server{Deps: Deps{
		Config: cfg, DB: sdb, Tenants: tenants, Links: tenant.Links{Port: "8080"},
		Static: os.DirFS("../../ui/static"), Log: slog.New(slog.DiscardHandler),
		Auth: &auth.Authenticator{
			Sessions: auth.Sessions{Idle: time.Hour, Absolute: 24 * time.Hour},
			Limiter:  &auth.Limiter{DB: sdb, PerAddress: 100, PerAccount: 100, Window: time.Minute},
			Hasher:   auth.NewHasher(2, 5*time.Second),
		},
	}, rules: map[string]policy.Rule{}, pages: map[string]policy.Page{}}
	if err := s.loadStatic(); err != nil {
		t.Fatal(err)
	}
	s.app = fiber.New(fiber.Config{Immutable: true, ErrorHandler: s.handleError})
	s.app.Use(func(c *fiber.Ctx) error {
		st := state(c)
		st.signIn(p.session, p.principal)
		st.user, st.actor = p.actor, p.actor.Actor()
		return c.Next()
	})
	// The password handler alone, past authorize, to see whom it acts on.
	s.app.Post("/handler/account/password", func(c *fiber.Ctx) error {
		st := state(c)
		st.tenant, st.db = tn, p.db
		return c.Next()
	}, s.passwordSubmit)
	s.routes()
	p.srv = s
	p.newSession()
	return p
}

// newSession starts a fresh session of the principal for the next requests.
func (p *previewServer) newSession() {
	p.t.Helper()
	_, sess, err := p.srv.Auth.Sessions.Create(p.ctx, p.db, p.principal.ID, "192.0.2.1", "test")
	if err != nil {
		p.t.Fatal(err)
	}
	p.session = sess
}

// do sends a request with the session's CSRF token, as the principal's browser would.
func (p *previewServer) do(method, path string, form url.Values, hdr map[string]string) (int, string) {
	p.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	req.Host = "acme.localhost"
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("X-CSRF-Token", p.session.CSRFToken)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := p.srv.app.Test(req, 30_000)
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// password reports whether a user's stored password is pw.
func (p *previewServer) password(u *people.User, pw string) bool {
	p.t.Helper()
	got, err := people.UserByID(p.ctx, p.db, u.ID)
	if err != nil {
		p.t.Fatal(err)
	}
	return auth.CheckPassword(got.PasswordHash, pw)
}

func (p *previewServer) sessionAlive() bool {
	p.t.Helper()
	n, err := p.db.Select((*auth.Session)(nil)).Where("id = ?", p.session.ID).Count(p.ctx)
	if err != nil {
		p.t.Fatal(err)
	}
	return n == 1
}

// TestPreviewLeavesOwnAccountAlone: while the actor is not the principal,
// the password routes answer 403 and change nothing; signing out still
// works, ends the whole session and is recorded as the principal's.
func TestPreviewLeavesOwnAccountAlone(t *testing.T) {
	p := newPreviewServer(t)
	const msg = "Not while previewing: this changes your own account."
	fresh := url.Values{"current_password": {demo.Password}, "new_password": {"a fresh passphrase"}}

	for _, hdr := range []map[string]string{nil, {"HX-Request": "true"}} {
		if status, body := p.do("GET", "/account/password", nil, hdr); status != 403 || !strings.Contains(body, msg) {
			t.Errorf("GET /account/password %v while previewing: %d %.300s", hdr, status, body)
		}
		if status, body := p.do("POST", "/account/password", fresh, hdr); status != 403 || !strings.Contains(body, msg) {
			t.Errorf("POST /account/password %v while previewing: %d %.300s", hdr, status, body)
		}
	}
	if !p.password(p.principal, demo.Password) || !p.password(p.actor, demo.Password) {
		t.Error("a password changed while previewing")
	}

	if status, body := p.do("POST", "/logout", url.Values{}, nil); status != 303 {
		t.Errorf("POST /logout while previewing: %d %.300s", status, body)
	}
	if p.sessionAlive() {
		t.Error("the session outlived POST /logout")
	}
	p.newSession()
	if status, body := p.do("DELETE", "/api/v1/session", nil, nil); status != 204 {
		t.Errorf("DELETE /api/v1/session while previewing: %d %.300s", status, body)
	}
	if p.sessionAlive() {
		t.Error("the session outlived DELETE /api/v1/session")
	}
	var out []audit.Entry
	if err := p.db.Select(&out).Where("al.action = ?", audit.Logout).Scan(p.ctx); err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 {
		t.Fatalf("sign-out records: %+v", out)
	}
	for _, e := range out {
		if e.ActorID == nil || *e.ActorID != p.principal.ID || e.ImpersonatorID != nil || *e.ObjectID != p.principal.ID {
			t.Errorf("a sign-out recorded as someone else than the principal: %+v", e)
		}
	}
}

// TestPasswordChangeActsOnThePrincipal: the handler changes the signed-in
// user's password, checked against theirs, never the actor's.
func TestPasswordChangeActsOnThePrincipal(t *testing.T) {
	p := newPreviewServer(t)
	// Make the two current passwords differ, so that checking the wrong one shows.
	hash, err := auth.HashPassword("the actor's own password")
	if err != nil {
		t.Fatal(err)
	}
	if err := people.SetPassword(p.ctx, p.db, p.actor.ID, hash, ""); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"current_password": {demo.Password}, "new_password": {"a fresh passphrase"}}
	if status, body := p.do("POST", "/handler/account/password", form, nil); status != 303 {
		t.Fatalf("change: %d %.300s", status, body)
	}
	if !p.password(p.principal, "a fresh passphrase") {
		t.Error("the principal's password did not change")
	}
	if !p.password(p.actor, "the actor's own password") {
		t.Error("the actor's password changed")
	}
	var out []audit.Entry
	if err := p.db.Select(&out).Where("al.action = ?", audit.PasswordChange).Scan(p.ctx); err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || *out[0].ActorID != p.principal.ID || *out[0].ObjectID != p.principal.ID || out[0].ImpersonatorID != nil {
		t.Errorf("password change records: %+v", out)
	}
}
