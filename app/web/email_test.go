package web_test

import (
	"context"
	"net"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestEmailSettings(t *testing.T) {
	e := newEnv(t, nil)
	in, deliver := withInbox(t, e)
	host, port, _ := net.SplitHostPort(in.Addr)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	if r := alan.get("/settings/email"); r.status != 403 {
		t.Errorf("admin opens Settings → Email: %d", r.status)
	}
	page := ada.get("/settings/email")
	if page.status != 200 || !strings.Contains(page.body, "your SMTP server") {
		t.Fatalf("page: %d", page.status)
	}
	tok := formCSRF(t, page.body)
	form := url.Values{"_csrf": {tok}, "smtp_host": {host}, "smtp_port": {"nope"}, "smtp_tls": {"none"},
		"smtp_username": {""}, "smtp_password": {"s3cret-smtp-pass"}, "mail_from_name": {"Acme Desk"}, "mail_from_address": {"desk@acme.example"}}
	bad := ada.form("/settings/email", form)
	if bad.status != 400 || !strings.Contains(bad.body, "Use a port from 1 to 65535.") || !strings.Contains(bad.body, `value="desk@acme.example"`) {
		t.Errorf("bad port: %d", bad.status)
	}
	form.Set("smtp_port", port)
	if r := ada.form("/settings/email", form); r.status != 303 {
		t.Fatalf("save: %d %s", r.status, r.body)
	}
	var stored string
	if err := e.db.R.QueryRowContext(context.Background(), "SELECT smtp_password FROM tenants WHERE slug = 'acme'").Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored == "" || strings.Contains(stored, "s3cret") {
		t.Errorf("SMTP password stored as %q", stored)
	}
	// An empty password field keeps the stored one.
	form.Set("smtp_password", "")
	ada.form("/settings/email", form)
	var again string
	_ = e.db.R.QueryRowContext(context.Background(), "SELECT smtp_password FROM tenants WHERE slug = 'acme'").Scan(&again)
	if again != stored {
		t.Error("saving without a password dropped the stored one")
	}
	sent := ada.htmx("POST", "/settings/email/test", url.Values{})
	if sent.status != 200 || !strings.Contains(sent.body, "Sending to ada@acme.test") {
		t.Fatalf("test email: %d %s", sent.status, sent.body)
	}
	deliver()
	msgs := in.Messages()
	if len(msgs) != 1 || msgs[0].To != "ada@acme.test" || !strings.Contains(msgs[0].Body(), `From: "Acme Desk" <desk@acme.example>`) {
		t.Fatalf("test email received: %+v", msgs)
	}
	poll := regexp.MustCompile(`hx-get="(/settings/email/test/\d+)"`).FindStringSubmatch(sent.body)
	if poll == nil {
		t.Fatal("no status poll in the answer")
	}
	if r := ada.get(poll[1]); !strings.Contains(r.body, "Sent to ada@acme.test") {
		t.Errorf("status after delivery: %s", r.body)
	}
	nina := e.client("northwind.localhost").mustLogin("nina@northwind.test", "demo-pass-1")
	if r := nina.get(poll[1]); r.status != 404 {
		t.Errorf("another tenant reads the test email's status: %d", r.status)
	}
}
