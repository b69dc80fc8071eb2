package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/store"
)

// PreviewLifetime is how long a preview lasts before it ends by itself (SPEC §9).
const PreviewLifetime = 30 * time.Minute

// ErrAlreadyPreviewing means the session previews someone already: a
// preview never starts another.
var ErrAlreadyPreviewing = errors.New("auth: already previewing")

// PreviewEnd is how a preview ended, as the audit record says.
type PreviewEnd string

// The ways a preview ends.
const (
	PreviewEndExit     PreviewEnd = "exit"
	PreviewEndExpiry   PreviewEnd = "expiry"
	PreviewEndLogout   PreviewEnd = "logout"
	PreviewEndDemotion PreviewEnd = "demotion" // the principal may no longer preview the target
)

// Previewing reports whether the session previews someone.
func (s *Session) Previewing() bool { return s.PreviewUserID != nil }

// PreviewExpired reports whether the session's preview has lasted its lifetime at now.
func (s *Session) PreviewExpired(now time.Time) bool {
	return s.PreviewStartedAt != nil && now.Sub(*s.PreviewStartedAt) >= PreviewLifetime
}

// StartPreview makes session sess preview as targetID from now on, with
// returnPath to go back to at the end, and records it for who (the
// principal). Whether the principal may is the caller's to decide
// (policy.CanPreview). A session that already previews someone is refused
// with ErrAlreadyPreviewing, by a conditional update, so two requests at
// once cannot both start one.
func StartPreview(ctx context.Context, db *store.Scoped, sess *Session, targetID int64, targetName, returnPath string, now time.Time, who audit.Who) error {
	now = now.UTC()
	return db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		res, err := tx.Update((*Session)(nil)).
			// A preview starts as the user's own sign-in does, with all of
			// their companies; the switcher's choice belongs to the preview.
			Set("preview_user_id = ?", targetID).Set("preview_started_at = ?", now).Set("preview_return = ?", returnPath).
			Set("company_id = NULL").
			Where("id = ? AND preview_user_id IS NULL", sess.ID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("auth: start preview: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrAlreadyPreviewing
		}
		if err := audit.Record(ctx, tx, who, audit.PreviewStart, "user", targetID, "started a preview as "+targetName); err != nil {
			return err
		}
		sess.PreviewUserID, sess.PreviewStartedAt, sess.PreviewReturn = &targetID, &now, returnPath
		return nil
	})
}

// EndPreview ends the preview of session sess, if any, and records how
// for who (the principal). It returns the path the preview was started
// from ("" when none). Only the request that actually ends the preview
// records it.
func EndPreview(ctx context.Context, db *store.Scoped, sess *Session, how PreviewEnd, who audit.Who) (string, error) {
	ret := sess.PreviewReturn
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		return endPreview(ctx, tx, sess.ID, how, who)
	})
	if err != nil {
		return "", err
	}
	sess.PreviewUserID, sess.PreviewStartedAt, sess.PreviewReturn = nil, nil, ""
	return ret, nil
}

// endPreview ends the preview of session sessionID within a transaction.
func endPreview(ctx context.Context, tx *store.Scoped, sessionID int64, how PreviewEnd, who audit.Who) error {
	var target sql.NullInt64
	err := tx.Select((*Session)(nil)).Column("preview_user_id").Where("id = ?", sessionID).Scan(ctx, &target)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !target.Valid) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("auth: load preview: %w", err)
	}
	res, err := tx.Update((*Session)(nil)).
		Set("preview_user_id = NULL").Set("preview_started_at = NULL").Set("preview_return = ''").Set("company_id = NULL").
		Where("id = ? AND preview_user_id = ?", sessionID, target.Int64).Exec(ctx)
	if err != nil {
		return fmt.Errorf("auth: end preview: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil // another request ended it
	}
	return audit.Record(ctx, tx, who, audit.PreviewEnd, "user", target.Int64, "ended a preview ("+string(how)+")")
}
