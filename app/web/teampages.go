package web

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/teamwork"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// The pages of teams' work: a team's page (/teams/ID) with its rocks,
// scorecard, issues, to-dos and messages, and the company rocks (/rocks).

// teamWorkLimit is how many of each kind a team page shows.
const teamWorkLimit = store.MaxLimit

// dayLabel writes a date YYYY-MM-DD as people read it: "Dec 23, 2026".
func dayLabel(day string) string {
	t, err := time.Parse(teamwork.DateLayout, day)
	if err != nil {
		return day
	}
	return t.Format("Jan 2, 2006")
}

func person(p *teamwork.Person) *ui.Person {
	if p == nil {
		return nil
	}
	return &ui.Person{Name: p.Name, Client: p.Client}
}

func rockRows(rs []teamwork.RockView, teamID int64) []ui.RockRow {
	out := make([]ui.RockRow, 0, len(rs))
	for _, r := range rs {
		row := ui.RockRow{Title: r.Title, OwnerPerson: person(r.Owner), DueOn: dayLabel(r.DueOn), Status: r.Status.Label(),
			StatusClass: "badge-rock-" + strings.ReplaceAll(string(r.Status), "_", "-")}
		if n := len(r.Milestones); n > 0 {
			done := 0
			for _, m := range r.Milestones {
				if m.Done {
					done++
				}
			}
			row.Milestones = fmt.Sprintf("%d of %d milestones done", done, n)
		}
		row.Where = whereShown(r.Team, r.SharedWith, teamID)
		out = append(out, row)
	}
	return out
}

// whereShown says where an object shown in team teamID also lives: the
// team it is shared from, or the teams it is shared into.
func whereShown(home *teamwork.Ref, shared []teamwork.Ref, teamID int64) string {
	if home != nil && home.ID != teamID && teamID != 0 {
		return "Shared from " + home.Name
	}
	if len(shared) == 0 {
		return ""
	}
	names := make([]string, 0, len(shared))
	for _, t := range shared {
		names = append(names, t.Name)
	}
	return "Also in " + strings.Join(names, ", ")
}

// offerIssues lets the rows' red streaks be raised as issues of team
// teamID, when the reader may add issues there.
func offerIssues(c *fiber.Ctx, rows []ui.MetricRow, teamID int64) []ui.MetricRow {
	st := state(c)
	if !policy.CanEditTeamWork(st.actor, policy.TeamWorkFacts{Teams: []int64{teamID}}) {
		return rows
	}
	for i := range rows {
		rows[i].RaiseURL, rows[i].CSRF = teamPath(teamID)+"/issues", st.session.CSRFToken
	}
	return rows
}

func metricRows(ms []teamwork.MetricView, teamID int64) []ui.MetricRow {
	out := make([]ui.MetricRow, 0, len(ms))
	for _, m := range ms {
		row := ui.MetricRow{Title: m.Title, Goal: m.GoalLabel(), Owner: person(m.Owner), Total: teamwork.FormatValue(m.Total), RedStreak: m.RedStreak,
			Where: whereShown(&m.Team, m.SharedWith, teamID)}
		if m.Source.Fed() {
			row.Source = "Filled by the portal from " + feedCompany(m.Company) + "'s data"
		}
		if m.Average != nil {
			row.Average = teamwork.FormatValue(*m.Average)
		}
		// The newest week first: it is the one a meeting reads, and on a
		// narrow screen the first columns are those in view.
		for _, c := range slices.Backward(m.Weeks) {
			cell := ui.MetricCell{Note: c.Note}
			if c.Value != nil {
				cell.Value = teamwork.FormatValue(*c.Value)
				cell.Class, cell.Label = "cell-red", "missed the goal"
				if c.Met {
					cell.Class, cell.Label = "cell-green", "met the goal"
				}
			}
			row.Cells = append(row.Cells, cell)
		}
		out = append(out, row)
	}
	return out
}

func feedCompany(r *teamwork.Ref) string {
	if r == nil {
		return "the company"
	}
	return r.Name
}

// teamPage is GET /teams/ID.
func (s *Server) teamPage(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	return s.renderTeamPage(c, 200, id, nil)
}

// renderTeamPage answers with team id's page, or to htmx its to-dos only
// (the answer to the to-do forms); form is the add form as submitted.
func (s *Server) renderTeamPage(c *fiber.Ctx, status int, id int64, form *ui.TodoForm) error {
	return s.renderTeam(c, status, id, teamForms{todo: form})
}

// renderTeamPageWith is renderTeamPage with the meeting form as submitted.
func (s *Server) renderTeamPageWith(c *fiber.Ctx, status int, id int64, form *ui.TodoForm, mform *ui.MeetingForm) error {
	return s.renderTeam(c, status, id, teamForms{todo: form, meeting: mform})
}

// renderTeam answers with team id's page, or to an htmx form the section
// tf names; tf carries the forms as submitted when one was refused.
func (s *Server) renderTeam(c *fiber.Ctx, status int, id int64, tf teamForms) error {
	st := state(c)
	ctx := c.UserContext()
	t, err := people.TeamFor(ctx, st.db, st.actor, settingsOf(st.tenant), id)
	if err != nil {
		return orgError(err)
	}
	p := store.Page{Limit: teamWorkLimit}
	v := ui.TeamPageView{ID: id, Name: t.Name, Kind: teamKindLabel(t.Kind), ClientVisible: t.ClientVisible, CompletionRule: teamwork.CompletionRule,
		CanAdd: policy.CanEditTeamWork(st.actor, policy.TeamWorkFacts{Teams: []int64{id}})}
	if t.Company != nil {
		v.Company = t.Company.Name
	}
	for _, m := range t.Members {
		v.Members = append(v.Members, ui.Person{Name: m.DisplayName(), KindLabel: m.Kind.Label(), Client: policy.ClientMarked(m.Kind), Deactivated: m.Status == people.Deactivated})
	}
	path := teamPath(id)
	rocks, _, err := teamwork.Rocks(ctx, st.db, st.actor, teamwork.RockQuery{TeamID: id}, p)
	if err != nil {
		return err
	}
	v.Rocks = editableRocks(rockRows(rocks, id), rocks, path, tf)
	now := time.Now()
	metrics, _, err := teamwork.Metrics(ctx, st.db, st.actor, teamwork.MetricQuery{TeamID: id, Now: now}, p)
	if err != nil {
		return err
	}
	v.Metrics = offerIssues(c, metricRows(metrics, id), id)
	v.Weeks = weekLabels(metrics)
	issues, _, err := teamwork.Issues(ctx, st.db, st.actor, teamwork.IssueQuery{TeamID: id, Status: teamwork.IssueOpen}, p)
	if err != nil {
		return err
	}
	v.Issues = teamIssueRows(issues, path, tf)
	todos, _, err := teamwork.Todos(ctx, st.db, st.actor, teamwork.TodoQuery{TeamID: id}, p)
	if err != nil {
		return err
	}
	v.Todos = todoRows(todos)
	rate, err := teamwork.CompletionRate(ctx, st.db, st.actor, id, 0, now)
	if err != nil {
		return err
	}
	v.Completion = completionText(rate)
	msgs, _, err := teamwork.Messages(ctx, st.db, st.actor, id, store.Page{Limit: 20})
	if err != nil {
		return err
	}
	for _, m := range msgs {
		html, err := s.md.HTML(m.Body)
		if err != nil {
			return err
		}
		row := ui.MessageRow{Title: m.Title, Author: ownerOf(m.Author), When: m.CreatedAt.Format("Jan 2, 2006"), HTML: html}
		if m.FromTeam != nil {
			row.From = "Cascaded from " + m.FromTeam.Name
		}
		v.Messages = append(v.Messages, row)
	}
	v.TodoForm = ui.TodoForm{Action: path + "/todos", Title: ui.Field{Name: "title", Prefix: "todo"}, DueOn: ui.Field{Name: "due_on", Prefix: "todo", Value: teamwork.Today(now.Add(teamwork.DefaultTodoDue))}}
	if tf.todo != nil {
		v.TodoForm = *tf.todo
	}
	v.MeetingForm = ui.MeetingForm{Action: path + "/meetings", Title: ui.Field{Name: "title", Prefix: "meeting"}, Agenda: ui.Field{Name: "agenda", Prefix: "meeting"}}
	if tf.meeting != nil {
		v.MeetingForm = *tf.meeting
	}
	if err := s.teamFormsView(c, &v, t, metrics, issues, tf, now); err != nil {
		return err
	}
	meetings, _, err := teamwork.Meetings(ctx, st.db, st.actor, id, store.Page{Limit: 10})
	if err != nil {
		return err
	}
	for _, m := range meetings {
		item := ui.MeetingListItem{Title: m.Title, Status: meetingStatus(m.Status), When: m.Created.Format("Jan 2, 2006"), URL: meetingPath(id, m.ID)}
		if m.Rating != nil {
			item.Rating = teamwork.FormatValue(*m.Rating)
		}
		v.Meetings = append(v.Meetings, item)
	}
	if isHTMX(c) && c.Method() == fiber.MethodPost {
		return render(c, status, teamSection(st.session.CSRFToken, v, tf.section))
	}
	f := s.frame(c, t.Name, policy.PageTeams)
	f.Crumbs = []ui.Crumb{{Label: policy.Label(st.actor, policy.PageTeams), Path: "/teams"}}
	return render(c, status, ui.TeamPage(f, v))
}

// completionText is a completion rate in words, for a team or a 1:1.
func completionText(c teamwork.Completion) string {
	if c.Percent == nil {
		return "nothing was due in the last 90 days"
	}
	return fmt.Sprintf("%d%% (%d of %d done on time, last 90 days)", *c.Percent, c.Done, c.Due)
}

func ownerOf(p *teamwork.Person) string {
	if p == nil {
		return people.UnnamedUser
	}
	return p.Name
}

// issuesInOrder puts the picked top three first, by rank, then the rest
// of the short-term list, then the long-term list.
func issuesInOrder(is []teamwork.IssueView) []teamwork.IssueView {
	var top, short, long []teamwork.IssueView
	for _, i := range is {
		switch {
		case i.TopRank != nil:
			top = append(top, i)
		case i.Term == teamwork.LongTerm:
			long = append(long, i)
		default:
			short = append(short, i)
		}
	}
	for a := 1; a < len(top); a++ {
		for b := a; b > 0 && *top[b].TopRank < *top[b-1].TopRank; b-- {
			top[b], top[b-1] = top[b-1], top[b]
		}
	}
	return append(append(top, short...), long...)
}

// teamTodoSubmit is POST /teams/ID/todos: a new to-do of the team; a
// refused one shows the page again with the errors next to the fields.
func (s *Server) teamTodoSubmit(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	title, due := c.FormValue("title"), c.FormValue("due_on")
	in := teamwork.TodoInput{TeamID: id, Title: &title}
	if strings.TrimSpace(due) != "" {
		in.DueOn = &due
	}
	_, err = teamwork.CreateTodo(c.UserContext(), state(c).db, s.tw(c), in)
	var ve valid.Errors
	if errors.As(err, &ve) {
		form := ui.TodoForm{Action: teamPath(id) + "/todos", Title: ui.Field{Name: "title", Prefix: "todo", Value: title, Error: ve["title"]},
			DueOn: ui.Field{Name: "due_on", Prefix: "todo", Value: due, Error: ve["due_on"]}, FormError: "The to-do was not added. Fix the fields marked below."}
		if ve["team_id"] != "" {
			return errNotFound
		}
		return s.renderTeamPage(c, 400, id, &form)
	}
	if err != nil {
		return err
	}
	return s.todosChanged(c, id)
}

// todosChanged answers a to-do form that succeeded: htmx gets the to-dos
// again, a plain form the page.
func (s *Server) todosChanged(c *fiber.Ctx, id int64) error {
	return s.sectionChanged(c, id, "todos", "")
}

// teamTodoDone is POST /teams/ID/todos/TODO/done.
func (s *Server) teamTodoDone(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	tid, err := paramIDOf(c, "todo")
	if err != nil {
		return err
	}
	done := true
	if _, err := teamwork.UpdateTodo(c.UserContext(), state(c).db, s.tw(c), tid, teamwork.TodoInput{Done: &done}); err != nil {
		return err
	}
	return s.todosChanged(c, id)
}

// companyRocksPage is /rocks: the company's own rocks of the quarter.
func (s *Server) companyRocksPage(c *fiber.Ctx) error {
	st := state(c)
	rocks, _, err := teamwork.Rocks(c.UserContext(), st.db, st.actor, teamwork.RockQuery{Company: true}, store.Page{Limit: teamWorkLimit})
	if err != nil {
		return err
	}
	label := policy.Label(st.actor, policy.PageCompanyRocks)
	return render(c, 200, ui.CompanyRocksPage(s.frame(c, label, policy.PageCompanyRocks), policy.Descriptions[policy.PageCompanyRocks], rockRows(rocks, 0)))
}
