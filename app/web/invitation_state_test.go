package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestInvitationState: GET /api/v1/invitations/ID follows an invitation
// from queued to sent to accepted; one revoked or replaced before its email
// went out is never emailed and answers revoked; other tenants get 404.
func TestInvitationState(t *testing.T) {
	e := newEnv(t, nil)
	in, deliver := withInbox(t, e)
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	invite := func(email string) string {
		t.Helper()
		r := alan.api("POST", "/api/v1/invitations", map[string]any{"email": email, "kind": "member"})
		if r.status != 201 {
			t.Fatalf("invite %s: %d %s", email, r.status, r.body)
		}
		inv := r.json(t)
		if inv["state"] != "queued" {
			t.Errorf("new invitation: %v", inv)
		}
		return fmt.Sprint(inv["id"])
	}
	stateOf := func(c *client, id string) string {
		t.Helper()
		r := c.api("GET", "/api/v1/invitations/"+id, nil)
		if r.status != 200 {
			return fmt.Sprint(r.status)
		}
		return fmt.Sprint(r.json(t)["state"])
	}
	to := func(addr string) int {
		n := 0
		for _, m := range in.Messages() {
			if m.To == addr {
				n++
			}
		}
		return n
	}

	nora := invite("nora@globex.test")
	if s := stateOf(alan, nora); s != "queued" {
		t.Errorf("before delivery: %s", s)
	}
	late := invite("late@globex.test")
	if r := alan.api("DELETE", "/api/v1/invitations/"+late, nil); r.status != 204 {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	twice := invite("twice@globex.test")
	r := alan.api("POST", "/api/v1/invitations/"+twice+"/resend", nil)
	if r.status != 200 {
		t.Fatalf("resend: %d %s", r.status, r.body)
	}
	second := fmt.Sprint(r.json(t)["id"])
	deliver()

	if n := to("late@globex.test"); n != 0 {
		t.Errorf("a revoked invitation was emailed %d times", n)
	}
	if s := stateOf(alan, late); s != "revoked" {
		t.Errorf("revoked before sending: %s", s)
	}
	if n := to("twice@globex.test"); n != 1 {
		t.Errorf("a resent invitation was emailed %d times", n)
	}
	if a, b := stateOf(alan, twice), stateOf(alan, second); a != "revoked" || b != "sent" {
		t.Errorf("replaced %s, resent %s", a, b)
	}
	if s := stateOf(alan, nora); s != "sent" {
		t.Errorf("after delivery: %s", s)
	}
	var link string
	for _, m := range in.Messages() {
		if m.To == "nora@globex.test" {
			link = m.Link("/invite/")
		}
	}
	token := link[strings.LastIndex(link, "/")+1:]
	if r := e.client("acme.localhost").api("POST", "/api/v1/invitations/accept", map[string]string{"token": token, "name": "Nora", "password": "correct horse battery"}); r.status != 200 {
		t.Fatalf("accept: %d %s", r.status, r.body)
	}
	if s := stateOf(alan, nora); s != "accepted" {
		t.Errorf("after acceptance: %s", s)
	}

	ctx := context.Background()
	failed := invite("bounce@globex.test")
	if _, err := e.db.W.ExecContext(ctx, "UPDATE outbox SET status = 'failed', last_error = '550 no such user' WHERE id = (SELECT message_id FROM invitations WHERE id = ?)", failed); err != nil {
		t.Fatal(err)
	}
	if r := alan.api("GET", "/api/v1/invitations/"+failed, nil); !strings.Contains(r.body, `"state":"failed"`) || !strings.Contains(r.body, "550 no such user") {
		t.Errorf("failed delivery: %s", r.body)
	}
	old := invite("old@globex.test")
	if _, err := e.db.W.ExecContext(ctx, "UPDATE invitations SET expires_at = '2020-01-01 00:00:00' WHERE id = ?", old); err != nil {
		t.Fatal(err)
	}
	if s := stateOf(alan, old); s != "expired" {
		t.Errorf("past its expiry: %s", s)
	}

	nina := e.client("northwind.localhost").mustLogin("nina@northwind.test", "demo-pass-1")
	if s := stateOf(nina, nora); s != "404" {
		t.Errorf("another tenant reads the invitation: %s", s)
	}
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	if s := stateOf(ken, nora); s != "403" {
		t.Errorf("a member reads the invitation: %s", s)
	}
	if s := stateOf(alan, "999999"); s != "404" {
		t.Errorf("unknown id: %s", s)
	}
}
