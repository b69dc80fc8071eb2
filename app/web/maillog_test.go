package web_test

import (
	"context"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/config"
	"github.com/atrium-portal/atrium/app/mail"
)

// logDelivery delivers the outbox as the server's worker does, through the
// transport the config chooses (the log one unless SMTP is set), and
// returns the log it wrote.
func logDelivery(t *testing.T, e *env) (deliver func(), logs *syncBuffer) {
	t.Helper()
	logs = &syncBuffer{}
	w := &mail.Worker{DB: e.db, Tenants: e.tenants, Global: e.cfg.SMTP, Secrets: e.box, Log: slog.New(slog.NewTextHandler(logs, nil))}
	return func() {
		t.Helper()
		for {
			sent, err := w.RunOnce(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if !sent {
				return
			}
		}
	}, logs
}

var mailLinkRE = regexp.MustCompile(`<a class="mail-link" href="(https?://[^"]+)">`)

// TestMailLogUnderLogTransport: with no SMTP server, Settings → Email lists
// the tenant's recent messages with their links, which work; the
// invitation says "Written to the log"; the log prints each link on its
// own line; another tenant's messages never appear.
func TestMailLogUnderLogTransport(t *testing.T) {
	e := newEnv(t, nil)
	deliver, logs := logDelivery(t, e)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	nina := e.client("northwind.localhost").mustLogin("nina@northwind.test", "demo-pass-1")
	if r := ada.api("POST", "/api/v1/invitations", map[string]any{"email": "lena@acme.test", "kind": "member"}); r.status != 201 {
		t.Fatalf("invite: %d %s", r.status, r.body)
	}
	if r := nina.api("POST", "/api/v1/invitations", map[string]any{"email": "canary@northwind.test", "kind": "member"}); r.status != 201 {
		t.Fatalf("northwind invite: %d %s", r.status, r.body)
	}
	if r := e.client("acme.localhost").api("POST", "/api/v1/password-resets", map[string]string{"email": "ken@acme.test"}); r.status != 202 {
		t.Fatalf("reset: %d", r.status)
	}
	deliver()

	page := ada.get("/settings/email")
	if page.status != 200 {
		t.Fatalf("email page: %d", page.status)
	}
	for _, want := range []string{"Recent messages", "lena@acme.test", "ken@acme.test", "Invitation", "Password reset", "Written to the log"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the list lacks %q", want)
		}
	}
	if strings.Contains(page.body, "canary@northwind.test") || strings.Contains(page.body, "Northwind") {
		t.Error("another tenant's message is listed")
	}
	links := mailLinkRE.FindAllStringSubmatch(page.body, -1)
	var invite, reset string
	for _, l := range links {
		switch {
		case strings.Contains(l[1], "/invite/"):
			invite = l[1]
		case strings.Contains(l[1], "/reset/"):
			reset = l[1]
		}
	}
	if invite == "" || reset == "" {
		t.Fatalf("links: %v", links)
	}
	// The links are the live ones: following them opens the forms.
	for _, l := range []string{invite, reset} {
		u, _ := url.Parse(l)
		if r := e.client("acme.localhost").get(u.Path); r.status != 200 || !strings.Contains(r.body, `type="password"`) {
			t.Errorf("following %s: %d", u.Path, r.status)
		}
		if !strings.Contains(logs.String(), "url="+l+"\n") {
			t.Errorf("the log lacks %s on a line of its own:\n%s", l, logs.String())
		}
	}

	// Northwind sees its own message only.
	np := nina.get("/settings/email")
	if !strings.Contains(np.body, "canary@northwind.test") || strings.Contains(np.body, "lena@acme.test") || strings.Contains(np.body, invite) {
		t.Errorf("northwind's list: %s", np.body)
	}

	// The invitation's delivery says what happened.
	if r := ada.api("GET", "/api/v1/invitations", nil); !strings.Contains(r.body, `"delivery":"sent"`) || !strings.Contains(r.body, `"delivered_by":"log"`) {
		t.Errorf("API delivery: %s", r.body)
	}
	if r := ada.get("/settings/users"); !strings.Contains(r.body, "Written to the log") {
		t.Errorf("the invitations list does not say the email was written to the log")
	}

	// Only those who may open Settings → Email see it.
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	if r := alan.get("/settings/email"); r.status != 403 || strings.Contains(r.body, "/invite/") {
		t.Errorf("an admin without email settings: %d", r.status)
	}
}

// TestMailLogHiddenUnderSMTP: when an SMTP server delivers the mail — the
// tenant's or the server's — the page lists no messages and no links.
func TestMailLogHiddenUnderSMTP(t *testing.T) {
	t.Run("tenant SMTP", func(t *testing.T) {
		e := newEnv(t, nil)
		in, deliver := withInbox(t, e)
		ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
		if r := ada.api("POST", "/api/v1/invitations", map[string]any{"email": "lena@acme.test", "kind": "member"}); r.status != 201 {
			t.Fatalf("invite: %d", r.status)
		}
		deliver()
		if len(in.Messages()) != 1 {
			t.Fatalf("%d messages", len(in.Messages()))
		}
		page := ada.get("/settings/email")
		if page.status != 200 || strings.Contains(page.body, "Recent messages") || strings.Contains(page.body, "/invite/") {
			t.Errorf("the page lists messages under SMTP: %d", page.status)
		}
		if r := ada.api("GET", "/api/v1/invitations", nil); !strings.Contains(r.body, `"delivered_by":"smtp"`) {
			t.Errorf("API: %s", r.body)
		}
		if r := ada.get("/settings/users"); strings.Contains(r.body, "Written to the log") || !strings.Contains(r.body, ">Sent") {
			t.Error("the invitations list does not say Sent")
		}
	})
	t.Run("global SMTP", func(t *testing.T) {
		e := newEnv(t, func(c *config.Config) { c.SMTP.Host, c.SMTP.Port = "smtp.example.invalid", 25 })
		nina := e.client("northwind.localhost").mustLogin("nina@northwind.test", "demo-pass-1")
		if r := nina.api("POST", "/api/v1/invitations", map[string]any{"email": "lena@northwind.test", "kind": "member"}); r.status != 201 {
			t.Fatalf("invite: %d", r.status)
		}
		page := nina.get("/settings/email")
		if page.status != 200 || strings.Contains(page.body, "Recent messages") || strings.Contains(page.body, "/invite/") {
			t.Errorf("the page lists messages under the global SMTP: %d", page.status)
		}
	})
}
