package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tickets"
)

// The demo's tickets (SPEC §15): boards with their permissions, field
// access, note types, and tickets with a few weeks of history so the list
// looks lived-in. Each ticket is made through the tickets package as the
// person who would have opened it, then dated back.

type boardSeed struct {
	name      string
	kinds     []policy.Kind
	companies []string // empty: every company
}

type noteSeed struct {
	typ, author, body string
	daysAgo           float64
}

type ticketSeed struct {
	title, description, board, company, contact, openedBy, assignee string
	status                                                          tickets.Status
	priority                                                        tickets.Priority
	typ                                                             tickets.Type
	timeSpent                                                       int64
	billingCode                                                     string
	daysAgo                                                         float64
	notes                                                           []noteSeed
	watchers                                                        []string
}

type ticketsSeed struct {
	boards  []boardSeed
	fields  map[policy.TicketField]map[policy.Kind]policy.Access
	tickets []ticketSeed
}

var externals = []policy.Kind{policy.ExternalEditor, policy.ExternalViewer}

var acmeTickets = ticketsSeed{
	boards: []boardSeed{
		{name: "Service Desk", kinds: externals},
		{name: "Projects", kinds: externals, companies: []string{"Globex Corporation"}},
		{name: "Internal Ops"},
	},
	fields: map[policy.TicketField]map[policy.Kind]policy.Access{
		policy.FieldTimeSpent:   {policy.ExternalEditor: policy.Hidden, policy.ExternalViewer: policy.Hidden},
		policy.FieldBillingCode: {policy.ExternalEditor: policy.Hidden, policy.ExternalViewer: policy.Hidden},
		policy.FieldPriority:    {policy.ExternalEditor: policy.Read},
	},
	tickets: []ticketSeed{
		{
			title: "VPN drops every hour", board: "Service Desk", company: "Globex Corporation",
			contact: "erin@globex.test", openedBy: "erin@globex.test", assignee: "ken@acme.test",
			description: "Since Monday the VPN disconnects about once an hour for everyone working from home. Reconnecting works, but calls drop.",
			status:      tickets.StatusInProgress, priority: tickets.PriorityHigh, typ: tickets.TypeIncident,
			timeSpent: 95, billingCode: "GLX-MSP-01", daysAgo: 9,
			notes: []noteSeed{
				{"Discussion", "erin@globex.test", "It happens at home and in the branch office, on laptops and phones alike.", 8.5},
				{"Internal", "ken@acme.test", "Suspect ISP — do not share yet", 7},
				{"Discussion", "ken@acme.test", "Thanks Erin. We are collecting logs from the firewall and will update you tomorrow.", 6.8},
				{"Resolution", "ken@acme.test", "We moved the VPN to the backup line and the drops stopped. We keep watching it for a week before we close the ticket.", 2},
			},
		},
		{
			title: "New laptop for CFO", board: "Service Desk", company: "Globex Corporation",
			contact: "erin@globex.test", openedBy: "erin@globex.test", assignee: "alan@acme.test",
			description: "Our CFO starts on the 1st. She needs a 14-inch laptop with the finance apps and a docking station.",
			status:      tickets.StatusOpen, priority: tickets.PriorityNormal, typ: tickets.TypeRequest,
			timeSpent: 30, billingCode: "GLX-HW-12", daysAgo: 4,
			notes: []noteSeed{
				{"Discussion", "alan@acme.test", "Quote sent for two models; tell us which one you prefer.", 3},
			},
		},
		{
			title: "Quarterly firewall review", board: "Projects", company: "Globex Corporation",
			contact: "victor@globex.test", openedBy: "ken@acme.test", assignee: "ken@acme.test",
			description: "Review the firewall rules, remove what is unused and report the changes.",
			status:      tickets.StatusInProgress, priority: tickets.PriorityNormal, typ: tickets.TypeChange,
			timeSpent: 180, billingCode: "GLX-PRJ-03", daysAgo: 20,
			notes: []noteSeed{
				{"Discussion", "ken@acme.test", "First pass done: 14 rules can go. We will walk you through them at the QBR.", 12},
			},
		},
		{
			title: "Onboard two sales hires", board: "Service Desk", company: "Globex Corporation",
			openedBy: "alan@acme.test", assignee: "grace@acme.test",
			description: "Accounts, licences and laptops for two new sales people starting next week.",
			status:      tickets.StatusResolved, priority: tickets.PriorityNormal, typ: tickets.TypeRequest,
			timeSpent: 120, billingCode: "GLX-MSP-01", daysAgo: 25,
			notes: []noteSeed{
				{"Resolution", "grace@acme.test", "Both accounts are ready and the laptops were delivered.", 21},
			},
		},
		{
			title: "Migrate file shares to SharePoint", board: "Projects", company: "Globex Corporation",
			openedBy: "ken@acme.test", assignee: "ken@acme.test",
			description: "Move the finance and marketing shares to SharePoint sites with the same permissions.",
			status:      tickets.StatusWaiting, priority: tickets.PriorityHigh, typ: tickets.TypeChange,
			timeSpent: 240, billingCode: "GLX-PRJ-04", daysAgo: 16,
		},
		{
			title: "Phishing test results", board: "Service Desk", company: "Globex Corporation",
			openedBy:    "hedy@acme.test",
			description: "Results of last month's phishing simulation, with the people who should take the training again.",
			status:      tickets.StatusClosed, priority: tickets.PriorityLow, typ: tickets.TypeQuestion,
			timeSpent: 45, daysAgo: 30,
		},
		{
			title: "Printer offline", board: "Service Desk", company: "Initech",
			contact: "oscar@initech.test", openedBy: "oscar@initech.test", assignee: "ken@acme.test",
			description: "The printer on the second floor shows as offline for everyone.",
			status:      tickets.StatusOpen, priority: tickets.PriorityNormal, typ: tickets.TypeIncident,
			timeSpent: 15, daysAgo: 2,
			notes: []noteSeed{
				{"Discussion", "oscar@initech.test", "Restarting it did not help.", 1.8},
			},
		},
		{
			title: "Replace the UPS battery", board: "Service Desk", company: "Initech",
			openedBy: "ken@acme.test", assignee: "ken@acme.test",
			description: "The server room UPS reports a failing battery.",
			status:      tickets.StatusInProgress, priority: tickets.PriorityHigh, typ: tickets.TypeProblem, daysAgo: 6,
		},
		{
			title: "Guest Wi-Fi for the lobby", board: "Service Desk", company: "Initech",
			openedBy:    "alan@acme.test",
			description: "A separate guest network for visitors, with a weekly password.",
			status:      tickets.StatusNew, priority: tickets.PriorityLow, typ: tickets.TypeRequest, daysAgo: 1,
		},
		{
			title: "Renew the initech.example domain", board: "Service Desk", company: "Initech",
			openedBy: "grace@acme.test", assignee: "grace@acme.test",
			description: "The domain expires next month.",
			status:      tickets.StatusResolved, priority: tickets.PriorityNormal, typ: tickets.TypeRequest, daysAgo: 18,
		},
		{
			title: "Clinic workstations are slow", board: "Service Desk", company: "Umbrella Health",
			openedBy: "ken@acme.test", assignee: "ken@acme.test",
			description: "The front desk workstations take minutes to open patient records.",
			status:      tickets.StatusInProgress, priority: tickets.PriorityUrgent, typ: tickets.TypeIncident, daysAgo: 3,
		},
		{
			title: "Badge reader firmware update", board: "Service Desk", company: "Umbrella Health",
			openedBy:    "grace@acme.test",
			description: "The vendor released a security update for the badge readers.",
			status:      tickets.StatusOpen, priority: tickets.PriorityNormal, typ: tickets.TypeChange, daysAgo: 11,
		},
		{
			title: "Renew wildcard certificate", board: "Internal Ops",
			openedBy: "ken@acme.test", assignee: "ken@acme.test",
			description: "Our *.acme.test certificate expires in three weeks.",
			status:      tickets.StatusOpen, priority: tickets.PriorityHigh, typ: tickets.TypeChange, daysAgo: 5,
		},
		{
			title: "Rotate backup keys", board: "Internal Ops",
			openedBy: "alan@acme.test", assignee: "grace@acme.test",
			description: "Yearly rotation of the backup encryption keys.",
			status:      tickets.StatusNew, priority: tickets.PriorityNormal, typ: tickets.TypeChange, daysAgo: 12,
		},
	},
}

var northwindTickets = ticketsSeed{
	boards: []boardSeed{{name: "Service Desk", kinds: externals}},
	tickets: []ticketSeed{
		{
			title: "Set up the shared calendar", board: "Service Desk", company: "Contoso",
			openedBy: "nina@northwind.test", description: "A calendar the whole Contoso team can book meeting rooms in.",
			status: tickets.StatusOpen, priority: tickets.PriorityNormal, typ: tickets.TypeRequest, daysAgo: 3,
		},
		{
			title: "Laptop battery swelling", board: "Service Desk", company: "Contoso",
			openedBy: "nina@northwind.test", description: "One laptop's battery is swelling; replace it before it gets worse.",
			status: tickets.StatusInProgress, priority: tickets.PriorityUrgent, typ: tickets.TypeIncident, daysAgo: 1,
		},
	},
}

// seedTickets creates whatever of the tenant's ticket data is missing.
func seedTickets(ctx context.Context, tx *store.Scoped, s ticketsSeed, companies, users map[string]int64) error {
	if err := tickets.SeedDefaults(ctx, tx); err != nil {
		return err
	}
	// Settings are seeded as rows, like the rest of the demo: they are the
	// starting point, not a change anyone made, so they leave no audit record.
	by := tickets.By{Actor: policy.Operator(tx.TenantID())}
	boards := map[string]int64{}
	for i, bs := range s.boards {
		b := &tickets.Board{Name: bs.name, Position: i + 1, Kinds: bs.kinds, AllCompanies: len(bs.companies) == 0, CreatedAt: time.Now().UTC()}
		if b.Kinds == nil {
			b.Kinds = []policy.Kind{}
		}
		if err := ensure(ctx, tx, b, "name = ?", bs.name); err != nil {
			return err
		}
		for _, c := range bs.companies {
			link := &tickets.BoardCompany{BoardID: b.ID, CompanyID: companies[c]}
			if err := ensure(ctx, tx, link, "board_id = ? AND company_id = ?", b.ID, companies[c]); err != nil {
				return err
			}
		}
		boards[bs.name] = b.ID
	}
	for f, byKind := range s.fields {
		for k, x := range byKind {
			row := &tickets.FieldAccessRow{Field: f, Kind: k, Access: x.String()}
			if err := ensure(ctx, tx, row, "field = ? AND kind = ?", f, k); err != nil {
				return err
			}
		}
	}
	cfg, err := tickets.LoadConfig(ctx, tx)
	if err != nil {
		return err
	}
	noteTypes := map[string]int64{}
	for _, nt := range cfg.NoteTypes {
		noteTypes[nt.Name] = nt.ID
	}
	now := time.Now().UTC()
	for _, ts := range s.tickets {
		exists, err := tx.Select((*tickets.Ticket)(nil)).Where("t.title = ?", ts.title).Exists(ctx)
		if err != nil {
			return fmt.Errorf("ticket %q: %w", ts.title, err)
		}
		if exists {
			continue
		}
		opener, err := actorOf(ctx, tx, users[ts.openedBy])
		if err != nil {
			return fmt.Errorf("ticket %q: %w", ts.title, err)
		}
		in := tickets.NewTicket{BoardID: boards[ts.board], CompanyID: companies[ts.company]}
		in.Title, in.Description = &ts.title, &ts.description
		if ts.contact != "" && ts.contact != ts.openedBy {
			id := users[ts.contact]
			in.ContactID = &id
		}
		v, err := tickets.Create(ctx, tx, tickets.By{Actor: opener}, in)
		if err != nil {
			return fmt.Errorf("ticket %q: %w", ts.title, err)
		}
		// Staff triage what the client opened: status, priority, type,
		// assignee, time and billing.
		f := tickets.Fields{Status: &ts.status, Priority: &ts.priority, Type: &ts.typ, TimeSpent: &ts.timeSpent, BillingCode: &ts.billingCode}
		if ts.assignee != "" {
			id := users[ts.assignee]
			f.AssigneeID = &id
		}
		if _, err := tickets.Update(ctx, tx, by, v.ID, f); err != nil {
			return fmt.Errorf("ticket %q: %w", ts.title, err)
		}
		for _, ns := range ts.notes {
			author, err := actorOf(ctx, tx, users[ns.author])
			if err != nil {
				return err
			}
			n, err := tickets.AddNote(ctx, tx, tickets.By{Actor: author}, v.ID, noteTypes[ns.typ], ns.body)
			if err != nil {
				return fmt.Errorf("ticket %q, note: %w", ts.title, err)
			}
			if err := tickets.Backdate(ctx, tx, "note", n.ID, ago(now, ns.daysAgo), time.Time{}); err != nil {
				return err
			}
		}
		last := ago(now, ts.daysAgo)
		for _, ns := range ts.notes {
			if at := ago(now, ns.daysAgo); at.After(last) {
				last = at
			}
		}
		if err := tickets.Backdate(ctx, tx, "ticket", v.ID, ago(now, ts.daysAgo), last); err != nil {
			return err
		}
	}
	return nil
}

func ago(now time.Time, days float64) time.Time {
	return now.Add(-time.Duration(days * float64(24*time.Hour)))
}

func actorOf(ctx context.Context, tx *store.Scoped, id int64) (policy.Actor, error) {
	u, err := people.UserByID(ctx, tx, id)
	if err != nil {
		return policy.Actor{}, err
	}
	return u.Actor(), nil
}
