package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/atrium-portal/atrium/app/audit"
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
// The attempt is counted against the address (who.Address) and the account
// before the password is checked, so parallel guesses cannot exceed the
// limit. The session and its audit.Login record are written in one
// transaction; a refused attempt is recorded as audit.LoginFailed.
func (a *Authenticator) Login(ctx context.Context, db *store.Scoped, email, password string, who audit.Who, userAgent string) (*people.User, string, *Session, error) {
	if !valid.Text(email) || !valid.Text(password) {
		// No account has such an address and no password has such bytes.
		return nil, "", nil, a.refuse(ctx, db, who, email)
	}
	email = people.NormalizeEmail(email)
	keys := []string{AddressKey(who.Address), AccountKey(db.TenantID(), email)}
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
		return nil, "", nil, a.refuse(ctx, db, who, email)
	}
	token, sess, err := a.Sessions.Start(ctx, db, u.ID, who, userAgent, "signed in")
	if err != nil {
		// Nothing was saved: the attempt was not a guess either.
		return nil, "", nil, errors.Join(err, a.Limiter.Release(ctx, keys...))
	}
	if err := a.Limiter.Reset(ctx, keys[1]); err != nil {
		return nil, "", nil, err
	}
	if err := a.Limiter.Release(ctx, keys[0]); err != nil {
		return nil, "", nil, err
	}
	return u, token, sess, nil
}

// refuse records a failed sign-in and returns ErrInvalidCredentials, or the
// error of the record.
func (a *Authenticator) refuse(ctx context.Context, db *store.Scoped, who audit.Who, email string) error {
	summary := "failed sign-in"
	if valid.Text(email) {
		summary += " for " + people.NormalizeEmail(email)
	}
	who.ActorID, who.ImpersonatorID = 0, 0
	if err := audit.Record(ctx, db, who, audit.LoginFailed, "user", 0, summary); err != nil {
		return err
	}
	return ErrInvalidCredentials
}

// Start opens a session for userID and records the sign-in, in one
// transaction: after a password, or after accepting an invitation or
// completing a reset (summary says which).
func (s Sessions) Start(ctx context.Context, db *store.Scoped, userID int64, who audit.Who, userAgent, summary string) (string, *Session, error) {
	var token string
	var sess *Session
	who.ActorID, who.ImpersonatorID = userID, 0
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		var err error
		if token, sess, err = s.Create(ctx, tx, userID, who.Address, userAgent); err != nil {
			return err
		}
		return audit.Record(ctx, tx, who, audit.Login, "user", userID, summary)
	})
	if err != nil {
		return "", nil, err
	}
	return token, sess, nil
}

// Logout ends one session and records who signed out, in one transaction.
// who is the principal: signing out ends the whole session, a preview
// included.
func Logout(ctx context.Context, db *store.Scoped, sessionID int64, who audit.Who) error {
	return db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if err := endPreview(ctx, tx, sessionID, PreviewEndLogout, who); err != nil {
			return err
		}
		if err := Revoke(ctx, tx, sessionID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, who, audit.Logout, "user", who.ActorID, "signed out")
	})
}

// checkCurrentPassword checks the password of a signed-in user before a
// change, counted against the account like a sign-in: whoever holds a
// stolen session gets no more guesses than at the sign-in form.
func (a *Authenticator) checkCurrentPassword(ctx context.Context, db *store.Scoped, u *people.User, password string) (bool, error) {
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
