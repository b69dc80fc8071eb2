package auth_test

import (
	"errors"
	"testing"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/valid"
)

// TestChangePassword: the current password is checked through the
// account's limiter, the new one through the password rules; the new hash,
// the end of every other session and the audit record are one change.
func TestChangePassword(t *testing.T) {
	f := newSignIn(t)
	_, hereTok, here, err := f.a.Login(f.ctx, f.s, "ada@acme.test", adaPassword, from, "here")
	if err != nil {
		t.Fatal(err)
	}
	_, elsewhereTok, _, err := f.a.Login(f.ctx, f.s, "ada@acme.test", adaPassword, from, "elsewhere")
	if err != nil {
		t.Fatal(err)
	}
	fresh := "a fresh passphrase"

	var ve valid.Errors
	err = f.a.ChangePassword(f.ctx, f.s, f.user.ID, here.ID, "not it", "short", from)
	if !errors.As(err, &ve) || ve["current_password"] == "" || ve["new_password"] == "" {
		t.Errorf("wrong current password and a short new one: %v", err)
	}

	// The audit log is down: nothing changes.
	f.breakAudit(t)
	if err := f.a.ChangePassword(f.ctx, f.s, f.user.ID, here.ID, adaPassword, fresh, from); err == nil {
		t.Fatal("the password changed without its audit record")
	}
	u, err := people.UserByID(f.ctx, f.s, f.user.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !auth.CheckPassword(u.PasswordHash, adaPassword) || auth.CheckPassword(u.PasswordHash, fresh) {
		t.Error("the new password was saved without its audit record")
	}
	if _, err := f.a.Sessions.Lookup(f.ctx, f.s, elsewhereTok); err != nil {
		t.Errorf("another session ended without the audit record: %v", err)
	}
	if _, err := f.db.W.ExecContext(f.ctx, `DROP TRIGGER audit_down`); err != nil {
		t.Fatal(err)
	}

	who := audit.Who{ActorID: f.user.ID, Address: "192.0.2.7"}
	if err := f.a.ChangePassword(f.ctx, f.s, f.user.ID, here.ID, adaPassword, fresh, who); err != nil {
		t.Fatal(err)
	}
	u, err = people.UserByID(f.ctx, f.s, f.user.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !auth.CheckPassword(u.PasswordHash, fresh) {
		t.Error("the new password was not saved")
	}
	if _, err := f.a.Sessions.Lookup(f.ctx, f.s, elsewhereTok); !errors.Is(err, auth.ErrNoSession) {
		t.Errorf("another session after the change: %v", err)
	}
	if _, err := f.a.Sessions.Lookup(f.ctx, f.s, hereTok); err != nil {
		t.Errorf("this session after the change: %v", err)
	}
	got := f.entries(t, audit.PasswordChange)
	if len(got) != 1 || *got[0].ActorID != f.user.ID || *got[0].ObjectID != f.user.ID || got[0].Address != "192.0.2.7" {
		t.Errorf("password change records: %+v", got)
	}
}

// TestChangePasswordIsRateLimited: wrong current passwords count against
// the account like wrong sign-ins.
func TestChangePasswordIsRateLimited(t *testing.T) {
	f := newSignIn(t)
	var rl *auth.RateLimitedError
	for i := 0; i < 11; i++ {
		err := f.a.ChangePassword(f.ctx, f.s, f.user.ID, 0, "guess", "a fresh passphrase", from)
		if errors.As(err, &rl) {
			if i != 10 {
				t.Errorf("limited after %d guesses, want 10", i)
			}
			return
		}
	}
	t.Error("eleven wrong current passwords were all checked")
}
