package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
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
	// Hasher bounds the password hashes in flight, sign-ins and every other
	// place that hashes (invitations, resets, password changes).
	Hasher *Hasher
}

// Login checks email and password in the tenant of db and starts a session.
// The attempt is counted against the address and the account before the
// password is checked, so parallel guesses cannot exceed the limit.
func (a *Authenticator) Login(ctx context.Context, db *store.Scoped, email, password, address, userAgent string) (*people.User, string, *Session, error) {
	if !valid.Text(email) || !valid.Text(password) {
		// No account has such an address and no password has such bytes.
		return nil, "", nil, ErrInvalidCredentials
	}
	email = people.NormalizeEmail(email)
	keys := []string{AddressKey(address), AccountKey(db.TenantID(), email)}
	wait, err := a.Limiter.Reserve(ctx, keys...)
	if err != nil {
		return nil, "", nil, err
	}
	if wait > 0 {
		return nil, "", nil, &RateLimitedError{RetryAfter: wait}
	}
	u, err := people.UserByEmail(ctx, db, email)
	if err != nil && !errors.Is(err, people.ErrNotFound) {
		return nil, "", nil, errors.Join(err, a.Limiter.Release(ctx, keys...))
	}
	var hash string
	if u != nil {
		hash = u.PasswordHash
	}
	ok, err := a.Hasher.Check(ctx, hash, password) // always hashes, known user or not
	if err != nil {
		// Too busy to check: the attempt was not a guess.
		return nil, "", nil, errors.Join(err, a.Limiter.Release(ctx, keys...))
	}
	if !ok || u == nil || u.Status != people.Active {
		return nil, "", nil, ErrInvalidCredentials
	}
	if err := a.Limiter.Reset(ctx, keys[1]); err != nil {
		return nil, "", nil, err
	}
	if err := a.Limiter.Release(ctx, keys[0]); err != nil {
		return nil, "", nil, err
	}
	token, sess, err := a.Sessions.Create(ctx, db, u.ID, address, userAgent)
	if err != nil {
		return nil, "", nil, err
	}
	return u, token, sess, nil
}

// CheckCurrentPassword checks the password of a signed-in user before a
// change, counted against the account like a sign-in: whoever holds a
// stolen session gets no more guesses than at the sign-in form.
func (a *Authenticator) CheckCurrentPassword(ctx context.Context, db *store.Scoped, u *people.User, password string) (bool, error) {
	if !valid.Text(password) {
		return false, nil
	}
	key := AccountKey(db.TenantID(), u.Email)
	wait, err := a.Limiter.Reserve(ctx, key)
	if err != nil {
		return false, err
	}
	if wait > 0 {
		return false, &RateLimitedError{RetryAfter: wait}
	}
	ok, err := a.Hasher.Check(ctx, u.PasswordHash, password)
	if err != nil {
		return false, errors.Join(err, a.Limiter.Release(ctx, key))
	}
	if ok {
		return true, a.Limiter.Reset(ctx, key)
	}
	return false, nil
}
