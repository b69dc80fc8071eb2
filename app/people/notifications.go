package people

import (
	"context"
	"fmt"
	"time"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/store"
)

// SetTicketEmails turns user userID's emails about ticket updates on or
// off, as they choose on their own account; the change is recorded with
// who made it. Setting what is already set changes and records nothing.
func SetTicketEmails(ctx context.Context, db *store.Scoped, who audit.Who, userID int64, on bool) error {
	return db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		u, err := UserByID(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.TicketEmails == on {
			return nil
		}
		if _, err := tx.Update((*User)(nil)).Set("ticket_emails = ?", on).Set("updated_at = ?", time.Now().UTC()).
			Where("id = ?", userID).Exec(ctx); err != nil {
			return fmt.Errorf("people: set ticket emails of %d: %w", userID, err)
		}
		state := "off"
		if on {
			state = "on"
		}
		return audit.Record(ctx, tx, who, audit.UserChange, "user", userID,
			fmt.Sprintf("ticket emails of %s turned %s", u.Email, state))
	})
}
