package invitations_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/store/storetest"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/invitations"
	"github.com/atrium-portal/atrium/app/mail"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/valid"
)

const base = "https://acme.example.test"

// env is one fresh migrated database with the tenant "acme"; every test and
// table row builds its own.
type env struct {
	db *store.DB
	tn *tenant.Tenant
	s  *store.Scoped
}

func newEnv(t *testing.T) *env {
	t.Helper()
	d := storetest.New(t)
	return &env{db: d.DB, tn: d.Tenant, s: d.Acme}
}

func (e *env) tenant(t *testing.T, slug string) *tenant.Tenant {
	t.Helper()
	return (&storetest.DB{DB: e.db}).NewTenant(t, slug)
}

func user(t *testing.T, s *store.Scoped, email string, caps ...policy.Capability) *people.User {
	t.Helper()
	u, err := people.CreateUser(context.Background(), s, people.NewUser{
		Email: email, Name: "Inviter " + email, Kind: policy.Member, Capabilities: caps, Status: people.Active,
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// as is the invitations context of actor in this tenant.
func (e *env) as(actor *people.User) invitations.Context {
	// Without an actor, the command line's operator invites.
	ic := invitations.Context{DB: e.s, Tenant: e.tn, Base: base, Who: audit.Who{Address: "192.0.2.7"}, Actor: policy.Operator(e.tn.ID)}
	if actor != nil {
		ic.Actor, ic.ActorName, ic.Who.ActorID = actor.Actor(), actor.Name, actor.ID
	}
	return ic
}

func (e *env) entries(t *testing.T) []audit.Entry {
	t.Helper()
	out, _, err := audit.List(context.Background(), e.s, audit.Filter{Scope: auditScope(e.s), Limit: audit.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(out)
	// Fixtures made through the org-design operations write their own
	// records; these tests are about the invitations' records.
	return slices.DeleteFunc(out, func(e audit.Entry) bool {
		return e.Action == audit.TeamChange || e.Action == audit.CompanyChange
	})
}

func (e *env) outbox(t *testing.T) []mail.Message {
	t.Helper()
	var out []mail.Message
	if err := e.s.Select(&out).Order("ob.id").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out
}

func (e *env) count(t *testing.T, model any) int {
	t.Helper()
	n, err := e.s.Select(model).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// secret is the token at the end of an invitation link.
func secret(t *testing.T, inv *invitations.Invitation) string {
	t.Helper()
	s, ok := strings.CutPrefix(inv.Link, base+"/invite/")
	if !ok || s == "" {
		t.Fatalf("link %q is not under %s/invite/", inv.Link, base)
	}
	return s
}

func ptr[T any](v T) *T { return &v }

func fieldErr(err error, field string) string {
	var ve valid.Errors
	if errors.As(err, &ve) {
		return ve[field]
	}
	return ""
}

func TestInviteWritesUserLinkEmailAndRecord(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	sa := user(t, e.s, "sa@acme.test", policy.SuperAdmin)
	team, err := people.SaveTeam(ctx, e.s, opBy(e.s), 0, people.TeamInput{Name: ptr("Delivery")})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().UTC()
	inv, err := invitations.Invite(ctx, e.as(sa), invitations.Request{
		Email: "  New.Person@ACME.test ", Name: "New Person", Kind: policy.Member,
		Capabilities: []policy.Capability{policy.PeopleAdmin, policy.Admin}, TeamIDs: []int64{team.ID},
	})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Email != "new.person@acme.test" || inv.Kind != policy.Member || inv.Status != "pending" || inv.Delivery != mail.Queued {
		t.Errorf("invitation %+v", inv)
	}
	if d := inv.ExpiresAt.Sub(start); d < 7*24*time.Hour-time.Minute || d > 7*24*time.Hour+time.Minute {
		t.Errorf("expires in %v, want 7 days", d)
	}
	sec := secret(t, inv)

	u, err := people.UserByID(ctx, e.s, inv.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "new.person@acme.test" || u.Name != "New Person" || u.Status != people.Invited || u.PasswordHash != "" ||
		!slices.Equal(u.CapabilityList(), []policy.Capability{policy.Admin, policy.PeopleAdmin}) {
		t.Errorf("invited user %+v with %v", u, u.CapabilityList())
	}
	teams, companies, err := people.Assignments(ctx, e.s, u.ID)
	if err != nil || !slices.Equal(teams, []int64{team.ID}) || len(companies) != 0 {
		t.Errorf("assignments %v %v (err %v), want team %d only", teams, companies, err, team.ID)
	}

	msgs := e.outbox(t)
	if len(msgs) != 1 {
		t.Fatalf("%d outbox messages, want 1", len(msgs))
	}
	m := msgs[0]
	if m.Kind != mail.KindInvite || m.ToAddress != "new.person@acme.test" || m.Status != mail.Queued ||
		m.Subject != "You are invited to Tenant acme" {
		t.Errorf("message %s to %s (%s): %q", m.Kind, m.ToAddress, m.Status, m.Subject)
	}
	if !strings.Contains(m.TextBody, inv.Link) || !strings.Contains(m.HTMLBody, inv.Link) {
		t.Errorf("message does not carry the link %s:\n%s", inv.Link, m.TextBody)
	}
	if !strings.Contains(m.TextBody, "Inviter sa@acme.test has invited you to Tenant acme.") {
		t.Errorf("message does not name the inviter:\n%s", m.TextBody)
	}

	var tok auth.UserToken
	if err := e.s.Select(&tok).Where("id = ?", inv.ID).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if tok.UserID != u.ID || tok.Purpose != auth.PurposeInvite || tok.MessageID == nil || *tok.MessageID != m.ID ||
		tok.CreatedBy == nil || *tok.CreatedBy != sa.ID || strings.Contains(tok.TokenHash, sec) {
		t.Errorf("token row %+v (message %v, created by %v)", tok, tok.MessageID, tok.CreatedBy)
	}
	if _, err := auth.PeekToken(ctx, e.s, sec, auth.PurposeInvite, time.Now().UTC()); err != nil {
		t.Errorf("the emailed link is not live: %v", err)
	}

	entries := e.entries(t)
	if len(entries) != 1 {
		t.Fatalf("%d audit records, want 1", len(entries))
	}
	r := entries[0]
	if r.Action != audit.Invite || r.Summary != "invited new.person@acme.test as member with admin, people_admin" ||
		r.ActorID == nil || *r.ActorID != sa.ID || r.ObjectID == nil || *r.ObjectID != u.ID || r.Address != "192.0.2.7" {
		t.Errorf("audit record %+v", r)
	}

	list, err := invitations.List(ctx, e.s, invitationsScope(e.s))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != inv.ID || list[0].Email != u.Email || list[0].Status != "pending" || list[0].Delivery != mail.Queued || list[0].Link != "" {
		t.Errorf("list %+v", list)
	}
}

func TestInviteExternalUser(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	admin := user(t, e.s, "admin@acme.test", policy.Admin)
	c1, err := people.SaveCompany(ctx, e.s, opBy(e.s), 0, people.CompanyInput{Name: ptr("Globex")})
	if err != nil {
		t.Fatal(err)
	}
	c2, err := people.SaveCompany(ctx, e.s, opBy(e.s), 0, people.CompanyInput{Name: ptr("Initech")})
	if err != nil {
		t.Fatal(err)
	}
	inv, err := invitations.Invite(ctx, e.as(admin), invitations.Request{
		Email: "ext@globex.test", Kind: policy.ExternalViewer, CompanyIDs: []int64{c2.ID, c1.ID}, OwnTicketsOnly: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	u, err := people.UserByID(ctx, e.s, inv.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if u.Kind != policy.ExternalViewer || !u.OwnTicketsOnly {
		t.Errorf("kind %s, own tickets only %v", u.Kind, u.OwnTicketsOnly)
	}
	_, companies, err := people.Assignments(ctx, e.s, u.ID)
	if err != nil || !slices.Equal(companies, []int64{c1.ID, c2.ID}) {
		t.Errorf("companies %v (err %v), want %d, %d", companies, err, c1.ID, c2.ID)
	}
	// No modules given: the suggested defaults for two companies.
	var got []string
	for _, m := range u.Modules {
		got = append(got, fmt.Sprintf("%s:%v", m.Page, m.Show))
	}
	slices.Sort(got)
	want := []string{"companies:false", "contacts:false", "office365:false", "plan:true", "tickets:false"}
	if !slices.Equal(got, want) {
		t.Errorf("modules %v, want %v", got, want)
	}
}

func TestInviteRefusals(t *testing.T) {
	tests := []struct {
		name      string
		actorCaps []policy.Capability // nil with cli: the operator on the command line
		cli       bool
		req       func(t *testing.T, e *env) invitations.Request
		wantErr   error
		field     string
		message   string
	}{
		{name: "admin grants super admin", actorCaps: []policy.Capability{policy.Admin},
			req: func(*testing.T, *env) invitations.Request {
				return invitations.Request{Email: "x@acme.test", Capabilities: []policy.Capability{policy.SuperAdmin}}
			},
			field: "capabilities", message: "Only super admins can grant or remove super admin."},
		{name: "people admin grants a capability", actorCaps: []policy.Capability{policy.PeopleAdmin},
			req: func(*testing.T, *env) invitations.Request {
				return invitations.Request{Email: "x@acme.test", Capabilities: []policy.Capability{policy.BillingAdmin}}
			},
			field: "capabilities", message: "Only super admins and admins can grant or remove admin capabilities."},
		{name: "a guest with a capability", actorCaps: []policy.Capability{policy.SuperAdmin},
			req: func(*testing.T, *env) invitations.Request {
				return invitations.Request{Email: "x@acme.test", Kind: policy.Guest, Capabilities: []policy.Capability{policy.Admin}}
			},
			field: "capabilities", message: "Only members can hold admin capabilities."},
		{name: "the command line cannot give a client a capability either", cli: true,
			req: func(*testing.T, *env) invitations.Request {
				return invitations.Request{Email: "x@acme.test", Kind: policy.Client, Capabilities: []policy.Capability{policy.Admin}}
			},
			field: "capabilities", message: "Only members can hold admin capabilities."},
		{name: "a bad address", actorCaps: []policy.Capability{policy.Admin},
			req: func(*testing.T, *env) invitations.Request {
				return invitations.Request{Email: "not an address"}
			},
			field: "email", message: "Enter an address like name@example.com."},
		{name: "an unknown kind", actorCaps: []policy.Capability{policy.Admin},
			req: func(*testing.T, *env) invitations.Request {
				return invitations.Request{Email: "x@acme.test", Kind: "overlord"}
			},
			field: "kind", message: "Choose member, guest, client, external_editor or external_viewer."},
		{name: "an external user without a company", actorCaps: []policy.Capability{policy.Admin},
			req: func(*testing.T, *env) invitations.Request {
				return invitations.Request{Email: "x@globex.test", Kind: policy.ExternalEditor}
			},
			field: "company_ids", message: "Assign an external user to at least one company."},
		{name: "another tenant's team", actorCaps: []policy.Capability{policy.Admin},
			req: func(t *testing.T, e *env) invitations.Request {
				other := e.tenant(t, "globex")
				tm, err := people.SaveTeam(context.Background(), e.db.Tenant(other.ID), opBy(e.db.Tenant(other.ID)), 0, people.TeamInput{Name: ptr("Canary team")})
				if err != nil {
					t.Fatal(err)
				}
				return invitations.Request{Email: "x@acme.test", TeamIDs: []int64{tm.ID}}
			},
			field: "team_ids", message: "Some of these do not exist."},
		{name: "an existing address, spelled differently", actorCaps: []policy.Capability{policy.Admin},
			req: func(t *testing.T, e *env) invitations.Request {
				user(t, e.s, "taken@acme.test")
				return invitations.Request{Email: " TAKEN@acme.test"}
			},
			wantErr: invitations.ErrConflict},
		{name: "a deactivated user who had signed up", actorCaps: []policy.Capability{policy.Admin},
			req: func(t *testing.T, e *env) invitations.Request {
				u, err := people.CreateUser(context.Background(), e.s, people.NewUser{Email: "gone@acme.test", Kind: policy.Member, Status: people.Deactivated})
				if err != nil {
					t.Fatal(err)
				}
				if err := people.SetPassword(context.Background(), e.s, u.ID, "hash of a chosen password", ""); err != nil {
					t.Fatal(err)
				}
				return invitations.Request{Email: "gone@acme.test"}
			},
			wantErr: invitations.ErrConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			var actor *people.User
			if !tt.cli {
				actor = user(t, e.s, "actor@acme.test", tt.actorCaps...)
			}
			req := tt.req(t, e)
			users := e.count(t, (*people.User)(nil))

			inv, err := invitations.Invite(context.Background(), e.as(actor), req)
			if inv != nil {
				t.Errorf("invitation %+v returned with a refusal", inv)
			}
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err %v, want %v", err, tt.wantErr)
				}
			} else if msg := fieldErr(err, tt.field); msg != tt.message {
				t.Fatalf("%s error %q (err %v), want %q", tt.field, msg, err, tt.message)
			}
			if n := e.count(t, (*people.User)(nil)); n != users {
				t.Errorf("%d users after a refused invitation, want %d", n, users)
			}
			if n := e.count(t, (*auth.UserToken)(nil)); n != 0 {
				t.Errorf("%d tokens after a refused invitation", n)
			}
			if n := len(e.outbox(t)); n != 0 {
				t.Errorf("%d emails queued by a refused invitation", n)
			}
			if n := len(e.entries(t)); n != 0 {
				t.Errorf("%d audit records for a refused invitation", n)
			}
		})
	}
}

func TestCommandLineMayInviteASuperAdmin(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	inv, err := invitations.Invite(ctx, e.as(nil), invitations.Request{Email: "owner@acme.test", Capabilities: []policy.Capability{policy.SuperAdmin}})
	if err != nil {
		t.Fatal(err)
	}
	u, err := people.UserByID(ctx, e.s, inv.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(u.CapabilityList(), []policy.Capability{policy.SuperAdmin}) {
		t.Errorf("capabilities %v", u.CapabilityList())
	}
	var tok auth.UserToken
	if err := e.s.Select(&tok).Where("id = ?", inv.ID).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if tok.CreatedBy != nil {
		t.Errorf("created_by %d for the command line, want NULL", *tok.CreatedBy)
	}
	// Without an inviter the email says so plainly (it once read "You have invited you to …").
	if msgs := e.outbox(t); len(msgs) != 1 || !strings.Contains(msgs[0].TextBody, "You have been invited to Tenant acme. Choose your name") ||
		strings.Contains(msgs[0].TextBody, "invited you") {
		t.Errorf("email without an inviter: %+v", msgs)
	}
	entries := e.entries(t)
	if len(entries) != 1 || entries[0].ActorID != nil || entries[0].Summary != "invited owner@acme.test as member with super_admin" {
		t.Errorf("audit %+v", entries)
	}
}

// A failure at the last step (the audit record) takes the user, the link
// and the email back with it: all are written in one transaction.
func TestInviteIsOneTransaction(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	admin := user(t, e.s, "admin@acme.test", policy.Admin)
	storetest.FailWrites(t, e.db, "INSERT", "audit_log", "audit is down")
	_, err := invitations.Invite(ctx, e.as(admin), invitations.Request{Email: "x@acme.test"})
	if err == nil || !strings.Contains(err.Error(), "audit is down") {
		t.Fatalf("err %v, want the audit failure", err)
	}
	if _, err := people.UserByEmail(ctx, e.s, "x@acme.test"); !errors.Is(err, people.ErrNotFound) {
		t.Errorf("invited user exists after the failed transaction: %v", err)
	}
	if n := e.count(t, (*auth.UserToken)(nil)); n != 0 {
		t.Errorf("%d tokens after the failed transaction", n)
	}
	if n := len(e.outbox(t)); n != 0 {
		t.Errorf("%d emails queued by the failed transaction", n)
	}
}

func TestResend(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	admin := user(t, e.s, "admin@acme.test", policy.Admin)
	first, err := invitations.Invite(ctx, e.as(admin), invitations.Request{Email: "x@acme.test"})
	if err != nil {
		t.Fatal(err)
	}
	second, err := invitations.Resend(ctx, e.as(admin), first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if second.ID == first.ID || second.UserID != first.UserID || second.Link == first.Link || second.Status != "pending" {
		t.Errorf("resend returned %+v after %+v", second, first)
	}
	if _, err := invitations.Peek(ctx, e.s, secret(t, first)); !errors.Is(err, invitations.ErrGone) {
		t.Errorf("the first link after a resend: err %v, want ErrGone", err)
	}
	if u, err := invitations.Peek(ctx, e.s, secret(t, second)); err != nil || u.ID != first.UserID {
		t.Errorf("the new link: %v, %v", u, err)
	}
	msgs := e.outbox(t)
	if len(msgs) != 2 || !strings.Contains(msgs[1].TextBody, second.Link) || msgs[1].ToAddress != "x@acme.test" {
		t.Errorf("outbox after resend: %d messages", len(msgs))
	}
	list, err := invitations.List(ctx, e.s, invitationsScope(e.s))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != second.ID {
		t.Errorf("list after resend %+v, want only invitation %d", list, second.ID)
	}
	entries := e.entries(t)
	if len(entries) != 2 || entries[1].Action != audit.InviteResend || entries[1].Summary != "resent the invitation to x@acme.test" ||
		*entries[1].ObjectID != first.UserID || *entries[1].ActorID != admin.ID {
		t.Errorf("audit %+v", entries)
	}

	t.Run("unknown, foreign and reset tokens are not found", func(t *testing.T) {
		other := e.tenant(t, "globex")
		oe := &env{db: e.db, tn: other, s: e.db.Tenant(other.ID)}
		foreign, err := invitations.Invite(ctx, oe.as(nil), invitations.Request{Email: "canary@globex.test"})
		if err != nil {
			t.Fatal(err)
		}
		_, reset, err := auth.IssueToken(ctx, e.s, admin.ID, auth.PurposeReset, time.Now().UTC())
		if err != nil {
			t.Fatal(err)
		}
		for name, id := range map[string]int64{"unknown": 999999, "foreign": foreign.ID, "reset": reset.ID} {
			if _, err := invitations.Resend(ctx, e.as(admin), id); !errors.Is(err, invitations.ErrNotFound) {
				t.Errorf("resend %s: err %v, want ErrNotFound", name, err)
			}
			if err := invitations.Revoke(ctx, e.as(admin), id); !errors.Is(err, invitations.ErrNotFound) {
				t.Errorf("revoke %s: err %v, want ErrNotFound", name, err)
			}
		}
		if _, err := invitations.Peek(ctx, oe.s, secret(t, foreign)); err != nil {
			t.Errorf("the other tenant's invitation after the attempts: %v", err)
		}
	})
}

func TestRevoke(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	admin := user(t, e.s, "admin@acme.test", policy.Admin)
	inv, err := invitations.Invite(ctx, e.as(admin), invitations.Request{Email: "x@acme.test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := invitations.Revoke(ctx, e.as(admin), inv.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := people.UserByID(ctx, e.s, inv.UserID); !errors.Is(err, people.ErrNotFound) {
		t.Errorf("the invited user after revoke: %v, want ErrNotFound", err)
	}
	if _, err := invitations.Peek(ctx, e.s, secret(t, inv)); !errors.Is(err, invitations.ErrGone) {
		t.Errorf("the link after revoke: err %v, want ErrGone", err)
	}
	if _, err := invitations.Accept(ctx, e.s, hasher, secret(t, inv), "Late", "a long enough password", audit.Who{}); !errors.Is(err, invitations.ErrGone) {
		t.Errorf("accept after revoke: err %v, want ErrGone", err)
	}
	// The invitation stays on record as revoked: revoking it again is gone, not unknown.
	if err := invitations.Revoke(ctx, e.as(admin), inv.ID); !errors.Is(err, invitations.ErrGone) {
		t.Errorf("second revoke: err %v, want ErrGone", err)
	}
	list, err := invitations.List(ctx, e.s, invitationsScope(e.s))
	if err != nil || len(list) != 0 {
		t.Errorf("list after revoke: %+v (err %v)", list, err)
	}
	entries := e.entries(t)
	if len(entries) != 2 || entries[1].Action != audit.InviteRevoke || entries[1].Summary != "revoked the invitation of x@acme.test" ||
		*entries[1].ObjectID != inv.UserID {
		t.Errorf("audit %+v", entries)
	}
	// The address can be invited again.
	again, err := invitations.Invite(ctx, e.as(admin), invitations.Request{Email: "x@acme.test"})
	if err != nil {
		t.Fatalf("invite again after revoke: %v", err)
	}
	// (SQLite may hand the deleted user's ID to the new one: users.id has no AUTOINCREMENT.)
	if u, err := invitations.Peek(ctx, e.s, secret(t, again)); err != nil || u.Email != "x@acme.test" || u.ID != again.UserID {
		t.Errorf("the new link: %+v, %v", u, err)
	}
	if _, err := invitations.Peek(ctx, e.s, secret(t, inv)); !errors.Is(err, invitations.ErrGone) {
		t.Errorf("the revoked link after a new invitation to the same address: err %v, want ErrGone", err)
	}
}

func TestAccept(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	admin := user(t, e.s, "admin@acme.test", policy.Admin)
	inv, err := invitations.Invite(ctx, e.as(admin), invitations.Request{Email: "x@acme.test", Name: "Placeholder"})
	if err != nil {
		t.Fatal(err)
	}
	sec := secret(t, inv)

	// Bad fields on a live link: nothing changes and the link stays usable.
	for _, bad := range []struct{ name, password, field string }{
		{"", "a long enough password", "name"},
		{strings.Repeat("n", 121), "a long enough password", "name"},
		{"Xavier", "short", "password"},
		{"Xavier", "password", "password"},
	} {
		_, err := invitations.Accept(ctx, e.s, hasher, sec, bad.name, bad.password, audit.Who{})
		if fieldErr(err, bad.field) == "" {
			t.Errorf("accept with name %.10q, password %q: err %v, want a %s error", bad.name, bad.password, err, bad.field)
		}
	}
	if u, err := invitations.Peek(ctx, e.s, sec); err != nil || u.Status != people.Invited {
		t.Fatalf("link after refused accepts: %v, %v", u, err)
	}

	u, err := invitations.Accept(ctx, e.s, hasher, sec, "  Xavier Accepts ", "correct horse battery staple", audit.Who{Address: "203.0.113.5"})
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != inv.UserID || u.Status != people.Active || u.Name != "Xavier Accepts" {
		t.Errorf("accepted user %+v", u)
	}
	if !auth.CheckPassword(u.PasswordHash, "correct horse battery staple") || auth.CheckPassword(u.PasswordHash, "wrong horse") {
		t.Error("stored password hash does not match the chosen password")
	}
	entries := e.entries(t)
	last := entries[len(entries)-1]
	if last.Action != audit.InviteAccept || last.Summary != "x@acme.test accepted the invitation" ||
		last.ActorID == nil || *last.ActorID != u.ID || *last.ObjectID != u.ID || last.Address != "203.0.113.5" {
		t.Errorf("audit record %+v", last)
	}
	list, err := invitations.List(ctx, e.s, invitationsScope(e.s))
	if err != nil || len(list) != 0 {
		t.Errorf("list after accept: %+v (err %v)", list, err)
	}
	// Used: the same link again, even with good fields, is gone; so are resend and revoke.
	if _, err := invitations.Accept(ctx, e.s, hasher, sec, "Again", "another good password", audit.Who{}); !errors.Is(err, invitations.ErrGone) {
		t.Errorf("second accept: err %v, want ErrGone", err)
	}
	if _, err := invitations.Resend(ctx, e.as(admin), inv.ID); !errors.Is(err, invitations.ErrGone) {
		t.Errorf("resend after accept: err %v, want ErrGone", err)
	}
	if err := invitations.Revoke(ctx, e.as(admin), inv.ID); !errors.Is(err, invitations.ErrGone) {
		t.Errorf("revoke after accept: err %v, want ErrGone", err)
	}
	if got, err := people.UserByID(ctx, e.s, u.ID); err != nil || got.Name != "Xavier Accepts" {
		t.Errorf("user after a second accept: %+v, %v", got, err)
	}
}

func TestDeadLinksAreGone(t *testing.T) {
	tests := []struct {
		name string
		// kill makes the invitation's link dead and returns the secret to try.
		kill func(t *testing.T, e *env, admin *people.User, inv *invitations.Invitation) string
	}{
		{"expired", func(t *testing.T, e *env, _ *people.User, inv *invitations.Invitation) string {
			if _, err := e.s.Update((*auth.UserToken)(nil)).Set("expires_at = ?", time.Now().UTC().Add(-time.Second)).
				Where("id = ?", inv.ID).Exec(context.Background()); err != nil {
				t.Fatal(err)
			}
			return secret(t, inv)
		}},
		{"superseded by a resend", func(t *testing.T, e *env, admin *people.User, inv *invitations.Invitation) string {
			if _, err := invitations.Resend(context.Background(), e.as(admin), inv.ID); err != nil {
				t.Fatal(err)
			}
			return secret(t, inv)
		}},
		{"revoked", func(t *testing.T, e *env, admin *people.User, inv *invitations.Invitation) string {
			if err := invitations.Revoke(context.Background(), e.as(admin), inv.ID); err != nil {
				t.Fatal(err)
			}
			return secret(t, inv)
		}},
		{"links revoked at deactivation", func(t *testing.T, e *env, _ *people.User, inv *invitations.Invitation) string {
			if err := auth.RevokeTokens(context.Background(), e.s, inv.UserID); err != nil {
				t.Fatal(err)
			}
			return secret(t, inv)
		}},
		{"a made-up secret", func(t *testing.T, _ *env, _ *people.User, _ *invitations.Invitation) string {
			return "bm90LWEtcmVhbC10b2tlbi1ub3QtYS1yZWFsLXRva2Vu"
		}},
		{"empty", func(*testing.T, *env, *people.User, *invitations.Invitation) string { return "" }},
		{"too long", func(*testing.T, *env, *people.User, *invitations.Invitation) string { return strings.Repeat("a", 101) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t)
			admin := user(t, e.s, "admin@acme.test", policy.Admin)
			inv, err := invitations.Invite(ctx, e.as(admin), invitations.Request{Email: "x@acme.test"})
			if err != nil {
				t.Fatal(err)
			}
			sec := tt.kill(t, e, admin, inv)
			if _, err := invitations.Peek(ctx, e.s, sec); !errors.Is(err, invitations.ErrGone) {
				t.Errorf("peek: err %v, want ErrGone", err)
			}
			// A dead link is reported before bad fields.
			if _, err := invitations.Accept(ctx, e.s, hasher, sec, "", "x", audit.Who{}); !errors.Is(err, invitations.ErrGone) {
				t.Errorf("accept with bad fields: err %v, want ErrGone", err)
			}
			if _, err := invitations.Accept(ctx, e.s, hasher, sec, "Xavier", "correct horse battery staple", audit.Who{}); !errors.Is(err, invitations.ErrGone) {
				t.Errorf("accept: err %v, want ErrGone", err)
			}
			if u, err := people.UserByEmail(ctx, e.s, "x@acme.test"); err == nil && (u.Status != people.Invited || u.PasswordHash != "") {
				t.Errorf("the dead link changed the user: %s, hash %q", u.Status, u.PasswordHash)
			}
			for _, r := range e.entries(t) {
				if r.Action == audit.InviteAccept {
					t.Errorf("an accept was recorded: %+v", r)
				}
			}
		})
	}

	t.Run("another tenant's link", func(t *testing.T) {
		ctx := context.Background()
		e := newEnv(t)
		inv, err := invitations.Invite(ctx, e.as(nil), invitations.Request{Email: "x@acme.test"})
		if err != nil {
			t.Fatal(err)
		}
		other := e.db.Tenant(e.tenant(t, "globex").ID)
		if _, err := invitations.Peek(ctx, other, secret(t, inv)); !errors.Is(err, invitations.ErrGone) {
			t.Errorf("peek through another tenant: err %v, want ErrGone", err)
		}
		if _, err := invitations.Accept(ctx, other, hasher, secret(t, inv), "Xavier", "correct horse battery staple", audit.Who{}); !errors.Is(err, invitations.ErrGone) {
			t.Errorf("accept through another tenant: err %v, want ErrGone", err)
		}
		if _, err := invitations.Peek(ctx, e.s, secret(t, inv)); err != nil {
			t.Errorf("the link in its own tenant: %v", err)
		}
	})
}

func TestListShowsExpiryAndDelivery(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	a, err := invitations.Invite(ctx, e.as(nil), invitations.Request{Email: "a@acme.test"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := invitations.Invite(ctx, e.as(nil), invitations.Request{Email: "b@acme.test", Kind: policy.Guest})
	if err != nil {
		t.Fatal(err)
	}
	// Expire a's link and its invitation record, as seven days would.
	past := time.Now().UTC().Add(-time.Minute)
	if _, err := e.s.Update((*auth.UserToken)(nil)).Set("expires_at = ?", past).Where("user_id = ?", a.UserID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.W.ExecContext(ctx, "UPDATE invitations SET expires_at = ? WHERE id = ?", past, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Update((*mail.Message)(nil)).Set("status = ?", mail.Failed).Set("last_error = ?", "550 no such mailbox").
		Where("to_address = ?", "b@acme.test").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	list, err := invitations.List(ctx, e.s, invitationsScope(e.s))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, i := range list {
		got = append(got, fmt.Sprintf("%d %s %s %s %s %q", i.ID, i.Email, i.Kind, i.Status, i.Delivery, i.Error))
	}
	want := []string{
		fmt.Sprintf("%d b@acme.test guest pending failed %q", b.ID, "550 no such mailbox"),
		fmt.Sprintf("%d a@acme.test member expired queued %q", a.ID, ""),
	}
	if !slices.Equal(got, want) {
		t.Errorf("list\n%q\nwant\n%q", got, want)
	}
}

// opBy is the command-line operator of db's tenant, for fixtures made
// through the org-design operations.
func opBy(db *store.Scoped) people.By { return people.By{Actor: policy.Operator(db.TenantID())} }

// hasher bounds the password hashing of these tests, as the server's does.
var hasher = auth.NewHasher(2, 5*time.Second)

// auditScope is the whole audit log of db's tenant, as its operator reads it.
func auditScope(db *store.Scoped) policy.Scope {
	return policy.AuditScope(policy.Operator(db.TenantID()))
}

// invitationsScope is every pending invitation of db's tenant.
func invitationsScope(db *store.Scoped) policy.Scope {
	return policy.InvitationsScope(policy.Operator(db.TenantID()))
}
