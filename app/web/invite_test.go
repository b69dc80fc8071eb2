package web_test

import (
	"context"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/config"
	"github.com/atrium-portal/atrium/app/mail"
	"github.com/atrium-portal/atrium/app/mail/mailtest"
	"github.com/atrium-portal/atrium/app/tenant"
)

// withInbox points the acme tenant's SMTP at an in-process server and
// returns a function that runs the outbox worker until it is empty.
func withInbox(t *testing.T, e *env) (*mailtest.Inbox, func()) {
	t.Helper()
	in := mailtest.Start(t)
	host, port, _ := net.SplitHostPort(in.Addr)
	p, _ := strconv.Atoi(port)
	none, from, fromName := "none", "desk@acme.example", "Acme Service Desk"
	hosts := []string{"portal.acme.example", "acme.localhost", "localhost"}
	acme, err := e.tenants.BySlug(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.tenants.Update(context.Background(), acme.ID, tenant.Patch{
		SMTPHost: &host, SMTPPort: &p, SMTPTLS: &none, MailFromAddress: &from, MailFromName: &fromName, Hosts: &hosts,
	}); err != nil {
		t.Fatal(err)
	}
	// The test inbox is on loopback, which tenant SMTP settings may use only when allowed.
	w := &mail.Worker{DB: e.db, Tenants: e.tenants, Secrets: e.box, Log: slog.New(slog.DiscardHandler), Global: config.SMTP{TenantPrivateHosts: true}}
	return in, func() {
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
	}
}

// TestInvitationByEmail: an admin invites an external editor for Globex;
// the email comes from the tenant's sender over SMTP, branded, with the
// link on the primary host whatever Host the request used; accepting signs
// the invitee in with only their modules.
func TestInvitationByEmail(t *testing.T) {
	e := newEnv(t, nil)
	in, deliver := withInbox(t, e)
	alan := e.client("localhost").mustLogin("alan@acme.test", "demo-pass-1") // an alias host
	var globex float64
	me := alan.api("GET", "/api/v1/invitations", nil)
	if me.status != 200 {
		t.Fatalf("list: %d", me.status)
	}
	// Globex's company ID from the demo seed.
	row := e.db.R.QueryRowContext(context.Background(), "SELECT id FROM companies WHERE name = 'Globex Corporation'")
	if err := row.Scan(&globex); err != nil {
		t.Fatal(err)
	}
	r := alan.api("POST", "/api/v1/invitations", map[string]any{
		"email": "Nora@Globex.test", "kind": "external_editor", "company_ids": []float64{globex},
		"modules": []map[string]any{{"key": "tickets", "show": true, "label": "Support"}, {"key": "reports", "show": true}},
	})
	if r.status != 201 {
		t.Fatalf("invite: %d %s", r.status, r.body)
	}
	inv := r.json(t)
	if inv["email"] != "nora@globex.test" || inv["status"] != "pending" || inv["id"] == nil {
		t.Errorf("invitation: %v", inv)
	}
	deliver()
	msgs := in.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d emails", len(msgs))
	}
	m := msgs[0]
	body := m.Body()
	for _, want := range []string{`From: "Acme Service Desk" <desk@acme.example>`, "To: nora@globex.test", "text/html", "#0F766E", "Acme Portal", "Alan Turing has invited you"} {
		if !strings.Contains(body, want) {
			t.Errorf("email lacks %q", want)
		}
	}
	link := m.Link("/invite/")
	if !strings.HasPrefix(link, "https://portal.acme.example/invite/") {
		t.Fatalf("link %q is not on the primary host", link)
	}
	token := strings.TrimPrefix(link, "https://portal.acme.example/invite/")

	// The list shows the delivery state.
	list := alan.api("GET", "/api/v1/invitations", nil)
	if !strings.Contains(list.body, `"delivery":"sent"`) {
		t.Errorf("delivery state: %s", list.body)
	}

	nora := e.client("acme.localhost")
	if r := nora.api("POST", "/api/v1/invitations/accept", map[string]string{"token": token, "name": "Nora", "password": "short"}); r.status != 400 || !strings.Contains(r.body, `"password"`) {
		t.Errorf("weak password: %d %s", r.status, r.body)
	}
	acc := nora.api("POST", "/api/v1/invitations/accept", map[string]string{"token": token, "name": "Nora North", "password": "correct horse battery"})
	if acc.status != 200 || acc.json(t)["csrf_token"] == "" {
		t.Fatalf("accept: %d %s", acc.status, acc.body)
	}
	nav := nora.api("GET", "/api/v1/me", nil)
	if !strings.Contains(nav.body, `"label":"Support"`) || !strings.Contains(nav.body, `"key":"reports"`) || strings.Contains(nav.body, `"key":"plan"`) {
		t.Errorf("invitee navigation: %s", nav.body)
	}
	if r := e.client("acme.localhost").api("POST", "/api/v1/invitations/accept", map[string]string{"token": token, "name": "X", "password": "correct horse battery"}); r.status != 410 {
		t.Errorf("reused token: %d", r.status)
	}
	// The audit log has the invitation and the acceptance.
	logs := alan.api("GET", "/api/v1/audit?action=user.", nil)
	for _, want := range []string{`"user.invite"`, `"user.invite_accept"`, "nora@globex.test"} {
		if !strings.Contains(logs.body, want) {
			t.Errorf("audit lacks %s", want)
		}
	}
	// The session that acceptance opens is a sign-in like any other.
	if logins := alan.api("GET", "/api/v1/audit?action=login", nil); !strings.Contains(logins.body, "signed in after accepting the invitation") {
		t.Errorf("audit lacks the sign-in after acceptance: %s", logins.body)
	}
}

func TestInvitationRules(t *testing.T) {
	e := newEnv(t, nil)
	grace := e.client("acme.localhost").mustLogin("grace@acme.test", "demo-pass-1")
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	tests := []struct {
		name   string
		c      *client
		body   map[string]any
		status int
		field  string
	}{
		{"member cannot invite", ken, map[string]any{"email": "a@x.test", "kind": "member"}, 403, ""},
		{"people admin invites a member", grace, map[string]any{"email": "b@x.test", "kind": "member"}, 201, ""},
		{"people admin cannot grant capabilities", grace, map[string]any{"email": "c@x.test", "kind": "member", "capabilities": []string{"headlines_admin"}}, 400, "capabilities"},
		{"admin cannot grant super admin", alan, map[string]any{"email": "d@x.test", "kind": "member", "capabilities": []string{"super_admin"}}, 400, "capabilities"},
		{"admin grants admin", alan, map[string]any{"email": "e@x.test", "kind": "member", "capabilities": []string{"admin"}}, 201, ""},
		{"a guest never holds a capability", alan, map[string]any{"email": "f@x.test", "kind": "guest", "capabilities": []string{"billing_admin"}}, 400, "capabilities"},
		{"external users need a company", alan, map[string]any{"email": "g@x.test", "kind": "external_viewer"}, 400, "company_ids"},
		{"another tenant's company is unknown", alan, map[string]any{"email": "h@x.test", "kind": "external_viewer", "company_ids": []int{999999}}, 400, "company_ids"},
		{"bad email", alan, map[string]any{"email": "not-an-address", "kind": "member"}, 400, "email"},
		{"existing user", alan, map[string]any{"email": "ken@acme.test", "kind": "member"}, 409, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.c.api("POST", "/api/v1/invitations", tt.body)
			if r.status != tt.status {
				t.Fatalf("%d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.field != "" && !strings.Contains(r.body, `"`+tt.field+`":`) {
				t.Errorf("no message for %s: %s", tt.field, r.body)
			}
		})
	}
}

func TestInvitationResendAndRevoke(t *testing.T) {
	e := newEnv(t, nil)
	in, deliver := withInbox(t, e)
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	first := alan.api("POST", "/api/v1/invitations", map[string]any{"email": "sam@acme.test", "kind": "member"}).json(t)
	deliver()
	oldToken := strings.TrimPrefix(in.Messages()[0].Link("/invite/"), "https://portal.acme.example/invite/")
	re := alan.api("POST", "/api/v1/invitations/"+strconv.Itoa(int(first["id"].(float64)))+"/resend", nil)
	if re.status != 200 {
		t.Fatalf("resend: %d %s", re.status, re.body)
	}
	deliver()
	if len(in.Messages()) != 2 {
		t.Fatalf("%d emails after resend", len(in.Messages()))
	}
	if r := e.client("acme.localhost").get("/invite/" + oldToken); r.status != 410 {
		t.Errorf("old link after resend: %d", r.status)
	}
	newToken := strings.TrimPrefix(in.Messages()[1].Link("/invite/"), "https://portal.acme.example/invite/")
	second := re.json(t)
	// Another tenant cannot touch it.
	nina := e.client("northwind.localhost").mustLogin("nina@northwind.test", "demo-pass-1")
	if r := nina.api("DELETE", "/api/v1/invitations/"+strconv.Itoa(int(second["id"].(float64))), nil); r.status != 404 {
		t.Errorf("revoke from another tenant: %d", r.status)
	}
	if r := alan.api("DELETE", "/api/v1/invitations/"+strconv.Itoa(int(second["id"].(float64))), nil); r.status != 204 {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	if r := e.client("acme.localhost").get("/invite/" + newToken); r.status != 410 {
		t.Errorf("revoked link: %d", r.status)
	}
	if r := alan.api("POST", "/api/v1/invitations", map[string]any{"email": "sam@acme.test", "kind": "member"}); r.status != 201 {
		t.Errorf("invite again after revoking: %d", r.status)
	}
}

// TestPasswordReset: 202 alike for known and unknown addresses; the link
// is on the primary host, works once, and ends every other session.
func TestPasswordReset(t *testing.T) {
	e := newEnv(t, nil)
	in, deliver := withInbox(t, e)
	kenElsewhere := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	for _, email := range []string{"ken@acme.test", "nobody@acme.test", "dora@acme.test"} {
		r := e.client("acme.localhost").api("POST", "/api/v1/password-resets", map[string]string{"email": email})
		if r.status != 202 || r.body != `{"status":"accepted"}` {
			t.Errorf("%s: %d %s", email, r.status, r.body)
		}
	}
	deliver()
	msgs := in.Messages()
	if len(msgs) != 1 || msgs[0].To != "ken@acme.test" {
		t.Fatalf("emails: %d", len(msgs))
	}
	link := msgs[0].Link("/reset/")
	if !strings.HasPrefix(link, "https://portal.acme.example/reset/") {
		t.Fatalf("link %q", link)
	}
	token := strings.TrimPrefix(link, "https://portal.acme.example/reset/")
	if r := e.client("northwind.localhost").get("/reset/" + token); r.status != 410 {
		t.Errorf("link on another tenant: %d", r.status)
	}
	r := e.client("acme.localhost").api("POST", "/api/v1/password-resets/complete", map[string]string{"token": token, "password": "a brand new passphrase"})
	if r.status != 204 {
		t.Fatalf("complete: %d %s", r.status, r.body)
	}
	if r := kenElsewhere.api("GET", "/api/v1/me", nil); r.status != 401 {
		t.Errorf("other session after reset: %d", r.status)
	}
	if r := e.client("acme.localhost").api("POST", "/api/v1/password-resets/complete", map[string]string{"token": token, "password": "another passphrase"}); r.status != 410 {
		t.Errorf("reused reset link: %d", r.status)
	}
	if r := e.client("acme.localhost").login("ken@acme.test", "a brand new passphrase"); r.status != 200 {
		t.Errorf("new password: %d", r.status)
	}
	if r := e.client("acme.localhost").login("ken@acme.test", "demo-pass-1"); r.status != 401 {
		t.Errorf("old password: %d", r.status)
	}
}

func TestResetExpiresAndFormFlow(t *testing.T) {
	e := newEnv(t, nil)
	in, deliver := withInbox(t, e)
	c := e.client("acme.localhost")
	page := c.get("/forgot")
	sent := c.form("/forgot", url.Values{"_csrf": {formCSRF(t, page.body)}, "email": {"hedy@acme.test"}})
	if sent.status != 200 || !strings.Contains(sent.body, "If an account uses this address") {
		t.Fatalf("forgot form: %d", sent.status)
	}
	deliver()
	token := strings.TrimPrefix(in.Messages()[0].Link("/reset/"), "https://portal.acme.example/reset/")
	// An hour later the link is dead.
	if _, err := e.db.W.ExecContext(context.Background(), "UPDATE user_tokens SET expires_at = ?", time.Now().UTC().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if r := c.get("/reset/" + token); r.status != 410 {
		t.Errorf("expired link: %d", r.status)
	}
}

func TestResetRateLimited(t *testing.T) {
	e := newEnv(t, nil)
	var last response
	for i := 0; i < 12; i++ {
		last = e.client("acme.localhost").api("POST", "/api/v1/password-resets", map[string]string{"email": "ken@acme.test"})
	}
	if last.status != 429 || last.header.Get("Retry-After") == "" {
		t.Errorf("12 resets for one account: %d", last.status)
	}
}

func TestAuditPageAndExport(t *testing.T) {
	e := newEnv(t, nil)
	e.client("acme.localhost").login("ken@acme.test", "wrong-password")
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	page := ada.get("/audit?action=login.failed")
	if page.status != 200 || !strings.Contains(page.body, "failed sign-in for ken@acme.test") || strings.Contains(page.body, "signed in<") {
		t.Errorf("audit page: %d", page.status)
	}
	csv := ada.get("/audit.csv")
	if csv.status != 200 || !strings.HasPrefix(csv.body, "time,actor,impersonator,action") || !strings.Contains(csv.body, "Ada Lovelace <ada@acme.test>") {
		t.Errorf("csv: %d %.300s", csv.status, csv.body)
	}
	for _, who := range []string{"ken@acme.test", "barbara@acme.test"} {
		c := e.client("acme.localhost").mustLogin(who, "demo-pass-1")
		if r := c.get("/audit"); r.status != 403 {
			t.Errorf("%s sees the audit page: %d", who, r.status)
		}
		if r := c.api("GET", "/api/v1/audit", nil); r.status != 403 {
			t.Errorf("%s reads the audit API: %d", who, r.status)
		}
	}
	// Northwind's log holds none of Acme's records.
	nina := e.client("northwind.localhost").mustLogin("nina@northwind.test", "demo-pass-1")
	if r := nina.api("GET", "/api/v1/audit", nil); strings.Contains(r.body, "acme.test\"") || strings.Contains(r.body, "ken@acme.test") {
		t.Errorf("northwind sees acme's records: %s", r.body)
	}
}

// TestPeopleAdminSeesButCannotChangeAnAdminsInvitation: grace (people admin)
// sees the pending invitation of a super admin that ada sent, in the list
// and on its own, but resending or revoking it is refused with a reason,
// through the API and the users page alike; nothing changes.
func TestPeopleAdminSeesButCannotChangeAnAdminsInvitation(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	grace := e.client("acme.localhost").mustLogin("grace@acme.test", "demo-pass-1")
	r := ada.api("POST", "/api/v1/invitations", map[string]any{"email": "boss@acme.test", "kind": "member", "capabilities": []string{"super_admin"}})
	if r.status != 201 {
		t.Fatalf("invite: %d %s", r.status, r.body)
	}
	id := strconv.Itoa(int(r.json(t)["id"].(float64)))
	if r := grace.api("GET", "/api/v1/invitations", nil); r.status != 200 || !strings.Contains(r.body, "boss@acme.test") {
		t.Errorf("list as grace: %d %s", r.status, r.body)
	}
	if r := grace.api("GET", "/api/v1/invitations/"+id, nil); r.status != 200 || !strings.Contains(r.body, `"status":"pending"`) {
		t.Errorf("get as grace: %d %s", r.status, r.body)
	}
	for _, req := range []struct{ method, path string }{
		{"POST", "/api/v1/invitations/" + id + "/resend"},
		{"DELETE", "/api/v1/invitations/" + id},
	} {
		r := grace.api(req.method, req.path, nil)
		if r.status != 403 || r.errorCode() != "forbidden" || !strings.Contains(r.body, "only those who may manage the person it invites") {
			t.Errorf("%s %s as grace: %d %s", req.method, req.path, r.status, r.body)
		}
	}
	page := grace.get("/settings/users")
	tok := formCSRF(t, page.body)
	for _, action := range []string{"resend", "revoke"} {
		if r := grace.form("/settings/users/invitations/"+id+"/"+action, url.Values{"_csrf": {tok}}); r.status != 403 {
			t.Errorf("%s from the users page as grace: %d", action, r.status)
		}
	}
	if r := ada.api("GET", "/api/v1/invitations/"+id, nil); r.status != 200 || !strings.Contains(r.body, `"status":"pending"`) {
		t.Errorf("the invitation after grace's attempts: %d %s", r.status, r.body)
	}
	if r := ada.api("POST", "/api/v1/invitations/"+id+"/resend", nil); r.status != 200 {
		t.Errorf("resend as ada: %d %s", r.status, r.body)
	}
}
