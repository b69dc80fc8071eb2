package mail_test

import (
	"context"
	"errors"
	"log/slog"
	"net"
	netmail "net/mail"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/config"
	"github.com/atrium-portal/atrium/app/mail"
	"github.com/atrium-portal/atrium/app/mail/mailtest"
	"github.com/atrium-portal/atrium/app/secret"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tenant"
)

type fixture struct {
	path    string
	db      *store.DB
	tenants *tenant.Store
	t       *tenant.Tenant
	box     *secret.Box
}

func setup(t *testing.T, in *mailtest.Inbox) fixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, dir+"/atrium.db", store.Modernc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	box, err := secret.Load("", dir)
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(in.Addr)
	p, _ := strconv.Atoi(port)
	slug, name, app, from := "acme", "Acme IT", "Acme Portal", "portal@acme.example"
	hosts := []string{"portal.acme.example", "acme.localhost"}
	none, fromName := "none", "Acme Service Desk"
	pw, _ := box.Seal("")
	tenants := tenant.NewStore(db)
	tn, err := tenants.Create(ctx, tenant.Patch{Slug: &slug, Name: &name, AppName: &app, Hosts: &hosts,
		SMTPHost: &host, SMTPPort: &p, SMTPTLS: &none, SMTPPassword: &pw, MailFromAddress: &from, MailFromName: &fromName})
	if err != nil {
		t.Fatal(err)
	}
	return fixture{dir + "/atrium.db", db, tenants, tn, box}
}

func (f fixture) worker(now func() time.Time) *mail.Worker {
	return &mail.Worker{DB: f.db, Tenants: f.tenants, Secrets: f.box, Log: slog.New(slog.DiscardHandler), Now: now, MaxAttempts: 3,
		Global: config.SMTP{TenantPrivateHosts: true}} // the test inbox is on loopback
}

func (f fixture) enqueue(t *testing.T, to string) *mail.Message {
	t.Helper()
	m, err := mail.Build(f.t, "https://portal.acme.example", "", mail.KindInvite, to,
		mail.InvitationLetter(f.t, "Ada", "https://portal.acme.example/invite/TOKEN123"))
	if err != nil {
		t.Fatal(err)
	}
	if err := mail.Enqueue(context.Background(), f.db.Tenant(f.t.ID), m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestDeliversThroughTheTenantsSMTP(t *testing.T) {
	in := mailtest.Start(t)
	f := setup(t, in)
	m := f.enqueue(t, "erin@globex.example")
	sent, err := f.worker(nil).RunOnce(context.Background())
	if err != nil || !sent {
		t.Fatalf("RunOnce: %v %v", sent, err)
	}
	got := in.Messages()
	if len(got) != 1 {
		t.Fatalf("%d messages received", len(got))
	}
	r := got[0]
	for _, want := range []string{
		"From: \"Acme Service Desk\" <portal@acme.example>", "To: erin@globex.example",
		"Content-Type: multipart/alternative", "text/plain", "text/html",
		"https://portal.acme.example/invite/TOKEN123", "#0F766E", "Acme Portal",
		"Message-ID: <outbox-",
	} {
		if !strings.Contains(r.Body(), want) {
			t.Errorf("message lacks %q", want)
		}
	}
	if r.From != "portal@acme.example" || r.To != "erin@globex.example" {
		t.Errorf("envelope %s → %s", r.From, r.To)
	}
	after, _ := mail.ByID(context.Background(), f.db.Tenant(f.t.ID), m.ID)
	if after.Status != mail.Sent || after.SentAt == nil {
		t.Errorf("status %s", after.Status)
	}
	if sent, _ := f.worker(nil).RunOnce(context.Background()); sent {
		t.Error("a sent message was sent again")
	}
}

func TestRetriesWithBackoffThenFails(t *testing.T) {
	in := mailtest.Start(t)
	in.Refuse(true)
	f := setup(t, in)
	m := f.enqueue(t, "a@b.example")
	now := time.Now().UTC()
	clock := func() time.Time { return now }
	w := f.worker(clock)
	if _, err := w.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, _ := mail.ByID(context.Background(), f.db.Tenant(f.t.ID), m.ID)
	if got.Status != mail.Queued || !strings.Contains(got.LastError, "try again later") || !got.NextAttemptAt.After(now) {
		t.Fatalf("after a refusal: %s %q %v", got.Status, got.LastError, got.NextAttemptAt)
	}
	if sent, _ := w.RunOnce(context.Background()); sent {
		t.Error("retried before the backoff")
	}
	for i := 0; i < 3; i++ {
		now = now.Add(3 * time.Hour)
		_, _ = w.RunOnce(context.Background())
	}
	got, _ = mail.ByID(context.Background(), f.db.Tenant(f.t.ID), m.ID)
	if got.Status != mail.Failed || got.Attempts != 3 {
		t.Errorf("after 3 attempts: %s %d", got.Status, got.Attempts)
	}
}

// blockingTransport stands for a worker killed while it talks to the server:
// it never returns until its context ends.
type blockingTransport struct{ started chan struct{} }

func (b blockingTransport) Name() string { return "blocking" }
func (b blockingTransport) Send(ctx context.Context, _ mail.Envelope) error {
	close(b.started)
	<-ctx.Done()
	return errors.New("killed")
}

// TestCrashMidSendStillDelivers: a worker that dies while sending leaves the
// message claimed; once its lease runs out, a new worker (after a restart)
// delivers it.
func TestCrashMidSendStillDelivers(t *testing.T) {
	in := mailtest.Start(t)
	f := setup(t, in)
	m := f.enqueue(t, "victor@globex.example")

	// The first worker claims the message and dies mid-send: its goroutine is
	// abandoned without recording any outcome, as a killed process would be.
	dead := f.worker(nil)
	bt := blockingTransport{started: make(chan struct{})}
	dead.Transport = func(*tenant.Tenant) (mail.Transport, error) { return bt, nil }
	ctx, kill := context.WithCancel(context.Background())
	t.Cleanup(kill)
	go func() { _, _ = dead.RunOnce(ctx) }()
	<-bt.started
	claimed, _ := mail.ByID(context.Background(), f.db.Tenant(f.t.ID), m.ID)
	if claimed.Status != mail.Sending {
		t.Fatalf("claimed message is %s", claimed.Status)
	}

	// Restart: the database is closed and opened again by a new process.
	if err := f.db.Close(); err != nil {
		t.Fatal(err)
	}
	kill()
	db2 := reopen(t, f.path)
	f2 := fixture{path: f.path, db: db2, tenants: tenant.NewStore(db2), t: f.t, box: f.box}
	fresh := f2.worker(nil)
	if sent, _ := fresh.RunOnce(context.Background()); sent {
		t.Fatal("a claimed message was taken before its lease ran out")
	}
	later := f2.worker(func() time.Time { return time.Now().Add(5 * time.Minute) })
	if sent, err := later.RunOnce(context.Background()); err != nil || !sent {
		t.Fatalf("after the lease: %v %v", sent, err)
	}
	if got := in.Messages(); len(got) != 1 || got[0].To != "victor@globex.example" {
		t.Fatalf("received %d", len(got))
	}
	done, _ := mail.ByID(context.Background(), db2.Tenant(f.t.ID), m.ID)
	if done.Status != mail.Sent {
		t.Errorf("status %s", done.Status)
	}
}

func reopen(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), path, store.Modernc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestSenderFallbacks(t *testing.T) {
	tn := &tenant.Tenant{AppName: "Hub", Hosts: []tenant.Host{{Hostname: "hub.example", IsPrimary: true}}}
	if a := mail.Sender(tn, config.SMTP{}); a.String() != `"Hub" <no-reply@hub.example>` {
		t.Errorf("no sender: %s", a.String())
	}
	if got := mail.Sender(tn, config.SMTP{FromAddress: "ops@msp.example"}).Address; got != "ops@msp.example" {
		t.Errorf("global sender: %s", got)
	}
	tr, _ := mail.ChooseTransport(tn, config.SMTP{}, nil, slog.New(slog.DiscardHandler))
	if tr.Name() != "log" {
		t.Errorf("no SMTP anywhere: %s", tr.Name())
	}
	tr, _ = mail.ChooseTransport(tn, config.SMTP{Host: "smtp.msp.example", Port: 587, TLS: "starttls"}, nil, nil)
	if tr.Name() != "smtp" {
		t.Errorf("global SMTP: %s", tr.Name())
	}
}

// TestTenantSMTPStaysOutOfPrivateNetworks: a tenant's own SMTP server on a
// loopback or private address is refused before anything is sent, unless
// the operator allows it; the operator's global server is never restricted.
func TestTenantSMTPStaysOutOfPrivateNetworks(t *testing.T) {
	in := mailtest.Start(t)
	host, portS, _ := net.SplitHostPort(in.Addr)
	port, _ := strconv.Atoi(portS)
	env := mail.Envelope{From: netmail.Address{Address: "desk@acme.example"}, To: "ken@acme.test", Subject: "Hi", Text: "Hi", MessageID: "<x@acme.example>"}

	box, err := secret.Load("", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sealed, _ := box.Seal("")
	tn := &tenant.Tenant{Slug: "acme", SMTPHost: host, SMTPPort: port, SMTPTLS: "none", SMTPPassword: sealed}
	tr, err := mail.ChooseTransport(tn, config.SMTP{}, box, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Send(context.Background(), env); !errors.Is(err, mail.ErrPrivateAddress) {
		t.Errorf("tenant SMTP on loopback: %v, want ErrPrivateAddress", err)
	}
	if n := len(in.Messages()); n != 0 {
		t.Errorf("%d messages reached the private server", n)
	}
	tr, _ = mail.ChooseTransport(tn, config.SMTP{TenantPrivateHosts: true}, box, nil)
	if err := tr.Send(context.Background(), env); err != nil {
		t.Errorf("allowed by the operator: %v", err)
	}
	global := mail.SMTPTransport{Host: host, Port: port, TLS: "none"}
	if err := global.Send(context.Background(), env); err != nil {
		t.Errorf("the operator's own server: %v", err)
	}
	for _, addr := range []string{"10.0.0.5:25", "169.254.169.254:25", "[::1]:25", "[fd00::1]:25", "100.64.1.1:25", "192.168.1.1:587"} {
		h, p, _ := net.SplitHostPort(addr)
		tr := mail.SMTPTransport{Host: h, Port: atoi(p), TLS: "none", PublicOnly: true, Timeout: time.Second}
		if err := tr.Send(context.Background(), env); !errors.Is(err, mail.ErrPrivateAddress) {
			t.Errorf("%s: %v, want ErrPrivateAddress", addr, err)
		}
	}
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }
