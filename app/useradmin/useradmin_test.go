package useradmin_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/store/storetest"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/useradmin"
	"github.com/atrium-portal/atrium/app/valid"
)

// env is one fresh migrated database with one tenant, "acme". Every test
// (and every table row) builds its own, so no row sees another's writes.
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

// user creates an active user of kind with caps in the handle's tenant.
func user(t *testing.T, s *store.Scoped, email string, kind policy.Kind, caps ...policy.Capability) *people.User {
	t.Helper()
	u, err := people.CreateUser(context.Background(), s, people.NewUser{
		Email: email, Name: "Name of " + email, Kind: kind, Capabilities: caps, Status: people.Active,
	})
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

func (e *env) reload(t *testing.T, id int64) *people.User {
	t.Helper()
	u, err := people.UserByID(context.Background(), e.s, id)
	if err != nil {
		t.Fatalf("reload user %d: %v", id, err)
	}
	return u
}

// entries returns the tenant's audit records, oldest first.
func (e *env) entries(t *testing.T) []audit.Entry {
	t.Helper()
	out, _, err := audit.List(context.Background(), e.s, audit.Filter{Scope: auditScope(e.s), Limit: audit.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(out)
	// Fixtures made through the org-design operations write their own
	// records; these tests are about the user changes' records.
	return slices.DeleteFunc(out, func(e audit.Entry) bool {
		return e.Action == audit.TeamChange || e.Action == audit.CompanyChange
	})
}

func who(u *people.User) audit.Who {
	return audit.Who{ActorID: u.ID, Address: "192.0.2.10"}
}

func apply(e *env, actor *people.User, target int64, p useradmin.Patch) (*people.User, error) {
	return useradmin.Apply(context.Background(), e.s, actor.Actor(), policy.Settings{}, target, p, who(actor))
}

func caps(cs ...policy.Capability) *[]policy.Capability { return &cs }

func ptr[T any](v T) *T { return &v }

// fieldErr returns the message of field in err, or "" when err is not a valid.Errors.
func fieldErr(err error, field string) string {
	var ve valid.Errors
	if errors.As(err, &ve) {
		return ve[field]
	}
	return ""
}

const (
	msgSuper    = "Only super admins can grant or remove super admin."
	msgAdmin    = "Only super admins and admins can grant or remove admin capabilities."
	msgNonMem   = "Only members can hold admin capabilities."
	msgUnknown  = "Unknown capability."
	msgLastSA   = "This is the last active super admin. Make someone else super admin first."
	msgInvited  = "An invited user becomes active by accepting the invitation."
	msgStatus   = "Use active or deactivated."
	msgMgrKind  = "Only members have a manager."
	msgMgrSelf  = "Nobody manages themselves."
	msgMgrPick  = "Choose a member from the list."
	msgMgrState = "The manager must be an active member."
	msgMgrLoop  = "That would make a circle of managers."
)

func TestCapabilityChanges(t *testing.T) {
	S, A, P, B := policy.SuperAdmin, policy.Admin, policy.PeopleAdmin, policy.BillingAdmin
	tests := []struct {
		name       string
		actorCaps  []policy.Capability
		targetCaps []policy.Capability
		patch      []policy.Capability
		wantErr    error  // exact sentinel, or nil
		wantField  string // message on "capabilities", or ""
		wantCaps   []policy.Capability
		wantAudit  string // summary of the one capability record, "" for none
	}{
		{name: "super admin grants admin", actorCaps: []policy.Capability{S}, patch: []policy.Capability{A},
			wantCaps: []policy.Capability{A}, wantAudit: "capabilities of target@acme.test: none → admin"},
		{name: "super admin grants super admin", actorCaps: []policy.Capability{S}, targetCaps: []policy.Capability{A}, patch: []policy.Capability{S, A},
			wantCaps: []policy.Capability{S, A}, wantAudit: "capabilities of target@acme.test: admin → admin, super_admin"},
		{name: "super admin removes admin", actorCaps: []policy.Capability{S}, targetCaps: []policy.Capability{A, B}, patch: []policy.Capability{B},
			wantCaps: []policy.Capability{B}, wantAudit: "capabilities of target@acme.test: admin, billing_admin → billing_admin"},
		{name: "super admin removes another super admin", actorCaps: []policy.Capability{S}, targetCaps: []policy.Capability{S}, patch: []policy.Capability{},
			wantCaps: []policy.Capability{}, wantAudit: "capabilities of target@acme.test: super_admin → none"},
		{name: "admin grants admin", actorCaps: []policy.Capability{A}, patch: []policy.Capability{A},
			wantCaps: []policy.Capability{A}, wantAudit: "capabilities of target@acme.test: none → admin"},
		{name: "admin grants billing and people admin", actorCaps: []policy.Capability{A}, targetCaps: []policy.Capability{policy.HeadlinesAdmin}, patch: []policy.Capability{P, B},
			wantCaps: []policy.Capability{B, P}, wantAudit: "capabilities of target@acme.test: headlines_admin → billing_admin, people_admin"},
		{name: "admin may not grant super admin", actorCaps: []policy.Capability{A}, patch: []policy.Capability{S},
			wantField: msgSuper, wantCaps: []policy.Capability{}},
		{name: "admin removes an admin (SPEC §4.2)", actorCaps: []policy.Capability{A}, targetCaps: []policy.Capability{A}, patch: []policy.Capability{},
			wantCaps: []policy.Capability{}, wantAudit: "capabilities of target@acme.test: admin → none"},
		{name: "admin may not change a super admin", actorCaps: []policy.Capability{A}, targetCaps: []policy.Capability{S}, patch: []policy.Capability{S, B},
			wantErr: useradmin.ErrForbidden, wantCaps: []policy.Capability{S}},
		{name: "people admin may not grant capabilities", actorCaps: []policy.Capability{P}, patch: []policy.Capability{B},
			wantField: msgAdmin, wantCaps: []policy.Capability{}},
		{name: "people admin may not remove capabilities", actorCaps: []policy.Capability{P}, targetCaps: []policy.Capability{B}, patch: []policy.Capability{},
			wantField: msgAdmin, wantCaps: []policy.Capability{B}},
		{name: "people admin may not touch an admin", actorCaps: []policy.Capability{P}, targetCaps: []policy.Capability{A}, patch: []policy.Capability{},
			wantErr: useradmin.ErrForbidden, wantCaps: []policy.Capability{A}},
		{name: "billing admin manages nobody", actorCaps: []policy.Capability{B}, patch: []policy.Capability{B},
			wantErr: useradmin.ErrForbidden, wantCaps: []policy.Capability{}},
		{name: "plain member manages nobody", patch: []policy.Capability{B},
			wantErr: useradmin.ErrForbidden, wantCaps: []policy.Capability{}},
		{name: "unknown capability", actorCaps: []policy.Capability{S}, patch: []policy.Capability{"root"},
			wantField: msgUnknown, wantCaps: []policy.Capability{}},
		{name: "the same set in another order changes nothing", actorCaps: []policy.Capability{S}, targetCaps: []policy.Capability{A, B}, patch: []policy.Capability{B, A, B},
			wantCaps: []policy.Capability{A, B}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			// A super admin who is neither actor nor target keeps the last-super-admin rule out of the way.
			user(t, e.s, "keeper@acme.test", policy.Member, policy.SuperAdmin)
			actor := user(t, e.s, "actor@acme.test", policy.Member, tt.actorCaps...)
			target := user(t, e.s, "target@acme.test", policy.Member, tt.targetCaps...)

			got, err := apply(e, actor, target.ID, useradmin.Patch{Capabilities: caps(tt.patch...)})
			switch {
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
			case tt.wantField != "":
				if msg := fieldErr(err, "capabilities"); msg != tt.wantField {
					t.Fatalf("capabilities error = %q (err %v), want %q", msg, err, tt.wantField)
				}
			case err != nil:
				t.Fatalf("Apply: %v", err)
			default:
				if caps := got.CapabilityList(); !slices.Equal(caps, tt.wantCaps) {
					t.Errorf("returned user holds %v, want %v", caps, tt.wantCaps)
				}
			}
			if caps := e.reload(t, target.ID).CapabilityList(); !slices.Equal(caps, tt.wantCaps) {
				t.Errorf("stored capabilities %v, want %v", caps, tt.wantCaps)
			}
			entries := e.entries(t)
			if tt.wantAudit == "" {
				if len(entries) != 0 {
					t.Errorf("audit records %+v, want none", entries)
				}
				return
			}
			if len(entries) != 1 {
				t.Fatalf("%d audit records %+v, want 1", len(entries), entries)
			}
			r := entries[0]
			if r.Action != audit.CapabilityChange || r.Summary != tt.wantAudit || r.ObjectType != "user" ||
				r.ObjectID == nil || *r.ObjectID != target.ID || r.ActorID == nil || *r.ActorID != actor.ID ||
				r.Address != "192.0.2.10" || r.ImpersonatorID != nil {
				t.Errorf("audit record %+v (object %v, actor %v), want %s %q on user %d by %d",
					r, deref(r.ObjectID), deref(r.ActorID), audit.CapabilityChange, tt.wantAudit, target.ID, actor.ID)
			}
		})
	}
}

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestNobodyManagesThemselves(t *testing.T) {
	e := newEnv(t)
	sa := user(t, e.s, "sa@acme.test", policy.Member, policy.SuperAdmin)
	user(t, e.s, "sa2@acme.test", policy.Member, policy.SuperAdmin)
	for name, p := range map[string]useradmin.Patch{
		"capabilities": {Capabilities: caps()},
		"deactivate":   {Status: ptr(people.Deactivated)},
		"name":         {Name: ptr("Renamed")},
	} {
		if _, err := apply(e, sa, sa.ID, p); !errors.Is(err, useradmin.ErrForbidden) {
			t.Errorf("%s of oneself: err %v, want ErrForbidden", name, err)
		}
	}
	got := e.reload(t, sa.ID)
	if got.Status != people.Active || got.Name != "Name of sa@acme.test" || !slices.Equal(got.CapabilityList(), []policy.Capability{policy.SuperAdmin}) {
		t.Errorf("user after refused self-changes: %+v", got)
	}
}

func TestUnknownOrForeignUserIsNotFound(t *testing.T) {
	e := newEnv(t)
	sa := user(t, e.s, "sa@acme.test", policy.Member, policy.SuperAdmin)
	other := e.tenant(t, "globex")
	foreign := user(t, e.db.Tenant(other.ID), "canary-foreign@globex.test", policy.Member)

	for _, id := range []int64{foreign.ID, 987654} {
		_, err := apply(e, sa, id, useradmin.Patch{Name: ptr("hijacked"), Status: ptr(people.Deactivated)})
		if !errors.Is(err, people.ErrNotFound) {
			t.Errorf("Apply to user %d: err %v, want people.ErrNotFound", id, err)
		}
	}
	got, err := people.UserByID(context.Background(), e.db.Tenant(other.ID), foreign.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Name of canary-foreign@globex.test" || got.Status != people.Active {
		t.Errorf("the other tenant's user changed: %+v", got)
	}
	if n := len(e.entries(t)); n != 0 {
		t.Errorf("%d audit records after refused changes, want 0", n)
	}
}

func TestNonMembersHoldNoCapabilities(t *testing.T) {
	for _, kind := range []policy.Kind{policy.Guest, policy.Client, policy.ExternalEditor, policy.ExternalViewer} {
		t.Run("grant to "+string(kind), func(t *testing.T) {
			e := newEnv(t)
			sa := user(t, e.s, "sa@acme.test", policy.Member, policy.SuperAdmin)
			var target *people.User
			if kind.External() {
				target = externalUser(t, e, "target@acme.test", kind)
			} else {
				target = user(t, e.s, "target@acme.test", kind)
			}
			_, err := apply(e, sa, target.ID, useradmin.Patch{Capabilities: caps(policy.BillingAdmin)})
			if msg := fieldErr(err, "capabilities"); msg != msgNonMem {
				t.Fatalf("capabilities error %q (err %v), want %q", msg, err, msgNonMem)
			}
			if c := e.reload(t, target.ID).CapabilityList(); len(c) != 0 {
				t.Errorf("%s holds %v", kind, c)
			}
		})
	}

	t.Run("a member with capabilities becomes a client only without them", func(t *testing.T) {
		e := newEnv(t)
		sa := user(t, e.s, "sa@acme.test", policy.Member, policy.SuperAdmin)
		target := user(t, e.s, "target@acme.test", policy.Member, policy.BillingAdmin)

		_, err := apply(e, sa, target.ID, useradmin.Patch{Kind: ptr(policy.Client)})
		if msg := fieldErr(err, "capabilities"); msg != msgNonMem {
			t.Fatalf("kind change keeping capabilities: error %q (err %v), want %q", msg, err, msgNonMem)
		}
		if got := e.reload(t, target.ID); got.Kind != policy.Member || !slices.Equal(got.CapabilityList(), []policy.Capability{policy.BillingAdmin}) {
			t.Fatalf("after the refused change: kind %s, capabilities %v", got.Kind, got.CapabilityList())
		}

		got, err := apply(e, sa, target.ID, useradmin.Patch{Kind: ptr(policy.Client), Capabilities: caps()})
		if err != nil {
			t.Fatal(err)
		}
		if got.Kind != policy.Client || len(got.CapabilityList()) != 0 {
			t.Errorf("after the change: kind %s, capabilities %v; want client with none", got.Kind, got.CapabilityList())
		}
		var actions []audit.Action
		var summaries []string
		for _, r := range e.entries(t) {
			actions = append(actions, r.Action)
			summaries = append(summaries, r.Summary)
		}
		wantActions := []audit.Action{audit.KindChange, audit.CapabilityChange}
		wantSummaries := []string{
			"kind of target@acme.test: member → client",
			"capabilities of target@acme.test: billing_admin → none",
		}
		if !slices.Equal(actions, wantActions) || !slices.Equal(summaries, wantSummaries) {
			t.Errorf("audit %v %q, want %v %q", actions, summaries, wantActions, wantSummaries)
		}
	})

	t.Run("a people admin cannot strip capabilities by changing the kind", func(t *testing.T) {
		e := newEnv(t)
		pa := user(t, e.s, "pa@acme.test", policy.Member, policy.PeopleAdmin)
		target := user(t, e.s, "target@acme.test", policy.Member, policy.BillingAdmin)
		_, err := apply(e, pa, target.ID, useradmin.Patch{Kind: ptr(policy.Guest), Capabilities: caps()})
		if msg := fieldErr(err, "capabilities"); msg != msgAdmin {
			t.Fatalf("error %q (err %v), want %q", msg, err, msgAdmin)
		}
		if got := e.reload(t, target.ID); got.Kind != policy.Member || len(got.CapabilityList()) != 1 {
			t.Errorf("target now %s with %v", got.Kind, got.CapabilityList())
		}
	})
}

// externalUser creates an active external user assigned to a new company.
func externalUser(t *testing.T, e *env, email string, kind policy.Kind) *people.User {
	t.Helper()
	ctx := context.Background()
	u := user(t, e.s, email, kind)
	c, err := people.SaveCompany(ctx, e.s, opBy(e.s), 0, people.CompanyInput{Name: ptr("Company of " + email)})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.s.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		return people.SetAssignments(ctx, tx, u.ID, nil, []int64{c.ID})
	}); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestLastActiveSuperAdmin(t *testing.T) {
	// Two super admins act on each other with what their sessions loaded
	// before the first change: the first change passes, the second would
	// leave no active super admin and is refused.
	tests := []struct {
		name  string
		patch useradmin.Patch
		check func(t *testing.T, u *people.User) // the first target, after the first change
	}{
		{"demote", useradmin.Patch{Capabilities: caps(policy.Admin)}, func(t *testing.T, u *people.User) {
			if c := u.CapabilityList(); !slices.Equal(c, []policy.Capability{policy.Admin}) {
				t.Errorf("demoted super admin holds %v, want [admin]", c)
			}
		}},
		{"deactivate", useradmin.Patch{Status: ptr(people.Deactivated)}, func(t *testing.T, u *people.User) {
			if u.Status != people.Deactivated {
				t.Errorf("status %s, want deactivated", u.Status)
			}
		}},
		{"make a guest", useradmin.Patch{Kind: ptr(policy.Guest), Capabilities: caps()}, func(t *testing.T, u *people.User) {
			if u.Kind != policy.Guest || len(u.CapabilityList()) != 0 {
				t.Errorf("kind %s with %v, want a guest with none", u.Kind, u.CapabilityList())
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			a := user(t, e.s, "a@acme.test", policy.Member, policy.SuperAdmin)
			b := user(t, e.s, "b@acme.test", policy.Member, policy.SuperAdmin)

			got, err := apply(e, a, b.ID, tt.patch)
			if err != nil {
				t.Fatalf("first change with two super admins: %v", err)
			}
			tt.check(t, got)
			before := len(e.entries(t))

			_, err = apply(e, b, a.ID, tt.patch) // b's stale actor still says super admin
			if msg := fieldErr(err, "status"); msg != msgLastSA {
				t.Fatalf("second change: error %q (err %v), want %q", msg, err, msgLastSA)
			}
			ga := e.reload(t, a.ID)
			if ga.Status != people.Active || ga.Kind != policy.Member || !slices.Equal(ga.CapabilityList(), []policy.Capability{policy.SuperAdmin}) {
				t.Errorf("last super admin after the refusal: %s %s %v", ga.Status, ga.Kind, ga.CapabilityList())
			}
			if after := len(e.entries(t)); after != before {
				t.Errorf("the refused change wrote %d audit records", after-before)
			}
		})
	}

	t.Run("a deactivated super admin neither counts nor is protected", func(t *testing.T) {
		e := newEnv(t)
		a := user(t, e.s, "a@acme.test", policy.Member, policy.SuperAdmin)
		b := user(t, e.s, "b@acme.test", policy.Member, policy.SuperAdmin)
		if _, err := apply(e, a, b.ID, useradmin.Patch{Status: ptr(people.Deactivated)}); err != nil {
			t.Fatal(err)
		}
		// b is deactivated: removing its super admin leaves a as the one active super admin.
		got, err := apply(e, a, b.ID, useradmin.Patch{Capabilities: caps()})
		if err != nil {
			t.Fatalf("demote the deactivated super admin: %v", err)
		}
		if len(got.CapabilityList()) != 0 {
			t.Errorf("deactivated user still holds %v", got.CapabilityList())
		}
	})

	t.Run("a super admin may be demoted while another stays", func(t *testing.T) {
		e := newEnv(t)
		a := user(t, e.s, "a@acme.test", policy.Member, policy.SuperAdmin)
		b := user(t, e.s, "b@acme.test", policy.Member, policy.SuperAdmin)
		c := user(t, e.s, "c@acme.test", policy.Member, policy.SuperAdmin)
		for _, id := range []int64{b.ID, c.ID} {
			if _, err := apply(e, a, id, useradmin.Patch{Capabilities: caps()}); err != nil {
				t.Fatalf("demote %d: %v", id, err)
			}
		}
	})
}

func TestDeactivationEndsSessionsAndLinks(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	admin := user(t, e.s, "admin@acme.test", policy.Member, policy.Admin)
	target := user(t, e.s, "target@acme.test", policy.Member)
	bystander := user(t, e.s, "bystander@acme.test", policy.Member)
	// The target signed up once: a reactivated user signs in with their password.
	if err := people.SetPassword(ctx, e.s, target.ID, "hash of a chosen password", ""); err != nil {
		t.Fatal(err)
	}

	sessions := auth.Sessions{Idle: time.Hour, Absolute: 24 * time.Hour}
	var targetTokens []string
	for range 2 {
		tok, _, err := sessions.Create(ctx, e.s, target.ID, "198.51.100.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		targetTokens = append(targetTokens, tok)
	}
	keep, _, err := sessions.Create(ctx, e.s, bystander.ID, "198.51.100.2", "test")
	if err != nil {
		t.Fatal(err)
	}
	reset, _, err := auth.IssueToken(ctx, e.s, target.ID, auth.PurposeReset, time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}

	got, err := apply(e, admin, target.ID, useradmin.Patch{Status: ptr(people.Deactivated)})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != people.Deactivated || got.DeactivatedAt == nil {
		t.Errorf("after deactivation: status %s, deactivated_at %v", got.Status, got.DeactivatedAt)
	}
	for i, tok := range targetTokens {
		if _, err := sessions.Lookup(ctx, e.s, tok); !errors.Is(err, auth.ErrNoSession) {
			t.Errorf("session %d of the deactivated user: err %v, want ErrNoSession", i, err)
		}
	}
	if n, err := e.s.Select((*auth.Session)(nil)).Where("user_id = ?", target.ID).Count(ctx); err != nil || n != 0 {
		t.Errorf("%d sessions rows left for the deactivated user (err %v)", n, err)
	}
	if _, err := sessions.Lookup(ctx, e.s, keep); err != nil {
		t.Errorf("another user's session ended too: %v", err)
	}
	if _, err := auth.PeekToken(ctx, e.s, reset, auth.PurposeReset, time.Now().UTC()); !errors.Is(err, auth.ErrTokenGone) {
		t.Errorf("reset link of the deactivated user: err %v, want ErrTokenGone", err)
	}

	got, err = apply(e, admin, target.ID, useradmin.Patch{Status: ptr(people.Active)})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != people.Active || got.DeactivatedAt != nil {
		t.Errorf("after reactivation: status %s, deactivated_at %v", got.Status, got.DeactivatedAt)
	}
	if _, err := sessions.Lookup(ctx, e.s, targetTokens[0]); !errors.Is(err, auth.ErrNoSession) {
		t.Errorf("a session came back with reactivation: %v", err)
	}

	var log []string
	for _, r := range e.entries(t) {
		log = append(log, fmt.Sprintf("%s %s %d by %d", r.Action, r.Summary, deref(r.ObjectID), deref(r.ActorID)))
	}
	want := []string{
		fmt.Sprintf("user.deactivate deactivated target@acme.test %d by %d", target.ID, admin.ID),
		fmt.Sprintf("user.reactivate reactivated target@acme.test %d by %d", target.ID, admin.ID),
	}
	if !slices.Equal(log, want) {
		t.Errorf("audit\n%q\nwant\n%q", log, want)
	}
}

func TestStatusChanges(t *testing.T) {
	S, A, P := policy.SuperAdmin, policy.Admin, policy.PeopleAdmin
	tests := []struct {
		name         string
		actorCaps    []policy.Capability
		targetCaps   []policy.Capability
		targetStatus people.Status
		to           people.Status
		wantErr      error
		wantField    string
		wantStatus   people.Status
	}{
		{name: "people admin deactivates a member", actorCaps: []policy.Capability{P}, to: people.Deactivated, wantStatus: people.Deactivated},
		{name: "people admin deactivates a billing admin", actorCaps: []policy.Capability{P}, targetCaps: []policy.Capability{policy.BillingAdmin}, to: people.Deactivated, wantStatus: people.Deactivated},
		{name: "people admin may not deactivate an admin", actorCaps: []policy.Capability{P}, targetCaps: []policy.Capability{A}, to: people.Deactivated, wantErr: useradmin.ErrForbidden, wantStatus: people.Active},
		{name: "admin may not deactivate an admin", actorCaps: []policy.Capability{A}, targetCaps: []policy.Capability{A}, to: people.Deactivated, wantErr: useradmin.ErrForbidden, wantStatus: people.Active},
		{name: "super admin deactivates an admin", actorCaps: []policy.Capability{S}, targetCaps: []policy.Capability{A}, to: people.Deactivated, wantStatus: people.Deactivated},
		{name: "an invited user is not made active", actorCaps: []policy.Capability{A}, targetStatus: people.Invited, to: people.Active, wantField: msgInvited, wantStatus: people.Invited},
		{name: "an unknown status", actorCaps: []policy.Capability{A}, to: "suspended", wantField: msgStatus, wantStatus: people.Active},
		{name: "the same status is no change", actorCaps: []policy.Capability{A}, to: people.Active, wantStatus: people.Active},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			user(t, e.s, "keeper@acme.test", policy.Member, policy.SuperAdmin)
			actor := user(t, e.s, "actor@acme.test", policy.Member, tt.actorCaps...)
			status := tt.targetStatus
			if status == "" {
				status = people.Active
			}
			target, err := people.CreateUser(context.Background(), e.s, people.NewUser{
				Email: "target@acme.test", Kind: policy.Member, Capabilities: tt.targetCaps, Status: status,
			})
			if err != nil {
				t.Fatal(err)
			}
			_, err = apply(e, actor, target.ID, useradmin.Patch{Status: &tt.to})
			switch {
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("err %v, want %v", err, tt.wantErr)
				}
			case tt.wantField != "":
				if msg := fieldErr(err, "status"); msg != tt.wantField {
					t.Errorf("status error %q (err %v), want %q", msg, err, tt.wantField)
				}
			case err != nil:
				t.Errorf("Apply: %v", err)
			}
			if got := e.reload(t, target.ID).Status; got != tt.wantStatus {
				t.Errorf("status %s, want %s", got, tt.wantStatus)
			}
			n := len(e.entries(t))
			if wantN := map[bool]int{true: 1, false: 0}[tt.wantStatus != status]; n != wantN {
				t.Errorf("%d audit records, want %d", n, wantN)
			}
		})
	}
}

func TestManager(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		// setup returns the target and the manager ID to set.
		setup     func(t *testing.T, e *env) (target *people.User, managerID int64)
		wantField string
	}{
		{name: "an active member", setup: func(t *testing.T, e *env) (*people.User, int64) {
			return user(t, e.s, "target@acme.test", policy.Member), user(t, e.s, "boss@acme.test", policy.Member).ID
		}},
		{name: "a chain without the target", setup: func(t *testing.T, e *env) (*people.User, int64) {
			top := user(t, e.s, "top@acme.test", policy.Member)
			mid := user(t, e.s, "mid@acme.test", policy.Member)
			setManager(t, e, mid.ID, top.ID)
			return user(t, e.s, "target@acme.test", policy.Member), mid.ID
		}},
		{name: "themselves", wantField: msgMgrSelf, setup: func(t *testing.T, e *env) (*people.User, int64) {
			u := user(t, e.s, "target@acme.test", policy.Member)
			return u, u.ID
		}},
		{name: "a client has no manager", wantField: msgMgrKind, setup: func(t *testing.T, e *env) (*people.User, int64) {
			return user(t, e.s, "target@acme.test", policy.Client), user(t, e.s, "boss@acme.test", policy.Member).ID
		}},
		{name: "a guest manages nobody", wantField: msgMgrState, setup: func(t *testing.T, e *env) (*people.User, int64) {
			return user(t, e.s, "target@acme.test", policy.Member), user(t, e.s, "boss@acme.test", policy.Guest).ID
		}},
		{name: "a deactivated member manages nobody", wantField: msgMgrState, setup: func(t *testing.T, e *env) (*people.User, int64) {
			boss, err := people.CreateUser(ctx, e.s, people.NewUser{Email: "boss@acme.test", Kind: policy.Member, Status: people.Deactivated})
			if err != nil {
				t.Fatal(err)
			}
			return user(t, e.s, "target@acme.test", policy.Member), boss.ID
		}},
		{name: "an unknown user", wantField: msgMgrPick, setup: func(t *testing.T, e *env) (*people.User, int64) {
			return user(t, e.s, "target@acme.test", policy.Member), 424242
		}},
		{name: "a member of another tenant", wantField: msgMgrPick, setup: func(t *testing.T, e *env) (*people.User, int64) {
			other := e.tenant(t, "globex")
			return user(t, e.s, "target@acme.test", policy.Member), user(t, e.db.Tenant(other.ID), "boss@globex.test", policy.Member).ID
		}},
		{name: "a direct circle", wantField: msgMgrLoop, setup: func(t *testing.T, e *env) (*people.User, int64) {
			u := user(t, e.s, "target@acme.test", policy.Member)
			report := user(t, e.s, "report@acme.test", policy.Member)
			setManager(t, e, report.ID, u.ID)
			return u, report.ID
		}},
		{name: "a longer circle", wantField: msgMgrLoop, setup: func(t *testing.T, e *env) (*people.User, int64) {
			u := user(t, e.s, "target@acme.test", policy.Member)
			r1 := user(t, e.s, "r1@acme.test", policy.Member)
			r2 := user(t, e.s, "r2@acme.test", policy.Member)
			setManager(t, e, r1.ID, u.ID)
			setManager(t, e, r2.ID, r1.ID)
			return u, r2.ID
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			admin := user(t, e.s, "admin@acme.test", policy.Member, policy.Admin)
			target, mid := tt.setup(t, e)
			before := len(e.entries(t))
			_, err := apply(e, admin, target.ID, useradmin.Patch{ManagerID: &mid})
			got := e.reload(t, target.ID)
			if tt.wantField != "" {
				if msg := fieldErr(err, "manager_id"); msg != tt.wantField {
					t.Fatalf("manager error %q (err %v), want %q", msg, err, tt.wantField)
				}
				if got.ManagerID != nil {
					t.Errorf("manager set to %d despite the refusal", *got.ManagerID)
				}
				if n := len(e.entries(t)) - before; n != 0 {
					t.Errorf("%d audit records for a refused change", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.ManagerID == nil || *got.ManagerID != mid {
				t.Errorf("manager %v, want %d", deref(got.ManagerID), mid)
			}
			entries := e.entries(t)[before:]
			if len(entries) != 1 || entries[0].Action != audit.UserChange || entries[0].Summary != "manager of target@acme.test set" {
				t.Errorf("audit records %+v, want one %s", entries, audit.UserChange)
			}
		})
	}

	t.Run("zero clears, and becoming a client clears", func(t *testing.T) {
		e := newEnv(t)
		admin := user(t, e.s, "admin@acme.test", policy.Member, policy.Admin)
		boss := user(t, e.s, "boss@acme.test", policy.Member)
		target := user(t, e.s, "target@acme.test", policy.Member)
		setManager(t, e, target.ID, boss.ID)
		if _, err := apply(e, admin, target.ID, useradmin.Patch{ManagerID: ptr(int64(0))}); err != nil {
			t.Fatal(err)
		}
		if m := e.reload(t, target.ID).ManagerID; m != nil {
			t.Errorf("manager %d after clearing", *m)
		}
		setManager(t, e, target.ID, boss.ID)
		got, err := apply(e, admin, target.ID, useradmin.Patch{Kind: ptr(policy.Client)})
		if err != nil {
			t.Fatal(err)
		}
		if got.Kind != policy.Client || got.ManagerID != nil {
			t.Errorf("after becoming a client: kind %s, manager %v", got.Kind, deref(got.ManagerID))
		}
	})
}

func setManager(t *testing.T, e *env, userID, managerID int64) {
	t.Helper()
	if _, err := e.s.Update((*people.User)(nil)).Set("manager_id = ?", managerID).Where("id = ?", userID).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestEachChangeWritesItsRecord(t *testing.T) {
	tests := []struct {
		name  string
		actor []policy.Capability
		kind  policy.Kind // the target's kind
		patch func(t *testing.T, e *env) useradmin.Patch
		want  []string // action: summary, in order
	}{
		{name: "hidden pages", actor: []policy.Capability{policy.PeopleAdmin}, kind: policy.Member,
			patch: func(*testing.T, *env) useradmin.Patch {
				return useradmin.Patch{HiddenPages: &[]policy.Page{policy.PageTickets, policy.PageHeadlines}}
			},
			want: []string{"user.page_access: hidden pages of target@acme.test: headlines, tickets"}},
		{name: "modules", actor: []policy.Capability{policy.Admin}, kind: policy.ExternalViewer,
			patch: func(*testing.T, *env) useradmin.Patch {
				return useradmin.Patch{Modules: &[]people.ModuleSetting{{Key: policy.PageTickets, Show: true, Label: "Support"}, {Key: policy.PageContacts}}}
			},
			want: []string{"user.modules: modules of target@acme.test: tickets as Support, contacts (hidden)"}},
		{name: "kind", actor: []policy.Capability{policy.PeopleAdmin}, kind: policy.Member,
			patch: func(*testing.T, *env) useradmin.Patch { return useradmin.Patch{Kind: ptr(policy.Guest)} },
			want:  []string{"user.kind: kind of target@acme.test: member → guest"}},
		{name: "teams", actor: []policy.Capability{policy.PeopleAdmin}, kind: policy.Member,
			patch: func(t *testing.T, e *env) useradmin.Patch {
				tm, err := people.SaveTeam(context.Background(), e.s, opBy(e.s), 0, people.TeamInput{Name: ptr("Ops")})
				if err != nil {
					t.Fatal(err)
				}
				return useradmin.Patch{TeamIDs: &[]int64{tm.ID}}
			},
			want: []string{"user.change: teams and companies of target@acme.test changed"}},
		{name: "nothing recorded for unchanged hidden pages", actor: []policy.Capability{policy.Admin}, kind: policy.Member,
			patch: func(*testing.T, *env) useradmin.Patch { return useradmin.Patch{HiddenPages: &[]policy.Page{}} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			actor := user(t, e.s, "actor@acme.test", policy.Member, tt.actor...)
			var target *people.User
			if tt.kind.External() {
				target = externalUser(t, e, "target@acme.test", tt.kind)
			} else {
				target = user(t, e.s, "target@acme.test", tt.kind)
			}
			if _, err := apply(e, actor, target.ID, tt.patch(t, e)); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range e.entries(t) {
				if r.ActorID == nil || *r.ActorID != actor.ID || r.ObjectID == nil || *r.ObjectID != target.ID {
					t.Errorf("record %+v names the wrong actor or object", r)
				}
				got = append(got, fmt.Sprintf("%s: %s", r.Action, r.Summary))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("audit\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestPageAccessAndModuleRules(t *testing.T) {
	t.Run("a people admin may not flag a test user", func(t *testing.T) {
		e := newEnv(t)
		pa := user(t, e.s, "pa@acme.test", policy.Member, policy.PeopleAdmin)
		target := externalUser(t, e, "target@acme.test", policy.ExternalEditor)
		_, err := apply(e, pa, target.ID, useradmin.Patch{TestUser: ptr(true), OwnTicketsOnly: ptr(true)})
		if !errors.Is(err, useradmin.ErrForbidden) {
			t.Fatalf("err %v, want ErrForbidden", err)
		}
		if got := e.reload(t, target.ID); got.TestUser || got.OwnTicketsOnly {
			t.Error("flags set despite the refusal")
		}
	})
	t.Run("a people admin sets own-tickets-only, as when inviting", func(t *testing.T) {
		e := newEnv(t)
		pa := user(t, e.s, "pa@acme.test", policy.Member, policy.PeopleAdmin)
		target := externalUser(t, e, "target@acme.test", policy.ExternalEditor)
		if _, err := apply(e, pa, target.ID, useradmin.Patch{OwnTicketsOnly: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		if !e.reload(t, target.ID).OwnTicketsOnly {
			t.Error("own_tickets_only not set")
		}
	})
	t.Run("an unknown page is refused and nothing is written", func(t *testing.T) {
		e := newEnv(t)
		admin := user(t, e.s, "admin@acme.test", policy.Member, policy.Admin)
		target := user(t, e.s, "target@acme.test", policy.Member)
		_, err := apply(e, admin, target.ID, useradmin.Patch{
			Name:        ptr("Should not stick"),
			HiddenPages: &[]policy.Page{policy.PageTickets, "nowhere"},
		})
		if msg := fieldErr(err, "hidden_pages"); msg != `"nowhere" is not a page.` {
			t.Fatalf("hidden_pages error %q (err %v)", msg, err)
		}
		got := e.reload(t, target.ID)
		if got.Name != "Name of target@acme.test" || len(got.HiddenPages) != 0 {
			t.Errorf("a refused patch wrote name %q, hidden pages %v", got.Name, got.HiddenPages)
		}
		if n := len(e.entries(t)); n != 0 {
			t.Errorf("%d audit records for a refused patch", n)
		}
	})
	t.Run("members have no modules", func(t *testing.T) {
		e := newEnv(t)
		admin := user(t, e.s, "admin@acme.test", policy.Member, policy.Admin)
		target := user(t, e.s, "target@acme.test", policy.Member)
		_, err := apply(e, admin, target.ID, useradmin.Patch{OwnTicketsOnly: ptr(true)})
		if msg := fieldErr(err, "modules"); msg != "Only external users have modules and ticket visibility settings." {
			t.Fatalf("modules error %q (err %v)", msg, err)
		}
	})
}

// opBy is the command-line operator of db's tenant, for fixtures made
// through the org-design operations.
func opBy(db *store.Scoped) people.By { return people.By{Actor: policy.Operator(db.TenantID())} }

// TestPermissionFlagsAreRecorded: the test-user flag, own-tickets-only, a
// rename and a cleared manager each leave their record.
func TestPermissionFlagsAreRecorded(t *testing.T) {
	e := newEnv(t)
	admin := user(t, e.s, "admin@acme.test", policy.Member, policy.Admin)
	target := externalUser(t, e, "target@acme.test", policy.ExternalEditor)
	if _, err := apply(e, admin, target.ID, useradmin.Patch{TestUser: ptr(true), OwnTicketsOnly: ptr(true), Name: ptr("Tess Target")}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range e.entries(t) {
		got = append(got, fmt.Sprintf("%s: %s", r.Action, r.Summary))
	}
	if len(got) != 3 || !regexp.MustCompile(`^user\.change: name of target@acme\.test: ".*" → "Tess Target"$`).MatchString(got[0]) ||
		got[1] != "user.change: test user flag of target@acme.test: false → true" ||
		got[2] != "user.modules: own tickets only of target@acme.test: false → true" {
		t.Errorf("audit %q", got)
	}
}

// auditScope is the whole audit log of db's tenant, as its operator reads it.
func auditScope(db *store.Scoped) policy.Scope {
	return policy.AuditScope(policy.Operator(db.TenantID()))
}

// TestUnchangedSaveRecordsNothing: posting a user's form back as it is
// changes nothing and records nothing; a page not shown is the same as no row.
func TestUnchangedSaveRecordsNothing(t *testing.T) {
	e := newEnv(t)
	admin := user(t, e.s, "admin@acme.test", policy.Member, policy.Admin)
	target := externalUser(t, e, "target@acme.test", policy.ExternalEditor)
	set := []people.ModuleSetting{{Key: policy.PageTickets, Show: true, Label: "Support"}, {Key: policy.PageReports, Show: false}}
	if _, err := apply(e, admin, target.ID, useradmin.Patch{Modules: &set}); err != nil {
		t.Fatal(err)
	}
	current := e.reload(t, target.ID)
	var mods []people.ModuleSetting
	for _, m := range current.Modules {
		if m.Show || m.Label != "" {
			mods = append(mods, people.ModuleSetting{Key: m.Page, Show: m.Show, Label: m.Label})
		}
	}
	_, companies, err := people.Assignments(context.Background(), e.s, target.ID)
	if err != nil {
		t.Fatal(err)
	}
	before := len(e.entries(t))
	reversed := slices.Clone(companies)
	slices.Reverse(reversed)
	if _, err := apply(e, admin, target.ID, useradmin.Patch{Modules: &mods, CompanyIDs: &reversed, TeamIDs: &[]int64{}}); err != nil {
		t.Fatal(err)
	}
	if after := e.entries(t); len(after) != before {
		t.Errorf("an unchanged save wrote %d records: %v", len(after)-before, after[before:])
	}
}

// TestDeactivatedUserJoinsNoTeam: PATCH cannot put a deactivated user in a
// new team, as adding them to the team cannot.
func TestDeactivatedUserJoinsNoTeam(t *testing.T) {
	e := newEnv(t)
	admin := user(t, e.s, "admin@acme.test", policy.Member, policy.SuperAdmin)
	target := user(t, e.s, "gone@acme.test", policy.Member)
	tm, err := people.SaveTeam(context.Background(), e.s, opBy(e.s), 0, people.TeamInput{Name: ptr("Ops")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := apply(e, admin, target.ID, useradmin.Patch{Status: ptr(people.Deactivated)}); err != nil {
		t.Fatal(err)
	}
	_, err = apply(e, admin, target.ID, useradmin.Patch{TeamIDs: &[]int64{tm.ID}})
	if msg := fieldErr(err, "team_ids"); msg == "" {
		t.Errorf("a deactivated user joined a team: %v", err)
	}
}

// TestLeavingThePortalClearsModules: an external user made a member keeps
// no modules or own-tickets-only to come back later.
func TestLeavingThePortalClearsModules(t *testing.T) {
	e := newEnv(t)
	admin := user(t, e.s, "admin@acme.test", policy.Member, policy.SuperAdmin)
	target := externalUser(t, e, "target@acme.test", policy.ExternalEditor)
	if _, err := apply(e, admin, target.ID, useradmin.Patch{OwnTicketsOnly: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	if _, err := apply(e, admin, target.ID, useradmin.Patch{Kind: ptr(policy.Member), CompanyIDs: &[]int64{}}); err != nil {
		t.Fatal(err)
	}
	if u := e.reload(t, target.ID); len(u.Modules) != 0 || u.OwnTicketsOnly {
		t.Errorf("a member keeps portal settings: modules %v, own tickets only %v", u.Modules, u.OwnTicketsOnly)
	}
}
