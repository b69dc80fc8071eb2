package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/store"
)

// Purpose says what a one-time token is for.
type Purpose string

// The purposes of one-time tokens, with their lifetimes in TokenTTL.
const (
	PurposeInvite Purpose = "invite"
	PurposeReset  Purpose = "reset"
)

// TokenTTL is how long each kind of token stays usable (SPEC §4.3).
var TokenTTL = map[Purpose]time.Duration{
	PurposeInvite: 7 * 24 * time.Hour,
	PurposeReset:  time.Hour,
}

// ErrTokenGone means the token is unknown, used, revoked or expired.
var ErrTokenGone = errors.New("auth: token used, revoked or expired")

// UserToken is a single-use token; only its hash is stored.
type UserToken struct {
	bun.BaseModel `bun:"table:user_tokens,alias:ut"`
	store.TenantOwned

	ID        int64      `bun:"id,pk,autoincrement"`
	UserID    int64      `bun:"user_id,notnull"`
	Purpose   Purpose    `bun:"purpose,notnull"`
	TokenHash string     `bun:"token_hash,notnull"`
	CreatedAt time.Time  `bun:"created_at,notnull"`
	ExpiresAt time.Time  `bun:"expires_at,notnull"`
	UsedAt    *time.Time `bun:"used_at"`
	RevokedAt *time.Time `bun:"revoked_at"`
	// MessageID is the outbox message that carried the link.
	MessageID *int64 `bun:"message_id"`
	CreatedBy *int64 `bun:"created_by"`
}

// IssueToken creates a token for user and returns the secret to put in a link.
// Earlier unused tokens of the same purpose for that user stop working.
func IssueToken(ctx context.Context, db *store.Scoped, userID int64, purpose Purpose, now time.Time) (string, *UserToken, error) {
	secret, err := randomToken(32)
	if err != nil {
		return "", nil, err
	}
	t := &UserToken{UserID: userID, Purpose: purpose, TokenHash: HashToken(secret), CreatedAt: now, ExpiresAt: now.Add(TokenTTL[purpose])}
	err = db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if _, err := tx.Update((*UserToken)(nil)).Set("used_at = ?", now).
			Where("user_id = ? AND purpose = ? AND used_at IS NULL", userID, purpose).Exec(ctx); err != nil {
			return err
		}
		_, err := tx.Insert(t).Exec(ctx)
		return err
	})
	if err != nil {
		return "", nil, fmt.Errorf("auth: issue %s token: %w", purpose, err)
	}
	return secret, t, nil
}

// PeekToken returns the live token for secret without using it (to show the form).
func PeekToken(ctx context.Context, db *store.Scoped, secret string, purpose Purpose, now time.Time) (*UserToken, error) {
	t, err := FindToken(ctx, db, secret, purpose)
	if err != nil {
		return nil, err
	}
	if t.UsedAt != nil || t.RevokedAt != nil || !now.Before(t.ExpiresAt) {
		return nil, ErrTokenGone
	}
	return t, nil
}

// UseToken marks the token used inside tx; a second use, even a concurrent
// one, finds no unused row and fails.
func UseToken(ctx context.Context, tx *store.Scoped, secret string, purpose Purpose, now time.Time) (*UserToken, error) {
	t, err := PeekToken(ctx, tx, secret, purpose, now)
	if err != nil {
		return nil, err
	}
	res, err := tx.Update((*UserToken)(nil)).Set("used_at = ?", now).Where("id = ? AND used_at IS NULL AND revoked_at IS NULL", t.ID).Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: use token: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, ErrTokenGone
	}
	return t, nil
}

// RevokeTokens ends every unused invitation and reset link of a user, at deactivation.
func RevokeTokens(ctx context.Context, db *store.Scoped, userID int64) error {
	if _, err := db.Update((*UserToken)(nil)).Set("revoked_at = ?", time.Now().UTC()).
		Where("user_id = ? AND used_at IS NULL AND revoked_at IS NULL", userID).Exec(ctx); err != nil {
		return fmt.Errorf("auth: revoke tokens of %d: %w", userID, err)
	}
	return nil
}

// FindToken returns the token for secret in whatever state it is — used,
// revoked or expired too — so that a dead link's page can say who sent it.
// It grants nothing: use PeekToken or UseToken to act on a link.
func FindToken(ctx context.Context, db *store.Scoped, secret string, purpose Purpose) (*UserToken, error) {
	if secret == "" || len(secret) > 100 {
		return nil, ErrTokenGone
	}
	t := new(UserToken)
	err := db.Select(t).Where("token_hash = ? AND purpose = ?", HashToken(secret), purpose).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrTokenGone
	}
	if err != nil {
		return nil, fmt.Errorf("auth: find token: %w", err)
	}
	return t, nil
}
