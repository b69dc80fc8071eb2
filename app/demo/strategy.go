package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/strategy"
)

// The demo's strategy pages (SPEC §15): the vision filled in, why and
// direction written, two headlines (one by dora, who is deactivated) and a
// roles chart. Rows are inserted directly, dated back, and leave no audit
// record: they are the starting point, not a change anyone made.

type versionSeed struct {
	author   string
	daysAgo  float64
	sections map[string]string
}

type headlineSeed struct {
	title, body, author string
	daysAgo             float64
}

type seatSeed struct {
	title, parent string
	roles         []string
	people        []string
}

type strategySeed struct {
	// docs are each document's versions, oldest first.
	docs      map[strategy.Doc][]versionSeed
	headlines []headlineSeed
	seats     []seatSeed // parents before the seats below them
}

const acmeCoreValues = `1. **Own the outcome.** A ticket is closed when the client's problem is gone, not when we stop looking at it.
2. **Say it plainly.** No jargon with clients, no surprises on the invoice.
3. **Secure by default.** MFA, patching and backups are not upsells; they are how we work.
4. **Leave it better.** Every visit to a client's network ends with one thing documented or fixed that nobody asked for.
5. **Help each other first.** Nobody on the desk is stuck alone for more than fifteen minutes.`

const acmeCoreFocus = `**Purpose:** we keep growing businesses running, safe and connected, so their people can do their real work.

**Niche:** fully managed IT and security for professional firms of 20 to 250 staff in the region: accountants, clinics, law firms and engineering offices.`

var strategySeeds = map[string]strategySeed{
	"acme": {
		docs: map[strategy.Doc][]versionSeed{
			strategy.Vision: {
				{author: "ada@acme.test", daysAgo: 40, sections: map[string]string{
					"core_values":     acmeCoreValues,
					"core_focus":      acmeCoreFocus,
					"ten_year_target": "**500 managed clients and $25M recurring revenue by 2035**, with every client on a security plan.",
				}},
				{author: "linus@acme.test", daysAgo: 6, sections: map[string]string{
					"core_values":     acmeCoreValues,
					"core_focus":      acmeCoreFocus,
					"ten_year_target": "**500 managed clients and $25M recurring revenue by 2035**, with every client on a managed security plan and a named account manager.",
					"marketing_strategy": `### Target market
Professional firms of 20–250 staff within two hours' drive of our offices, with no full-time IT person, who handle sensitive client data.

### Three uniques
1. **Answered in 15 minutes**, by a person who knows your network.
2. **Security included**: MFA, endpoint protection and tested backups in every plan.
3. **One flat monthly price** per person, projects quoted up front.

### Proven process
Assess → Stabilise → Secure → Plan (the quarterly business review).

### Guarantee
If we miss the response time twice in a month, that month's fee for the affected site is on us.`,
					"three_year_picture": `**Future date:** 31 December 2028

- Revenue: **$9.5M**, 85% recurring
- Profit: **18%**
- 180 managed clients; average client 60 seats
- A 24/7 security operations centre (managed SOC) serving every client on the security plan
- Two offices; 55 people; staff turnover under 10%
- Every client has a quarterly business review and a written IT roadmap in the portal`,
					"one_year_plan": `**Future date:** 31 December 2026

- Revenue: **$5.2M**; profit **14%**
- 110 managed clients

### Goals for the year
1. Launch the managed SOC offering and sign 20 clients to it.
2. First response under 2 hours on 95% of tickets.
3. Move every client to MFA and tested backups.
4. Roll out the client portal to all managed clients.
5. Hire and onboard a second service desk lead.`,
				}},
			},
			strategy.Why: {
				{author: "linus@acme.test", daysAgo: 30, sections: map[string]string{strategy.BodyKey: `## Why we exist

Small firms run on technology they did not choose and do not have time to understand. When it fails, a clinic cannot see patients and an accountant misses a filing deadline.

**We exist so that the people who keep their communities running never have to think about their IT.** We answer fast, we explain plainly, and we fix the cause, not just the symptom.

Every ticket we close gives someone an hour of their day back.`}},
			},
			strategy.Direction: {
				{author: "linus@acme.test", daysAgo: 12, sections: map[string]string{strategy.BodyKey: `## Where we are heading

Over the next three years Acme IT moves **from fixing computers to running our clients' IT and security as a service**.

### What we will do
- Make security the default: every managed plan includes MFA, endpoint protection and backups we test.
- Launch a **managed SOC** for clients who need round-the-clock monitoring.
- Run a **quarterly business review** with every client, with their roadmap in the portal.

### What we will not do
- Sell hardware without a support plan.
- Take on clients over 500 seats: we stay excellent for the firms we know.
- Compete on price: we compete on response time and trust.`}},
			},
		},
		headlines: []headlineSeed{
			{title: "Welcome to the new portal", author: "dora@acme.test", daysAgo: 21,
				body: "Our new portal is live. Tickets, reports, the knowledge base and our strategy now live in one place.\n\nTake a look around and tell the service desk what you would like to see next."},
			{title: "Q4 kickoff on Monday", author: "hedy@acme.test", daysAgo: 2,
				body: "The **Q4 kickoff** is on Monday at 9:00 in the big meeting room (and on the usual video link).\n\n- Review of Q3 rocks\n- This quarter's company rocks, starting with the managed SOC launch\n- Breakfast is on us"},
		},
		seats: []seatSeed{
			{title: "Visionary", roles: []string{"Ideas and innovation", "Big client and partner relationships", "Culture", "Solving the big problems"},
				people: []string{"ada@acme.test"}},
			{title: "Integrator", parent: "Visionary", roles: []string{"Leads, manages and holds people accountable", "Runs the weekly leadership meeting", "Profit and loss", "Executes the business plan"},
				people: []string{"alan@acme.test"}},
			{title: "Sales and marketing", parent: "Integrator", roles: []string{"Marketing and lead generation", "Sales to new clients", "Quarterly business reviews"},
				people: []string{"linus@acme.test"}},
			{title: "Operations", parent: "Integrator", roles: []string{"Service desk", "Projects and onboarding", "Client satisfaction", "Security operations"},
				people: []string{"ken@acme.test", "grace@acme.test"}},
			{title: "Finance", parent: "Integrator", roles: []string{"Billing and collections", "Budget and cash flow", "Licences and vendor contracts"},
				people: []string{"barbara@acme.test"}},
		},
	},
}

// seedStrategy creates whatever of the tenant's strategy pages is missing.
func seedStrategy(ctx context.Context, tx *store.Scoped, s strategySeed, users map[string]int64) error {
	now := time.Now().UTC()
	for _, d := range strategy.Docs {
		exists, err := tx.Select((*strategy.Version)(nil)).Where("sv.doc = ?", d).Exists(ctx)
		if err != nil {
			return fmt.Errorf("the %s: %w", d, err)
		}
		if exists {
			continue
		}
		for i, vs := range s.docs[d] {
			author := users[vs.author]
			v := &strategy.Version{Doc: d, Number: i + 1, Sections: vs.sections, CreatedBy: &author, CreatedAt: ago(now, vs.daysAgo)}
			if _, err := tx.Insert(v).Exec(ctx); err != nil {
				return fmt.Errorf("the %s, version %d: %w", d, i+1, err)
			}
		}
	}
	for _, hs := range s.headlines {
		exists, err := tx.Select((*strategy.Headline)(nil)).Where("h.title = ?", hs.title).Exists(ctx)
		if err != nil {
			return fmt.Errorf("headline %q: %w", hs.title, err)
		}
		if exists {
			continue
		}
		at, author := ago(now, hs.daysAgo), users[hs.author]
		h := &strategy.Headline{Title: hs.title, Body: hs.body, CreatedBy: &author, UpdatedBy: &author, CreatedAt: at, UpdatedAt: at}
		if _, err := tx.Insert(h).Exec(ctx); err != nil {
			return fmt.Errorf("headline %q: %w", hs.title, err)
		}
	}
	seats := map[string]int64{}
	for i, ss := range s.seats {
		seat := &strategy.Seat{Title: ss.title, Roles: strings.Join(ss.roles, "\n"), Position: i, CreatedAt: now, UpdatedAt: now}
		if id, ok := seats[ss.parent]; ok {
			seat.ParentID = &id
		}
		if err := ensure(ctx, tx, seat, "title = ?", ss.title); err != nil {
			return fmt.Errorf("seat %q: %w", ss.title, err)
		}
		seats[ss.title] = seat.ID
		for j, email := range ss.people {
			sp := &strategy.SeatPerson{SeatID: seat.ID, UserID: users[email], Position: j}
			if err := ensure(ctx, tx, sp, "seat_id = ? AND user_id = ?", seat.ID, users[email]); err != nil {
				return fmt.Errorf("seat %q: %w", ss.title, err)
			}
		}
	}
	return nil
}
