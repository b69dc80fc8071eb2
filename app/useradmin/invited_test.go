package useradmin_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/invitations"
	"github.com/atrium-portal/atrium/app/mail"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/useradmin"
)

const msgNeverAccepted = "This person never accepted their invitation; invite them again."

// TestDeactivatingAnInvitedUserEndsTheInvitation: deactivating someone
// still invited revokes their invitation in the same change (its record,
// its link, its queued email); reactivating them is refused, since they
// never chose a password; inviting them again works.
func TestDeactivatingAnInvitedUserEndsTheInvitation(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	user(t, e.s, "keeper@acme.test", policy.Member, policy.SuperAdmin)
	admin := user(t, e.s, "admin@acme.test", policy.Member, policy.Admin)
	op := policy.Operator(e.tn.ID)
	ic := invitations.Context{DB: e.s, Tenant: e.tn, Base: "https://acme.example.test", Actor: op}
	inv, err := invitations.Invite(ctx, ic, invitations.Request{Email: "x@acme.test"})
	if err != nil {
		t.Fatal(err)
	}
	sec := inv.Link[len(ic.Base+"/invite/"):]

	got, err := apply(e, admin, inv.UserID, useradmin.Patch{Status: ptr(people.Deactivated)})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != people.Deactivated {
		t.Errorf("status %s, want deactivated", got.Status)
	}
	state, err := invitations.Get(ctx, e.s, op, inv.ID)
	if err != nil || state.State != invitations.StateRevoked || state.Status != "revoked" {
		t.Errorf("the invitation after deactivation: %+v, %v", state, err)
	}
	if _, err := invitations.Peek(ctx, e.s, sec); !errors.Is(err, invitations.ErrGone) {
		t.Errorf("the link after deactivation: err %v, want ErrGone", err)
	}
	var msgs []mail.Message
	if err := e.s.Select(&msgs).Scan(ctx); err != nil || len(msgs) != 1 || msgs[0].Status != mail.Cancelled {
		t.Errorf("the invitation's email after deactivation: %+v, %v", msgs, err)
	}
	if list, err := invitations.List(ctx, e.s, policy.InvitationsScope(op)); err != nil || len(list) != 0 {
		t.Errorf("pending invitations after deactivation: %+v, %v", list, err)
	}
	if _, err := invitations.Resend(ctx, ic, inv.ID); !errors.Is(err, invitations.ErrGone) {
		t.Errorf("resend after deactivation: err %v, want ErrGone", err)
	}

	// Reactivating would make an account nobody can sign in to.
	_, err = apply(e, admin, inv.UserID, useradmin.Patch{Status: ptr(people.Active)})
	if msg := fieldErr(err, "status"); msg != msgNeverAccepted {
		t.Errorf("reactivation: status error %q (err %v), want %q", msg, err, msgNeverAccepted)
	}
	if u := e.reload(t, inv.UserID); u.Status != people.Deactivated {
		t.Errorf("status %s after a refused reactivation", u.Status)
	}

	var log []string
	for _, r := range e.entries(t) {
		if r.Action != audit.Invite {
			log = append(log, fmt.Sprintf("%s %s", r.Action, r.Summary))
		}
	}
	want := []string{"user.deactivate deactivated x@acme.test", "user.invite_revoke revoked the invitation of x@acme.test at deactivation"}
	if !slices.Equal(log, want) {
		t.Errorf("audit\n%q\nwant\n%q", log, want)
	}

	// As the message says: invite them again.
	again, err := invitations.Invite(ctx, ic, invitations.Request{Email: "x@acme.test"})
	if err != nil {
		t.Fatalf("invite again: %v", err)
	}
	if u, err := invitations.Peek(ctx, e.s, again.Link[len(ic.Base+"/invite/"):]); err != nil || u.Status != people.Invited {
		t.Errorf("the new link: %+v, %v", u, err)
	}
}

// TestReactivationNeedsAnAcceptedAccount: an account deactivated before it
// was ever set up (no password: invited, then deactivated before this
// change revoked invitations) is not made active; one that was set up is.
func TestReactivationNeedsAnAcceptedAccount(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	admin := user(t, e.s, "admin@acme.test", policy.Member, policy.Admin)
	for _, hasPassword := range []bool{false, true} {
		email := fmt.Sprintf("u%v@acme.test", hasPassword)
		u, err := people.CreateUser(ctx, e.s, people.NewUser{Email: email, Kind: policy.Member, Status: people.Deactivated})
		if err != nil {
			t.Fatal(err)
		}
		if hasPassword {
			if err := people.SetPassword(ctx, e.s, u.ID, "hash of a chosen password", ""); err != nil {
				t.Fatal(err)
			}
		}
		_, err = apply(e, admin, u.ID, useradmin.Patch{Status: ptr(people.Active)})
		if hasPassword && err != nil {
			t.Errorf("reactivate a user who signed up: %v", err)
		}
		if msg := fieldErr(err, "status"); !hasPassword && msg != msgNeverAccepted {
			t.Errorf("reactivate a user who never accepted: %q (err %v), want %q", msg, err, msgNeverAccepted)
		}
		want := map[bool]people.Status{true: people.Active, false: people.Deactivated}[hasPassword]
		if got := e.reload(t, u.ID).Status; got != want {
			t.Errorf("%s: status %s, want %s", email, got, want)
		}
	}
}
