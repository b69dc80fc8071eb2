// Package resets lets people choose a new password through a single-use
// link sent by email (1 hour, stored hashed). Asking never reveals whether
// an address has an account.
package resets

import (
	"context"
	"errors"
	"time"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/mail"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/valid"
)

// ErrGone means the link was used, replaced or has expired.
var ErrGone = errors.New("resets: used, replaced or expired")

// Request queues a reset email when email belongs to an active user of the
// tenant, and does nothing otherwise; the caller answers the same either way.
// base is the tenant's root URL on its primary host.
func Request(ctx context.Context, db *store.Scoped, t *tenant.Tenant, base, logoETag, email string, who audit.Who) error {
	if !valid.Text(email) {
		return nil // no account has such an address
	}
	u, err := people.UserByEmail(ctx, db, email)
	if errors.Is(err, people.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if u.Status != people.Active {
		return nil
	}
	return db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		secret, tok, err := auth.IssueToken(ctx, tx, u.ID, auth.PurposeReset, time.Now().UTC())
		if err != nil {
			return err
		}
		m, err := mail.Build(t, base, logoETag, mail.KindReset, u.Email, mail.ResetLetter(t, base+"/reset/"+secret))
		if err != nil {
			return err
		}
		if err := mail.Enqueue(ctx, tx, m); err != nil {
			return err
		}
		tok.MessageID = &m.ID
		if _, err := tx.Update(tok).Column("message_id").WherePK().Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, who, audit.PasswordReset, "user", u.ID, "password reset requested for "+u.Email)
	})
}

// Peek returns the user behind a live reset link, for the form.
func Peek(ctx context.Context, db *store.Scoped, secret string) (*people.User, error) {
	tok, err := auth.PeekToken(ctx, db, secret, auth.PurposeReset, time.Now().UTC())
	if errors.Is(err, auth.ErrTokenGone) {
		return nil, ErrGone
	}
	if err != nil {
		return nil, err
	}
	u, err := people.UserByID(ctx, db, tok.UserID)
	if err != nil {
		return nil, err
	}
	if u.Status != people.Active {
		return nil, ErrGone
	}
	return u, nil
}

// Complete sets the new password, uses the link and ends every session of
// the user. The new password is hashed under h's bound.
func Complete(ctx context.Context, db *store.Scoped, h *auth.Hasher, secret, password string, who audit.Who) (*people.User, error) {
	now := time.Now().UTC()
	if _, err := Peek(ctx, db, secret); err != nil {
		return nil, err
	}
	if err := auth.CheckNewPassword(password); err != nil {
		return nil, err
	}
	hash, err := h.Hash(ctx, password)
	if err != nil {
		return nil, err
	}
	var u *people.User
	err = db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		tok, err := auth.UseToken(ctx, tx, secret, auth.PurposeReset, now)
		if err != nil {
			return err
		}
		if err := people.SetPassword(ctx, tx, tok.UserID, hash, ""); err != nil {
			return err
		}
		if err := auth.RevokeUser(ctx, tx, tok.UserID, 0); err != nil {
			return err
		}
		who.ActorID = tok.UserID
		if err := audit.Record(ctx, tx, who, audit.PasswordReset, "user", tok.UserID, "password changed through a reset link"); err != nil {
			return err
		}
		u, err = people.UserByID(ctx, tx, tok.UserID)
		return err
	})
	if errors.Is(err, auth.ErrTokenGone) {
		return nil, ErrGone
	}
	return u, err
}
