package invitations_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/invitations"
	"github.com/atrium-portal/atrium/app/mail"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store/storetest"
)

// liveLinks counts the user's invitation links that still work and their
// open invitation records.
func (e *env) liveLinks(t *testing.T, userID int64) (tokens, records int) {
	t.Helper()
	ctx := context.Background()
	n, err := e.s.Select((*auth.UserToken)(nil)).
		Where("user_id = ? AND purpose = ? AND used_at IS NULL AND revoked_at IS NULL", userID, auth.PurposeInvite).Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var m int
	if err := e.db.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM invitations WHERE tenant_id = ? AND user_id = ? AND accepted_at IS NULL AND revoked_at IS NULL",
		e.tn.ID, userID).Scan(&m); err != nil {
		t.Fatal(err)
	}
	return int(n), m
}

// TestConcurrentResendsLeaveOneLink: of resends of one invitation racing
// each other, one replaces it and the others find it gone; one link works
// and one email waits.
func TestConcurrentResendsLeaveOneLink(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	admin := user(t, e.s, "admin@acme.test", policy.Admin)
	inv, err := invitations.Invite(ctx, e.as(admin), invitations.Request{Email: "x@acme.test"})
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = invitations.Resend(ctx, e.as(admin), inv.ID)
		}()
	}
	close(start)
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, invitations.ErrGone):
			t.Errorf("resend: %v", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d resends succeeded, want 1", ok)
	}
	if tokens, records := e.liveLinks(t, inv.UserID); tokens != 1 || records != 1 {
		t.Errorf("%d live links and %d open invitations, want 1 and 1", tokens, records)
	}
	queued := 0
	for _, m := range e.outbox(t) {
		if m.Status == mail.Queued {
			queued++
		}
	}
	if queued != 1 {
		t.Errorf("%d emails waiting, want 1", queued)
	}
}

// TestRevokeRacingAcceptHasOneOutcome: a revoke and an accept of the same
// invitation at once end with exactly one of them done, and the other
// told the invitation is gone.
func TestRevokeRacingAcceptHasOneOutcome(t *testing.T) {
	for round := range 4 {
		t.Run(fmt.Sprint(round), func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t)
			admin := user(t, e.s, "admin@acme.test", policy.Admin)
			inv, err := invitations.Invite(ctx, e.as(admin), invitations.Request{Email: "x@acme.test"})
			if err != nil {
				t.Fatal(err)
			}
			var revokeErr, acceptErr error
			var wg sync.WaitGroup
			start := make(chan struct{})
			wg.Add(2)
			go func() {
				defer wg.Done()
				<-start
				revokeErr = invitations.Revoke(ctx, e.as(admin), inv.ID)
			}()
			go func() {
				defer wg.Done()
				<-start
				_, acceptErr = invitations.Accept(ctx, e.s, hasher, secret(t, inv), "Xavier", "correct horse battery staple", audit.Who{})
			}()
			close(start)
			wg.Wait()
			u, uerr := people.UserByID(ctx, e.s, inv.UserID)
			got, gerr := invitations.Get(ctx, e.s, admin.Actor(), inv.ID)
			if gerr != nil {
				t.Fatal(gerr)
			}
			switch {
			case revokeErr == nil && errors.Is(acceptErr, invitations.ErrGone):
				if !errors.Is(uerr, people.ErrNotFound) || got.State != invitations.StateRevoked {
					t.Errorf("revoke won, but the user is %+v (%v) and the invitation %s", u, uerr, got.State)
				}
			case acceptErr == nil && errors.Is(revokeErr, invitations.ErrGone):
				if uerr != nil || u.Status != people.Active || got.State != invitations.StateAccepted {
					t.Errorf("accept won, but the user is %+v (%v) and the invitation %s", u, uerr, got.State)
				}
			default:
				t.Errorf("revoke: %v; accept: %v; want exactly one to succeed and the other ErrGone", revokeErr, acceptErr)
			}
		})
	}
}

// TestClaimsAreConditional: when another transaction has taken the
// invitation between this one's read and its write (simulated by a trigger
// that skips the update, as a conditional update that lost the race
// would), resend, revoke and accept each find it gone and change nothing.
// None relies on SQLite's single writer to serialise them.
func TestClaimsAreConditional(t *testing.T) {
	ops := map[string]func(e *env, admin *people.User, inv *invitations.Invitation) error{
		"resend": func(e *env, admin *people.User, inv *invitations.Invitation) error {
			_, err := invitations.Resend(context.Background(), e.as(admin), inv.ID)
			return err
		},
		"revoke": func(e *env, admin *people.User, inv *invitations.Invitation) error {
			return invitations.Revoke(context.Background(), e.as(admin), inv.ID)
		},
		"accept": func(e *env, _ *people.User, inv *invitations.Invitation) error {
			_, err := invitations.Accept(context.Background(), e.s, hasher, secretOf(inv), "Xavier", "correct horse battery staple", audit.Who{})
			return err
		},
	}
	for name, op := range ops {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t)
			admin := user(t, e.s, "admin@acme.test", policy.Admin)
			inv, err := invitations.Invite(ctx, e.as(admin), invitations.Request{Email: "x@acme.test"})
			if err != nil {
				t.Fatal(err)
			}
			storetest.SkipWrites(t, e.db, "UPDATE", "invitations") // taken elsewhere
			if err := op(e, admin, inv); !errors.Is(err, invitations.ErrGone) {
				t.Fatalf("%s of an invitation taken elsewhere: err %v, want ErrGone", name, err)
			}
			u, err := people.UserByID(ctx, e.s, inv.UserID)
			if err != nil || u.Status != people.Invited || u.PasswordHash != "" {
				t.Errorf("user after the lost race: %+v, %v", u, err)
			}
			if tokens, _ := e.liveLinks(t, inv.UserID); tokens != 1 {
				t.Errorf("%d live links after the lost race, want the first", tokens)
			}
			if msgs := e.outbox(t); len(msgs) != 1 || msgs[0].Status != mail.Queued {
				t.Errorf("outbox after the lost race: %+v", msgs)
			}
			if n := len(e.entries(t)); n != 1 {
				t.Errorf("%d audit records, want only the invitation's", n)
			}
		})
	}
}

// secretOf is the token of an invitation's link.
func secretOf(inv *invitations.Invitation) string {
	return inv.Link[len(base+"/invite/"):]
}
