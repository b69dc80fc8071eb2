package invitations_test

import (
	"context"
	"errors"
	"testing"

	"github.com/atrium-portal/atrium/app/invitations"
	"github.com/atrium-portal/atrium/app/mail"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
)

// TestResendAndRevokeFollowTheInvitee: resending or revoking an invitation
// acts on the person it invites, so it needs policy.CanManageUser on them:
// a people admin sees an admin's or a super admin's invitation in the list
// and may open it, but may not resend or revoke it.
func TestResendAndRevokeFollowTheInvitee(t *testing.T) {
	S, A, P := policy.SuperAdmin, policy.Admin, policy.PeopleAdmin
	tests := []struct {
		name      string
		actorCaps []policy.Capability
		invitee   []policy.Capability
		allowed   bool
	}{
		{"people admin and a super admin's invitation", []policy.Capability{P}, []policy.Capability{S}, false},
		{"people admin and an admin's invitation", []policy.Capability{P}, []policy.Capability{A}, false},
		{"admin and a super admin's invitation", []policy.Capability{A}, []policy.Capability{S}, false},
		{"admin and an admin's invitation", []policy.Capability{A}, []policy.Capability{A}, true},
		{"people admin and a member's invitation", []policy.Capability{P}, nil, true},
		{"people admin and a billing admin's invitation", []policy.Capability{P}, []policy.Capability{policy.BillingAdmin}, true},
	}
	for _, tt := range tests {
		for _, op := range []string{"resend", "revoke"} {
			t.Run(tt.name+" "+op, func(t *testing.T) {
				ctx := context.Background()
				e := newEnv(t)
				actor := user(t, e.s, "actor@acme.test", tt.actorCaps...)
				inv, err := invitations.Invite(ctx, e.as(nil), invitations.Request{Email: "x@acme.test", Capabilities: tt.invitee})
				if err != nil {
					t.Fatal(err)
				}
				before := len(e.entries(t))

				// Visible to whoever may invite, whatever they may change.
				if got, err := invitations.Get(ctx, e.s, actor.Actor(), inv.ID); err != nil || got.ID != inv.ID {
					t.Fatalf("get: %+v, %v", got, err)
				}
				if list, err := invitations.List(ctx, e.s, policy.InvitationsScope(actor.Actor())); err != nil || len(list) != 1 {
					t.Fatalf("list: %+v, %v", list, err)
				}

				if op == "resend" {
					_, err = invitations.Resend(ctx, e.as(actor), inv.ID)
				} else {
					err = invitations.Revoke(ctx, e.as(actor), inv.ID)
				}
				if tt.allowed {
					if err != nil {
						t.Fatalf("%s: %v", op, err)
					}
					return
				}
				if !errors.Is(err, invitations.ErrNotManaged) || !errors.Is(err, invitations.ErrForbidden) {
					t.Fatalf("%s: err %v, want ErrNotManaged (an ErrForbidden)", op, err)
				}
				// Nothing changed: the user, the live link, the queued email, the log.
				if u, err := invitations.Peek(ctx, e.s, secret(t, inv)); err != nil || u.ID != inv.UserID {
					t.Errorf("the link after a refused %s: %v, %v", op, u, err)
				}
				if msgs := e.outbox(t); len(msgs) != 1 || msgs[0].Status != mail.Queued {
					t.Errorf("outbox after a refused %s: %+v", op, msgs)
				}
				if got, err := invitations.Get(ctx, e.s, actor.Actor(), inv.ID); err != nil || got.Status != "pending" {
					t.Errorf("invitation after a refused %s: %+v, %v", op, got, err)
				}
				if n := len(e.entries(t)); n != before {
					t.Errorf("%d audit records after a refused %s, want %d", n, op, before)
				}
			})
		}
	}
}

// TestInviteOnlyCapabilitiesTheActorGrants: an invitation gives nobody a
// capability its sender could not grant on the user's page
// (policy.CheckCapabilities decides both).
func TestInviteOnlyCapabilitiesTheActorGrants(t *testing.T) {
	S, A, P := policy.SuperAdmin, policy.Admin, policy.PeopleAdmin
	tests := []struct {
		actor   policy.Capability
		invitee []policy.Capability
		message string
	}{
		{P, []policy.Capability{S}, "Only super admins can grant or remove super admin."},
		{P, []policy.Capability{A}, "Only super admins and admins can grant or remove admin capabilities."},
		{P, []policy.Capability{P}, "Only super admins and admins can grant or remove admin capabilities."},
		{A, []policy.Capability{A, S}, "Only super admins can grant or remove super admin."},
		{A, []policy.Capability{A, P}, ""},
		{S, []policy.Capability{S}, ""},
	}
	for _, tt := range tests {
		e := newEnv(t)
		actor := user(t, e.s, "actor@acme.test", tt.actor)
		_, err := invitations.Invite(context.Background(), e.as(actor), invitations.Request{Email: "x@acme.test", Capabilities: tt.invitee})
		if got := fieldErr(err, "capabilities"); got != tt.message || (tt.message == "" && err != nil) {
			t.Errorf("%s invites with %v: err %v, want %q", tt.actor, tt.invitee, err, tt.message)
		}
		if _, uerr := people.UserByEmail(context.Background(), e.s, "x@acme.test"); (uerr == nil) != (tt.message == "") {
			t.Errorf("%s invites with %v: user exists %v", tt.actor, tt.invitee, uerr == nil)
		}
	}
}

// TestSingleInvitationsThroughTheScope: Get, Resend and Revoke load the
// invitation through policy.InvitationsScope, so an actor outside it (one
// who may not invite, another tenant's, nobody) finds nothing.
func TestSingleInvitationsThroughTheScope(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	inv, err := invitations.Invite(ctx, e.as(nil), invitations.Request{Email: "x@acme.test"})
	if err != nil {
		t.Fatal(err)
	}
	member := user(t, e.s, "member@acme.test")
	other := e.tenant(t, "globex")
	oe := &env{db: e.db, tn: other, s: e.db.Tenant(other.ID)}
	foreignAdmin := user(t, oe.s, "admin@globex.test", policy.SuperAdmin)

	for name, a := range map[string]policy.Actor{
		"a member":                     member.Actor(),
		"nobody":                       {},
		"another tenant's super admin": foreignAdmin.Actor(),
	} {
		if got, err := invitations.Get(ctx, e.s, a, inv.ID); !errors.Is(err, invitations.ErrNotFound) {
			t.Errorf("get as %s: %+v, err %v, want ErrNotFound", name, got, err)
		}
		ic := e.as(nil)
		ic.Actor = a
		if _, err := invitations.Resend(ctx, ic, inv.ID); !errors.Is(err, invitations.ErrNotFound) {
			t.Errorf("resend as %s: err %v, want ErrNotFound", name, err)
		}
		if err := invitations.Revoke(ctx, ic, inv.ID); !errors.Is(err, invitations.ErrNotFound) {
			t.Errorf("revoke as %s: err %v, want ErrNotFound", name, err)
		}
	}
	if u, err := invitations.Peek(ctx, e.s, secret(t, inv)); err != nil || u.ID != inv.UserID {
		t.Errorf("the link after the attempts: %v, %v", u, err)
	}
	if msgs := e.outbox(t); len(msgs) != 1 {
		t.Errorf("%d emails after the attempts, want 1", len(msgs))
	}
	if got, err := invitations.Get(ctx, e.s, policy.Operator(e.tn.ID), inv.ID); err != nil || got.Status != "pending" {
		t.Errorf("get as the operator: %+v, %v", got, err)
	}
}
