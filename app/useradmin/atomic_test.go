package useradmin_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store/storetest"
	"github.com/atrium-portal/atrium/app/useradmin"
)

// userState is everything of a user that Apply may change: the row with its
// capabilities and modules, its sessions and its reset link.
type userState struct {
	User      *people.User
	Sessions  int64
	ResetLive bool
}

func (e *env) state(t *testing.T, id int64, reset string) userState {
	t.Helper()
	ctx := context.Background()
	n, err := e.s.Select((*auth.Session)(nil)).Where("user_id = ?", id).Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = auth.PeekToken(ctx, e.s, reset, auth.PurposeReset, time.Now().UTC())
	return userState{User: e.reload(t, id), Sessions: n, ResetLive: err == nil}
}

// TestChangesRollBackWithoutTheirRecord: a change whose audit record cannot
// be written returns the error and leaves the user exactly as before —
// capabilities, status, modules, sessions and links. Writing the records
// after the commit would pass every other test; this one fails.
func TestChangesRollBackWithoutTheirRecord(t *testing.T) {
	tests := []struct {
		name  string
		kind  policy.Kind // the target's kind
		patch useradmin.Patch
	}{
		{"capability change", policy.Member, useradmin.Patch{Capabilities: caps(policy.Admin, policy.BillingAdmin)}},
		{"deactivation", policy.Member, useradmin.Patch{Status: ptr(people.Deactivated)}},
		{"module change", policy.ExternalEditor, useradmin.Patch{Modules: &[]people.ModuleSetting{{Key: policy.PageTickets, Show: true, Label: "Support"}}}},
		{"kind change", policy.Member, useradmin.Patch{Kind: ptr(policy.Guest)}},
	}
	// setup makes a fresh tenant with a super admin and a target who is
	// signed in and holds a reset link.
	setup := func(t *testing.T, kind policy.Kind) (e *env, actor, target *people.User, reset string) {
		t.Helper()
		ctx := context.Background()
		e = newEnv(t)
		actor = user(t, e.s, "super@acme.test", policy.Member, policy.SuperAdmin)
		if kind.External() {
			target = externalUser(t, e, "target@acme.test", kind)
		} else {
			target = user(t, e.s, "target@acme.test", kind)
		}
		sessions := auth.Sessions{Idle: time.Hour, Absolute: 24 * time.Hour}
		if _, _, err := sessions.Create(ctx, e.s, target.ID, "198.51.100.1", "test"); err != nil {
			t.Fatal(err)
		}
		reset, _, err := auth.IssueToken(ctx, e.s, target.ID, auth.PurposeReset, time.Now().UTC())
		if err != nil {
			t.Fatal(err)
		}
		return e, actor, target, reset
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// With a working audit log the change goes through and shows,
			// so "unchanged" below is not the result of a no-op patch.
			e, actor, target, reset := setup(t, tt.kind)
			before := e.state(t, target.ID, reset)
			if _, err := apply(e, actor, target.ID, tt.patch); err != nil {
				t.Fatalf("with a working audit log: %v", err)
			}
			if reflect.DeepEqual(before, e.state(t, target.ID, reset)) || len(e.entries(t)) == 0 {
				t.Fatal("the change changes nothing or writes no record even with a working audit log")
			}

			e, actor, target, reset = setup(t, tt.kind)
			before = e.state(t, target.ID, reset)
			records := len(e.entries(t))
			storetest.FailWrites(t, e.db, "INSERT", "audit_log", "audit down")
			if _, err := apply(e, actor, target.ID, tt.patch); err == nil || !strings.Contains(err.Error(), "audit down") {
				t.Fatalf("err %v, want the audit failure", err)
			}
			if after := e.state(t, target.ID, reset); !reflect.DeepEqual(before, after) {
				t.Errorf("user changed by a change without its record\nbefore %+v (%+v)\nafter  %+v (%+v)", before, *before.User, after, *after.User)
			}
			if n := len(e.entries(t)); n != records {
				t.Errorf("%d audit records, want %d", n, records)
			}
		})
	}
}
