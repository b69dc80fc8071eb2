package people_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/store/storetest"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/valid"
)

// env is one fresh database with the tenant "acme"; every test and table
// row builds its own.
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

func (e *env) tenant(t *testing.T, slug string) *store.Scoped {
	t.Helper()
	return e.db.Tenant((&storetest.DB{DB: e.db}).NewTenant(t, slug).ID)
}

func create(t *testing.T, s *store.Scoped, n people.NewUser) *people.User {
	t.Helper()
	u, err := people.CreateUser(context.Background(), s, n)
	if err != nil {
		t.Fatalf("create %s: %v", n.Email, err)
	}
	return u
}

func member(t *testing.T, s *store.Scoped, email string, caps ...policy.Capability) *people.User {
	t.Helper()
	return create(t, s, people.NewUser{Email: email, Name: "Name of " + email, Kind: policy.Member, Capabilities: caps, Status: people.Active})
}

// company and team insert org-design rows directly through the scoped
// handle, so these tests do not depend on the org-design operations.
func company(t *testing.T, s *store.Scoped, name string) *people.Company {
	t.Helper()
	c := &people.Company{Name: name, Domain: strings.ToLower(name) + ".test", Notes: "notes of " + name}
	if _, err := s.Insert(c).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	return c
}

func team(t *testing.T, s *store.Scoped, name string) *people.Team {
	t.Helper()
	tm := &people.Team{Name: name, Kind: people.TeamFunction}
	if _, err := s.Insert(tm).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	return tm
}

func assign(t *testing.T, s *store.Scoped, userID int64, teamIDs, companyIDs []int64) {
	t.Helper()
	ctx := context.Background()
	if err := s.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		return people.SetAssignments(ctx, tx, userID, teamIDs, companyIDs)
	}); err != nil {
		t.Fatal(err)
	}
}

func fieldErr(err error, field string) string {
	var ve valid.Errors
	if errors.As(err, &ve) {
		return ve[field]
	}
	return ""
}

// listed renders everything the list functions show actor, one line per
// object. It is the only place these tests call the list functions (whose
// signatures are moving to cursor pages and scopes): adapt it, not the tests.
func listed(t *testing.T, s *store.Scoped, actor policy.Actor) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	all := store.Page{Limit: store.MaxLimit}
	users, _, err := people.List(ctx, s, actor, policy.Settings{}, people.UserQuery{Sort: "created"}, all)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		fmt.Fprintf(&b, "user %d %s %s teams %v companies %v\n", u.ID, u.Email, u.Name, u.TeamIDs, u.CompanyIDs)
	}
	teams, _, err := people.TeamsFor(ctx, s, actor, policy.Settings{}, people.TeamQuery{}, all)
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range teams {
		fmt.Fprintf(&b, "team %d %s %+v\n", tm.ID, tm.Name, tm.Members)
	}
	companies, _, err := people.CompaniesFor(ctx, s, actor, people.CompanyQuery{}, all)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range companies {
		fmt.Fprintf(&b, "company %d %s %s %s\n", c.ID, c.Name, c.Domain, c.Notes)
	}
	return b.String()
}

func TestCreateUser(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	u := create(t, e.s, people.NewUser{
		Email: "  Ada.Lovelace@Example.COM ", Name: "  Ada Lovelace ", Kind: policy.Member,
		Capabilities: []policy.Capability{policy.PeopleAdmin, policy.SuperAdmin}, TestUser: true,
	})
	if u.ID == 0 || u.TenantID != e.s.TenantID() || u.Email != "ada.lovelace@example.com" || u.Name != "Ada Lovelace" ||
		u.Status != people.Invited || !u.TestUser || u.PasswordHash != "" || u.HiddenPages == nil || len(u.HiddenPages) != 0 {
		t.Errorf("created %+v", u)
	}
	for name, load := range map[string]func() (*people.User, error){
		"by id":              func() (*people.User, error) { return people.UserByID(ctx, e.s, u.ID) },
		"by email":           func() (*people.User, error) { return people.UserByEmail(ctx, e.s, "ada.lovelace@example.com") },
		"by email, any case": func() (*people.User, error) { return people.UserByEmail(ctx, e.s, " ADA.LOVELACE@example.com") },
		"in a write handle":  func() (*people.User, error) { return userInTx(t, e.s, u.ID) },
	} {
		got, err := load()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got.ID != u.ID || got.Email != u.Email || got.Name != "Ada Lovelace" || got.Kind != policy.Member || got.Status != people.Invited ||
			!got.TestUser || got.CreatedAt.Sub(u.CreatedAt).Abs() > time.Millisecond {
			t.Errorf("%s: %+v", name, got)
		}
		// Capabilities come back in the canonical order, not the given one.
		if c := got.CapabilityList(); !slices.Equal(c, []policy.Capability{policy.SuperAdmin, policy.PeopleAdmin}) {
			t.Errorf("%s: capabilities %v", name, c)
		}
	}

	// The same address again, spelled differently, is refused; in another tenant it is another user.
	_, err := people.CreateUser(ctx, e.s, people.NewUser{Email: "ADA.lovelace@example.com", Kind: policy.Guest})
	if msg := fieldErr(err, "email"); msg != "A user with this address already exists." {
		t.Errorf("duplicate address: %q (err %v)", msg, err)
	}
	other := e.tenant(t, "globex")
	twin := create(t, other, people.NewUser{Email: "ada.lovelace@example.com", Kind: policy.Guest, Status: people.Active})
	if twin.ID == u.ID || twin.TenantID == u.TenantID {
		t.Errorf("the twin in another tenant is %+v", twin)
	}
	if got, err := people.UserByEmail(ctx, e.s, "ada.lovelace@example.com"); err != nil || got.ID != u.ID || got.Kind != policy.Member {
		t.Errorf("acme's Ada after the twin: %+v, %v", got, err)
	}
}

func userInTx(t *testing.T, s *store.Scoped, id int64) (*people.User, error) {
	t.Helper()
	var u *people.User
	err := s.Tx(context.Background(), func(ctx context.Context, tx *store.Scoped) error {
		var err error
		u, err = people.UserByID(ctx, tx, id)
		return err
	})
	return u, err
}

func TestNewUserValidation(t *testing.T) {
	tests := []struct {
		name  string
		n     people.NewUser
		field string
		msg   string
	}{
		{"no address", people.NewUser{Kind: policy.Member}, "email", "Enter an address like name@example.com."},
		{"not an address", people.NewUser{Email: "ada", Kind: policy.Member}, "email", "Enter an address like name@example.com."},
		{"a display name", people.NewUser{Email: "Ada <ada@example.com>", Kind: policy.Member}, "email", "Enter an address like name@example.com."},
		{"too long an address", people.NewUser{Email: strings.Repeat("a", 250) + "@x.io", Kind: policy.Member}, "email", "Enter an address like name@example.com."},
		{"no kind", people.NewUser{Email: "ada@example.com"}, "kind", "Choose member, guest, client, external_editor or external_viewer."},
		{"an unknown kind", people.NewUser{Email: "ada@example.com", Kind: "admin"}, "kind", "Choose member, guest, client, external_editor or external_viewer."},
		{"an unknown capability", people.NewUser{Email: "ada@example.com", Kind: policy.Member, Capabilities: []policy.Capability{"root"}}, "capabilities", `"root" is not a capability.`},
		{"a guest with a capability", people.NewUser{Email: "ada@example.com", Kind: policy.Guest, Capabilities: []policy.Capability{policy.Admin}}, "capabilities", "Only members can hold admin capabilities."},
		{"an external user with a capability", people.NewUser{Email: "ada@example.com", Kind: policy.ExternalEditor, Capabilities: []policy.Capability{policy.BillingAdmin}}, "capabilities", "Only members can hold admin capabilities."},
		{"too long a name", people.NewUser{Email: "ada@example.com", Kind: policy.Member, Name: strings.Repeat("n", 121)}, "name", "Enter a name of up to 120 characters, on one line."},
		{"a two-line name", people.NewUser{Email: "ada@example.com", Kind: policy.Member, Name: "Line one\nLine two"}, "name", "Enter a name of up to 120 characters, on one line."},
		{"a name with a tab", people.NewUser{Email: "ada@example.com", Kind: policy.Member, Name: "Ada\tLovelace"}, "name", "Enter a name of up to 120 characters, on one line."},
		{"a name with a line separator", people.NewUser{Email: "ada@example.com", Kind: policy.Member, Name: "Ada\u2028Lovelace"}, "name", "Enter a name of up to 120 characters, on one line."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			u, err := people.CreateUser(context.Background(), e.s, tt.n)
			if msg := fieldErr(err, tt.field); msg != tt.msg || u != nil {
				t.Errorf("%s error %q (err %v, user %v), want %q", tt.field, msg, err, u, tt.msg)
			}
			if n, err := e.s.Select((*people.User)(nil)).Count(context.Background()); err != nil || n != 0 {
				t.Errorf("%d users after a refused create (err %v)", n, err)
			}
		})
	}
}

func TestUserLookupsStayInTheirTenant(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	other := e.tenant(t, "globex")

	ours := member(t, e.s, "ours@acme.test", policy.Admin)
	theirs := member(t, other, "canary-user@globex.test", policy.SuperAdmin)
	theirTeam := team(t, other, "CANARY-TEAM")
	theirCompany := company(t, other, "CANARY-COMPANY")
	ourTeam := team(t, e.s, "Acme Ops")
	ourCompany := company(t, e.s, "Acme Client")
	colleague := member(t, other, "canary-colleague@globex.test")
	assign(t, other, theirs.ID, []int64{theirTeam.ID}, nil)
	assign(t, other, colleague.ID, []int64{theirTeam.ID}, nil)
	assign(t, e.s, ours.ID, []int64{ourTeam.ID}, nil)

	if _, err := people.UserByID(ctx, e.s, theirs.ID); !errors.Is(err, people.ErrNotFound) {
		t.Errorf("UserByID of globex's user through acme: %v, want ErrNotFound", err)
	}
	if _, err := people.UserByEmail(ctx, e.s, theirs.Email); !errors.Is(err, people.ErrNotFound) {
		t.Errorf("UserByEmail of globex's user through acme: %v, want ErrNotFound", err)
	}
	us, err := people.UsersByIDs(ctx, e.s, []int64{ours.ID, theirs.ID, colleague.ID})
	if err != nil || len(us) != 1 || us[0].ID != ours.ID {
		t.Errorf("UsersByIDs through acme: %+v (err %v), want only %d", us, err, ours.ID)
	}
	if err := people.SetPassword(ctx, e.s, theirs.ID, "$argon2id$forged", "Hijacked"); !errors.Is(err, people.ErrNotFound) {
		t.Errorf("SetPassword of globex's user through acme: %v, want ErrNotFound", err)
	}
	if got, err := people.UserByID(ctx, other, theirs.ID); err != nil || got.PasswordHash != "" || got.Name != "Name of canary-user@globex.test" {
		t.Errorf("globex's user after acme's attempt: %+v, %v", got, err)
	}
	if tm, c, err := people.Assignments(ctx, e.s, theirs.ID); err != nil || len(tm)+len(c) != 0 {
		t.Errorf("Assignments of globex's user through acme: %v %v (err %v)", tm, c, err)
	}
	if err := people.CheckAssignments(ctx, e.s, policy.Member, []int64{theirTeam.ID}, nil); fieldErr(err, "team_ids") != "Some of these do not exist." {
		t.Errorf("CheckAssignments with globex's team: %v", err)
	}
	if err := people.CheckAssignments(ctx, e.s, policy.ExternalViewer, nil, []int64{theirCompany.ID}); fieldErr(err, "company_ids") != "Some of these do not exist." {
		t.Errorf("CheckAssignments with globex's company: %v", err)
	}
	if err := people.CheckAssignments(ctx, e.s, policy.ExternalViewer, nil, []int64{ourCompany.ID}); err != nil {
		t.Errorf("CheckAssignments with acme's company: %v", err)
	}
	if err := setTeamMember(ctx, e.s, ourTeam.ID, theirs.ID, people.TeamMember); fieldErr(err, "user_id") != "Choose a user from the list." {
		t.Errorf("SetTeamMember of globex's user into acme's team: %v", err)
	}
	if err := setTeamMember(ctx, e.s, theirTeam.ID, ours.ID, people.TeamMember); !errors.Is(err, people.ErrNotFoundTeam) {
		t.Errorf("SetTeamMember into globex's team: %v, want ErrNotFoundTeam", err)
	}
	if err := people.RemoveTeamMember(ctx, e.s, opBy(e.s), theirTeam.ID, theirs.ID); !errors.Is(err, people.ErrNotFoundTeam) {
		t.Errorf("RemoveTeamMember from globex's team: %v, want ErrNotFoundTeam", err)
	}
	if err := people.DeleteTeam(ctx, e.s, opBy(e.s), theirTeam.ID); !errors.Is(err, people.ErrNotFoundTeam) {
		t.Errorf("DeleteTeam of globex's team: %v, want ErrNotFoundTeam", err)
	}
	if err := people.DeleteCompany(ctx, e.s, opBy(e.s), theirCompany.ID); !errors.Is(err, people.ErrNotFoundCompany) {
		t.Errorf("DeleteCompany of globex's company: %v, want ErrNotFoundCompany", err)
	}

	// Whatever acme's super admin lists, no canary from globex shows.
	sa := member(t, e.s, "sa@acme.test", policy.SuperAdmin)
	out := listed(t, e.s, sa.Actor())
	if strings.Contains(strings.ToLower(out), "canary") {
		t.Errorf("acme's lists show globex's data:\n%s", out)
	}
	for _, want := range []string{"ours@acme.test", "Acme Ops", "Acme Client"} {
		if !strings.Contains(out, want) {
			t.Errorf("acme's lists miss %q:\n%s", want, out)
		}
	}
	// And globex's own lists still hold everything acme tried to touch.
	theirOut := listed(t, other, theirs.Actor())
	for _, want := range []string{"canary-user@globex.test", "canary-colleague@globex.test", "CANARY-TEAM", "CANARY-COMPANY"} {
		if !strings.Contains(theirOut, want) {
			t.Errorf("globex's lists miss %q:\n%s", want, theirOut)
		}
	}
	if strings.Contains(theirOut, "acme") || strings.Contains(theirOut, "Acme") {
		t.Errorf("globex's lists show acme's data:\n%s", theirOut)
	}
}

func TestActor(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	m := member(t, e.s, "m@acme.test", policy.PeopleAdmin, policy.Admin)
	if _, err := e.s.Update((*people.User)(nil)).Set("hidden_pages = ?", `["tickets","headlines"]`).Where("id = ?", m.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := people.UserByID(ctx, e.s, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	a := got.Actor()
	if a.UserID != m.ID || a.TenantID != e.s.TenantID() || a.Kind != policy.Member || !a.SignedIn() ||
		!slices.Equal(a.Capabilities, []policy.Capability{policy.Admin, policy.PeopleAdmin}) ||
		!slices.Equal(a.HiddenPages, []policy.Page{policy.PageTickets, policy.PageHeadlines}) || a.Modules != nil {
		t.Errorf("member's actor %+v", a)
	}
	if !a.Has(policy.Admin) || a.Has(policy.SuperAdmin) {
		t.Errorf("member's actor: Has(admin) %v, Has(super_admin) %v", a.Has(policy.Admin), a.Has(policy.SuperAdmin))
	}

	ext := create(t, e.s, people.NewUser{Email: "ext@globex.test", Kind: policy.ExternalEditor, Status: people.Active})
	if err := e.s.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		return people.SetModules(ctx, tx, ext.ID, []people.ModuleSetting{
			{Key: policy.PageTickets, Show: true, Label: "Support"}, {Key: policy.PageContacts},
		})
	}); err != nil {
		t.Fatal(err)
	}
	// A capability row written behind the rules' back is not a power of a non-member.
	if _, err := e.s.Insert(&people.UserCapability{UserID: ext.ID, Capability: policy.SuperAdmin}).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	gotExt, err := people.UserByID(ctx, e.s, ext.ID)
	if err != nil {
		t.Fatal(err)
	}
	ea := gotExt.Actor()
	wantModules := map[policy.Page]policy.Module{policy.PageTickets: {Show: true, Label: "Support"}, policy.PageContacts: {}}
	if ea.Kind != policy.ExternalEditor || fmt.Sprint(ea.Modules) != fmt.Sprint(wantModules) {
		t.Errorf("external actor %+v, want modules %v", ea, wantModules)
	}
	if ea.Has(policy.SuperAdmin) || ea.HasAny(policy.Capabilities...) {
		t.Error("an external user's stored capability counts")
	}
	if gotExt.DisplayName() != "ext@globex.test" || got.DisplayName() != "Name of m@acme.test" {
		t.Errorf("display names %q, %q", gotExt.DisplayName(), got.DisplayName())
	}
}

func TestSetPassword(t *testing.T) {
	tests := []struct {
		name       string
		status     people.Status
		newName    string
		wantStatus people.Status
		wantName   string
	}{
		{"an invited user becomes active", people.Invited, "  New Name ", people.Active, "New Name"},
		{"an active user stays active and keeps the name", people.Active, "   ", people.Active, "Old Name"},
		{"a deactivated user stays deactivated", people.Deactivated, "", people.Deactivated, "Old Name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t)
			u := create(t, e.s, people.NewUser{Email: "u@acme.test", Name: "Old Name", Kind: policy.Member, Status: tt.status})
			if err := people.SetPassword(ctx, e.s, u.ID, "$argon2id$hash", tt.newName); err != nil {
				t.Fatal(err)
			}
			got, err := people.UserByID(ctx, e.s, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.PasswordHash != "$argon2id$hash" || got.Status != tt.wantStatus || got.Name != tt.wantName {
				t.Errorf("after SetPassword: hash %q, status %s, name %q", got.PasswordHash, got.Status, got.Name)
			}
		})
	}
	t.Run("an unknown user", func(t *testing.T) {
		e := newEnv(t)
		if err := people.SetPassword(context.Background(), e.s, 4242, "h", ""); !errors.Is(err, people.ErrNotFound) {
			t.Errorf("err %v, want ErrNotFound", err)
		}
	})
}

func TestCheckModules(t *testing.T) {
	long := strings.Repeat("é", people.MaxLabel+1)
	tests := []struct {
		name      string
		kind      policy.Kind
		in        []people.ModuleSetting
		companies int
		want      string // the settings as key:show:label, or the error
	}{
		{"a member without modules", policy.Member, nil, 0, ""},
		{"a member with modules", policy.Member, []people.ModuleSetting{{Key: policy.PagePlan}}, 0, "error: Only external users have modules."},
		{"defaults for one company", policy.ExternalViewer, nil, 1, "plan:true: tickets:false: office365:false: contacts:false:"},
		{"defaults for two companies", policy.ExternalEditor, nil, 2, "plan:true: tickets:false: office365:false: contacts:false: companies:false:"},
		{"an empty list stays empty", policy.ExternalEditor, []people.ModuleSetting{}, 2, ""},
		{"labels are trimmed", policy.ExternalEditor, []people.ModuleSetting{{Key: policy.PageTickets, Show: true, Label: "  Help desk  "}}, 1, "tickets:true:Help desk"},
		{"a page that is no module", policy.ExternalEditor, []people.ModuleSetting{{Key: policy.PageSettings}}, 1, `error: "settings" is not a module.`},
		{"an unknown page", policy.ExternalEditor, []people.ModuleSetting{{Key: "nowhere"}}, 1, `error: "nowhere" is not a module.`},
		{"a module twice", policy.ExternalEditor, []people.ModuleSetting{{Key: policy.PagePlan}, {Key: policy.PagePlan, Show: true}}, 1, `error: "plan" is listed twice.`},
		{"a label of 40 runes", policy.ExternalEditor, []people.ModuleSetting{{Key: policy.PagePlan, Label: long[:len(long)-2]}}, 1, "plan:false:" + long[:len(long)-2]},
		{"a label of 41 runes", policy.ExternalEditor, []people.ModuleSetting{{Key: policy.PagePlan, Label: long}}, 1, "error: The label of Strategy and Plan must be a single line of at most 40 characters."},
		{"a label with a newline", policy.ExternalEditor, []people.ModuleSetting{{Key: policy.PagePlan, Label: "a\nb"}}, 1, "error: The label of Strategy and Plan must be a single line of at most 40 characters."},
		{"a label with markup", policy.ExternalEditor, []people.ModuleSetting{{Key: policy.PagePlan, Label: "<b>"}}, 1, "error: The label of Strategy and Plan must be a single line of at most 40 characters."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := people.CheckModules(tt.kind, tt.in, tt.companies)
			var got string
			if err != nil {
				got = "error: " + fieldErr(err, "modules")
			} else {
				var parts []string
				for _, m := range ms {
					parts = append(parts, fmt.Sprintf("%s:%v:%s", m.Key, m.Show, m.Label))
				}
				got = strings.Join(parts, " ")
			}
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestCheckAssignments(t *testing.T) {
	tests := []struct {
		name      string
		kind      policy.Kind
		teams     bool // assign the tenant's team
		companies bool // assign the tenant's company
		unknown   bool // add an ID that does not exist
		want      valid.Errors
	}{
		{name: "a member in a team", kind: policy.Member, teams: true},
		{name: "a client in a team", kind: policy.Client, teams: true},
		{name: "a guest in no team", kind: policy.Guest},
		{name: "a guest in a team", kind: policy.Guest, teams: true, want: valid.Errors{"team_ids": "Only members and clients belong to teams."}},
		{name: "an external user in a company", kind: policy.ExternalViewer, companies: true},
		{name: "an external user in no company", kind: policy.ExternalEditor, want: valid.Errors{"company_ids": "Assign an external user to at least one company."}},
		{name: "an external user in a team", kind: policy.ExternalEditor, teams: true, companies: true, want: valid.Errors{"team_ids": "Only members and clients belong to teams."}},
		{name: "a member in a company", kind: policy.Member, companies: true, want: valid.Errors{"company_ids": "Only external users are assigned to companies."}},
		{name: "an unknown team", kind: policy.Member, teams: true, unknown: true, want: valid.Errors{"team_ids": "Some of these do not exist."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			var teamIDs, companyIDs []int64
			if tt.teams {
				teamIDs = append(teamIDs, team(t, e.s, "Ops").ID, team(t, e.s, "Sales").ID)
				teamIDs = append(teamIDs, teamIDs[0]) // a repeated ID is one team
			}
			if tt.companies {
				companyIDs = []int64{company(t, e.s, "Globex").ID}
			}
			if tt.unknown {
				teamIDs = append(teamIDs, 987654)
			}
			err := people.CheckAssignments(context.Background(), e.s, tt.kind, teamIDs, companyIDs)
			var got valid.Errors
			if err != nil && !errors.As(err, &got) {
				t.Fatalf("err %v is not a field error", err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSetAssignmentsKeepsLeaders(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	u := member(t, e.s, "lead@acme.test")
	ops, sales, hr := team(t, e.s, "Ops"), team(t, e.s, "Sales"), team(t, e.s, "HR")
	assign(t, e.s, u.ID, []int64{ops.ID, sales.ID}, nil)
	if err := setTeamMember(ctx, e.s, ops.ID, u.ID, people.TeamLeader); err != nil {
		t.Fatal(err)
	}
	assign(t, e.s, u.ID, []int64{hr.ID, ops.ID, hr.ID}, nil)

	var rows []people.TeamMembership
	if err := e.s.Select(&rows).Where("user_id = ?", u.ID).Order("team_id").Scan(ctx); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%d:%s", r.TeamID, r.Role))
	}
	want := []string{fmt.Sprintf("%d:leader", ops.ID), fmt.Sprintf("%d:member", hr.ID)}
	if !slices.Equal(got, want) {
		t.Errorf("memberships %v, want %v", got, want)
	}
	// nil leaves the teams alone; an empty list clears them.
	assign(t, e.s, u.ID, nil, nil)
	if tm, _, err := people.Assignments(ctx, e.s, u.ID); err != nil || len(tm) != 2 {
		t.Errorf("after nil: teams %v (err %v)", tm, err)
	}
	assign(t, e.s, u.ID, []int64{}, nil)
	if tm, _, err := people.Assignments(ctx, e.s, u.ID); err != nil || len(tm) != 0 {
		t.Errorf("after an empty list: teams %v (err %v)", tm, err)
	}
}

// opBy is the command-line operator of db's tenant, for fixtures made
// through the org-design operations.
func opBy(db *store.Scoped) people.By { return people.By{Actor: policy.Operator(db.TenantID())} }

// setTeamMember adds a member through the org-design operation as the operator.
func setTeamMember(ctx context.Context, db *store.Scoped, teamID, userID int64, role people.TeamRole) error {
	_, err := people.SetTeamMember(ctx, db, opBy(db), teamID, userID, role)
	return err
}

// TestUserIDsAreNeverReused: a deleted user's ID (a revoked invitation
// deletes its invited user) is not given to the next user, so the audit log
// and invitation records never come to name someone else.
func TestUserIDsAreNeverReused(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	first := member(t, e.s, "first@acme.test")
	if _, err := e.s.Delete((*people.User)(nil)).Where("id = ?", first.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	second := member(t, e.s, "second@acme.test")
	if second.ID <= first.ID {
		t.Errorf("the next user got ID %d after %d was deleted", second.ID, first.ID)
	}
}

// TestOrgIDsAreNeverReused: a deleted team's or company's ID is not given
// to the next one, whose history would otherwise include the audit records
// of the deleted one.
func TestOrgIDsAreNeverReused(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	by := opBy(e.s)
	first, err := people.SaveTeam(ctx, e.s, by, 0, people.TeamInput{Name: ptr("First"), Kind: ptr(people.TeamFunction)})
	if err != nil {
		t.Fatal(err)
	}
	if err := people.DeleteTeam(ctx, e.s, by, first.ID); err != nil {
		t.Fatal(err)
	}
	second, err := people.SaveTeam(ctx, e.s, by, 0, people.TeamInput{Name: ptr("Second"), Kind: ptr(people.TeamFunction)})
	if err != nil {
		t.Fatal(err)
	}
	if second.ID <= first.ID {
		t.Errorf("the next team got ID %d after %d was deleted", second.ID, first.ID)
	}
	c1, err := people.SaveCompany(ctx, e.s, by, 0, people.CompanyInput{Name: ptr("One")})
	if err != nil {
		t.Fatal(err)
	}
	if err := people.DeleteCompany(ctx, e.s, by, c1.ID); err != nil {
		t.Fatal(err)
	}
	c2, err := people.SaveCompany(ctx, e.s, by, 0, people.CompanyInput{Name: ptr("Two")})
	if err != nil {
		t.Fatal(err)
	}
	if c2.ID <= c1.ID {
		t.Errorf("the next company got ID %d after %d was deleted", c2.ID, c1.ID)
	}
}
