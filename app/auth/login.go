package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/store"
)

// ErrInvalidCredentials is the one answer for a wrong password, an unknown
// address and a deactivated user, so that none can be told from the others.
var ErrInvalidCredentials = errors.New("auth: invalid credentials")

// RateLimitedError says the sign-in was refused by the limiter and when to retry.
type RateLimitedError struct{ RetryAfter time.Duration }

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("auth: too many failed sign-ins; retry in %s", e.RetryAfter.Round(time.Second))
}

// Authenticator signs users in.
type Authenticator struct {
	Sessions Sessions
	Limiter  *Limiter
}

// Login checks email and password in the tenant of db and starts a session.
func (a *Authenticator) Login(ctx context.Context, db *store.Scoped, email, password, address, userAgent string) (*people.User, string, *Session, error) {
	email = people.NormalizeEmail(email)
	keys := []string{AddressKey(address), AccountKey(db.TenantID(), email)}
	wait, err := a.Limiter.Blocked(ctx, keys...)
	if err != nil {
		return nil, "", nil, err
	}
	if wait > 0 {
		return nil, "", nil, &RateLimitedError{RetryAfter: wait}
	}
	u, err := people.UserByEmail(ctx, db, email)
	if err != nil && !errors.Is(err, people.ErrNotFound) {
		return nil, "", nil, err
	}
	var hash string
	if u != nil {
		hash = u.PasswordHash
	}
	ok := CheckPassword(hash, password) // always hashes, known user or not
	if !ok || u == nil || u.Status != people.Active {
		if err := a.Limiter.Fail(ctx, keys...); err != nil {
			return nil, "", nil, err
		}
		return nil, "", nil, ErrInvalidCredentials
	}
	if err := a.Limiter.Reset(ctx, keys[1]); err != nil {
		return nil, "", nil, err
	}
	token, sess, err := a.Sessions.Create(ctx, db, u.ID, address, userAgent)
	if err != nil {
		return nil, "", nil, err
	}
	return u, token, sess, nil
}
