package teamwork_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/demo"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/store/storetest"
	"github.com/atrium-portal/atrium/app/teamwork"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/tickets"
	"github.com/atrium-portal/atrium/app/valid"
)

type world struct {
	ctx   context.Context
	db    *store.Scoped
	d     *storetest.DB
	teams map[string]int64
}

func seed(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	d := storetest.New(t)
	for range 2 { // a second seeding adds nothing
		if err := demo.Seed(ctx, d.DB, tenant.NewStore(d.DB)); err != nil {
			t.Fatal(err)
		}
	}
	acme, err := tenant.NewStore(d.DB).BySlug(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	w := &world{ctx: ctx, db: d.DB.Tenant(acme.ID), d: d, teams: map[string]int64{}}
	ts, _, err := people.TeamsFor(ctx, w.db, w.actor(t, "ada@acme.test"), policy.Settings{}, people.TeamQuery{}, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range ts {
		w.teams[tm.Name] = tm.ID
	}
	return w
}

func (w *world) actor(t *testing.T, email string) policy.Actor {
	t.Helper()
	u, err := people.UserByEmail(w.ctx, w.db, email)
	if err != nil {
		t.Fatal(err)
	}
	return u.Actor()
}

func (w *world) by(t *testing.T, email string) teamwork.By {
	return teamwork.By{Actor: w.actor(t, email)}
}

func rockTitles(t *testing.T, w *world, a policy.Actor, q teamwork.RockQuery) []string {
	t.Helper()
	rs, _, err := teamwork.Rocks(w.ctx, w.db, a, q, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rs {
		out = append(out, r.Title)
	}
	slices.Sort(out)
	return out
}

// everything is every title of team work a may see, in every team.
func everything(t *testing.T, w *world, a policy.Actor) []string {
	t.Helper()
	out := rockTitles(t, w, a, teamwork.RockQuery{})
	ms, _, err := teamwork.Metrics(w.ctx, w.db, a, teamwork.MetricQuery{}, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		out = append(out, m.Title)
	}
	is, _, err := teamwork.Issues(w.ctx, w.db, a, teamwork.IssueQuery{}, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range is {
		out = append(out, i.Title)
	}
	ts, _, err := teamwork.Todos(w.ctx, w.db, a, teamwork.TodoQuery{Done: true}, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	for _, td := range ts {
		out = append(out, td.Title)
	}
	msgs, _, err := teamwork.Messages(w.ctx, w.db, a, 0, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		out = append(out, m.Title+" "+m.Body)
	}
	return out
}

// TestClientSeesOnlyTheirTeam: carol sees Globex Success's work — its
// rocks, the metric shared into it — and not one word of Leadership's,
// Service Desk's or the company's; guests and external users see none.
func TestClientSeesOnlyTheirTeam(t *testing.T) {
	w := seed(t)
	carol := w.actor(t, "carol@globex.test")
	got := everything(t, w, carol)
	for _, want := range []string{"Migrate Globex mail to M365", "Roll out MFA at Globex", "First response time (h)", "Globex tickets opened",
		"Shared mailbox permissions keep resetting", "Confirm the cut-over weekend with Globex finance"} {
		if !slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, want) }) {
			t.Errorf("carol does not see %q", want)
		}
	}
	// Canary words of the other teams' and the company's work.
	for _, canary := range []string{"SOC", "margin", "on-call", "revenue", "Q4 priorities", "service desk engineers", "Tickets closed"} {
		for _, s := range got {
			if strings.Contains(strings.ToLower(s), strings.ToLower(canary)) {
				t.Errorf("carol sees %q (%q)", s, canary)
			}
		}
	}
	if rs := rockTitles(t, w, carol, teamwork.RockQuery{Company: true}); len(rs) != 2 {
		// Company: true narrows to company rocks only within her scope: none.
		t.Logf("carol's rocks asked as company rocks: %q", rs)
	}
	if rs := rockTitles(t, w, carol, teamwork.RockQuery{Company: true}); slices.Contains(rs, "Launch managed SOC offering") {
		t.Error("carol sees the company rock")
	}
	// The demo's past L10: Globex Success's, rated, and not Leadership's.
	ms, _, err := teamwork.Meetings(w.ctx, w.db, carol, 0, store.Page{})
	if err != nil || len(ms) != 1 || ms[0].Team.Name != "Globex Success" || ms[0].Rating == nil || *ms[0].Rating != 8.7 || ms[0].Status != teamwork.Finished {
		t.Errorf("carol's meetings: %+v %v", ms, err)
	}
	for _, email := range []string{"gina@guest.test", "erin@globex.test", "victor@globex.test"} {
		if got := everything(t, w, w.actor(t, email)); len(got) != 0 {
			t.Errorf("%s sees %q", email, got)
		}
	}
	// A member sees every team's work and the company rock.
	ken := w.actor(t, "ken@acme.test")
	if rs := rockTitles(t, w, ken, teamwork.RockQuery{Company: true}); !slices.Equal(rs, []string{"Launch managed SOC offering"}) {
		t.Errorf("ken's company rocks: %q", rs)
	}
	// The shared rock shows in both its teams, once.
	for _, team := range []string{"Globex Success", "Service Desk"} {
		if rs := rockTitles(t, w, ken, teamwork.RockQuery{TeamID: w.teams[team]}); !slices.Contains(rs, "Roll out MFA at Globex") {
			t.Errorf("%s's rocks: %q", team, rs)
		}
	}
}

// TestClientRules: the client seed's rules for carol, one by one.
func TestClientRules(t *testing.T) {
	w := seed(t)
	carol := w.by(t, "carol@globex.test")
	gs, lead := w.teams["Globex Success"], w.teams["Leadership"]
	title := "Book the training room"

	// Full functionality in Globex Success: a to-do, an issue, a rock, a
	// metric with a value, a message; done, solved, changed.
	td, err := teamwork.CreateTodo(w.ctx, w.db, carol, teamwork.TodoInput{TeamID: gs, Title: &title})
	if err != nil {
		t.Fatalf("carol adds a to-do: %v", err)
	}
	if td.Owner == nil || td.Owner.Name != "Carol Client" || td.DueOn != teamwork.Today(time.Now().Add(7*24*time.Hour)) {
		t.Errorf("the to-do: %+v, owner %+v", td, td.Owner)
	}
	done := true
	if _, err := teamwork.UpdateTodo(w.ctx, w.db, carol, td.ID, teamwork.TodoInput{Done: &done}); err != nil {
		t.Errorf("carol ticks her to-do: %v", err)
	}
	issue, err := teamwork.CreateIssue(w.ctx, w.db, carol, teamwork.IssueInput{TeamID: gs, Title: &title})
	if err != nil {
		t.Fatalf("carol adds an issue: %v", err)
	}
	if _, err := teamwork.SolveIssue(w.ctx, w.db, carol, issue.ID, &teamwork.TodoInput{Title: &title}); err != nil {
		t.Errorf("carol solves it into a to-do: %v", err)
	}
	due := "2027-01-15"
	if _, err := teamwork.CreateRock(w.ctx, w.db, carol, teamwork.RockInput{TeamID: gs, Title: &title, DueOn: &due}); err != nil {
		t.Errorf("carol adds a rock: %v", err)
	}
	goal := 5.0
	m, err := teamwork.CreateMetric(w.ctx, w.db, carol, teamwork.MetricInput{TeamID: gs, Title: &title, Goal: &goal})
	if err != nil {
		t.Fatalf("carol adds a metric: %v", err)
	}
	seven := 7.0
	if _, err := teamwork.SetValue(w.ctx, w.db, carol, m.ID, teamwork.ValueInput{Week: teamwork.Today(time.Now()), Value: &seven}); err != nil {
		t.Errorf("carol enters a value: %v", err)
	}
	if _, err := teamwork.PostMessage(w.ctx, w.db, carol, teamwork.MessageInput{TeamID: gs, Title: &title}); err != nil {
		t.Errorf("carol posts a message: %v", err)
	}

	// No company data: nothing to add to another team or the company.
	var ve valid.Errors
	if _, err := teamwork.CreateTodo(w.ctx, w.db, carol, teamwork.TodoInput{TeamID: lead, Title: &title}); !errors.As(err, &ve) {
		t.Errorf("carol adds a to-do to Leadership: %v", err)
	}
	if _, err := teamwork.CreateRock(w.ctx, w.db, carol, teamwork.RockInput{Title: &title, DueOn: &due}); !errors.As(err, &ve) {
		t.Errorf("carol adds a company rock: %v", err)
	}
	leadIssue := firstIssue(t, w, "Leadership")
	if _, err := teamwork.GetIssue(w.ctx, w.db, carol.Actor, leadIssue); !errors.Is(err, teamwork.ErrNotFound) {
		t.Errorf("carol opens a Leadership issue: %v", err)
	}

	// No sending issues.
	gsIssue := firstIssue(t, w, "Globex Success")
	if _, err := teamwork.UpdateIssue(w.ctx, w.db, carol, gsIssue, teamwork.IssueInput{TeamID: w.teams["Service Desk"]}); !errors.Is(err, teamwork.ErrForbidden) {
		t.Errorf("carol sends an issue away: %v", err)
	}
	// No cascading.
	if _, err := teamwork.PostMessage(w.ctx, w.db, carol, teamwork.MessageInput{TeamID: gs, Title: &title, CascadeTeamIDs: []int64{lead}}); !errors.Is(err, teamwork.ErrForbidden) {
		t.Errorf("carol cascades a message: %v", err)
	}
	// What is shared into her team from another is not hers to change.
	mfa := rockID(t, w, "Roll out MFA at Globex")
	if _, err := teamwork.UpdateRock(w.ctx, w.db, carol, mfa, teamwork.RockInput{Title: &title}); !errors.Is(err, teamwork.ErrForbidden) {
		t.Errorf("carol changes the rock shared from Service Desk: %v", err)
	}
	// Deleting follows the same rules as changing.
	if err := teamwork.DeleteRock(w.ctx, w.db, carol, mfa); !errors.Is(err, teamwork.ErrForbidden) {
		t.Errorf("carol deletes the rock shared from Service Desk: %v", err)
	}
	if err := teamwork.DeleteIssue(w.ctx, w.db, carol, leadIssue); !errors.Is(err, teamwork.ErrNotFound) {
		t.Errorf("carol deletes a Leadership issue: %v", err)
	}
	if err := teamwork.DeleteTodo(w.ctx, w.db, carol, td.ID); err != nil {
		t.Errorf("carol deletes her to-do: %v", err)
	}
	if _, err := teamwork.GetTodo(w.ctx, w.db, carol.Actor, td.ID); !errors.Is(err, teamwork.ErrNotFound) {
		t.Errorf("the deleted to-do: %v", err)
	}
	// A member sends and cascades.
	alan := w.by(t, "alan@acme.test")
	sent, err := teamwork.UpdateIssue(w.ctx, w.db, alan, gsIssue, teamwork.IssueInput{TeamID: w.teams["Service Desk"]})
	if err != nil || sent.Team.Name != "Service Desk" {
		t.Errorf("alan sends the issue: %+v %v", sent, err)
	}
	if _, err := teamwork.GetIssue(w.ctx, w.db, carol.Actor, gsIssue); !errors.Is(err, teamwork.ErrNotFound) {
		t.Errorf("carol still sees the issue sent to Service Desk: %v", err)
	}
	if _, err := teamwork.PostMessage(w.ctx, w.db, alan, teamwork.MessageInput{TeamID: lead, Title: &title, CascadeTeamIDs: []int64{gs}}); err != nil {
		t.Errorf("alan cascades: %v", err)
	}
}

func firstIssue(t *testing.T, w *world, team string) int64 {
	t.Helper()
	is, _, err := teamwork.Issues(w.ctx, w.db, w.actor(t, "ada@acme.test"), teamwork.IssueQuery{TeamID: w.teams[team]}, store.Page{})
	if err != nil || len(is) == 0 {
		t.Fatalf("issues of %s: %v", team, err)
	}
	return is[0].ID
}

func rockID(t *testing.T, w *world, title string) int64 {
	t.Helper()
	rs, _, err := teamwork.Rocks(w.ctx, w.db, w.actor(t, "ada@acme.test"), teamwork.RockQuery{}, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Title == title {
			return r.ID
		}
	}
	t.Fatalf("no rock %q", title)
	return 0
}

// TestSharedMetric: a metric shared into a client team is one object:
// values entered once show in every team it is in; the client reads it
// there and may not change it, and never sees it outside those teams.
func TestSharedMetric(t *testing.T) {
	w := seed(t)
	ken := w.by(t, "ken@acme.test")
	title, goal, cmp := "Patch compliance (%)", 95.0, teamwork.AtLeast
	sd, gs, lead := w.teams["Service Desk"], w.teams["Globex Success"], w.teams["Leadership"]
	m, err := teamwork.CreateMetric(w.ctx, w.db, ken, teamwork.MetricInput{TeamID: sd, Title: &title, Goal: &goal, Comparator: &cmp, SharedTeamIDs: &[]int64{gs}})
	if err != nil {
		t.Fatal(err)
	}
	v := 91.5
	if _, err := teamwork.SetValue(w.ctx, w.db, ken, m.ID, teamwork.ValueInput{Week: teamwork.Today(time.Now()), Value: &v}); err != nil {
		t.Fatal(err)
	}
	carol := w.by(t, "carol@globex.test")
	for _, team := range []int64{sd, gs} {
		ms, _, err := teamwork.Metrics(w.ctx, w.db, ken.Actor, teamwork.MetricQuery{TeamID: team}, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(ms, func(x teamwork.MetricView) bool { return x.ID == m.ID })
		if i < 0 {
			t.Fatalf("the metric is not in team %d", team)
		}
		last := ms[i].Weeks[len(ms[i].Weeks)-1]
		if last.Value == nil || *last.Value != v || last.Met {
			t.Errorf("team %d: this week %+v", team, last)
		}
	}
	got, err := teamwork.GetMetric(w.ctx, w.db, carol.Actor, m.ID, time.Now())
	if err != nil || got.Weeks[len(got.Weeks)-1].Value == nil || got.CanEdit {
		t.Errorf("carol reads the shared metric: %+v %v", got, err)
	}
	if _, err := teamwork.SetValue(w.ctx, w.db, carol, m.ID, teamwork.ValueInput{Week: teamwork.Today(time.Now()), Value: &v}); !errors.Is(err, teamwork.ErrForbidden) {
		t.Errorf("carol enters a value of the shared metric: %v", err)
	}
	// Moved out of Globex Success, it is gone for carol.
	if _, err := teamwork.UpdateMetric(w.ctx, w.db, ken, m.ID, teamwork.MetricInput{SharedTeamIDs: &[]int64{lead}}); err != nil {
		t.Fatal(err)
	}
	if _, err := teamwork.GetMetric(w.ctx, w.db, carol.Actor, m.ID, time.Now()); !errors.Is(err, teamwork.ErrNotFound) {
		t.Errorf("carol still sees the metric: %v", err)
	}
	// A metric carol owns cannot be shared beyond her team.
	mine := "Open requests"
	cm, err := teamwork.CreateMetric(w.ctx, w.db, carol, teamwork.MetricInput{TeamID: gs, Title: &mine, Goal: &goal})
	if err != nil {
		t.Fatal(err)
	}
	var ve valid.Errors
	if _, err := teamwork.UpdateMetric(w.ctx, w.db, ken, cm.ID, teamwork.MetricInput{SharedTeamIDs: &[]int64{sd}}); !errors.As(err, &ve) || ve["shared_team_ids"] == "" {
		t.Errorf("a client's metric shared into Service Desk: %v", err)
	}
}

// TestFedMetrics: the demo's metrics fed by Globex's tickets equal what
// is computed here from the tickets themselves, as ada and victor (who
// reads what Globex may read) see them.
func TestFedMetrics(t *testing.T) {
	w := seed(t)
	ada := w.actor(t, "ada@acme.test")
	victor := w.actor(t, "victor@globex.test")
	cfg, err := tickets.LoadConfig(w.ctx, w.db)
	if err != nil {
		t.Fatal(err)
	}
	vs, _, err := tickets.List(w.ctx, w.db, ada, cfg, tickets.Query{Q: "VPN drops"}, store.Page{})
	if err != nil || len(vs) == 0 {
		t.Fatal(err)
	}
	globex := vs[0].Company.ID
	all, _, err := tickets.List(w.ctx, w.db, ada, cfg, tickets.Query{CompanyID: globex}, store.Page{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	opened, hours, answered := map[string]float64{}, map[string]float64{}, map[string]int{}
	for _, tk := range all {
		week := teamwork.WeekOf(tk.CreatedAt)
		opened[week]++
		// The first note by the workspace's staff that Globex reads:
		// victor reads what Globex may, and staff are members.
		notes, _, err := tickets.Notes(w.ctx, w.db, victor, cfg, tk.ID, store.Page{Limit: 200})
		if errors.Is(err, tickets.ErrNotFound) {
			notes, err = nil, nil // a board victor may not see: his notes are those of the ticket's readers
			ns, _, err2 := tickets.Notes(w.ctx, w.db, w.actor(t, "erin@globex.test"), cfg, tk.ID, store.Page{Limit: 200})
			notes, err = ns, err2
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range notes {
			if n.Author == nil {
				continue
			}
			u, err := people.UserByID(w.ctx, w.db, n.Author.ID)
			if err != nil {
				t.Fatal(err)
			}
			if u.Kind == policy.Member {
				hours[week] += n.CreatedAt.Sub(tk.CreatedAt).Hours()
				answered[week]++
				break
			}
		}
	}
	ms, _, err := teamwork.Metrics(w.ctx, w.db, ada, teamwork.MetricQuery{TeamID: w.teams["Globex Success"]}, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, m := range ms {
		for _, c := range m.Weeks {
			switch m.Title {
			case "Globex tickets opened":
				checked++
				if c.Value == nil || *c.Value != opened[c.Week] {
					t.Errorf("tickets opened in %s: %v, counted %v", c.Week, c.Value, opened[c.Week])
				}
			case "First response time (h)":
				checked++
				switch {
				case answered[c.Week] == 0 && c.Value != nil:
					t.Errorf("first response in %s: %v for no answered ticket", c.Week, *c.Value)
				case answered[c.Week] > 0 && (c.Value == nil || math.Abs(*c.Value-hours[c.Week]/float64(answered[c.Week])) > 0.05):
					t.Errorf("first response in %s: %v, computed %v", c.Week, c.Value, hours[c.Week]/float64(answered[c.Week]))
				}
			}
		}
	}
	if checked != 2*teamwork.TrailingWeeks {
		t.Errorf("checked %d weeks", checked)
	}
	var sum float64
	for _, n := range answered {
		sum += float64(n)
	}
	if sum == 0 {
		t.Error("no Globex ticket of the demo has an answer: the first response metric is empty")
	}
}

// TestOtherTenant: an ID of another tenant's team work is not found, and
// nothing of it shows in lists.
func TestOtherTenant(t *testing.T) {
	w := seed(t)
	ada := w.by(t, "ada@acme.test")
	canary := "Canary rock of Acme"
	due := "2027-02-01"
	r, err := teamwork.CreateRock(w.ctx, w.db, ada, teamwork.RockInput{TeamID: w.teams["Leadership"], Title: &canary, DueOn: &due})
	if err != nil {
		t.Fatal(err)
	}
	nw, err := tenant.NewStore(w.d.DB).BySlug(w.ctx, "northwind")
	if err != nil {
		t.Fatal(err)
	}
	ndb := w.d.DB.Tenant(nw.ID)
	u, err := people.UserByEmail(w.ctx, ndb, "nina@northwind.test")
	if err != nil {
		t.Fatal(err)
	}
	nina := teamwork.By{Actor: u.Actor()}
	if _, err := teamwork.GetRock(w.ctx, ndb, nina.Actor, r.ID); !errors.Is(err, teamwork.ErrNotFound) {
		t.Errorf("nina opens Acme's rock: %v", err)
	}
	if _, err := teamwork.UpdateRock(w.ctx, ndb, nina, r.ID, teamwork.RockInput{Title: &canary}); !errors.Is(err, teamwork.ErrNotFound) {
		t.Errorf("nina changes Acme's rock: %v", err)
	}
	rs, _, err := teamwork.Rocks(w.ctx, ndb, nina.Actor, teamwork.RockQuery{}, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range rs {
		if strings.Contains(x.Title, "Canary") || strings.Contains(x.Title, "Globex") {
			t.Errorf("nina sees %q", x.Title)
		}
	}
	// Acme's team ID is no team of Northwind's.
	if _, err := teamwork.CreateTodo(w.ctx, ndb, nina, teamwork.TodoInput{TeamID: w.teams["Leadership"], Title: &canary}); err == nil {
		t.Error("nina adds a to-do to Acme's team")
	}
}

// TestBadInput: every field's limits answer field errors, never a write.
func TestBadInput(t *testing.T) {
	w := seed(t)
	ken := w.by(t, "ken@acme.test")
	gs := w.teams["Globex Success"]
	long := strings.Repeat("x", teamwork.MaxTitle+1)
	bad := "31/12/2026"
	nan := math.NaN()
	cases := []struct {
		name  string
		field string
		run   func() error
	}{
		{"long title", "title", func() error {
			_, err := teamwork.CreateTodo(w.ctx, w.db, ken, teamwork.TodoInput{TeamID: gs, Title: &long})
			return err
		}},
		{"bad date", "due_on", func() error {
			x := "x"
			_, err := teamwork.CreateRock(w.ctx, w.db, ken, teamwork.RockInput{TeamID: gs, Title: &x, DueOn: &bad})
			return err
		}},
		{"NaN goal", "goal", func() error {
			x := "x"
			_, err := teamwork.CreateMetric(w.ctx, w.db, ken, teamwork.MetricInput{TeamID: gs, Title: &x, Goal: &nan})
			return err
		}},
		{"guest owner", "owner_id", func() error {
			x := "x"
			gina := w.actor(t, "gina@guest.test").UserID
			_, err := teamwork.CreateIssue(w.ctx, w.db, ken, teamwork.IssueInput{TeamID: gs, Title: &x, OwnerID: &gina})
			return err
		}},
		{"fed without company", "company_id", func() error {
			x, g, src := "x", 1.0, teamwork.TicketsOpened
			_, err := teamwork.CreateMetric(w.ctx, w.db, ken, teamwork.MetricInput{TeamID: gs, Title: &x, Goal: &g, Source: &src})
			return err
		}},
		{"rank 4", "top_rank", func() error {
			x, r := "x", 4
			_, err := teamwork.CreateIssue(w.ctx, w.db, ken, teamwork.IssueInput{TeamID: gs, Title: &x, TopRank: &r})
			return err
		}},
	}
	for _, c := range cases {
		var ve valid.Errors
		if err := c.run(); !errors.As(err, &ve) || ve[c.field] == "" {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// TestArchiveRocks: at the quarter's end a team's current rocks leave the
// list and stay readable among the archived; a rock shared in from another
// team stays, as its home team archives it.
func TestArchiveRocks(t *testing.T) {
	w := seed(t)
	alan := w.by(t, "alan@acme.test")
	gs, sd := w.teams["Globex Success"], w.teams["Service Desk"]
	n, err := teamwork.ArchiveRocks(w.ctx, w.db, alan, sd)
	if err != nil || n != 1 { // "Document the on-call runbook"; MFA lives in Globex Success
		t.Fatalf("archived %d in Service Desk: %v", n, err)
	}
	if got := rockTitles(t, w, alan.Actor, teamwork.RockQuery{TeamID: sd}); !slices.Equal(got, []string{"Roll out MFA at Globex"}) {
		t.Errorf("Service Desk's current rocks: %q", got)
	}
	if n, err = teamwork.ArchiveRocks(w.ctx, w.db, alan, gs); err != nil || n != 2 {
		t.Fatalf("archived %d in Globex Success: %v", n, err)
	}
	if got := rockTitles(t, w, alan.Actor, teamwork.RockQuery{TeamID: gs}); len(got) != 0 {
		t.Errorf("Globex Success's current rocks after archiving: %q", got)
	}
	if got := rockTitles(t, w, w.actor(t, "carol@globex.test"), teamwork.RockQuery{TeamID: gs, Archived: true}); len(got) != 2 {
		t.Errorf("carol's archived rocks: %q", got)
	}
	// The company rocks are the strategy admins'.
	if n, err = teamwork.ArchiveRocks(w.ctx, w.db, w.by(t, "ken@acme.test"), 0); err != nil || n != 0 {
		t.Errorf("ken archives the company rocks: %d %v", n, err)
	}
	if n, err = teamwork.ArchiveRocks(w.ctx, w.db, w.by(t, "linus@acme.test"), 0); err != nil || n != 1 {
		t.Errorf("linus archives the company rocks: %d %v", n, err)
	}
}
