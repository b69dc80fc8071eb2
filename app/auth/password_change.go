package auth

import (
	"context"
	"errors"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// ChangePassword changes a signed-in user's own password. The current
// password is checked first, counted against the account like a sign-in
// (a *RateLimitedError once over the limit, a *BusyError when no hashing
// slot frees up); a wrong current password or a new one that may not be
// set is a valid.Errors on current_password and new_password. The new hash,
// the end of every other session of the user (keepSessionID stays) and the
// audit.PasswordChange record are written in one transaction.
//
// The user is the principal, never a previewed user: who.Address is kept
// and the user is recorded as the actor.
func (a *Authenticator) ChangePassword(ctx context.Context, db *store.Scoped, userID, keepSessionID int64, current, next string, who audit.Who) error {
	u, err := people.UserByID(ctx, db, userID)
	if err != nil {
		return err
	}
	ok, err := a.checkCurrentPassword(ctx, db, u, current)
	if err != nil {
		return err
	}
	errs := valid.Errors{}
	if !ok {
		errs.Add("current_password", "This is not your current password.")
	}
	var ve valid.Errors
	if errors.As(CheckNewPassword(next), &ve) {
		errs.Add("new_password", ve["password"])
	}
	if err := errs.Err(); err != nil {
		return err
	}
	hash, err := a.Hasher.Hash(ctx, next)
	if err != nil {
		return err
	}
	who.ActorID, who.ImpersonatorID = u.ID, 0
	return db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if err := people.SetPassword(ctx, tx, u.ID, hash, ""); err != nil {
			return err
		}
		if err := RevokeUser(ctx, tx, u.ID, keepSessionID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, who, audit.PasswordChange, "user", u.ID, "changed their password")
	})
}
