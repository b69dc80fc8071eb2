package policy_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/policy"
)

var update = flag.Bool("update", false, "rewrite testdata/table.golden")

// profile is one row of the table: a kind with some capabilities.
type profile struct {
	name  string
	actor policy.Actor
}

func allModules() map[policy.Page]policy.Module {
	m := map[policy.Page]policy.Module{}
	for _, info := range policy.Pages {
		if info.Module {
			m[info.Key] = policy.Module{Show: true}
		}
	}
	return m
}

func profiles() []profile {
	var out []profile
	base := func(k policy.Kind, caps ...policy.Capability) policy.Actor {
		return policy.Actor{UserID: 1, TenantID: 1, Kind: k, Capabilities: caps}
	}
	out = append(out, profile{"anonymous", policy.Actor{}})
	out = append(out, profile{"member", base(policy.Member)})
	for _, c := range policy.Capabilities {
		out = append(out, profile{"member+" + string(c), base(policy.Member, c)})
	}
	for _, k := range policy.Kinds[1:] {
		a := base(k)
		if k.External() {
			a.Modules = allModules()
		}
		out = append(out, profile{string(k), a})
		// A capability stored for a non-member must grant nothing.
		a.Capabilities = []policy.Capability{policy.SuperAdmin}
		out = append(out, profile{string(k) + "+super_admin(stored)", a})
	}
	return out
}

func rules() []policy.Rule {
	var out []policy.Rule
	for _, info := range policy.Pages {
		out = append(out, policy.ViewPage(info.Key))
	}
	return append(out, policy.Public, policy.SignedIn, policy.Whoami, policy.OwnAccount, policy.SignOut, policy.EditBranding, policy.EditStrategyToggles,
		policy.EditSettings, policy.InviteUsers, policy.ManageUsers, policy.ManagePageAccess, policy.ManageModules,
		policy.ManageTestUser, policy.ManageTeams, policy.ManageCompanies, policy.ViewAudit, policy.ManageEmail, policy.ManageIntegrations,
		policy.CreateTickets, policy.EditTickets, policy.ManageTicketSettings, policy.EditContacts,
		policy.EditArticles, policy.EditReports, policy.EditOffice365, policy.EditPlan, policy.CommentPlan, policy.StartPreview, policy.EndPreview, policy.ExplainAccess, policy.SwitchCompany,
		policy.ReadTeamWork, policy.WorkInTeams, policy.SendIssues, policy.CascadeMessages, policy.EditCompanyRocks, policy.HoldOneOnOnes,
		policy.EditVision, policy.EditHeadlines, policy.EditRolesChart, policy.CreateWorkboards, policy.WorkOnBoards)
}

// TestTable renders every profile × rule decision and compares it with
// testdata/table.golden, which is reviewed by hand against SPEC §4–5.
// Regenerate with: go test ./app/policy -run TestTable -update
func TestTable(t *testing.T) {
	settings := policy.Settings{WhyEnabled: true, DirectionEnabled: true}
	var b strings.Builder
	b.WriteString("# profile × rule → allowed (why and direction enabled; external users with every module shown)\n")
	for _, p := range profiles() {
		for _, r := range rules() {
			fmt.Fprintf(&b, "%-34s %-28s %v\n", p.name, r, policy.Allows(p.actor, settings, r))
		}
	}
	b.WriteString("\n# profile × target → may manage the user; then grant/remove each capability to/from a member\n")
	targets := []struct {
		name string
		t    policy.Target
	}{
		{"member", policy.Target{UserID: 99, Kind: policy.Member}},
		{"member+admin", policy.Target{UserID: 99, Kind: policy.Member, Capabilities: []policy.Capability{policy.Admin}}},
		{"member+super_admin", policy.Target{UserID: 99, Kind: policy.Member, Capabilities: []policy.Capability{policy.SuperAdmin}}},
		{"guest", policy.Target{UserID: 99, Kind: policy.Guest}},
		{"external_editor", policy.Target{UserID: 99, Kind: policy.ExternalEditor}},
	}
	for _, p := range profiles() {
		for _, tg := range targets {
			fmt.Fprintf(&b, "%-34s manage %-20s %-5v deactivate %v\n", p.name, tg.name,
				policy.CanManageUser(p.actor, settings, tg.t), policy.CanDeactivateUser(p.actor, settings, tg.t))
		}
		for _, c := range policy.Capabilities {
			grant := policy.CheckCapabilities(p.actor, policy.Member, nil, []policy.Capability{c}) == nil
			remove := policy.CheckCapabilities(p.actor, policy.Member, []policy.Capability{c}, nil) == nil
			fmt.Fprintf(&b, "%-34s grant %-16s %-5v remove %v\n", p.name, c, grant, remove)
		}
	}
	b.WriteString("\n# profile × guarded field → may set it (inviting or editing a user; changing a tenant setting)\n")
	for _, p := range profiles() {
		for _, f := range []policy.UserField{policy.FieldHiddenPages, policy.FieldModules, policy.FieldOwnTicketsOnly, policy.FieldTestUser} {
			fmt.Fprintf(&b, "%-34s user.%-24s %v\n", p.name, f, policy.CanSetUserField(p.actor, settings, f))
		}
		for _, f := range []policy.SettingsField{policy.SettingWhyEnabled, policy.SettingDirectionEnabled, policy.SettingBranding, policy.SettingSupport} {
			fmt.Fprintf(&b, "%-34s settings.%-20s %v\n", p.name, f, policy.CheckSettingsFields(p.actor, settings, f) == nil)
		}
		fmt.Fprintf(&b, "%-34s sees a deactivated user's contact details %v\n", p.name, policy.SeesContactDetails(p.actor, settings, true))
		fmt.Fprintf(&b, "%-34s sees another user's admin fields %v, own %v\n", p.name,
			policy.SeesAdminFields(p.actor, settings, 99), policy.SeesAdminFields(p.actor, settings, p.actor.UserID))
	}
	b.WriteString("\n# rule → refused in every preview as administration (page rules in their own section)\n")
	for _, r := range rules() {
		fmt.Fprintf(&b, "%-34s admin %v\n", r, policy.AdminRoute("", r))
	}
	b.WriteString("\n# profile × target → may preview as them (same tenant, active unless said); read-only preview\n")
	previewTargets := []struct {
		name string
		t    policy.PreviewTarget
	}{
		{"member", policy.PreviewTarget{Target: policy.Target{UserID: 99, Kind: policy.Member}, TenantID: 1, Active: true}},
		{"member+admin", policy.PreviewTarget{Target: policy.Target{UserID: 99, Kind: policy.Member, Capabilities: []policy.Capability{policy.Admin}}, TenantID: 1, Active: true}},
		{"member+super_admin", policy.PreviewTarget{Target: policy.Target{UserID: 99, Kind: policy.Member, Capabilities: []policy.Capability{policy.SuperAdmin}}, TenantID: 1, Active: true}},
		{"member+people_admin", policy.PreviewTarget{Target: policy.Target{UserID: 99, Kind: policy.Member, Capabilities: []policy.Capability{policy.PeopleAdmin}}, TenantID: 1, Active: true}},
		{"client", policy.PreviewTarget{Target: policy.Target{UserID: 99, Kind: policy.Client}, TenantID: 1, Active: true}},
		{"client(test user)", policy.PreviewTarget{Target: policy.Target{UserID: 99, Kind: policy.Client}, TenantID: 1, Active: true, TestUser: true}},
		{"external_viewer+super_admin(stored)", policy.PreviewTarget{Target: policy.Target{UserID: 99, Kind: policy.ExternalViewer, Capabilities: []policy.Capability{policy.SuperAdmin}}, TenantID: 1, Active: true}},
		{"client(inactive)", policy.PreviewTarget{Target: policy.Target{UserID: 99, Kind: policy.Client}, TenantID: 1}},
		{"client(other tenant)", policy.PreviewTarget{Target: policy.Target{UserID: 99, Kind: policy.Client}, TenantID: 2, Active: true}},
		{"themselves", policy.PreviewTarget{Target: policy.Target{UserID: 1, Kind: policy.Client}, TenantID: 1, Active: true}},
	}
	for _, p := range profiles() {
		for _, tg := range previewTargets {
			fmt.Fprintf(&b, "%-34s preview %-36s %-5v read-only %v\n", p.name, tg.name,
				policy.CanPreview(p.actor, tg.t), policy.PreviewReadOnly(tg.t))
		}
	}
	b.WriteString("\n# kind → may hold capabilities, join teams, have a manager, manage, be assigned to companies; what the menu names\n")
	menu := map[policy.Belonging]string{policy.BelongsToKind: "kind", policy.BelongsToCompanies: "companies", policy.BelongsToTeams: "teams"}
	for _, k := range policy.Kinds {
		fmt.Fprintf(&b, "%-34s capabilities %-5v teams %-5v manager %-5v manages %-5v companies %-5v menu %s\n", k,
			policy.MayHoldCapabilities(k), policy.MayJoinTeams(k), policy.MayHaveManager(k), policy.MayManage(k), policy.HasCompanies(k),
			menu[policy.MenuBelonging(k)])
	}
	got := b.String()
	const path = "testdata/table.golden"
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("policy table changed; review the diff and run with -update:\n%s", diff(string(want), got))
	}
}

// golden compares got with the golden file at path, rewriting it first
// under -update; what names the table in the failure.
func golden(t *testing.T, path, got, what string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s changed; review the diff and run with -update:\n%s", what, diff(string(want), got))
	}
}

func diff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, "- "+x, "+ "+y)
		}
	}
	return strings.Join(out, "\n")
}

// TestSpecRows spells out SPEC §5's ceiling for a few pages, independent of the golden file.
func TestSpecRows(t *testing.T) {
	on := policy.Settings{WhyEnabled: true, DirectionEnabled: true}
	member := policy.Actor{UserID: 1, TenantID: 1, Kind: policy.Member}
	admin := member
	admin.Capabilities = []policy.Capability{policy.Admin}
	billing := member
	billing.Capabilities = []policy.Capability{policy.BillingAdmin}
	guest := policy.Actor{UserID: 2, TenantID: 1, Kind: policy.Guest}
	client := policy.Actor{UserID: 3, TenantID: 1, Kind: policy.Client}
	editor := policy.Actor{UserID: 4, TenantID: 1, Kind: policy.ExternalEditor,
		Modules: map[policy.Page]policy.Module{policy.PageTickets: {Show: true, Label: "Support"}, policy.PageCompanies: {Show: false}}}

	tests := []struct {
		name  string
		actor policy.Actor
		set   policy.Settings
		page  policy.Page
		want  bool
	}{
		{"member sees heatmap", member, on, policy.PageHeatmap, true},
		{"member without capability has no settings", member, on, policy.PageSettings, false},
		{"admin has settings", admin, on, policy.PageSettings, true},
		{"admin has audit", admin, on, policy.PageAudit, true},
		{"admin has no billing", admin, on, policy.PageBilling, false},
		{"billing admin has billing", billing, on, policy.PageBilling, true},
		{"billing admin has no audit", billing, on, policy.PageAudit, false},
		{"why off hides why", member, policy.Settings{DirectionEnabled: true}, policy.PageWhy, false},
		{"direction off hides direction", member, policy.Settings{WhyEnabled: true}, policy.PageDirection, false},
		{"guest has workboards", guest, on, policy.PageWorkboards, true},
		{"guest has no headlines", guest, on, policy.PageHeadlines, false},
		{"guest has no teams", guest, on, policy.PageTeams, false},
		{"client has teams", client, on, policy.PageTeams, true},
		{"client has no vision", client, on, policy.PageVision, false},
		{"client has no tickets", client, on, policy.PageTickets, false},
		{"editor has shown module", editor, on, policy.PageTickets, true},
		{"editor lacks hidden module", editor, on, policy.PageCompanies, false},
		{"editor lacks unset module", editor, on, policy.PageReports, false},
		{"editor has home", editor, on, policy.PageHome, true},
		{"editor has no upcoming", editor, on, policy.PageUpcoming, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := policy.CanSeePage(tt.actor, tt.set, tt.page); got != tt.want {
				t.Errorf("CanSeePage = %v, want %v", got, tt.want)
			}
		})
	}
	if got := policy.Label(editor, policy.PageTickets); got != "Support" {
		t.Errorf("module label = %q, want Support", got)
	}
	hidden := member
	hidden.HiddenPages = []policy.Page{policy.PageHeatmap, policy.PageHome}
	if policy.CanSeePage(hidden, on, policy.PageHeatmap) {
		t.Error("a hidden page stays visible")
	}
	if !policy.CanSeePage(hidden, on, policy.PageHome) {
		t.Error("home must stay visible even when hidden")
	}
	// Settings cannot be hidden from a super admin (nobody could administer
	// the tenant any more), but can from an admin.
	for _, c := range []struct {
		cap  policy.Capability
		want bool
	}{{policy.SuperAdmin, true}, {policy.Admin, false}} {
		a := member
		a.Capabilities = []policy.Capability{c.cap}
		a.HiddenPages = []policy.Page{policy.PageSettings, policy.PageAudit}
		if got := policy.CanSeePage(a, on, policy.PageSettings); got != c.want {
			t.Errorf("%s with Settings hidden sees Settings: %v, want %v", c.cap, got, c.want)
		}
		if policy.CanSeePage(a, on, policy.PageAudit) {
			t.Errorf("%s with the audit log hidden sees it", c.cap)
		}
	}
}

func TestCapabilitiesOnlyForMembers(t *testing.T) {
	super := policy.Actor{UserID: 1, TenantID: 1, Kind: policy.Member, Capabilities: []policy.Capability{policy.SuperAdmin}}
	for _, k := range policy.Kinds[1:] {
		if err := policy.CheckCapabilities(super, k, nil, []policy.Capability{policy.HeadlinesAdmin}); err != policy.ErrCapabilityNonMember {
			t.Errorf("%s given a capability: %v", k, err)
		}
	}
	if err := policy.CheckCapabilities(super, policy.Member, nil, []policy.Capability{"root"}); err != policy.ErrCapabilityUnknown {
		t.Errorf("unknown capability: %v", err)
	}
	self := policy.Target{UserID: 1, Kind: policy.Member, Capabilities: []policy.Capability{policy.SuperAdmin}}
	if policy.CanManageUser(super, policy.Settings{}, self) {
		t.Error("a super admin may manage themselves through user administration")
	}
}

func TestUnknownRuleRefused(t *testing.T) {
	a := policy.Actor{UserID: 1, TenantID: 1, Kind: policy.Member, Capabilities: []policy.Capability{policy.SuperAdmin}}
	if policy.Allows(a, policy.Settings{}, policy.Rule("made.up")) {
		t.Error("an unknown rule was allowed")
	}
	if policy.Rule("page:nope").Known() {
		t.Error("an unknown page rule is known")
	}
}

// TestOperatorIsExplicit: the zero Actor may do nothing but public things;
// the command-line operator is a named actor.
func TestOperatorIsExplicit(t *testing.T) {
	var zero policy.Actor
	for _, r := range rules() {
		if r != policy.Public && policy.Allows(zero, policy.Settings{}, r) {
			t.Errorf("the zero actor is allowed %s", r)
		}
	}
	if policy.CheckCapabilities(zero, policy.Member, nil, []policy.Capability{policy.Admin}) == nil {
		t.Error("the zero actor may grant admin")
	}
	op := policy.Operator(7)
	if !op.IsOperator() || zero.IsOperator() {
		t.Error("IsOperator is wrong")
	}
	if !policy.Allows(op, policy.Settings{}, policy.InviteUsers) {
		t.Error("the operator may not invite")
	}
	if err := policy.CheckCapabilities(op, policy.Member, nil, []policy.Capability{policy.SuperAdmin}); err != nil {
		t.Errorf("the operator may not make a super admin: %v", err)
	}
	if policy.CheckCapabilities(op, policy.Guest, nil, []policy.Capability{policy.Admin}) == nil {
		t.Error("the operator gave a guest a capability")
	}
}

func TestUniqueCapabilities(t *testing.T) {
	got := policy.UniqueCapabilities([]policy.Capability{policy.Admin, policy.SuperAdmin, policy.Admin, "root", "root"})
	want := []policy.Capability{policy.SuperAdmin, policy.Admin, "root"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("UniqueCapabilities = %v, want %v", got, want)
	}
}

// TestAdminsRemoveAdmins: SPEC §4.2 lets admins add and remove admins but
// not super admins; SPEC §4.3 lets only super admins deactivate admins.
func TestAdminsRemoveAdmins(t *testing.T) {
	admin := policy.Actor{UserID: 1, TenantID: 1, Kind: policy.Member, Capabilities: []policy.Capability{policy.Admin}}
	other := policy.Target{UserID: 2, Kind: policy.Member, Capabilities: []policy.Capability{policy.Admin}}
	super := policy.Target{UserID: 3, Kind: policy.Member, Capabilities: []policy.Capability{policy.SuperAdmin}}
	set := policy.Settings{}
	if !policy.CanManageUser(admin, set, other) {
		t.Error("an admin may not manage another admin")
	}
	if err := policy.CheckCapabilities(admin, policy.Member, other.Capabilities, nil); err != nil {
		t.Errorf("an admin may not remove admin: %v", err)
	}
	if policy.CanDeactivateUser(admin, set, other) {
		t.Error("an admin may deactivate an admin")
	}
	if policy.CanManageUser(admin, set, super) {
		t.Error("an admin may manage a super admin")
	}
}
