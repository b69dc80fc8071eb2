package mail

import (
	"context"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tenant"
)

// SendTest queues the tenant's test message ("Send test email" in Settings →
// Email) to one address and records who asked, in one transaction. base is
// the tenant's root URL, logoETag the version of its logo. The queued
// message is returned so the caller can follow its delivery.
func SendTest(ctx context.Context, db *store.Scoped, t *tenant.Tenant, base, logoETag, to string, who audit.Who) (*Message, error) {
	m, err := Build(t, base, logoETag, KindTest, to, TestLetter(t))
	if err != nil {
		return nil, err
	}
	err = db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if err := Enqueue(ctx, tx, m); err != nil {
			return err
		}
		return audit.Record(ctx, tx, who, audit.EmailTest, "tenant", t.ID, "sent a test email to "+to)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}
