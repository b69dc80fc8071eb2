// Package mail delivers Atrium's email. Every message is written to the
// outbox in the same transaction as the action that causes it; a worker
// sends it through the tenant's SMTP server, else the global one from
// config, else the log transport. A message is marked sent only after the
// SMTP server accepted it, so none is lost across a crash or restart.
package mail

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/store"
)

// Status is where a message is in delivery.
type Status string

// The delivery states an admin sees.
const (
	Queued  Status = "queued"
	Sending Status = "sending"
	Sent    Status = "sent"
	Failed  Status = "failed"
	// Cancelled messages are never sent: the invitation they carry was
	// revoked or replaced before they went out.
	Cancelled Status = "cancelled"
)

// Kind says what a message is for.
type Kind string

// The kinds of message.
const (
	KindInvite Kind = "invite"
	KindReset  Kind = "reset"
	KindTest   Kind = "test"
	// KindTicket tells a ticket's contact, watchers or assignee of an update.
	KindTicket Kind = "ticket"
	// KindMeeting is a meeting's recap to one of its attendees.
	KindMeeting Kind = "meeting"
)

// Message is one outbox row.
type Message struct {
	bun.BaseModel `bun:"table:outbox,alias:ob"`
	store.TenantOwned

	ID            int64      `bun:"id,pk,autoincrement"`
	Kind          Kind       `bun:"kind,notnull"`
	ToAddress     string     `bun:"to_address,notnull"`
	Subject       string     `bun:"subject,notnull"`
	TextBody      string     `bun:"text_body,notnull"`
	HTMLBody      string     `bun:"html_body,notnull"`
	Status        Status     `bun:"status,notnull"`
	Attempts      int        `bun:"attempts,notnull"`
	NextAttemptAt time.Time  `bun:"next_attempt_at,notnull"`
	ClaimedUntil  *time.Time `bun:"claimed_until"`
	LastError     string     `bun:"last_error,notnull"`
	CreatedAt     time.Time  `bun:"created_at,notnull"`
	SentAt        *time.Time `bun:"sent_at"`
	// DeliveredBy is the Name of the transport that sent the message
	// ("smtp" or "log"); "" until it is sent.
	DeliveredBy string `bun:"delivered_by,notnull"`
}

// Enqueue writes m to the outbox; pass the transaction of the action that
// causes the email so both happen or neither does.
func Enqueue(ctx context.Context, tx *store.Scoped, m *Message) error {
	now := time.Now().UTC()
	m.Status, m.CreatedAt, m.NextAttemptAt = Queued, now, now
	if _, err := tx.Insert(m).Exec(ctx); err != nil {
		return fmt.Errorf("mail: enqueue %s to %s: %w", m.Kind, m.ToAddress, err)
	}
	return nil
}

// ByID loads a message of the tenant, for delivery states.
func ByID(ctx context.Context, db *store.Scoped, id int64) (*Message, error) {
	m := new(Message)
	if err := db.Select(m).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("mail: load %d: %w", id, err)
	}
	return m, nil
}

// Cancel stops message id from being sent, inside the transaction of the
// action that makes it pointless (revoking the invitation it carries). The
// update is conditional: a message already sent or failed stays as it is,
// and one a worker has claimed is re-checked by that worker just before it
// talks to the server. It reports whether the message was cancelled.
func Cancel(ctx context.Context, tx *store.Scoped, id int64) (bool, error) {
	res, err := tx.Update((*Message)(nil)).Set("status = ?", Cancelled).Set("claimed_until = NULL").
		Where("id = ? AND status IN (?, ?)", id, Queued, Sending).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("mail: cancel %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
