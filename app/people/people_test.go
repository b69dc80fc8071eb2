package people_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/valid"
)

// fixture is a migrated database with two tenants, each with a super admin.
type fixture struct {
	db          *store.DB
	a, b        *store.Scoped
	admin       policy.Actor // of tenant a
	adminB      policy.Actor // of tenant b
	by          people.By
	ctx         context.Context
	auditBefore int
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "atrium.db"), store.Modernc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, ctx: ctx}
	for i, slug := range []string{"one", "two"} {
		name, hosts := "Tenant "+slug, []string{slug + ".example.test"}
		tn, err := tenant.NewStore(db).Create(ctx, tenant.Patch{Slug: &slug, Name: &name, Hosts: &hosts})
		if err != nil {
			t.Fatal(err)
		}
		s := db.Tenant(tn.ID)
		u, err := people.CreateUser(ctx, s, people.NewUser{Email: "admin@" + slug + ".test", Name: "Admin", Kind: policy.Member,
			Capabilities: []policy.Capability{policy.SuperAdmin}, Status: people.Active})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			f.a, f.admin = s, u.Actor()
		} else {
			f.b, f.adminB = s, u.Actor()
		}
	}
	f.by = people.By{Actor: f.admin, Who: audit.Who{ActorID: f.admin.UserID, Address: "192.0.2.1"}}
	return f
}

func (f *fixture) user(t *testing.T, email, name string, kind policy.Kind) *people.User {
	t.Helper()
	u, err := people.CreateUser(f.ctx, f.a, people.NewUser{Email: email, Name: name, Kind: kind, Status: people.Active})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (f *fixture) auditCount(t *testing.T) int {
	t.Helper()
	n, err := f.a.Select((*audit.Entry)(nil)).Count(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func ptr[T any](v T) *T { return &v }

// TestScopeFailsClosed: the zero scope, a scope of another tenant and a
// scope of another list match no row, though rows exist.
func TestScopeFailsClosed(t *testing.T) {
	f := newFixture(t)
	if _, err := people.SaveCompany(f.ctx, f.a, f.by, 0, people.CompanyInput{Name: ptr("Globex")}); err != nil {
		t.Fatal(err)
	}
	count := func(model any, s policy.Scope) int {
		t.Helper()
		n, err := people.Scoped(f.a, model, s).Count(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		return int(n)
	}
	if n := count((*people.User)(nil), policy.UsersScope(f.admin)); n != 1 {
		t.Fatalf("the admin's scope sees %d users", n)
	}
	if n := count((*people.Company)(nil), policy.CompaniesScope(f.admin)); n != 1 {
		t.Fatalf("the admin's scope sees %d companies", n)
	}
	for name, s := range map[string]policy.Scope{
		"zero":                   {},
		"kind all, no tenant":    {List: policy.ListUsers, Kind: policy.ScopeAll},
		"other tenant":           policy.UsersScope(f.adminB),
		"other list":             policy.TeamsScope(f.admin),
		"unknown kind":           {List: policy.ListUsers, Kind: 99, TenantID: f.a.TenantID(), UserID: f.admin.UserID},
		"self without a user":    {List: policy.ListUsers, Kind: policy.ScopeSelf, TenantID: f.a.TenantID()},
		"anonymous actor":        policy.UsersScope(policy.Actor{TenantID: f.a.TenantID(), Kind: policy.Member}),
		"member of a list of no": {List: policy.ListUsers, Kind: policy.ScopeMember, TenantID: f.a.TenantID(), UserID: f.admin.UserID},
	} {
		if n := count((*people.User)(nil), s); n != 0 {
			t.Errorf("%s: %d users", name, n)
		}
	}
	if n := count((*people.Company)(nil), policy.Scope{}); n != 0 {
		t.Errorf("zero scope: %d companies", n)
	}
	// The public lists and loads of a zero actor find nothing either.
	var nobody policy.Actor
	if l, _, err := people.List(f.ctx, f.a, nobody, policy.Settings{}, people.UserQuery{}, store.Page{}); err != nil || len(l) != 0 {
		t.Errorf("users of nobody: %d %v", len(l), err)
	}
	if _, err := people.Visible(f.ctx, f.a, nobody, f.admin.UserID); !errors.Is(err, people.ErrNotFound) {
		t.Errorf("user of nobody: %v", err)
	}
	if l, _, err := people.CompaniesFor(f.ctx, f.a, nobody, people.CompanyQuery{}, store.Page{}); err != nil || len(l) != 0 {
		t.Errorf("companies of nobody: %d %v", len(l), err)
	}
}

// TestSearchEscapesWildcards: "50%" means those characters, not "50 then anything".
func TestSearchEscapesWildcards(t *testing.T) {
	f := newFixture(t)
	f.user(t, "sales@fifty.test", "50% Off Ltd", policy.Member)
	f.user(t, "hello@five.test", "500 Co", policy.Member)
	f.user(t, "a_b@x.test", "Under Score", policy.Member)
	f.user(t, "axb@x.test", "No Score", policy.Member)
	names := func(q string) string {
		t.Helper()
		l, _, err := people.List(f.ctx, f.a, f.admin, policy.Settings{}, people.UserQuery{Q: q}, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, u := range l {
			out = append(out, u.Name)
		}
		return strings.Join(out, ",")
	}
	if got := names("50%"); got != "50% Off Ltd" {
		t.Errorf(`"50%%" finds %q`, got)
	}
	if got := names("a_b"); got != "Under Score" {
		t.Errorf(`"a_b" finds %q`, got)
	}
	if got := names(`\`); got != "" {
		t.Errorf(`"\" finds %q`, got)
	}
	_, _, err := people.List(f.ctx, f.a, f.admin, policy.Settings{}, people.UserQuery{Q: strings.Repeat("x", people.MaxSearch+1)}, store.Page{})
	var ve valid.Errors
	if !errors.As(err, &ve) || ve["q"] == "" {
		t.Errorf("a long search: %v", err)
	}
}

// TestOperationsAuditInTheirTransaction: each org-design operation writes
// exactly one audit record, and when the record cannot be written the
// change is rolled back with it.
func TestOperationsAuditInTheirTransaction(t *testing.T) {
	f := newFixture(t)
	client := f.user(t, "carol@client.test", "Carol", policy.Client)
	type step struct {
		name string
		run  func() error
	}
	var steps []step
	var companyID, teamID, groupID int64
	steps = append(steps,
		step{"create company", func() error {
			c, err := people.SaveCompany(f.ctx, f.a, f.by, 0, people.CompanyInput{Name: ptr("Globex")})
			if err == nil {
				companyID = c.ID
			}
			return err
		}},
		step{"change company", func() error {
			_, err := people.SaveCompany(f.ctx, f.a, f.by, companyID, people.CompanyInput{Notes: ptr("Key account")})
			return err
		}},
		step{"create team", func() error {
			tv, err := people.SaveTeam(f.ctx, f.a, f.by, 0, people.TeamInput{Name: ptr("Globex Success"), CompanyID: &companyID})
			if err == nil {
				teamID = tv.ID
			}
			return err
		}},
		step{"add member", func() error {
			tv, err := people.SetTeamMember(f.ctx, f.a, f.by, teamID, client.ID, people.TeamLeader)
			if err == nil && (!tv.ClientVisible || len(tv.Members) != 1) {
				t.Errorf("team after adding a client: %+v", tv)
			}
			return err
		}},
		step{"remove member", func() error { return people.RemoveTeamMember(f.ctx, f.a, f.by, teamID, client.ID) }},
		step{"create group", func() error {
			g, err := people.SaveGroup(f.ctx, f.a, f.by, 0, "Key accounts", []int64{companyID})
			if err == nil {
				groupID = g.ID
			}
			return err
		}},
		step{"rename group", func() error {
			_, err := people.SaveGroup(f.ctx, f.a, f.by, groupID, "Top accounts", []int64{companyID})
			return err
		}},
		step{"delete team", func() error { return people.DeleteTeam(f.ctx, f.a, f.by, teamID) }},
		step{"delete company", func() error { return people.DeleteCompany(f.ctx, f.a, f.by, companyID) }},
	)
	for _, st := range steps {
		before := f.auditCount(t)
		if err := st.run(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got := f.auditCount(t) - before; got != 1 {
			t.Errorf("%s wrote %d audit records", st.name, got)
		}
	}
	var last audit.Entry
	if err := f.a.Select(&last).OrderExpr("al.id DESC").Limit(1).Scan(f.ctx); err != nil {
		t.Fatal(err)
	}
	if last.ActorID == nil || *last.ActorID != f.admin.UserID || last.Address != "192.0.2.1" || last.Action != audit.CompanyChange {
		t.Errorf("last record: %+v", last)
	}

	// Make every audit insert fail: the changes must not be committed without their records.
	if _, err := f.db.W.ExecContext(f.ctx, `CREATE TRIGGER audit_fails BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit unavailable'); END`); err != nil {
		t.Fatal(err)
	}
	if _, err := people.SaveCompany(f.ctx, f.a, f.by, 0, people.CompanyInput{Name: ptr("Initech")}); err == nil {
		t.Fatal("a company was saved without its audit record")
	}
	if _, err := people.SaveTeam(f.ctx, f.a, f.by, 0, people.TeamInput{Name: ptr("Orphans")}); err == nil {
		t.Fatal("a team was saved without its audit record")
	}
	if _, err := people.SaveGroup(f.ctx, f.a, f.by, 0, "Orphans", nil); err == nil {
		t.Fatal("a group was saved without its audit record")
	}
	for _, model := range []any{(*people.Company)(nil), (*people.Team)(nil)} {
		if n, err := f.a.Select(model).Count(f.ctx); err != nil || n != 0 {
			t.Errorf("%T rows after failed audits: %d %v", model, n, err)
		}
	}
	if n, err := f.a.Select((*people.CompanyGroup)(nil)).Count(f.ctx); err != nil || n != 1 {
		t.Errorf("groups after a failed audit: %d %v", n, err)
	}
}

// TestLengthLimits: every text field is checked before storage, with a message for its field.
func TestLengthLimits(t *testing.T) {
	f := newFixture(t)
	long := func(n int) *string { return ptr(strings.Repeat("é", n)) }
	field := func(err error) string {
		var ve valid.Errors
		if !errors.As(err, &ve) {
			return "not a field error: " + errorString(err)
		}
		for k := range ve {
			return k
		}
		return ""
	}
	if _, err := people.SaveCompany(f.ctx, f.a, f.by, 0, people.CompanyInput{Name: long(people.MaxCompanyName)}); err != nil {
		t.Errorf("a name of exactly the limit in accented letters: %v", err)
	}
	cases := []struct {
		want string
		err  error
	}{
		{"name", second(people.SaveCompany(f.ctx, f.a, f.by, 0, people.CompanyInput{Name: long(people.MaxCompanyName + 1)}))},
		{"domain", second(people.SaveCompany(f.ctx, f.a, f.by, 0, people.CompanyInput{Name: ptr("A"), Domain: ptr(strings.Repeat("a", people.MaxCompanyDomain+1))}))},
		{"notes", second(people.SaveCompany(f.ctx, f.a, f.by, 0, people.CompanyInput{Name: ptr("B"), Notes: long(people.MaxCompanyNotes + 1)}))},
		{"name", second(people.SaveTeam(f.ctx, f.a, f.by, 0, people.TeamInput{Name: long(people.MaxTeamName + 1)}))},
		{"name", second(people.SaveGroup(f.ctx, f.a, f.by, 0, *long(people.MaxGroupName + 1), nil))},
		{"name", second(people.CreateUser(f.ctx, f.a, people.NewUser{Email: "x@y.test", Name: *long(people.MaxUserName + 1), Kind: policy.Member}))},
		{"email", second(people.CreateUser(f.ctx, f.a, people.NewUser{Email: strings.Repeat("x", people.MaxEmail) + "@y.test", Kind: policy.Member}))},
		{"q", third(people.List(f.ctx, f.a, f.admin, policy.Settings{}, people.UserQuery{Q: *long(people.MaxSearch + 1)}, store.Page{}))},
	}
	for i, c := range cases {
		if got := field(c.err); got != c.want {
			t.Errorf("case %d: field %q, want %q", i, got, c.want)
		}
	}
}

func errorString(err error) string {
	if err == nil {
		return "nil"
	}
	return err.Error()
}

func second[T any](_ T, err error) error        { return err }
func third[T, U any](_ T, _ U, err error) error { return err }
