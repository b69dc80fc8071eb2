package mail

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/config"
	"github.com/atrium-portal/atrium/app/secret"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tenant"
)

// Worker delivers the outbox. It is the one piece of code that reads the
// outbox across tenants: it serves them all, and loads each message's
// tenant to choose that tenant's transport and sender.
type Worker struct {
	DB      *store.DB
	Tenants *tenant.Store
	Global  config.SMTP
	Secrets *secret.Box
	Log     *slog.Logger
	// Poll is how often the worker looks for due messages.
	Poll time.Duration
	// Lease is how long a claimed message is left alone before another
	// worker (or this one after a restart) may take it over.
	Lease time.Duration
	// MaxAttempts ends retries; the message is then failed.
	MaxAttempts int
	// Now is the clock; tests move it.
	Now func() time.Time
	// Transport, when set, replaces the choice of transport (tests).
	Transport func(t *tenant.Tenant) (Transport, error)
	// Wake makes the worker look now instead of at the next poll.
	Wake chan struct{}
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now().UTC()
	}
	return time.Now().UTC()
}

// backoff is the wait before attempt n+1: 30 s, 2 min, 8 min, 32 min, then 2 h.
func backoff(attempts int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempts && d < 2*time.Hour; i++ {
		d *= 4
	}
	return min(d, 2*time.Hour)
}

// Run delivers until ctx ends; a message being sent when it ends is finished first.
func (w *Worker) Run(ctx context.Context) {
	poll := w.Poll
	if poll == 0 {
		poll = 2 * time.Second
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		for {
			sent, err := w.RunOnce(context.WithoutCancel(ctx))
			if err != nil {
				w.Log.Error("outbox", "err", err)
			}
			if !sent || ctx.Err() != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.Wake:
		}
	}
}

// RunOnce claims one due message and tries to deliver it. It reports
// whether it found one.
func (w *Worker) RunOnce(ctx context.Context) (bool, error) {
	m, err := w.claim(ctx)
	if err != nil || m == nil {
		return false, err
	}
	sendErr := w.deliver(ctx, m)
	return true, w.finish(ctx, m, sendErr)
}

// claim marks the oldest due message as being sent, under a lease, in one
// write transaction so two workers never take the same one.
func (w *Worker) claim(ctx context.Context) (*Message, error) {
	lease := w.Lease
	if lease == 0 {
		lease = 2 * time.Minute
	}
	now := w.now()
	m := new(Message)
	err := w.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		err := tx.NewSelect().Model(m).
			Where("(ob.status = ? AND ob.next_attempt_at <= ?) OR (ob.status = ? AND ob.claimed_until < ?)", Queued, now, Sending, now).
			OrderExpr("ob.id").Limit(1).Scan(ctx)
		if err != nil {
			return err
		}
		until := now.Add(lease)
		m.Status, m.ClaimedUntil, m.Attempts = Sending, &until, m.Attempts+1
		_, err = tx.NewUpdate().Model(m).Column("status", "claimed_until", "attempts").WherePK().Exec(ctx)
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("mail: claim: %w", err)
	}
	return m, nil
}

func (w *Worker) deliver(ctx context.Context, m *Message) error {
	t, err := w.Tenants.ByID(ctx, m.TenantID)
	if err != nil {
		return err
	}
	tr, err := w.transportFor(t)
	if err != nil {
		return err
	}
	e := Envelope{
		From: Sender(t, w.Global), To: m.ToAddress, Subject: m.Subject, Text: m.TextBody, HTML: m.HTMLBody,
		MessageID: fmt.Sprintf("<outbox-%d-%d@%s>", m.TenantID, m.ID, t.PrimaryHost()),
	}
	sctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	return tr.Send(sctx, e)
}

// finish records the outcome: sent, queued again with backoff, or failed.
func (w *Worker) finish(ctx context.Context, m *Message, sendErr error) error {
	now := w.now()
	q := w.DB.W.NewUpdate().Model(m).WherePK()
	switch {
	case sendErr == nil:
		m.Status, m.SentAt, m.ClaimedUntil, m.LastError = Sent, &now, nil, ""
		w.Log.Info("email sent", "tenant_id", m.TenantID, "message", m.ID, "kind", m.Kind)
	case m.Attempts >= w.maxAttempts():
		m.Status, m.ClaimedUntil, m.LastError = Failed, nil, trim(sendErr.Error())
		w.Log.Error("email failed", "tenant_id", m.TenantID, "message", m.ID, "attempts", m.Attempts, "err", sendErr)
	default:
		m.Status, m.ClaimedUntil, m.LastError = Queued, nil, trim(sendErr.Error())
		m.NextAttemptAt = now.Add(backoff(m.Attempts))
		w.Log.Warn("email will be retried", "tenant_id", m.TenantID, "message", m.ID, "attempts", m.Attempts, "err", sendErr)
	}
	if _, err := q.Column("status", "sent_at", "claimed_until", "last_error", "next_attempt_at").Exec(ctx); err != nil {
		return fmt.Errorf("mail: record outcome of %d: %w", m.ID, err)
	}
	return nil
}

func (w *Worker) maxAttempts() int {
	if w.MaxAttempts == 0 {
		return 8
	}
	return w.MaxAttempts
}

func trim(s string) string {
	if len(s) > 500 {
		return s[:500]
	}
	return s
}

// transportFor picks the tenant's SMTP server, else the global one, else the log.
func (w *Worker) transportFor(t *tenant.Tenant) (Transport, error) {
	if w.Transport != nil {
		return w.Transport(t)
	}
	return ChooseTransport(t, w.Global, w.Secrets, w.Log)
}

// ChooseTransport is the transport for tenant t: its own SMTP server, else
// the global one from config, else the log.
func ChooseTransport(t *tenant.Tenant, global config.SMTP, box *secret.Box, log *slog.Logger) (Transport, error) {
	if t.SMTPHost != "" {
		pw, err := box.Open(t.SMTPPassword)
		if err != nil {
			return nil, fmt.Errorf("mail: tenant %s SMTP password: %w", t.Slug, err)
		}
		return SMTPTransport{Host: t.SMTPHost, Port: t.SMTPPort, Username: t.SMTPUsername, Password: pw, TLS: t.SMTPTLS}, nil
	}
	if global.Host != "" {
		return SMTPTransport{Host: global.Host, Port: global.Port, Username: global.Username, Password: global.Password, TLS: global.TLS}, nil
	}
	return LogTransport{Log: log}, nil
}

// Sender is the From of a tenant's mail: its own sender, else the global
// one with the tenant's app name, else no-reply at its primary host.
func Sender(t *tenant.Tenant, global config.SMTP) mail.Address {
	name := OneLine(t.MailFromName)
	if name == "" {
		name = OneLine(t.AppName)
	}
	switch {
	case t.MailFromAddress != "":
		return mail.Address{Name: name, Address: t.MailFromAddress}
	case global.FromAddress != "":
		return mail.Address{Name: name, Address: global.FromAddress}
	}
	return mail.Address{Name: name, Address: "no-reply@" + t.PrimaryHost()}
}
