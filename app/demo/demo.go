// Package demo seeds the demo dataset of SPEC §15: two tenants, their
// people, companies and teams. Seeding is idempotent: each item is created
// only when it is missing, so a second run keeps the data and a run that
// was cut short completes on the next start.
package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tenant"
)

// Passwords of the demo users.
const (
	Password          = "demo-pass-1"
	NorthwindPassword = "demo-pass-2"
)

// Login is one demo sign-in, for the start-up message and the README.
type Login struct {
	Host, Email, Password, What string
}

type user struct {
	email, name string
	kind        policy.Kind
	caps        []policy.Capability
	status      people.Status
	manager     string
	companies   []string
	modules     []people.UserModule
	ownTickets  bool
	testUser    bool
	password    string
}

type team struct {
	name    string
	kind    people.TeamKind
	company string
	members []string // the first is the leader
}

type tenantSeed struct {
	slug, name, appName, primary, accent string
	hosts                                []string
	companies                            []string
	groups                               map[string][]string
	users                                []user
	teams                                []team
	tickets                              ticketsSeed
	contacts                             []contactSeed
}

func mods(show map[policy.Page]string, hidden ...policy.Page) []people.UserModule {
	var out []people.UserModule
	for _, info := range policy.Pages {
		if !info.Module {
			continue
		}
		if label, ok := show[info.Key]; ok {
			out = append(out, people.UserModule{Page: info.Key, Show: true, Label: label})
		}
	}
	for _, p := range hidden {
		out = append(out, people.UserModule{Page: p, Show: false})
	}
	return out
}

var seeds = []tenantSeed{{
	slug: "acme", name: "Acme IT", appName: "Acme Portal", primary: "#0F766E", accent: "#F59E0B",
	hosts:     []string{"acme.localhost", "localhost"},
	companies: []string{"Globex Corporation", "Initech", "Umbrella Health", "Acme Test Co"},
	groups:    map[string][]string{"Managed clients": {"Globex Corporation", "Initech"}},
	users: []user{
		{email: "ada@acme.test", name: "Ada Lovelace", kind: policy.Member, caps: []policy.Capability{policy.SuperAdmin}},
		{email: "alan@acme.test", name: "Alan Turing", kind: policy.Member, caps: []policy.Capability{policy.Admin}},
		{email: "grace@acme.test", name: "Grace Hopper", kind: policy.Member, caps: []policy.Capability{policy.PeopleAdmin}},
		{email: "linus@acme.test", name: "Linus Torvalds", kind: policy.Member, caps: []policy.Capability{policy.StrategyAdmin}},
		{email: "hedy@acme.test", name: "Hedy Lamarr", kind: policy.Member, caps: []policy.Capability{policy.HeadlinesAdmin}},
		{email: "barbara@acme.test", name: "Barbara Liskov", kind: policy.Member, caps: []policy.Capability{policy.BillingAdmin}},
		{email: "ken@acme.test", name: "Ken Thompson", kind: policy.Member, manager: "alan@acme.test"},
		{email: "dora@acme.test", name: "Dora Deactivated", kind: policy.Member, status: people.Deactivated},
		{email: "gina@guest.test", name: "Gina Guest", kind: policy.Guest},
		{email: "carol@globex.test", name: "Carol Client", kind: policy.Client},
		{email: "erin@globex.test", name: "Erin Editor", kind: policy.ExternalEditor, companies: []string{"Globex Corporation"},
			modules: mods(map[policy.Page]string{
				policy.PagePlan: "", policy.PageTickets: "Support", policy.PageReports: "",
				policy.PageOffice365: "M365", policy.PageContacts: "", policy.PageExternalContent: "Knowledge Base",
			}, policy.PageCompanies)},
		{email: "victor@globex.test", name: "Victor Viewer", kind: policy.ExternalViewer, companies: []string{"Globex Corporation"},
			modules: mods(map[policy.Page]string{policy.PagePlan: "", policy.PageTickets: "", policy.PageReports: ""})},
		{email: "oscar@initech.test", name: "Oscar Own-Tickets", kind: policy.ExternalEditor, companies: []string{"Initech"}, ownTickets: true,
			modules: mods(map[policy.Page]string{policy.PageTickets: ""})},
		{email: "tess@acme.test", name: "Tess Test", kind: policy.ExternalEditor, companies: []string{"Acme Test Co"}, testUser: true,
			modules: mods(map[policy.Page]string{policy.PagePlan: "", policy.PageTickets: ""})},
	},
	teams: []team{
		{name: "Leadership", kind: people.TeamFunction, members: []string{"ada@acme.test", "alan@acme.test", "linus@acme.test"}},
		{name: "Service Desk", kind: people.TeamFunction, members: []string{"ken@acme.test", "grace@acme.test", "hedy@acme.test"}},
		{name: "Globex Success", kind: people.TeamClient, company: "Globex Corporation", members: []string{"alan@acme.test", "ken@acme.test", "carol@globex.test"}},
		{name: "EMEA", kind: people.TeamGeography, members: []string{"barbara@acme.test"}},
	},
	tickets:  acmeTickets,
	contacts: acmeContacts,
}, {
	slug: "northwind", name: "Northwind Partners", appName: "Northwind Hub", primary: "#1D4ED8", accent: "#F59E0B",
	hosts:     []string{"northwind.localhost"},
	companies: []string{"Contoso"},
	users: []user{
		{email: "nina@northwind.test", name: "Nina Northwind", kind: policy.Member, caps: []policy.Capability{policy.SuperAdmin}},
		{email: "ada@acme.test", name: "Ada Lovelace", kind: policy.Member, password: NorthwindPassword},
	},
	teams:   []team{{name: "Partners", kind: people.TeamFunction, members: []string{"nina@northwind.test", "ada@acme.test"}}},
	tickets: northwindTickets,
}}

// Logins lists the demo sign-ins for port, for the start-up message.
func Logins() []Login {
	var out []Login
	for _, s := range seeds {
		for _, u := range s.users {
			pw := u.password
			if pw == "" {
				pw = Password
			}
			what := u.kind.Label()
			for _, c := range u.caps {
				what += ", " + c.Label()
			}
			if u.status == people.Deactivated {
				what += ", deactivated"
			}
			out = append(out, Login{Host: s.hosts[0], Email: u.email, Password: pw, What: what})
		}
	}
	return out
}

// Seed creates whatever of the demo dataset is missing.
func Seed(ctx context.Context, db *store.DB, tenants *tenant.Store) error {
	// Instances started together on one PostgreSQL database seed one after
	// the other, and the second finds everything there.
	return db.Exclusive(ctx, "demo-seed", func(ctx context.Context) error { return seed(ctx, db, tenants) })
}

func seed(ctx context.Context, db *store.DB, tenants *tenant.Store) error {
	hashes := map[string]string{}
	hash := func(pw string) (string, error) {
		if h, ok := hashes[pw]; ok {
			return h, nil
		}
		h, err := auth.HashPassword(pw)
		hashes[pw] = h
		return h, err
	}
	for _, s := range seeds {
		t, err := tenants.BySlug(ctx, s.slug)
		if errors.Is(err, tenant.ErrNotFound) {
			t, err = tenants.Create(ctx, tenant.Patch{
				Slug: &s.slug, Name: &s.name, AppName: &s.appName, Hosts: &s.hosts,
				PrimaryColor: &s.primary, AccentColor: &s.accent,
			})
		}
		if err != nil {
			return fmt.Errorf("demo: tenant %s: %w", s.slug, err)
		}
		err = db.Tenant(t.ID).Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
			return seedTenant(ctx, tx, s, hash)
		})
		if err != nil {
			return fmt.Errorf("demo: seed %s: %w", s.slug, err)
		}
	}
	return nil
}

func seedTenant(ctx context.Context, tx *store.Scoped, s tenantSeed, hash func(string) (string, error)) error {
	now := time.Now().UTC()
	companies := map[string]int64{}
	for _, name := range s.companies {
		c := &people.Company{Name: name, CreatedAt: now}
		if err := ensure(ctx, tx, c, "name = ?", name); err != nil {
			return err
		}
		companies[name] = c.ID
	}
	for name, members := range s.groups {
		g := &people.CompanyGroup{Name: name}
		if err := ensure(ctx, tx, g, "name = ?", name); err != nil {
			return err
		}
		for _, m := range members {
			link := &people.CompanyGroupMember{GroupID: g.ID, CompanyID: companies[m]}
			if err := ensure(ctx, tx, link, "group_id = ? AND company_id = ?", g.ID, companies[m]); err != nil {
				return err
			}
		}
	}
	users := map[string]int64{}
	for _, su := range s.users {
		u, err := people.UserByEmail(ctx, tx, su.email)
		if errors.Is(err, people.ErrNotFound) {
			pw := su.password
			if pw == "" {
				pw = Password
			}
			h, herr := hash(pw)
			if herr != nil {
				return herr
			}
			status := su.status
			if status == "" {
				status = people.Active
			}
			u, err = people.CreateUser(ctx, tx, people.NewUser{
				Email: su.email, Name: su.name, Kind: su.kind, Capabilities: su.caps,
				Status: status, PasswordHash: h, TestUser: su.testUser,
			})
			if err == nil && status == people.Deactivated {
				_, err = tx.Update((*people.User)(nil)).Set("deactivated_at = ?", now).Where("id = ?", u.ID).Exec(ctx)
			}
			if err == nil && su.ownTickets {
				_, err = tx.Update((*people.User)(nil)).Set("own_tickets_only = ?", true).Where("id = ?", u.ID).Exec(ctx)
			}
			for i := range su.modules {
				if err != nil {
					break
				}
				m := su.modules[i]
				m.UserID = u.ID
				_, err = tx.Insert(&m).Exec(ctx)
			}
			for _, cname := range su.companies {
				if err != nil {
					break
				}
				_, err = tx.Insert(&people.UserCompany{UserID: u.ID, CompanyID: companies[cname]}).Exec(ctx)
			}
		}
		if err != nil {
			return fmt.Errorf("user %s: %w", su.email, err)
		}
		users[su.email] = u.ID
	}
	for _, su := range s.users {
		if su.manager == "" {
			continue
		}
		if _, err := tx.Update((*people.User)(nil)).Set("manager_id = ?", users[su.manager]).
			Where("id = ? AND manager_id IS NULL", users[su.email]).Exec(ctx); err != nil {
			return fmt.Errorf("manager of %s: %w", su.email, err)
		}
	}
	teams := map[string]int64{}
	for _, st := range s.teams {
		tm := &people.Team{Name: st.name, Kind: st.kind, CreatedAt: now}
		if st.company != "" {
			id := companies[st.company]
			tm.CompanyID = &id
		}
		if err := ensure(ctx, tx, tm, "name = ?", st.name); err != nil {
			return err
		}
		teams[st.name] = tm.ID
		for i, email := range st.members {
			role := people.TeamMember
			if i == 0 {
				role = people.TeamLeader
			}
			m := &people.TeamMembership{TeamID: tm.ID, UserID: users[email], Role: role}
			if err := ensure(ctx, tx, m, "team_id = ? AND user_id = ?", tm.ID, users[email]); err != nil {
				return err
			}
		}
	}
	if err := seedTickets(ctx, tx, s.tickets, companies, users); err != nil {
		return fmt.Errorf("tickets: %w", err)
	}
	if err := seedContacts(ctx, tx, s.contacts, companies, users); err != nil {
		return fmt.Errorf("contacts: %w", err)
	}
	if err := seedArticles(ctx, tx, articleSeeds[s.slug], companies, users); err != nil {
		return fmt.Errorf("articles: %w", err)
	}
	if err := seedReports(ctx, tx, reportSeeds[s.slug], companies, users); err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	if err := seedPlan(ctx, tx, planSeeds[s.slug], companies, users); err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	if err := seedOffice365(ctx, tx, s.slug, companies); err != nil {
		return fmt.Errorf("office365: %w", err)
	}
	if err := seedTeamWork(ctx, tx, s.slug, companies, users, teams); err != nil {
		return fmt.Errorf("team work: %w", err)
	}
	if err := seedStrategy(ctx, tx, strategySeeds[s.slug], users); err != nil {
		return fmt.Errorf("strategy: %w", err)
	}
	if err := seedWorkboards(ctx, tx, s.slug, users); err != nil {
		return fmt.Errorf("workboards: %w", err)
	}
	return nil
}

// ensure loads the row matching where into model, or inserts model when there is none.
func ensure(ctx context.Context, tx *store.Scoped, model any, where string, args ...any) error {
	err := tx.Select(model).Where(where, args...).Limit(1).Scan(ctx)
	if err == nil {
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("load %T: %w", model, err)
	}
	if _, err := tx.Insert(model).Exec(ctx); err != nil {
		return fmt.Errorf("insert %T: %w", model, err)
	}
	return nil
}
