package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/reports"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/tickets"
)

// Synthetic data (`atrium demo --synthetic`): many companies, users,
// tickets with notes and reports added around the demo of SPEC §15, to see
// how Atrium behaves with a realistic amount of data. Everything follows
// from the seed: the same seed gives the same data, and running it again
// adds nothing. Companies, users, boards and reports are found by name and
// made when missing; tickets carry the external ID "synth-SEED-N", so a
// run continues after the highest N it finds (a run cut short completes on
// the next). Tickets are written in batches (tickets.Import), not one
// domain call each.

// SyntheticOptions says how much to make.
type SyntheticOptions struct {
	Seed uint64
	// Tickets go into the demo tenant acme; each extra tenant gets a
	// hundredth of them (at least 20, at most 2000).
	Tickets int
	// Tenants is how many small synthetic tenants to add besides acme.
	Tenants int
	// Companies is how many synthetic companies acme gets; extra tenants get 3.
	Companies int
	// Users is how many users each synthetic company gets (at least 3).
	Users int
	// Notes is how many notes acme's tickets get in all; below 0, as many as tickets.
	Notes int
	// Progress, when set, gets a line every 10,000 tickets.
	Progress io.Writer
}

// SyntheticStats counts what a run added.
type SyntheticStats struct {
	Tenants, Companies, Users, Teams, Boards, Reports, Tickets, Notes int
}

// ticketsPerTx is how many tickets one transaction writes.
const ticketsPerTx = 2000

// Synthetic adds the synthetic data of o, seeding the demo first when the
// database has no demo tenant.
func Synthetic(ctx context.Context, db *store.DB, tenants *tenant.Store, o SyntheticOptions) (SyntheticStats, error) {
	var st SyntheticStats
	if o.Notes < 0 {
		o.Notes = o.Tickets
	}
	o.Users = max(o.Users, 3)
	acme, err := tenants.BySlug(ctx, "acme")
	if errors.Is(err, tenant.ErrNotFound) {
		if err := Seed(ctx, db, tenants); err != nil {
			return st, err
		}
		acme, err = tenants.BySlug(ctx, "acme")
	}
	if err != nil {
		return st, fmt.Errorf("demo: synthetic: %w", err)
	}
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return st, err
	}
	g := &synth{db: db, o: o, hash: hash, st: &st, progress: o.Progress}
	if err := g.tenant(ctx, acme.ID, "acme", "acme.test", o.Companies, o.Tickets, o.Notes); err != nil {
		return st, err
	}
	small := min(max(o.Tickets/100, 20), 2000)
	for k := 1; k <= o.Tenants; k++ {
		slug := fmt.Sprintf("synth-%d-%d", o.Seed, k)
		t, err := tenants.BySlug(ctx, slug)
		if errors.Is(err, tenant.ErrNotFound) {
			name := fmt.Sprintf("Synthetic %d (seed %d)", k, o.Seed)
			app := fmt.Sprintf("Synthetic Portal %d", k)
			hosts := []string{slug + ".localhost"}
			primary, accent := "#334155", "#F59E0B"
			t, err = tenants.Create(ctx, tenant.Patch{Slug: &slug, Name: &name, AppName: &app, Hosts: &hosts,
				PrimaryColor: &primary, AccentColor: &accent})
			if err == nil {
				st.Tenants++
			}
		}
		if err != nil {
			return st, fmt.Errorf("demo: synthetic tenant %s: %w", slug, err)
		}
		if err := g.tenant(ctx, t.ID, slug, slug+".test", 3, small, small); err != nil {
			return st, err
		}
	}
	return st, nil
}

type synth struct {
	db       *store.DB
	o        SyntheticOptions
	hash     string
	st       *SyntheticStats
	progress io.Writer
}

type synthUser struct {
	id   int64
	kind policy.Kind
	own  bool
}

type synthCompany struct {
	id        int64
	name      string
	short     string
	externals []synthUser // external editors and viewers
}

// synthBoard is a board with the policy's rule of who sees it.
type synthBoard struct {
	id   int64
	name string
	rule policy.BoardRule
}

// holds reports whether tickets of company companyID belong on board b:
// the tenant's own work on a members-only board, a company's on a board
// that some outside kind sees for that company.
func (b synthBoard) holds(companyID int64) bool {
	if companyID == 0 {
		return b.rule.MembersOnly()
	}
	return b.rule.OpenTo(policy.ExternalEditor, companyID) || b.rule.OpenTo(policy.ExternalViewer, companyID)
}

// world is what one tenant's tickets are made from.
type world struct {
	slug      string
	companies []synthCompany
	favoured  int // index in companies of the company with a larger share (Globex), or -1
	favourite int64
	boards    []synthBoard
	members   []int64
	noteTypes map[string]int64
	cfg       *tickets.Config
}

// rng gives the random source of one stream of a tenant: the same seed,
// tenant slug and stream give the same numbers on every run.
func (g *synth) rng(slug string, stream uint64) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(slug))
	return rand.New(rand.NewPCG(g.o.Seed^h.Sum64(), stream))
}

func (g *synth) tenant(ctx context.Context, tenantID int64, slug, domain string, nCompanies, nTickets, nNotes int) error {
	var w *world
	err := g.db.Tenant(tenantID).Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		var err error
		w, err = g.setup(ctx, tx, slug, domain, nCompanies)
		return err
	})
	if err != nil {
		return fmt.Errorf("demo: synthetic %s: %w", slug, err)
	}
	if err := g.tickets(ctx, g.db.Tenant(tenantID), w, nTickets, nNotes); err != nil {
		return fmt.Errorf("demo: synthetic %s tickets: %w", slug, err)
	}
	return nil
}

// setup makes the tenant's companies, users, boards and reports.
func (g *synth) setup(ctx context.Context, tx *store.Scoped, slug, domain string, nCompanies int) (*world, error) {
	if err := tickets.SeedDefaults(ctx, tx); err != nil {
		return nil, err
	}
	r := g.rng(slug, 0)
	now := time.Now().UTC()
	w := &world{slug: slug, favoured: -1, noteTypes: map[string]int64{}}

	// Members: the tenant's staff, who are assigned the tickets.
	nMembers := max(6, nCompanies/3)
	for i := 0; i < nMembers; i++ {
		first, last := pick(r, firstNames), pick(r, lastNames)
		u, err := g.user(ctx, tx, fmt.Sprintf("%s.%s.s%d@%s", lower(first), lower(last), g.o.Seed, domain),
			first+" "+last, policy.Member, false, 0)
		if err != nil {
			return nil, err
		}
		w.members = append(w.members, u.id)
	}
	for i := 0; i < 2; i++ {
		first, last := pick(r, firstNames), pick(r, lastNames)
		if _, err := g.user(ctx, tx, fmt.Sprintf("%s.%s.s%d@guest.test", lower(first), lower(last), g.o.Seed),
			first+" "+last, policy.Guest, false, 0); err != nil {
			return nil, err
		}
	}
	staff := append([]int64(nil), w.members...)
	// Every active member takes tickets, the demo's too.
	w.members = w.members[:0]
	if err := tx.Select((*people.User)(nil)).Column("u.id").Where("u.kind = ? AND u.status = ?", policy.Member, people.Active).
		Order("u.id").Scan(ctx, &w.members); err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}

	// The demo's companies (acme's Globex, Initech, …) with their external users.
	var existing []people.Company
	if err := tx.Select(&existing).Where("c.name IN (?)", bun.In(demoCompanyNames())).Order("c.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("companies: %w", err)
	}
	for _, c := range existing {
		sc := synthCompany{id: c.ID, name: c.Name, short: shortOf(c.Name)}
		var us []people.User
		if err := tx.Select(&us).Join("JOIN user_companies AS uc ON uc.user_id = u.id AND uc.tenant_id = u.tenant_id").
			Where("uc.company_id = ? AND u.kind IN (?) AND u.status = ?", c.ID,
				bun.In([]policy.Kind{policy.ExternalEditor, policy.ExternalViewer}), people.Active).
			Order("u.id").Scan(ctx); err != nil {
			return nil, fmt.Errorf("users of %s: %w", c.Name, err)
		}
		for _, u := range us {
			sc.externals = append(sc.externals, synthUser{id: u.ID, kind: u.Kind, own: u.OwnTicketsOnly})
		}
		if c.Name == "Globex Corporation" {
			w.favoured, w.favourite = len(w.companies), c.ID
		}
		w.companies = append(w.companies, sc)
	}

	// Synthetic companies, each with users of every kind.
	kinds := []policy.Kind{policy.ExternalEditor, policy.ExternalViewer, policy.Client, policy.ExternalEditor, policy.ExternalViewer, policy.ExternalEditor}
	externalMods := mods(map[policy.Page]string{policy.PageTickets: "Support", policy.PageReports: "", policy.PagePlan: ""})
	var synthetic []synthCompany
	for i := 0; i < nCompanies; i++ {
		name := fmt.Sprintf("%s %s %s", pick(r, companyWords), pick(r, companyNouns), pick(r, companySuffixes))
		c := &people.Company{Name: name, Domain: slugOf(name) + ".test", CreatedAt: now}
		if err := tx.Select(c).Where("lower(c.name) = lower(?)", name).Limit(1).Scan(ctx); err != nil {
			if _, err := tx.Insert(c).Exec(ctx); err != nil {
				return nil, fmt.Errorf("company %s: %w", name, err)
			}
			g.st.Companies++
		}
		sc := synthCompany{id: c.ID, name: c.Name, short: shortOf(c.Name)}
		for j := 0; j < g.o.Users; j++ {
			first, last := pick(r, firstNames), pick(r, lastNames)
			k := kinds[j%len(kinds)]
			own := (k == policy.ExternalEditor || k == policy.ExternalViewer) && r.IntN(2) == 0
			email := fmt.Sprintf("%s.%s%d@%s", lower(first), lower(last), j+1, c.Domain)
			u, err := g.user(ctx, tx, email, first+" "+last, k, own, c.ID)
			if err != nil {
				return nil, err
			}
			if u.created && (k == policy.ExternalEditor || k == policy.ExternalViewer) {
				for _, m := range externalMods {
					m.UserID = u.id
					if _, err := tx.Insert(&m).Exec(ctx); err != nil {
						return nil, fmt.Errorf("modules of %s: %w", email, err)
					}
				}
			}
			if k == policy.ExternalEditor || k == policy.ExternalViewer {
				sc.externals = append(sc.externals, synthUser{id: u.id, kind: k, own: own})
			}
		}
		synthetic = append(synthetic, sc)
		w.companies = append(w.companies, sc)
	}

	if err := g.teams(ctx, tx, staff, synthetic); err != nil {
		return nil, err
	}
	// Boards: the demo's, and a few more open to some of the companies.
	if err := g.boards(ctx, tx, w, synthetic); err != nil {
		return nil, err
	}
	if err := g.reports(ctx, tx, r, w, synthetic); err != nil {
		return nil, err
	}
	cfg, err := tickets.LoadConfig(ctx, tx)
	if err != nil {
		return nil, err
	}
	w.cfg = cfg
	// The boards with the policy's rule of each, in their order.
	for _, b := range cfg.Boards {
		rule, _ := cfg.Rules.Board(b.ID)
		w.boards = append(w.boards, synthBoard{id: b.ID, name: b.Name, rule: rule})
	}
	for _, nt := range cfg.NoteTypes {
		w.noteTypes[nt.Name] = nt.ID
	}
	return w, nil
}

// teams puts the synthetic staff into three function teams and gives every
// fifth synthetic company a client team of two of them. (There are no
// rock or metric tables yet, so teams have neither.)
func (g *synth) teams(ctx context.Context, tx *store.Scoped, staff []int64, synthetic []synthCompany) error {
	if len(staff) == 0 {
		return nil
	}
	now := time.Now().UTC()
	add := func(name string, kind people.TeamKind, company *int64, members []int64) error {
		tm := &people.Team{Name: name, Kind: kind, CompanyID: company, CreatedAt: now}
		err := tx.Select(tm).Where("lower(tm.name) = lower(?)", name).Limit(1).Scan(ctx)
		if err == nil {
			return nil
		}
		if _, err := tx.Insert(tm).Exec(ctx); err != nil {
			return fmt.Errorf("team %s: %w", name, err)
		}
		seen := map[int64]bool{}
		for i, id := range members {
			if seen[id] {
				continue
			}
			seen[id] = true
			role := people.TeamMember
			if i == 0 {
				role = people.TeamLeader
			}
			if _, err := tx.Insert(&people.TeamMembership{TeamID: tm.ID, UserID: id, Role: role}).Exec(ctx); err != nil {
				return fmt.Errorf("team %s: %w", name, err)
			}
		}
		g.st.Teams++
		return nil
	}
	for k, name := range []string{"Support tier 1", "Support tier 2", "Project delivery"} {
		var members []int64
		for i, id := range staff {
			if i%3 == k {
				members = append(members, id)
			}
		}
		if err := add(fmt.Sprintf("%s (seed %d)", name, g.o.Seed), people.TeamFunction, nil, members); err != nil {
			return err
		}
	}
	for i, c := range synthetic {
		if i%5 != 0 {
			continue
		}
		id := c.id
		members := []int64{staff[i%len(staff)], staff[(i+1)%len(staff)]}
		if err := add(c.name+" success", people.TeamClient, &id, members); err != nil {
			return err
		}
	}
	return nil
}

type madeUser struct {
	id      int64
	created bool
}

// user finds the user with email or makes them (password demo-pass-1),
// assigning externals to company.
func (g *synth) user(ctx context.Context, tx *store.Scoped, email, name string, k policy.Kind, own bool, company int64) (madeUser, error) {
	u, err := people.UserByEmail(ctx, tx, email)
	if err == nil {
		return madeUser{id: u.ID}, nil
	}
	if !errors.Is(err, people.ErrNotFound) {
		return madeUser{}, err
	}
	u, err = people.CreateUser(ctx, tx, people.NewUser{Email: email, Name: name, Kind: k, Status: people.Active, PasswordHash: g.hash})
	if err != nil {
		return madeUser{}, err
	}
	if own {
		if _, err := tx.Update((*people.User)(nil)).Set("own_tickets_only = ?", true).Where("id = ?", u.ID).Exec(ctx); err != nil {
			return madeUser{}, err
		}
	}
	if company != 0 && policy.HasCompanies(k) {
		if _, err := tx.Insert(&people.UserCompany{UserID: u.ID, CompanyID: company}).Exec(ctx); err != nil {
			return madeUser{}, err
		}
	}
	g.st.Users++
	return madeUser{id: u.ID, created: true}, nil
}

func (g *synth) boards(ctx context.Context, tx *store.Scoped, w *world, synthetic []synthCompany) error {
	every := func(n, off int) []int64 {
		var out []int64
		for i, c := range synthetic {
			if i%n == off {
				out = append(out, c.id)
			}
		}
		return out
	}
	var globex []int64
	if w.favourite != 0 {
		globex = []int64{w.favourite}
	}
	type boardSpec struct {
		name      string
		kinds     []policy.Kind
		companies []int64 // nil: every company
		internal  bool
	}
	specs := []boardSpec{
		{name: "Service Desk", kinds: externals},
		{name: "Internal Ops", internal: true},
		{name: "Onboarding", kinds: []policy.Kind{policy.ExternalEditor}, companies: append(every(2, 0), globex...)},
		{name: "Security Reviews", kinds: externals, companies: every(3, 1)},
		{name: "Field Service", kinds: []policy.Kind{policy.ExternalViewer}, companies: every(2, 1)},
		{name: "Billing Questions", kinds: externals},
	}
	var last int
	if err := tx.Select((*tickets.Board)(nil)).ColumnExpr("COALESCE(MAX(b.position), 0)").Scan(ctx, &last); err != nil {
		return err
	}
	for _, s := range specs {
		b := &tickets.Board{Name: s.name, Kinds: s.kinds, AllCompanies: s.companies == nil && !s.internal, CreatedAt: time.Now().UTC()}
		if b.Kinds == nil {
			b.Kinds = []policy.Kind{}
		}
		err := tx.Select(b).Where("lower(b.name) = lower(?)", s.name).Limit(1).Scan(ctx)
		if err != nil {
			last++
			b.Position = last
			if _, err := tx.Insert(b).Exec(ctx); err != nil {
				return fmt.Errorf("board %s: %w", s.name, err)
			}
			g.st.Boards++
			for _, c := range s.companies {
				if _, err := tx.Insert(&tickets.BoardCompany{BoardID: b.ID, CompanyID: c}).Exec(ctx); err != nil {
					return fmt.Errorf("board %s: %w", s.name, err)
				}
			}
		}
	}
	return nil
}

// reports adds three reports to each synthetic company: a published
// quarterly review with parts, a published service review and a draft.
func (g *synth) reports(ctx context.Context, tx *store.Scoped, r *rand.Rand, w *world, synthetic []synthCompany) error {
	now := time.Now().UTC()
	for _, c := range synthetic {
		author := w.members[r.IntN(len(w.members))]
		q := (int(now.Month())-1)/3 + 1
		type rs struct {
			title      string
			start, end string
			status     reports.Status
			parts      []reports.Part
		}
		metrics, _ := json.Marshal([]reports.MetricRow{
			{Label: "First response time (h)", Value: fmt.Sprintf("%.1f", 0.5+r.Float64()*3), Target: "≤ 2"},
			{Label: "Resolved within SLA", Value: fmt.Sprintf("%d%%", 85+r.IntN(15)), Target: "95%"},
		})
		periodStart := time.Date(now.Year(), time.Month(3*(q-1)+1), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -3, 0)
		periodEnd := periodStart.AddDate(0, 3, -1)
		list := []rs{
			{title: fmt.Sprintf("%s quarterly review", c.name), start: periodStart.Format(time.DateOnly), end: periodEnd.Format(time.DateOnly),
				status: reports.Published, parts: []reports.Part{
					{Kind: reports.KindText, Title: "Executive summary", Body: fmt.Sprintf("A %s quarter for **%s**.", pick(r, quarterWords), c.name)},
					{Kind: reports.KindTicketSummary, Title: "Ticket summary"},
					{Kind: reports.KindMetrics, Title: "Service levels", Body: string(metrics)},
					{Kind: reports.KindText, Title: "Margin notes", InternalOnly: true, Body: fmt.Sprintf("Margin %d%%.", 10+r.IntN(30))},
				}},
			{title: fmt.Sprintf("%s service review", c.name), start: now.AddDate(0, 0, -56).Format(time.DateOnly), end: now.Format(time.DateOnly),
				status: reports.Published, parts: []reports.Part{
					{Kind: reports.KindText, Title: "Summary", Body: "The last eight weeks of support, week by week."},
					{Kind: reports.KindChart, Title: "Tickets per week"},
					{Kind: reports.KindTicketSummary, Title: "Ticket summary"},
				}},
			{title: fmt.Sprintf("%s next quarter", c.name), start: periodEnd.AddDate(0, 0, 1).Format(time.DateOnly),
				end: periodEnd.AddDate(0, 3, 0).Format(time.DateOnly), status: reports.Draft, parts: []reports.Part{
					{Kind: reports.KindText, Title: "Executive summary", Body: "Draft: the numbers come once the quarter closes."},
				}},
		}
		for _, s := range list {
			exists, err := tx.Select((*reports.Report)(nil)).Where("r.company_id = ? AND r.title = ?", c.id, s.title).Exists(ctx)
			if err != nil {
				return fmt.Errorf("report %s: %w", s.title, err)
			}
			if exists {
				continue
			}
			rep := &reports.Report{CompanyID: c.id, Title: s.title, PeriodStart: s.start, PeriodEnd: s.end, Status: s.status,
				CreatedBy: &author, CreatedAt: now, UpdatedAt: now}
			if _, err := tx.Insert(rep).Exec(ctx); err != nil {
				return fmt.Errorf("report %s: %w", s.title, err)
			}
			for i := range s.parts {
				p := &s.parts[i]
				p.ReportID, p.Position, p.CreatedAt, p.UpdatedAt = rep.ID, i+1, now, now
			}
			if _, err := tx.Insert(&s.parts).Exec(ctx); err != nil {
				return fmt.Errorf("report %s parts: %w", s.title, err)
			}
			g.st.Reports++
		}
	}
	return nil
}

// tickets adds the tenant's missing synthetic tickets, ticketsPerTx per transaction.
func (g *synth) tickets(ctx context.Context, db *store.Scoped, w *world, total, notes int) error {
	prefix := fmt.Sprintf("synth-%d-", g.o.Seed)
	done64, err := db.Select((*tickets.Ticket)(nil)).Where("t.external_id LIKE ?", prefix+"%").Count(ctx)
	if err != nil {
		return err
	}
	done := int(done64)
	if done >= total {
		return nil
	}
	avgNotes := 0.0
	if total > 0 {
		avgNotes = float64(notes) / float64(total)
	}
	start := time.Now()
	reported := done
	now := time.Now().UTC().Truncate(time.Second)
	for from := done; from < total; from += ticketsPerTx {
		to := min(from+ticketsPerTx, total)
		items := make([]tickets.Imported, 0, to-from)
		for i := from; i < to; i++ {
			items = append(items, g.ticket(w, i, prefix, avgNotes, now))
		}
		err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
			return tickets.Import(ctx, tx, w.cfg, items)
		})
		if err != nil {
			return err
		}
		g.st.Tickets += len(items)
		for _, it := range items {
			g.st.Notes += len(it.Notes)
		}
		if g.progress != nil && (to/10000 > reported/10000 || to == total) {
			secs := time.Since(start).Seconds()
			fmt.Fprintf(g.progress, "%s: %d/%d tickets (%.0f tickets/s)\n", w.slug, to, total, float64(to-done)/max(secs, 0.001))
			reported = to
		}
	}
	return nil
}

// ticket makes synthetic ticket i of the tenant from its own random stream.
func (g *synth) ticket(w *world, i int, prefix string, avgNotes float64, now time.Time) tickets.Imported {
	r := g.rng(w.slug, uint64(i)+1)
	// The company: Globex gets a larger share, some tickets are internal work.
	var company *synthCompany
	switch x := r.IntN(100); {
	case x < 3:
	case x < 9 && w.favoured >= 0:
		company = &w.companies[w.favoured]
	default:
		if len(w.companies) > 0 {
			company = &w.companies[r.IntN(len(w.companies))]
		}
	}
	var companyID int64
	if company != nil {
		companyID = company.id
	}
	var open []*synthBoard
	for j := range w.boards {
		if w.boards[j].holds(companyID) {
			open = append(open, &w.boards[j])
		}
	}
	if len(open) == 0 { // no internal board: the first open to everyone
		companyID, company = 0, nil
		for j := range w.boards {
			if w.boards[j].rule.MembersOnly() || w.boards[j].rule.AllCompanies {
				open = append(open, &w.boards[j])
				break
			}
		}
	}
	board := open[r.IntN(len(open))]
	// Most of Globex's tickets are on boards its external editors see.
	if companyID == w.favourite && companyID != 0 && !board.rule.OpenTo(policy.ExternalEditor, companyID) && r.IntN(4) != 0 {
		for _, b := range open {
			if b.rule.OpenTo(policy.ExternalEditor, companyID) {
				board = b
				break
			}
		}
	}
	// The contact: an external user of the company who sees the board.
	var contact *synthUser
	if company != nil {
		var cands []*synthUser
		for j := range company.externals {
			if board.rule.OpenTo(company.externals[j].kind, companyID) {
				cands = append(cands, &company.externals[j])
			}
		}
		if len(cands) > 0 && r.IntN(10) != 0 {
			contact = cands[r.IntN(len(cands))]
			// erin, the first of Globex's editors, is the contact of a good share.
			if companyID == w.favourite && board.rule.OpenTo(policy.ExternalEditor, companyID) && r.IntN(4) == 0 {
				for j := range company.externals {
					if company.externals[j].kind == policy.ExternalEditor {
						contact = &company.externals[j]
						break
					}
				}
			}
		}
	}
	assignee := w.members[r.IntN(len(w.members))]
	created := now.Add(-time.Duration(r.Int64N(int64(365 * 24 * time.Hour)))).Truncate(time.Second)
	updated := created.Add(time.Duration(r.Int64N(int64(30 * 24 * time.Hour)))).Truncate(time.Second)
	if updated.After(now) {
		updated = now
	}
	status := weighted(r, tickets.Statuses, []int{5, 10, 12, 6, 27, 40})
	if now.Sub(created) < 14*24*time.Hour && status.Done() && r.IntN(2) == 0 {
		status = tickets.StatusOpen
	}
	t := tickets.Ticket{
		Title:       title(r),
		Description: description(r),
		BoardID:     board.id,
		CompanyID:   companyID,
		Status:      status,
		Priority:    weighted(r, tickets.Priorities, []int{20, 55, 20, 5}),
		Type:        weighted(r, tickets.Types, []int{20, 30, 30, 8, 12}),
		TimeSpent:   int64(r.IntN(48)) * 15,
		CreatedAt:   created,
		UpdatedAt:   updated,
	}
	ext := fmt.Sprintf("%s%d", prefix, i+1)
	t.ExternalID = &ext
	if r.IntN(10) != 0 || status != tickets.StatusNew {
		t.AssigneeID = &assignee
	}
	opener := assignee
	if contact != nil {
		id := contact.id
		t.ContactID = &id
		if contact.kind == policy.ExternalEditor && r.IntN(2) == 0 {
			opener = contact.id
		}
	}
	t.CreatedBy = &opener
	if company != nil && r.IntN(2) == 0 {
		t.BillingCode = fmt.Sprintf("%s-%s-%02d", company.short, pick(r, []string{"MSP", "PRJ", "T&M"}), 1+r.IntN(20))
	}
	// Notes of every type between opening and the last change.
	n := 0
	if avgNotes > 0 {
		n = int(avgNotes*2*r.Float64() + 0.5)
	}
	var ns []tickets.Note
	span := max(updated.Sub(created), time.Minute)
	for j := 0; j < n; j++ {
		at := created.Add(time.Duration(r.Int64N(int64(span)))).Truncate(time.Second)
		typ := weighted(r, []string{"Discussion", "Resolution", "Internal"}, []int{55, 15, 30})
		author := w.members[r.IntN(len(w.members))]
		if typ == "Discussion" && contact != nil && contact.kind == policy.ExternalEditor && r.IntN(2) == 0 {
			author = contact.id
		}
		id := w.noteTypes[typ]
		if id == 0 {
			continue
		}
		ns = append(ns, tickets.Note{NoteTypeID: id, Body: noteBody(r, typ), AuthorID: &author, CreatedAt: at})
		if at.After(t.UpdatedAt) {
			t.UpdatedAt = at
		}
	}
	return tickets.Imported{Ticket: t, Notes: ns}
}

func weighted[T any](r *rand.Rand, xs []T, weights []int) T {
	sum := 0
	for _, w := range weights {
		sum += w
	}
	x := r.IntN(sum)
	for i, w := range weights {
		if x < w {
			return xs[i]
		}
		x -= w
	}
	return xs[len(xs)-1]
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func lower(s string) string { return strings.ToLower(s) }

func slugOf(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteRune(c)
		case c == ' ' && b.Len() > 0:
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}

func shortOf(name string) string {
	var b strings.Builder
	for _, w := range strings.Fields(name) {
		b.WriteByte(strings.ToUpper(w)[0])
	}
	return b.String()
}

func demoCompanyNames() []string {
	var out []string
	for _, s := range seeds {
		out = append(out, s.companies...)
	}
	return out
}

func title(r *rand.Rand) string {
	obj, place := pick(r, things), pick(r, places)
	switch r.IntN(6) {
	case 0:
		return fmt.Sprintf("%s not working in %s", capital(obj), place)
	case 1:
		return fmt.Sprintf("New %s for %s", obj, pick(r, roles))
	case 2:
		return fmt.Sprintf("%s %s since %s", capital(obj), pick(r, symptoms), pick(r, days))
	case 3:
		return fmt.Sprintf("Replace %s in %s", obj, place)
	case 4:
		return fmt.Sprintf("Question about %s access", obj)
	}
	return fmt.Sprintf("%s %s for %s", capital(pick(r, verbs)), obj, pick(r, roles))
}

func description(r *rand.Rand) string {
	return fmt.Sprintf("The %s in %s %s. %s It affects %d people; %s",
		pick(r, things), pick(r, places), pick(r, symptoms), pick(r, detail), 1+r.IntN(40), pick(r, asks))
}

func noteBody(r *rand.Rand, typ string) string {
	switch typ {
	case "Internal":
		return pick(r, internalNotes) + " " + pick(r, detail)
	case "Resolution":
		return pick(r, resolutions)
	}
	return pick(r, discussions) + " " + pick(r, asks)
}

func capital(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

var (
	firstNames = []string{"Maria", "James", "Aiko", "Omar", "Lena", "Pedro", "Chloe", "Ravi", "Sofia", "Tom", "Nora", "Felix",
		"Ingrid", "Kwame", "Mei", "Jonas", "Elif", "Lucas", "Priya", "Hugo", "Zara", "Mateo", "Freya", "Idris"}
	lastNames = []string{"Keller", "Okafor", "Tanaka", "Haddad", "Novak", "Silva", "Dubois", "Sharma", "Rossi", "Berg",
		"Lindqvist", "Mensah", "Chen", "Weber", "Yilmaz", "Moreau", "Patel", "Garcia", "Jansen", "Kowalski"}
	companyWords    = []string{"Blue", "North", "Silver", "Granite", "Harbor", "Summit", "Cedar", "Pioneer", "Atlas", "Beacon", "Lumen", "Vertex", "Orchid", "Falcon", "Meridian", "Copper", "Evergreen", "Riverside", "Keystone", "Polar"}
	companyNouns    = []string{"Logistics", "Dental", "Foods", "Legal", "Engineering", "Clinics", "Retail", "Architects", "Insurance", "Robotics", "Media", "Farms", "Pharma", "Capital", "Hotels", "Motors", "Textiles", "Labs"}
	companySuffixes = []string{"Inc", "GmbH", "Ltd", "Group", "Partners", "Co", "AG", "LLC"}
	quarterWords    = []string{"steady", "busy", "quiet", "demanding", "good"}
	things          = []string{"printer", "VPN", "laptop", "mailbox", "shared drive", "Wi-Fi", "phone system", "firewall", "backup job",
		"CRM", "payroll app", "monitor", "docking station", "SharePoint site", "Teams channel", "badge reader", "scanner",
		"password manager", "MFA token", "label printer", "server room UPS", "conference display", "accounting database", "website"}
	places   = []string{"Finance", "the warehouse", "reception", "the Berlin office", "HR", "the lab", "Sales", "the branch office", "meeting room 3", "the clinic"}
	roles    = []string{"the new hire", "the CFO", "an intern", "the sales team", "the night shift", "a contractor", "the board"}
	symptoms = []string{"is slow", "keeps disconnecting", "shows an error", "stopped syncing", "freezes", "asks for the password again", "is offline"}
	days     = []string{"Monday", "the update", "last week", "the move", "yesterday", "the power cut"}
	verbs    = []string{"set up", "order", "configure", "retire", "renew", "migrate"}
	detail   = []string{"Restarting helps for an hour.", "It started after the weekend.", "The error code is 0x80070005.",
		"Only some users see it.", "It worked fine last month.", "The vendor has been informed."}
	asks        = []string{"please advise.", "can you look at it this week?", "this is blocking our month end.", "no rush.", "we need it before Friday."}
	discussions = []string{"We tried again this morning.", "Thanks, that helped a bit.", "I attached the screenshots.",
		"Could you call me about this?", "We are still seeing it.", "The team confirmed the change."}
	resolutions = []string{"Replaced the faulty part; working again.", "Reset the profile and re-synced; the user confirmed.",
		"Applied the vendor patch; monitoring for a week.", "Access granted and tested with the user.", "Ordered and delivered; closing."}
	internalNotes = []string{"Check the contract before billing this.", "Suspect the ISP again.", "Escalated to the vendor under our account.",
		"Do not promise a date yet.", "Time to be billed to the project."}
)
