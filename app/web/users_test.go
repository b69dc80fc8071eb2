package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/useradmin"
)

// userID finds a user's ID in a tenant through the database.
func userID(t *testing.T, e *env, slug, email string) int64 {
	t.Helper()
	var id int64
	err := e.db.R.QueryRowContext(context.Background(),
		"SELECT u.id FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = ? AND u.email = ?", slug, email).Scan(&id)
	if err != nil {
		t.Fatalf("%s in %s: %v", email, slug, err)
	}
	return id
}

// TestPatchUserRules: each row runs on its own copy of the demo, so no row
// depends on another; then checks what the change did, as the user sees it.
func TestPatchUserRules(t *testing.T) {
	type then func(t *testing.T, e *env)
	me := func(email string, has, hasNot []string) then {
		return func(t *testing.T, e *env) {
			body := e.client("acme.localhost").mustLogin(email, "demo-pass-1").api("GET", "/api/v1/me", nil).body
			for _, s := range has {
				if !strings.Contains(body, s) {
					t.Errorf("%s's /me lacks %s: %s", email, s, body)
				}
			}
			for _, s := range hasNot {
				if strings.Contains(body, s) {
					t.Errorf("%s's /me holds %s: %s", email, s, body)
				}
			}
		}
	}
	audited := func(want string) then {
		return func(t *testing.T, e *env) {
			logs := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1").api("GET", "/api/v1/audit?action=user.", nil).body
			if !strings.Contains(logs, want) {
				t.Errorf("audit lacks %q", want)
			}
		}
	}
	tests := []struct {
		name   string
		who    string
		target string // email, or a path
		body   map[string]any
		status int
		field  string
		then   []then
	}{
		{"member cannot manage users", "ken@acme.test", "gina@guest.test", map[string]any{"status": "deactivated"}, 403, "", nil},
		{"admin grants billing admin to a member", "alan@acme.test", "ken@acme.test", map[string]any{"capabilities": []string{"billing_admin"}}, 200, "",
			[]then{me("ken@acme.test", []string{`"billing_admin"`, `"key":"billing"`}, nil), audited("capabilities of ken@acme.test: none → billing_admin")}},
		{"admin cannot grant super admin", "alan@acme.test", "ken@acme.test", map[string]any{"capabilities": []string{"super_admin"}}, 400, "capabilities", nil},
		{"admin cannot touch a super admin", "alan@acme.test", "ada@acme.test", map[string]any{"status": "deactivated"}, 403, "", nil},
		{"people admin hides a page", "grace@acme.test", "ken@acme.test", map[string]any{"hidden_pages": []string{"heatmap"}}, 200, "",
			[]then{me("ken@acme.test", nil, []string{`"key":"heatmap"`}), audited("user.page_access")}},
		{"people admin cannot change capabilities", "grace@acme.test", "hedy@acme.test", map[string]any{"capabilities": []string{}}, 400, "capabilities", nil},
		{"people admin sets modules, as when inviting", "grace@acme.test", "erin@globex.test", map[string]any{"modules": []map[string]any{{"key": "tickets", "show": true, "label": "Help desk"}}}, 200, "",
			[]then{me("erin@globex.test", []string{`"label":"Help desk"`}, []string{`"key":"reports"`}), audited("user.modules")}},
		{"people admin cannot flag a test user", "grace@acme.test", "erin@globex.test", map[string]any{"test_user": true}, 403, "", nil},
		{"people admin may send the test-user flag unchanged", "grace@acme.test", "erin@globex.test", map[string]any{"test_user": false}, 200, "", nil},
		{"admin flags a test user", "alan@acme.test", "victor@globex.test", map[string]any{"test_user": true}, 200, "", nil},
		{"duplicate capabilities mean one", "ada@acme.test", "barbara@acme.test", map[string]any{"capabilities": []string{"billing_admin", "billing_admin"}}, 200, "",
			[]then{me("barbara@acme.test", []string{`"capabilities":["billing_admin"]`}, nil)}},
		{"no capability for a guest", "ada@acme.test", "gina@guest.test", map[string]any{"capabilities": []string{"admin"}}, 400, "capabilities", nil},
		{"no capability for a client", "ada@acme.test", "carol@globex.test", map[string]any{"capabilities": []string{"headlines_admin"}}, 400, "capabilities", nil},
		{"nobody manages themselves here", "ada@acme.test", "ada@acme.test", map[string]any{"status": "deactivated"}, 403, "", nil},
		{"unknown page", "grace@acme.test", "ken@acme.test", map[string]any{"hidden_pages": []string{"nope"}}, 400, "hidden_pages", nil},
		{"modules only for external users", "ada@acme.test", "ken@acme.test", map[string]any{"own_tickets_only": true}, 400, "modules", nil},
		{"a member with capabilities cannot become a guest", "ada@acme.test", "hedy@acme.test", map[string]any{"kind": "guest"}, 400, "capabilities", nil},
		{"super admin relabels a module", "ada@acme.test", "erin@globex.test", map[string]any{"modules": []map[string]any{{"key": "tickets", "show": true, "label": "Help desk"}}}, 200, "",
			[]then{me("erin@globex.test", []string{`"label":"Help desk"`}, nil)}},
		{"unknown user", "ada@acme.test", "/api/v1/users/999999", map[string]any{"name": "x"}, 404, "", nil},
		{"another tenant's user", "ada@acme.test", "northwind:nina@northwind.test", map[string]any{"name": "x"}, 404, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			path := tt.target
			switch {
			case strings.HasPrefix(path, "/"):
			case strings.HasPrefix(path, "northwind:"):
				path = "/api/v1/users/" + strconv.FormatInt(userID(t, e, "northwind", strings.TrimPrefix(path, "northwind:")), 10)
			default:
				path = "/api/v1/users/" + strconv.FormatInt(userID(t, e, "acme", path), 10)
			}
			r := e.client("acme.localhost").mustLogin(tt.who, "demo-pass-1").api("PATCH", path, tt.body)
			if r.status != tt.status {
				t.Fatalf("%d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.field != "" && !strings.Contains(r.body, `"`+tt.field+`":`) {
				t.Errorf("no message for %s: %s", tt.field, r.body)
			}
			for _, check := range tt.then {
				check(t, e)
			}
		})
	}
}

// TestHiddenPageTyped: a page hidden from a user is refused when its
// address is typed.
func TestHiddenPageTyped(t *testing.T) {
	e := newEnv(t, nil)
	grace := e.client("acme.localhost").mustLogin("grace@acme.test", "demo-pass-1")
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	path := "/api/v1/users/" + strconv.FormatInt(userID(t, e, "acme", "ken@acme.test"), 10)
	if r := grace.api("PATCH", path, map[string]any{"hidden_pages": []string{"heatmap"}}); r.status != 200 {
		t.Fatalf("hide: %d %s", r.status, r.body)
	}
	if r := ken.get("/heatmap"); r.status != 403 {
		t.Errorf("hidden page typed: %d", r.status)
	}
}

func TestDeactivation(t *testing.T) {
	e := newEnv(t, nil)
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	path := "/api/v1/users/" + strconv.FormatInt(userID(t, e, "acme", "ken@acme.test"), 10)
	if r := alan.api("PATCH", path, map[string]any{"status": "deactivated"}); r.status != 200 || !strings.Contains(r.body, `"status":"deactivated"`) {
		t.Fatalf("deactivate: %d %s", r.status, r.body)
	}
	if r := ken.api("GET", "/api/v1/me", nil); r.status != 401 {
		t.Errorf("deactivated user's session: %d", r.status)
	}
	if r := e.client("acme.localhost").login("ken@acme.test", "demo-pass-1"); r.status != 401 {
		t.Errorf("deactivated user signs in: %d", r.status)
	}
	// Members still see the user, without contact details; admins see them.
	hedy := e.client("acme.localhost").mustLogin("hedy@acme.test", "demo-pass-1")
	if r := hedy.api("GET", path, nil); r.status != 200 || strings.Contains(r.body, "ken@acme.test") {
		t.Errorf("member view of a deactivated user: %d %s", r.status, r.body)
	}
	if r := alan.api("GET", path, nil); !strings.Contains(r.body, "ken@acme.test") {
		t.Errorf("admin view of a deactivated user: %s", r.body)
	}
	if r := alan.api("PATCH", path, map[string]any{"status": "active"}); r.status != 200 {
		t.Fatalf("reactivate: %d %s", r.status, r.body)
	}
	if r := e.client("acme.localhost").login("ken@acme.test", "demo-pass-1"); r.status != 200 {
		t.Errorf("reactivated user signs in: %d", r.status)
	}
}

// TestLastSuperAdmin: the tenant keeps at least one active super admin,
// even against an actor the policy would otherwise allow.
func TestLastSuperAdmin(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	acme, _ := e.tenants.BySlug(ctx, "acme")
	db := e.db.Tenant(acme.ID)
	ada := userID(t, e, "acme", "ada@acme.test")
	operator := policy.Operator(acme.ID)
	for _, p := range []useradmin.Patch{
		{Status: ptr(people.Deactivated)},
		{Capabilities: &[]policy.Capability{policy.Admin}},
		{Kind: ptr(policy.Guest), Capabilities: &[]policy.Capability{}, TeamIDs: &[]int64{}},
	} {
		if _, err := useradmin.Apply(ctx, db, operator, policy.Settings{}, ada, p, audit.Who{}); err == nil || !strings.Contains(err.Error(), "last active super admin") {
			t.Errorf("patch %+v: %v", p, err)
		}
	}
	// With a second super admin, the first can step down.
	alan := userID(t, e, "acme", "alan@acme.test")
	if _, err := useradmin.Apply(ctx, db, operator, policy.Settings{}, alan, useradmin.Patch{Capabilities: &[]policy.Capability{policy.SuperAdmin}}, audit.Who{}); err != nil {
		t.Fatal(err)
	}
	if _, err := useradmin.Apply(ctx, db, operator, policy.Settings{}, ada, useradmin.Patch{Capabilities: &[]policy.Capability{}}, audit.Who{}); err != nil {
		t.Errorf("stepping down with another super admin: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestUserLists(t *testing.T) {
	e := newEnv(t, nil)
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	st, items := 0, 0
	r := ken.api("GET", "/api/v1/users?limit=5", nil)
	st = r.status
	body := r.json(t)
	items = len(body["items"].([]any))
	if st != 200 || items != 5 || body["next_cursor"] == nil {
		t.Fatalf("first page: %d %d %v", st, items, body["next_cursor"])
	}
	r = ken.api("GET", "/api/v1/users?q=GLOBEX", nil)
	if n := len(r.json(t)["items"].([]any)); n != 3 {
		t.Errorf("search globex: %d users", n)
	}
	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")
	r = erin.api("GET", "/api/v1/users", nil)
	if items := r.json(t)["items"].([]any); len(items) != 1 || !strings.Contains(r.body, "erin@globex.test") {
		t.Errorf("external user's list: %s", r.body)
	}
	if r := erin.api("GET", "/api/v1/users/"+strconv.FormatInt(userID(t, e, "acme", "ken@acme.test"), 10), nil); r.status != 404 {
		t.Errorf("external user opens a member: %d", r.status)
	}
	if r := ken.api("GET", "/api/v1/users/"+strconv.FormatInt(userID(t, e, "northwind", "nina@northwind.test"), 10), nil); r.status != 404 {
		t.Errorf("another tenant's user: %d", r.status)
	}
}

func TestManagers(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	id := func(email string) int64 { return userID(t, e, "acme", email) }
	path := func(email string) string { return "/api/v1/users/" + strconv.FormatInt(id(email), 10) }
	tests := []struct {
		who     string
		manager int64
		status  int
	}{
		{"alan@acme.test", id("ken@acme.test"), 400},     // ken's manager is alan: a circle
		{"gina@guest.test", id("alan@acme.test"), 400},   // guests have no manager
		{"hedy@acme.test", id("hedy@acme.test"), 400},    // nobody manages themselves
		{"hedy@acme.test", id("carol@globex.test"), 400}, // a client cannot manage
		{"hedy@acme.test", id("dora@acme.test"), 400},    // nor a deactivated member
		{"hedy@acme.test", id("ken@acme.test"), 200},
	}
	for _, tt := range tests {
		if r := ada.api("PATCH", path(tt.who), map[string]any{"manager_id": tt.manager}); r.status != tt.status {
			t.Errorf("manager of %s = %d: %d %s", tt.who, tt.manager, r.status, r.body)
		}
	}
	if r := ada.api("GET", path("hedy@acme.test"), nil); !strings.Contains(r.body, `"manager_id":`+strconv.FormatInt(id("ken@acme.test"), 10)) {
		t.Errorf("manager not saved: %s", r.body)
	}
}

func TestProfileHidesDeactivatedDetails(t *testing.T) {
	e := newEnv(t, nil)
	ken := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
	dora := "/users/" + strconv.FormatInt(userID(t, e, "acme", "dora@acme.test"), 10)
	r := ken.get(dora)
	// The status is hidden with the contact details: no deactivated mark either.
	if r.status != 200 || strings.Contains(r.body, "dora@acme.test") || strings.Contains(r.body, "avatar-deactivated") {
		t.Errorf("deactivated profile: %d", r.status)
	}
	if r := ken.get("/users/" + strconv.FormatInt(userID(t, e, "acme", "alan@acme.test"), 10)); !strings.Contains(r.body, "mailto:alan@acme.test") || !strings.Contains(r.body, "Leadership") {
		t.Errorf("active profile lacks details")
	}
	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")
	if r := erin.get(dora); r.status != 404 {
		t.Errorf("external user opens a member's profile: %d", r.status)
	}
}

// TestLastSuperAdminConcurrent: two super admins demote each other at the
// same moment; one demotion wins and one super admin stays. The tenant row
// lock (store.LockTenant) keeps this true where writers run in parallel.
func TestLastSuperAdminConcurrent(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	acme, _ := e.tenants.BySlug(ctx, "acme")
	db := e.db.Tenant(acme.ID)
	ada, alan := userID(t, e, "acme", "ada@acme.test"), userID(t, e, "acme", "alan@acme.test")
	op := policy.Operator(acme.ID)
	if _, err := useradmin.Apply(ctx, db, op, policy.Settings{}, alan, useradmin.Patch{Capabilities: &[]policy.Capability{policy.SuperAdmin}}, audit.Who{}); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 2)
	for _, id := range []int64{ada, alan} {
		go func() {
			_, err := useradmin.Apply(ctx, db, op, policy.Settings{}, id, useradmin.Patch{Capabilities: &[]policy.Capability{}}, audit.Who{})
			errs <- err
		}()
	}
	failed := 0
	for range 2 {
		if err := <-errs; err != nil {
			if !strings.Contains(err.Error(), "last active super admin") {
				t.Fatal(err)
			}
			failed++
		}
	}
	var n int
	if err := e.db.R.QueryRowContext(ctx, "SELECT count(*) FROM user_capabilities WHERE tenant_id = ? AND capability = 'super_admin'", acme.ID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if failed != 1 || n != 1 {
		t.Errorf("%d demotions refused, %d super admins left; want 1 and 1", failed, n)
	}
}

// TestAdminsRemoveAdmins: an admin removes another admin's capability
// (SPEC §4.2) but only a super admin deactivates an admin (SPEC §4.3).
func TestAdminsRemoveAdmins(t *testing.T) {
	e := newEnv(t, nil)
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	alan := e.client("acme.localhost").mustLogin("alan@acme.test", "demo-pass-1")
	ken := "/api/v1/users/" + strconv.FormatInt(userID(t, e, "acme", "ken@acme.test"), 10)
	if r := ada.api("PATCH", ken, map[string]any{"capabilities": []string{"admin"}}); r.status != 200 {
		t.Fatalf("grant admin: %d %s", r.status, r.body)
	}
	if r := alan.api("PATCH", ken, map[string]any{"status": "deactivated"}); r.status != 403 {
		t.Errorf("an admin deactivated an admin: %d %s", r.status, r.body)
	}
	if r := alan.api("PATCH", ken, map[string]any{"capabilities": []string{}}); r.status != 200 {
		t.Errorf("an admin could not remove admin: %d %s", r.status, r.body)
	}
	if r := alan.api("PATCH", ken, map[string]any{"status": "deactivated"}); r.status != 200 {
		t.Errorf("an admin could not deactivate a member: %d %s", r.status, r.body)
	}
}
