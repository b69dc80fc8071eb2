package auth_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tenant"
)

// signInFixture is one tenant with one active user whose password is known.
type signInFixture struct {
	ctx  context.Context
	db   *store.DB
	s    *store.Scoped
	user *people.User
	a    *auth.Authenticator
}

const adaPassword = "correct horse battery"

func newSignIn(t *testing.T) *signInFixture {
	t.Helper()
	ctx := context.Background()
	db := openDB(t)
	slug, name, hosts := "acme", "Acme", []string{"acme.example.test"}
	tn, err := tenant.NewStore(db).Create(ctx, tenant.Patch{Slug: &slug, Name: &name, Hosts: &hosts})
	if err != nil {
		t.Fatal(err)
	}
	s := db.Tenant(tn.ID)
	hash, err := auth.HashPassword(adaPassword)
	if err != nil {
		t.Fatal(err)
	}
	u, err := people.CreateUser(ctx, s, people.NewUser{Email: "ada@acme.test", Name: "Ada", Kind: policy.Member, Status: people.Active, PasswordHash: hash})
	if err != nil {
		t.Fatal(err)
	}
	return &signInFixture{ctx: ctx, db: db, s: s, user: u, a: &auth.Authenticator{
		Sessions: auth.Sessions{Idle: time.Hour, Absolute: 24 * time.Hour},
		Limiter:  &auth.Limiter{DB: db, PerAddress: 10, PerAccount: 10, Window: time.Minute},
		Hasher:   auth.NewHasher(1, time.Second),
	}}
}

// breakAudit makes every audit insert fail, as a full disk or a broken
// audit table would.
func (f *signInFixture) breakAudit(t *testing.T) {
	t.Helper()
	if _, err := f.db.W.ExecContext(f.ctx, `CREATE TRIGGER audit_down BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit down'); END`); err != nil {
		t.Fatal(err)
	}
}

func (f *signInFixture) count(t *testing.T, model any) int64 {
	t.Helper()
	n, err := f.s.Select(model).Count(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// entries returns the audit records of one action, oldest first.
func (f *signInFixture) entries(t *testing.T, action audit.Action) []audit.Entry {
	t.Helper()
	var out []audit.Entry
	if err := f.s.Select(&out).Where("al.action = ?", action).OrderExpr("al.id").Scan(f.ctx); err != nil {
		t.Fatal(err)
	}
	return out
}

var from = audit.Who{Address: "192.0.2.1"}

// TestLoginRefusesBadText: a NUL byte or invalid UTF-8 is a wrong
// credential, not a database error, and is recorded as a failed sign-in.
func TestLoginRefusesBadText(t *testing.T) {
	f := newSignIn(t)
	tries := [][2]string{{"ada\x00@acme.test", "x"}, {"ada\xff@acme.test", "x"}, {"ada@acme.test", "pass\x00word"}}
	for _, try := range tries {
		if _, _, _, err := f.a.Login(f.ctx, f.s, try[0], try[1], from, "test"); !errors.Is(err, auth.ErrInvalidCredentials) {
			t.Errorf("Login(%q, %q) = %v", try[0], try[1], err)
		}
	}
	if got := f.entries(t, audit.LoginFailed); len(got) != len(tries) || got[2].Summary != "failed sign-in for ada@acme.test" || got[0].Summary != "failed sign-in" {
		t.Errorf("failed sign-ins recorded: %+v", got)
	}
	if err := auth.CheckNewPassword("a fresh\x00passphrase"); err == nil {
		t.Error("a password with a NUL byte was accepted")
	}
}

// TestLoginRecordsInItsTransaction: a sign-in creates its session and its
// audit record together; when the record cannot be written, no session
// exists and the attempt is not counted as a guess.
func TestLoginRecordsInItsTransaction(t *testing.T) {
	f := newSignIn(t)
	if _, _, _, err := f.a.Login(f.ctx, f.s, "ada@acme.test", "wrong password", from, "test"); !errors.Is(err, auth.ErrInvalidCredentials) {
		t.Fatalf("wrong password: %v", err)
	}
	if got := f.entries(t, audit.LoginFailed); len(got) != 1 || got[0].ActorID != nil || got[0].Address != "192.0.2.1" {
		t.Errorf("failed sign-in records: %+v", got)
	}
	u, token, sess, err := f.a.Login(f.ctx, f.s, "ada@acme.test", adaPassword, from, "test")
	if err != nil || u.ID != f.user.ID || token == "" || sess.UserID != f.user.ID || sess.Address != "192.0.2.1" {
		t.Fatalf("sign-in: %v %v", sess, err)
	}
	got := f.entries(t, audit.Login)
	if len(got) != 1 || got[0].ActorID == nil || *got[0].ActorID != f.user.ID || got[0].ObjectID == nil || *got[0].ObjectID != f.user.ID {
		t.Errorf("sign-in records: %+v", got)
	}

	f.breakAudit(t)
	sessions := f.count(t, (*auth.Session)(nil))
	// More attempts than the limit allows: each gives its attempt back.
	for i := 0; i < 12; i++ {
		if _, _, _, err := f.a.Login(f.ctx, f.s, "ada@acme.test", adaPassword, from, "test"); err == nil {
			t.Fatal("a sign-in succeeded without its audit record")
		} else if errors.As(err, new(*auth.RateLimitedError)) {
			t.Fatalf("attempt %d: a sign-in that saved nothing was counted as a guess: %v", i, err)
		}
	}
	if n := f.count(t, (*auth.Session)(nil)); n != sessions {
		t.Errorf("sessions: %d, want %d: a session was saved without its audit record", n, sessions)
	}
	if _, _, _, err := f.a.Login(f.ctx, f.s, "ada@acme.test", "wrong password", from, "test"); err == nil || errors.Is(err, auth.ErrInvalidCredentials) {
		t.Errorf("a failed sign-in without its record: %v", err)
	}
}

// TestLogout: the session ends and the sign-out is recorded together, or
// neither happens.
func TestLogout(t *testing.T) {
	f := newSignIn(t)
	_, token, sess, err := f.a.Login(f.ctx, f.s, "ada@acme.test", adaPassword, from, "test")
	if err != nil {
		t.Fatal(err)
	}
	who := audit.Who{ActorID: f.user.ID, Address: "192.0.2.1"}
	f.breakAudit(t)
	if err := auth.Logout(f.ctx, f.s, sess.ID, who); err == nil {
		t.Fatal("signed out without an audit record")
	}
	if _, err := f.a.Sessions.Lookup(f.ctx, f.s, token); err != nil {
		t.Fatalf("the session ended without its audit record: %v", err)
	}
	if _, err := f.db.W.ExecContext(f.ctx, `DROP TRIGGER audit_down`); err != nil {
		t.Fatal(err)
	}
	if err := auth.Logout(f.ctx, f.s, sess.ID, who); err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.Sessions.Lookup(f.ctx, f.s, token); !errors.Is(err, auth.ErrNoSession) {
		t.Errorf("session after sign-out: %v", err)
	}
	if got := f.entries(t, audit.Logout); len(got) != 1 || *got[0].ActorID != f.user.ID {
		t.Errorf("sign-out records: %+v", got)
	}
}
