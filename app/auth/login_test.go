package auth_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/auth"
)

// TestLoginRefusesBadText: a NUL byte or invalid UTF-8 is a wrong
// credential, not a database error.
func TestLoginRefusesBadText(t *testing.T) {
	db := openDB(t)
	a := &auth.Authenticator{
		Limiter: &auth.Limiter{DB: db, PerAddress: 10, PerAccount: 10, Window: time.Minute},
		Hasher:  auth.NewHasher(1, time.Second),
	}
	for _, try := range [][2]string{{"ada\x00@acme.test", "x"}, {"ada\xff@acme.test", "x"}, {"ada@acme.test", "pass\x00word"}} {
		if _, _, _, err := a.Login(context.Background(), db.Tenant(1), try[0], try[1], "192.0.2.1", "test"); !errors.Is(err, auth.ErrInvalidCredentials) {
			t.Errorf("Login(%q, %q) = %v", try[0], try[1], err)
		}
	}
	if err := auth.CheckNewPassword("a fresh\x00passphrase"); err == nil {
		t.Error("a password with a NUL byte was accepted")
	}
}
