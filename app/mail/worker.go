package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"time"
	"unicode/utf8"

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
	by, sendErr := w.deliver(ctx, m)
	m.DeliveredBy = by
	if errors.Is(sendErr, errNotMine) {
		w.Log.Info("email not sent: cancelled or taken over", "tenant_id", m.TenantID, "message", m.ID)
		return true, nil
	}
	return true, w.finish(ctx, m, sendErr)
}

// due is the condition of a message a worker may claim: queued and due, or
// claimed by a worker whose lease ran out.
const due = "((status = ? AND next_attempt_at <= ?) OR (status = ? AND claimed_until < ?))"

// claim takes the oldest due message. Each claim is one conditional UPDATE
// whose WHERE repeats the due condition, so of two workers (or instances on
// PostgreSQL) racing for one message exactly one changes the row; the other
// sees no row affected and tries the next candidate.
func (w *Worker) claim(ctx context.Context) (*Message, error) {
	lease := w.Lease
	if lease == 0 {
		lease = 2 * time.Minute
	}
	now := w.now()
	var ids []int64
	err := w.DB.R.NewSelect().Model((*Message)(nil)).Column("id").
		Where(due, Queued, now, Sending, now).OrderExpr("id").Limit(16).Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("mail: claim: %w", err)
	}
	for _, id := range ids {
		ok, err := w.claimID(ctx, id, now, now.Add(lease))
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		m := new(Message)
		if err := w.DB.W.NewSelect().Model(m).Where("id = ?", id).Scan(ctx); err != nil {
			return nil, fmt.Errorf("mail: load claimed %d: %w", id, err)
		}
		return m, nil
	}
	return nil, nil
}

// claimID claims message id if it is still due and reports whether this call did.
func (w *Worker) claimID(ctx context.Context, id int64, now, until time.Time) (bool, error) {
	res, err := w.DB.W.NewUpdate().Model((*Message)(nil)).
		Set("status = ?", Sending).Set("claimed_until = ?", until).Set("attempts = attempts + 1").
		Where("id = ?", id).Where(due, Queued, now, Sending, now).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("mail: claim %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// errNotMine means the message was cancelled, or another worker took it
// over, between the claim and the send.
var errNotMine = errors.New("mail: message no longer claimed by this worker")

// stillMine re-reads the message just before it is sent: a revoke may have
// cancelled it since the claim.
func (w *Worker) stillMine(ctx context.Context, m *Message) error {
	n, err := w.DB.W.NewSelect().Model((*Message)(nil)).
		Where("id = ? AND status = ? AND attempts = ?", m.ID, Sending, m.Attempts).Count(ctx)
	if err != nil {
		return fmt.Errorf("mail: re-check %d: %w", m.ID, err)
	}
	if n != 1 {
		return errNotMine
	}
	return nil
}

// deliver sends m and returns the name of the transport it went through.
func (w *Worker) deliver(ctx context.Context, m *Message) (string, error) {
	t, err := w.Tenants.ByID(ctx, m.TenantID)
	if err != nil {
		return "", err
	}
	tr, err := w.transportFor(t)
	if err != nil {
		return "", err
	}
	e := Envelope{
		From: Sender(t, w.Global), To: m.ToAddress, Subject: m.Subject, Text: m.TextBody, HTML: m.HTMLBody,
		MessageID: fmt.Sprintf("<outbox-%d-%d@%s>", m.TenantID, m.ID, t.PrimaryHost()),
	}
	if err := w.stillMine(ctx, m); err != nil {
		return "", err
	}
	sctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	return tr.Name(), tr.Send(sctx, e)
}

// finish records the outcome: sent, queued again with backoff, or failed.
// Only the worker still holding the claim records it (attempts counts the
// claims), so a cancelled message stays cancelled.
func (w *Worker) finish(ctx context.Context, m *Message, sendErr error) error {
	now := w.now()
	q := w.DB.W.NewUpdate().Model(m).WherePK().Where("status = ? AND attempts = ?", Sending, m.Attempts)
	switch {
	case sendErr == nil:
		m.Status, m.SentAt, m.ClaimedUntil, m.LastError = Sent, &now, nil, ""
		w.Log.Info("email sent", "tenant_id", m.TenantID, "message", m.ID, "kind", m.Kind, "delivered_by", m.DeliveredBy)
	case m.Attempts >= w.maxAttempts():
		m.Status, m.ClaimedUntil, m.LastError = Failed, nil, trim(sendErr.Error())
		m.DeliveredBy = ""
		w.Log.Error("email failed", "tenant_id", m.TenantID, "message", m.ID, "attempts", m.Attempts, "err", sendErr)
	default:
		m.Status, m.ClaimedUntil, m.LastError = Queued, nil, trim(sendErr.Error())
		m.DeliveredBy = ""
		m.NextAttemptAt = now.Add(backoff(m.Attempts))
		w.Log.Warn("email will be retried", "tenant_id", m.TenantID, "message", m.ID, "attempts", m.Attempts, "err", sendErr)
	}
	res, err := q.Column("status", "sent_at", "claimed_until", "last_error", "next_attempt_at", "delivered_by").Exec(ctx)
	if err != nil {
		return fmt.Errorf("mail: record outcome of %d: %w", m.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		w.Log.Warn("email outcome not recorded: cancelled or taken over meanwhile", "tenant_id", m.TenantID, "message", m.ID, "status", m.Status)
	}
	return nil
}

func (w *Worker) maxAttempts() int {
	if w.MaxAttempts == 0 {
		return 8
	}
	return w.MaxAttempts
}

// maxErrorBytes caps the delivery error kept on a message.
const maxErrorBytes = 500

// trim cuts s to at most maxErrorBytes bytes on a rune boundary, so a
// multi-byte character is never split into invalid UTF-8.
func trim(s string) string {
	if len(s) <= maxErrorBytes {
		return s
	}
	cut := maxErrorBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
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
	if UsesLog(t, global) {
		return LogTransport{Log: log}, nil
	}
	if t.SMTPHost != "" {
		pw, err := box.Open(t.SMTPPassword)
		if err != nil {
			return nil, fmt.Errorf("mail: tenant %s SMTP password: %w", t.Slug, err)
		}
		return SMTPTransport{Host: t.SMTPHost, Port: t.SMTPPort, Username: t.SMTPUsername, Password: pw, TLS: t.SMTPTLS,
			PublicOnly: !global.TenantPrivateHosts}, nil
	}
	return SMTPTransport{Host: global.Host, Port: global.Port, Username: global.Username, Password: global.Password, TLS: global.TLS}, nil
}

// UsesLog reports whether tenant t's mail goes to the log transport: it
// has no SMTP server of its own and the server has no global one. Only
// then may Settings → Email show the messages' links, which reach nobody
// else.
func UsesLog(t *tenant.Tenant, global config.SMTP) bool {
	return t.SMTPHost == "" && global.Host == ""
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
