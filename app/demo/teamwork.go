package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/teamwork"
)

// The work of the demo's teams (SPEC §15): the company rock, Globex
// Success's rocks, the shared metric "First response time (h)" fed by
// Globex's tickets, 13 weeks of typed-in values, issues, to-dos and
// messages, so the teams look lived-in. Items of Leadership and Service
// Desk that carol must never see carry words no Globex Success item does.

type rockSeed struct {
	team, title, owner string
	dueDays            int
	status             teamwork.Status
	shared             []string
	milestones         []string
}

type metricSeed struct {
	team, title, owner, unit string
	cmp                      teamwork.Comparator
	goal                     float64
	source                   teamwork.Source
	company                  string
	shared                   []string
	// values are the 13 weeks', oldest first, for a typed-in metric.
	values []float64
}

type issueSeed struct {
	team, title, owner string
	priority           teamwork.Priority
	top                int
	long               bool
}

type todoSeed struct {
	team, title, owner string
	dueDays            int
	done               bool
}

type messageSeed struct {
	team, title, body, author string
	cascade                   []string
}

type teamWorkSeed struct {
	rocks    []rockSeed
	metrics  []metricSeed
	issues   []issueSeed
	todos    []todoSeed
	messages []messageSeed
}

var teamWorkSeeds = map[string]teamWorkSeed{"acme": {
	rocks: []rockSeed{
		{title: "Launch managed SOC offering", owner: "ada@acme.test", dueDays: 60, status: teamwork.OnTrack,
			milestones: []string{"Pick the SIEM vendor", "Price the offering", "First pilot client signed"}},
		{team: "Globex Success", title: "Migrate Globex mail to M365", owner: "carol@globex.test", dueDays: 45, status: teamwork.OnTrack,
			milestones: []string{"Inventory mailboxes", "Pilot with the finance team", "Cut-over weekend"}},
		{team: "Globex Success", title: "Roll out MFA at Globex", owner: "ken@acme.test", dueDays: 30, status: teamwork.OffTrack,
			shared: []string{"Service Desk"}, milestones: []string{"Enrol the IT team", "Enrol every office user"}},
		{team: "Leadership", title: "Hire two service desk engineers", owner: "alan@acme.test", dueDays: 50, status: teamwork.OnTrack},
		{team: "Service Desk", title: "Document the on-call runbook", owner: "grace@acme.test", dueDays: 40, status: teamwork.Done},
	},
	metrics: []metricSeed{
		{team: "Service Desk", title: "First response time (h)", owner: "ken@acme.test", unit: "h", cmp: teamwork.AtMost, goal: 2,
			source: teamwork.FirstResponseHours, company: "Globex Corporation", shared: []string{"Globex Success"}},
		{team: "Globex Success", title: "Globex tickets opened", owner: "ken@acme.test", cmp: teamwork.AtMost, goal: 10,
			source: teamwork.TicketsOpened, company: "Globex Corporation"},
		{team: "Globex Success", title: "Staff satisfaction (%)", owner: "carol@globex.test", unit: "%", cmp: teamwork.AtLeast, goal: 90,
			values: []float64{88, 91, 93, 90, 94, 92, 89, 87, 91, 93, 95, 94, 96}},
		{team: "Leadership", title: "Monthly recurring revenue (k$)", owner: "alan@acme.test", unit: "k$", cmp: teamwork.AtLeast, goal: 120,
			values: []float64{112, 114, 115, 118, 117, 121, 122, 124, 123, 126, 127, 129, 131}},
		{team: "Service Desk", title: "Tickets closed", owner: "grace@acme.test", cmp: teamwork.AtLeast, goal: 40,
			values: []float64{42, 45, 38, 41, 44, 47, 43, 39, 36, 44, 46, 38, 37}},
	},
	issues: []issueSeed{
		{team: "Globex Success", title: "Shared mailbox permissions keep resetting", owner: "carol@globex.test", priority: teamwork.High, top: 1},
		{team: "Globex Success", title: "Licence true-up before the renewal", owner: "ken@acme.test", priority: teamwork.Medium, top: 2},
		{team: "Globex Success", title: "Move the file server to SharePoint", owner: "alan@acme.test", priority: teamwork.Low, long: true},
		{team: "Leadership", title: "Service desk margin is slipping below target", owner: "alan@acme.test", priority: teamwork.High, top: 1},
		{team: "Service Desk", title: "Gaps in the weekend on-call rota", owner: "ken@acme.test", priority: teamwork.Medium},
	},
	todos: []todoSeed{
		{team: "Globex Success", title: "Send the MFA rollout plan to Globex staff", owner: "ken@acme.test", dueDays: 3},
		{team: "Globex Success", title: "Confirm the cut-over weekend with Globex finance", owner: "carol@globex.test", dueDays: 5},
		{team: "Globex Success", title: "Share the mailbox inventory", owner: "carol@globex.test", dueDays: -4, done: true},
		{team: "Leadership", title: "Draft the SOC pricing sheet", owner: "linus@acme.test", dueDays: 6},
		{team: "Service Desk", title: "Fill the December on-call rota", owner: "grace@acme.test", dueDays: 2},
	},
	messages: []messageSeed{
		{team: "Leadership", title: "Q4 priorities for every team", author: "ada@acme.test", cascade: []string{"Service Desk"},
			body: "This quarter we **launch the SOC offering** and keep service desk margin above target. Every team: pick rocks that serve one of the two."},
		{team: "Globex Success", title: "Welcome to the Globex Success team", author: "alan@acme.test",
			body: "This is where Acme and Globex run the account together: our rocks, the scorecard, issues and to-dos, and the weekly L10."},
	},
}}

// seedTeamWork adds the team work of tenant slug once: a tenant that has
// any rock already keeps what it has.
func seedTeamWork(ctx context.Context, tx *store.Scoped, slug string, companies, users, teams map[string]int64) error {
	s, ok := teamWorkSeeds[slug]
	if !ok {
		return nil
	}
	if exists, err := tx.Select((*teamwork.Rock)(nil)).Exists(ctx); err != nil || exists {
		return err
	}
	by := teamwork.By{Actor: policy.Operator(tx.TenantID())}
	now := time.Now().UTC()
	day := func(days int) *string { d := teamwork.Today(now.AddDate(0, 0, days)); return &d }
	ids := func(names []string) *[]int64 {
		out := []int64{}
		for _, n := range names {
			out = append(out, teams[n])
		}
		return &out
	}
	for _, r := range s.rocks {
		in := teamwork.RockInput{TeamID: teams[r.team], Title: &r.title, OwnerID: ptr(users[r.owner]), DueOn: day(r.dueDays), Status: &r.status, SharedTeamIDs: ids(r.shared)}
		if r.team == "" {
			in.SharedTeamIDs = nil
		}
		ms := []teamwork.MilestoneInput{}
		for i, m := range r.milestones {
			ms = append(ms, teamwork.MilestoneInput{Title: m, DueOn: *day(r.dueDays * (i + 1) / (len(r.milestones) + 1)), Done: i == 0})
		}
		in.Milestones = &ms
		if _, err := teamwork.CreateRock(ctx, tx, by, in); err != nil {
			return fmt.Errorf("rock %q: %w", r.title, err)
		}
	}
	for _, m := range s.metrics {
		if m.source == "" {
			m.source = teamwork.Manual
		}
		in := teamwork.MetricInput{TeamID: teams[m.team], Title: &m.title, OwnerID: ptr(users[m.owner]), Unit: &m.unit, Comparator: &m.cmp,
			Goal: &m.goal, Source: &m.source, SharedTeamIDs: ids(m.shared)}
		if m.company != "" {
			in.CompanyID = ptr(companies[m.company])
		}
		v, err := teamwork.CreateMetric(ctx, tx, by, in)
		if err != nil {
			return fmt.Errorf("metric %q: %w", m.title, err)
		}
		// The values are typed in once a week; the demo writes them as rows.
		for i, x := range m.values {
			week := teamwork.WeekOf(now.AddDate(0, 0, -7*(len(m.values)-1-i)))
			row := &teamwork.Value{MetricID: v.ID, Week: week, Value: x, EnteredBy: ptr(users[m.owner]), UpdatedAt: now}
			if !(m.cmp == teamwork.AtLeast && x >= m.goal) && i == len(m.values)-1 {
				row.Note = "Two engineers out sick this week."
			}
			if _, err := tx.Insert(row).Exec(ctx); err != nil {
				return fmt.Errorf("metric %q, week %s: %w", m.title, week, err)
			}
		}
	}
	for _, is := range s.issues {
		in := teamwork.IssueInput{TeamID: teams[is.team], Title: &is.title, OwnerID: ptr(users[is.owner]), Priority: &is.priority}
		if is.top != 0 {
			in.TopRank = &is.top
		}
		if is.long {
			t := teamwork.LongTerm
			in.Term = &t
		}
		if _, err := teamwork.CreateIssue(ctx, tx, by, in); err != nil {
			return fmt.Errorf("issue %q: %w", is.title, err)
		}
	}
	for _, t := range s.todos {
		v, err := teamwork.CreateTodo(ctx, tx, by, teamwork.TodoInput{TeamID: teams[t.team], Title: &t.title, OwnerID: ptr(users[t.owner]), DueOn: day(t.dueDays)})
		if err != nil {
			return fmt.Errorf("to-do %q: %w", t.title, err)
		}
		if t.done {
			// Done the day before it was due, as the demo's past goes.
			at := now.AddDate(0, 0, t.dueDays-1)
			if _, err := tx.Update((*teamwork.Todo)(nil)).Set("done_at = ?", at).Where("td.id = ?", v.ID).Exec(ctx); err != nil {
				return fmt.Errorf("to-do %q: %w", t.title, err)
			}
		}
	}
	for _, m := range s.messages {
		cascade := []int64{}
		for _, c := range m.cascade {
			cascade = append(cascade, teams[c])
		}
		author, err := actorOf(ctx, tx, users[m.author])
		if err != nil {
			return err
		}
		if _, err := teamwork.PostMessage(ctx, tx, teamwork.By{Actor: author}, teamwork.MessageInput{TeamID: teams[m.team], Title: &m.title, Body: &m.body, CascadeTeamIDs: cascade}); err != nil {
			return fmt.Errorf("message %q: %w", m.title, err)
		}
	}
	return seedPastMeetings(ctx, tx, by, users, teams, now)
}

// pastMeetings are last week's L10s of the demo, with each attendee's rating.
var pastMeetings = []struct {
	team    string
	ratings map[string]int
}{
	{"Globex Success", map[string]int{"alan@acme.test": 8, "ken@acme.test": 9, "carol@globex.test": 9}},
	{"Leadership", map[string]int{"ada@acme.test": 8, "alan@acme.test": 7, "linus@acme.test": 8}},
}

// seedPastMeetings adds an L10 held a week ago to each of pastMeetings'
// teams, ended and rated, so the teams' meeting history is not empty.
func seedPastMeetings(ctx context.Context, tx *store.Scoped, by teamwork.By, users, teams map[string]int64, now time.Time) error {
	for _, pm := range pastMeetings {
		v, err := teamwork.CreateMeeting(ctx, tx, by, teamwork.MeetingInput{TeamID: teams[pm.team], Kind: teamwork.L10})
		if err != nil {
			return fmt.Errorf("meeting of %s: %w", pm.team, err)
		}
		start := now.AddDate(0, 0, -7).Truncate(time.Hour)
		end := start.Add(88 * time.Minute)
		title := "L10 — " + start.Format("Jan 2, 2006")
		if _, err := tx.Update((*teamwork.Meeting)(nil)).Set("title = ?, status = ?, section = 0, started_at = ?, ended_at = ?, created_at = ?", title, teamwork.Finished, start, end, start.Add(-24*time.Hour)).
			Where("mt.id = ?", v.ID).Exec(ctx); err != nil {
			return fmt.Errorf("meeting of %s: %w", pm.team, err)
		}
		for email, rating := range pm.ratings {
			if _, err := tx.Update((*teamwork.Attendee)(nil)).Set("rating = ?", rating).Where("ma.meeting_id = ? AND ma.user_id = ?", v.ID, users[email]).Exec(ctx); err != nil {
				return fmt.Errorf("rating of %s: %w", email, err)
			}
		}
	}
	return nil
}

func ptr(id int64) *int64 { return &id }
