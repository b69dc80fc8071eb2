package mail_test

import (
	"context"
	"testing"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/mail"
	"github.com/atrium-portal/atrium/app/mail/mailtest"
)

// TestSendTestRecordsInItsTransaction: the test message is queued with its
// audit record, or not at all.
func TestSendTestRecordsInItsTransaction(t *testing.T) {
	ctx := context.Background()
	f := setup(t, mailtest.Start(t))
	db := f.db.Tenant(f.t.ID)
	who := audit.Who{Address: "192.0.2.1"}
	m, err := mail.SendTest(ctx, db, f.t, "https://portal.acme.example", "", "alan@acme.example", who)
	if err != nil {
		t.Fatal(err)
	}
	if m.ID == 0 || m.Kind != mail.KindTest || m.ToAddress != "alan@acme.example" || m.Status != mail.Queued {
		t.Errorf("queued: %+v", m)
	}
	var got []audit.Entry
	if err := db.Select(&got).Where("al.action = ?", audit.EmailTest).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Summary != "sent a test email to alan@acme.example" || *got[0].ObjectID != f.t.ID {
		t.Errorf("records: %+v", got)
	}

	if _, err := f.db.W.ExecContext(ctx, `CREATE TRIGGER audit_down BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit down'); END`); err != nil {
		t.Fatal(err)
	}
	if _, err := mail.SendTest(ctx, db, f.t, "https://portal.acme.example", "", "alan@acme.example", who); err == nil {
		t.Fatal("a test email was queued without its audit record")
	}
	if n, err := db.Select((*mail.Message)(nil)).Count(ctx); err != nil || n != 1 {
		t.Errorf("outbox after a failed record: %d %v", n, err)
	}
}
