package web

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/teamwork"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// The forms of a team's page beyond the to-dos: add, pick, solve and send
// issues; post messages (cascaded by members); add rocks and set their
// status; enter a manual metric's number of a week. Each answers htmx with
// its section (400 with the errors next to the fields) and a plain form
// with a redirect. The domain decides what each reader may do; the page
// shows the controls the views' CanEdit and CanSend allow.

// The sections a team page's forms swap.
const (
	sectionRocks     = "rocks"
	sectionScorecard = "scorecard"
	sectionIssues    = "issues"
	sectionTodos     = "todos"
	sectionMessages  = "messages"
)

// scorecardWeeks is how many weeks back the number form offers.
const scorecardWeeks = 4

// teamForms are the forms of a team page as submitted when one was
// refused, and the section an htmx answer carries ("": the to-dos).
type teamForms struct {
	section string
	todo    *ui.TodoForm
	meeting *ui.MeetingForm
	issue   *ui.IssueForm
	message *ui.MessageForm
	rock    *ui.RockForm
	value   *ui.ValueForm
	// issueID's controls as submitted (with their errors).
	issueID      int64
	issueActions *ui.IssueActions
	// rockID's status select as submitted.
	rockID     int64
	rockStatus *ui.Field
}

func teamPath(id int64) string { return "/teams/" + strconv.FormatInt(id, 10) }

// teamSection is the section of a team page an htmx form gets back.
func teamSection(csrf string, v ui.TeamPageView, section string) templ.Component {
	switch section {
	case sectionRocks:
		return ui.RockSection(csrf, v)
	case sectionScorecard:
		return ui.ScorecardSection(csrf, v)
	case sectionIssues:
		// Solving an issue into a to-do changes the to-dos too.
		return ui.IssueSectionWithTodos(csrf, v)
	case sectionMessages:
		return ui.MessageSection(csrf, v)
	}
	return ui.TodoSection(csrf, v)
}

// sectionChanged answers a team page form that succeeded: htmx gets the
// section again (with a toast when there is one), a plain form the page.
func (s *Server) sectionChanged(c *fiber.Ctx, id int64, section, toast string) error {
	if isHTMX(c) {
		if toast != "" {
			c.Set("HX-Trigger", `{"toast":{"message":"`+toast+`","kind":"success"}}`)
		}
		return s.renderTeam(c, 200, id, teamForms{section: section})
	}
	return redirect(c, teamPath(id)+"#"+section)
}

// formField is field name of the form prefix, with its value as submitted
// and its error of errs.
func formField(c *fiber.Ctx, prefix, name string, errs valid.Errors) ui.Field {
	return ui.Field{Name: name, Prefix: prefix, Value: c.FormValue(name), Error: errs[name]}
}

// teamFormsView fills the forms and controls of v: the options of each
// form, the forms as submitted in tf, the teams to send and cascade to.
func (s *Server) teamFormsView(c *fiber.Ctx, v *ui.TeamPageView, t *people.TeamView, metrics []teamwork.MetricView, issues []teamwork.IssueView, tf teamForms, now time.Time) error {
	st := state(c)
	path := teamPath(t.ID)

	v.IssueForm = ui.IssueForm{Action: path + "/issues", Title: ui.Field{Name: "title", Prefix: "issue"},
		Priority: ui.Field{Name: "priority", Prefix: "issue", Value: string(teamwork.Medium)}, Term: ui.Field{Name: "term", Prefix: "issue", Value: string(teamwork.ShortTerm)}}
	if tf.issue != nil {
		v.IssueForm = *tf.issue
	}
	v.IssueForm.Priorities = []ui.Option{{Value: string(teamwork.High), Label: "High"}, {Value: string(teamwork.Medium), Label: "Medium"}, {Value: string(teamwork.Low), Label: "Low"}}
	v.IssueForm.Terms = []ui.Option{{Value: string(teamwork.ShortTerm), Label: "This quarter (short term)"}, {Value: string(teamwork.LongTerm), Label: "Later (long term)"}}

	v.MessageForm = ui.MessageForm{Action: path + "/messages", Title: ui.Field{Name: "title", Prefix: "message"},
		Body: ui.MarkdownField{Field: ui.Field{Name: "body", Prefix: "message"}, Label: "Message", Rows: 5, Max: teamwork.MaxText}}
	if tf.message != nil {
		v.MessageForm = *tf.message
	}

	// The teams an issue may go to and a message be copied to: the
	// others the reader sees, for a reader the policy lets send.
	canSend := slices.ContainsFunc(issues, func(i teamwork.IssueView) bool { return i.CanSend })
	canCascade := v.CanAdd && policy.Allows(st.actor, policy.Settings{}, policy.CascadeMessages)
	if canSend || canCascade {
		teams, _, err := people.TeamsFor(c.UserContext(), st.db, st.actor, settingsOf(st.tenant), people.TeamQuery{}, store.Page{Limit: store.MaxLimit})
		if err != nil {
			return err
		}
		chosen := v.MessageForm.Cascade
		v.MessageForm.Cascade = nil
		v.SendTo = []ui.Option{{Value: "", Label: "Choose a team"}}
		for _, o := range teams {
			if o.ID == t.ID || !policy.CanSeeTeam(st.actor, o.ID) {
				continue
			}
			id := strconv.FormatInt(o.ID, 10)
			v.SendTo = append(v.SendTo, ui.Option{Value: id, Label: o.Name})
			if canCascade {
				picked := slices.ContainsFunc(chosen, func(p ui.Option) bool { return p.Value == id })
				v.MessageForm.Cascade = append(v.MessageForm.Cascade, ui.Option{Value: id, Label: o.Name, Selected: picked})
			}
		}
	}

	v.RockForm = ui.RockForm{Action: path + "/rocks", Title: ui.Field{Name: "title", Prefix: "rock"}, DueOn: ui.Field{Name: "due_on", Prefix: "rock"},
		Owner: ui.Field{Name: "owner_id", Prefix: "rock", Value: strconv.FormatInt(st.actor.UserID, 10)}}
	if tf.rock != nil {
		v.RockForm = *tf.rock
	}
	v.RockForm.Owners = rockOwners(t, st.user)

	v.ValueForm = ui.ValueForm{Action: path + "/scorecard", Metric: ui.Field{Name: "metric_id", Prefix: "value"}, Week: ui.Field{Name: "week", Prefix: "value", Value: teamwork.WeekOf(now)},
		Value: ui.Field{Name: "value", Prefix: "value"}, Note: ui.Field{Name: "note", Prefix: "value"}}
	if tf.value != nil {
		v.ValueForm = *tf.value
	}
	for _, m := range metrics {
		if m.CanEdit && !m.Source.Fed() {
			v.ValueForm.Metrics = append(v.ValueForm.Metrics, ui.Option{Value: strconv.FormatInt(m.ID, 10), Label: m.Title})
		}
	}
	for k := range scorecardWeeks {
		week := teamwork.WeekOf(now.AddDate(0, 0, -7*k))
		w, _ := time.Parse(teamwork.DateLayout, week)
		label := "Week of " + w.Format("Jan 2")
		if k == 0 {
			label = "This week (" + w.Format("Jan 2") + ")"
		}
		v.ValueForm.Weeks = append(v.ValueForm.Weeks, ui.Option{Value: week, Label: label})
	}
	return nil
}

// rockOwners are who may own a rock of team t: its active members and
// clients, and the author (the default) when not one of them.
func rockOwners(t *people.TeamView, me *people.User) []ui.Option {
	var out []ui.Option
	mine := false
	for _, m := range t.Members {
		if m.Status == people.Deactivated || !policy.MayOwnTeamWork(m.Kind) {
			continue
		}
		mine = mine || (me != nil && m.ID == me.ID)
		out = append(out, ui.Option{Value: strconv.FormatInt(m.ID, 10), Label: m.DisplayName()})
	}
	if me != nil && !mine {
		out = append([]ui.Option{{Value: strconv.FormatInt(me.ID, 10), Label: me.DisplayName()}}, out...)
	}
	return out
}

// editableRocks gives the rows of rocks the reader may change their
// status select; tf's rock keeps its value as submitted.
func editableRocks(rows []ui.RockRow, rocks []teamwork.RockView, path string, tf teamForms) []ui.RockRow {
	for k, r := range rocks {
		rows[k].ID = r.ID
		if !r.CanEdit {
			continue
		}
		id := strconv.FormatInt(r.ID, 10)
		rows[k].StatusAction = path + "/rocks/" + id + "/status"
		rows[k].StatusField = ui.Field{Name: "status", Prefix: "rock-" + id, Value: string(r.Status)}
		if tf.rockStatus != nil && tf.rockID == r.ID {
			rows[k].StatusField = *tf.rockStatus
		}
	}
	return rows
}

// teamIssueRows are the open issues with the controls of those the reader
// may change; tf's issue keeps its controls as submitted.
func teamIssueRows(is []teamwork.IssueView, path string, tf teamForms) []ui.IssueRow {
	rows := issueRows(is)
	byID := map[int64]teamwork.IssueView{}
	for _, i := range is {
		byID[i.ID] = i
	}
	for k := range rows {
		i := byID[rows[k].ID]
		rows[k].CanSend = i.CanSend
		if !i.CanEdit {
			continue
		}
		id := strconv.FormatInt(i.ID, 10)
		prefix := "issue-" + id
		a := ui.IssueActions{Action: path + "/issues/" + id, Rank: ui.Field{Name: "top_rank", Prefix: prefix, Value: rows[k].Rank},
			Todo: ui.Field{Name: "todo_title", Prefix: prefix}, SendTo: ui.Field{Name: "team_id", Prefix: prefix}}
		if a.Rank.Value == "" {
			a.Rank.Value = "0"
		}
		if tf.issueActions != nil && tf.issueID == i.ID {
			sub := *tf.issueActions
			sub.Action = a.Action
			a = sub
		}
		rows[k].Actions = &a
	}
	return rows
}

// sectionAnswer answers a team page form: on success the section again
// (sectionChanged); on field errors the section with the form as refused
// returns it, 400; any other error as it is (403, 404).
func (s *Server) sectionAnswer(c *fiber.Ctx, id int64, section, toast string, err error, refused func(valid.Errors) teamForms) error {
	if err == nil {
		return s.sectionChanged(c, id, section, toast)
	}
	ve, err := formErrors(err)
	if err != nil {
		return err
	}
	tf := refused(ve)
	tf.section = section
	return s.renderTeam(c, 400, id, tf)
}

// teamIssueSubmit is POST /teams/ID/issues: a new issue of the team.
func (s *Server) teamIssueSubmit(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	title := c.FormValue("title")
	prio, term := teamwork.Priority(c.FormValue("priority")), teamwork.Term(c.FormValue("term"))
	_, err = teamwork.CreateIssue(c.UserContext(), state(c).db, s.tw(c), teamwork.IssueInput{TeamID: id, Title: &title, Priority: &prio, Term: &term})
	return s.sectionAnswer(c, id, sectionIssues, "Issue added.", err, func(ve valid.Errors) teamForms {
		return teamForms{issue: &ui.IssueForm{Action: teamPath(id) + "/issues", Title: formField(c, "issue", "title", ve), Priority: formField(c, "issue", "priority", ve),
			Term: formField(c, "issue", "term", ve), FormError: "The issue was not added. Fix the fields marked below."}}
	})
}

// issueAction runs change on the issue of the route and answers with the
// issues; field is the control that was submitted, its error under key.
func (s *Server) issueAction(c *fiber.Ctx, field, key, toast string, change func(issueID int64) error) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	iid, err := paramIDOf(c, "issue")
	if err != nil {
		return err
	}
	return s.sectionAnswer(c, id, sectionIssues, toast, change(iid), func(ve valid.Errors) teamForms {
		prefix := "issue-" + strconv.FormatInt(iid, 10)
		a := ui.IssueActions{Rank: ui.Field{Name: "top_rank", Prefix: prefix, Value: c.FormValue("top_rank", "0")},
			Todo: ui.Field{Name: "todo_title", Prefix: prefix, Value: c.FormValue("todo_title")}, SendTo: ui.Field{Name: "team_id", Prefix: prefix, Value: c.FormValue("team_id")}}
		msg := ve[key]
		for k, m := range ve {
			if msg == "" && k != key {
				msg = m
			}
		}
		switch field {
		case "top_rank":
			a.Rank.Error = msg
		case "todo_title":
			a.Todo.Error = msg
		default:
			a.SendTo.Error = msg
		}
		return teamForms{issueID: iid, issueActions: &a}
	})
}

// teamIssueRank is POST /teams/ID/issues/ISSUE/rank: pick it as the
// team's top 1, 2 or 3, or unpick it (0).
func (s *Server) teamIssueRank(c *fiber.Ctx) error {
	return s.issueAction(c, "top_rank", "top_rank", "", func(iid int64) error {
		rank, err := strconv.Atoi(c.FormValue("top_rank"))
		if err != nil {
			return valid.Errors{"top_rank": "Pick 1, 2 or 3, or Not picked."}
		}
		_, err = teamwork.UpdateIssue(c.UserContext(), state(c).db, s.tw(c), iid, teamwork.IssueInput{TopRank: &rank})
		return err
	})
}

// teamIssueSolve is POST /teams/ID/issues/ISSUE/solve: solved, and with a
// to-do title, a to-do of the team (due in seven days) that carries it.
func (s *Server) teamIssueSolve(c *fiber.Ctx) error {
	return s.issueAction(c, "todo_title", "title", "Issue solved.", func(iid int64) error {
		var todo *teamwork.TodoInput
		if title := c.FormValue("todo_title"); strings.TrimSpace(title) != "" {
			todo = &teamwork.TodoInput{Title: &title}
		}
		_, err := teamwork.SolveIssue(c.UserContext(), state(c).db, s.tw(c), iid, todo)
		return err
	})
}

// teamIssueSend is POST /teams/ID/issues/ISSUE/send: the issue goes to
// another team (members only: the route's rule and the domain refuse
// anyone else).
func (s *Server) teamIssueSend(c *fiber.Ctx) error {
	return s.issueAction(c, "team_id", "team_id", "Issue sent to the other team.", func(iid int64) error {
		to, err := strconv.ParseInt(c.FormValue("team_id"), 10, 64)
		if err != nil || to <= 0 {
			return valid.Errors{"team_id": "Choose a team from the list."}
		}
		_, err = teamwork.UpdateIssue(c.UserContext(), state(c).db, s.tw(c), iid, teamwork.IssueInput{TeamID: to})
		return err
	})
}

// teamMessageSubmit is POST /teams/ID/messages: a message to the team,
// and copies to the teams ticked (PostMessage refuses a cascade to anyone
// but members).
func (s *Server) teamMessageSubmit(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	title, body := c.FormValue("title"), c.FormValue("body")
	in := teamwork.MessageInput{TeamID: id, Title: &title, Body: &body}
	var picked []ui.Option
	bad := false
	for _, raw := range formValues(c, "cascade_team_ids") {
		t, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || t <= 0 {
			bad = true
			continue
		}
		in.CascadeTeamIDs = append(in.CascadeTeamIDs, t)
		picked = append(picked, ui.Option{Value: raw})
	}
	if bad {
		err = valid.Errors{"cascade_team_ids": "Choose teams from the list."}
	} else {
		_, err = teamwork.PostMessage(c.UserContext(), state(c).db, s.tw(c), in)
	}
	return s.sectionAnswer(c, id, sectionMessages, "Message posted.", err, func(ve valid.Errors) teamForms {
		return teamForms{message: &ui.MessageForm{Action: teamPath(id) + "/messages", Title: formField(c, "message", "title", ve),
			Body:    ui.MarkdownField{Field: formField(c, "message", "body", ve), Label: "Message", Rows: 5, Max: teamwork.MaxText},
			Cascade: picked, CascadeError: ve["cascade_team_ids"], FormError: "The message was not posted. Fix the fields marked below."}}
	})
}

// teamRockSubmit is POST /teams/ID/rocks: a new rock of the team, owned
// by the author unless they choose someone else.
func (s *Server) teamRockSubmit(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	title, due := c.FormValue("title"), c.FormValue("due_on")
	in := teamwork.RockInput{TeamID: id, Title: &title, DueOn: &due}
	if owner, err := strconv.ParseInt(c.FormValue("owner_id"), 10, 64); err == nil && owner > 0 {
		in.OwnerID = &owner
	}
	_, err = teamwork.CreateRock(c.UserContext(), state(c).db, s.tw(c), in)
	return s.sectionAnswer(c, id, sectionRocks, "Rock added.", err, func(ve valid.Errors) teamForms {
		return teamForms{rock: &ui.RockForm{Action: teamPath(id) + "/rocks", Title: formField(c, "rock", "title", ve), DueOn: formField(c, "rock", "due_on", ve),
			Owner: formField(c, "rock", "owner_id", ve), FormError: "The rock was not added. Fix the fields marked below."}}
	})
}

// teamRockStatus is POST /teams/ID/rocks/ROCK/status: on track, off
// track or done.
func (s *Server) teamRockStatus(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	rid, err := paramIDOf(c, "rock")
	if err != nil {
		return err
	}
	status := teamwork.Status(c.FormValue("status"))
	_, err = teamwork.UpdateRock(c.UserContext(), state(c).db, s.tw(c), rid, teamwork.RockInput{Status: &status})
	return s.sectionAnswer(c, id, sectionRocks, "Status saved.", err, func(ve valid.Errors) teamForms {
		f := formField(c, "rock-"+strconv.FormatInt(rid, 10), "status", ve)
		return teamForms{rockID: rid, rockStatus: &f}
	})
}

// parseNumber reads a number as people type it: "92.5", "92,5", "92 %".
func parseNumber(raw string) (float64, bool) {
	s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(raw), "%"))
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// teamValueSubmit is POST /teams/ID/scorecard: a manual metric's number
// of a week, with a note (SetValue refuses the metrics the portal fills).
func (s *Server) teamValueSubmit(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	note, week := c.FormValue("note"), c.FormValue("week", teamwork.WeekOf(time.Now()))
	mid, idErr := strconv.ParseInt(c.FormValue("metric_id"), 10, 64)
	value, ok := parseNumber(c.FormValue("value"))
	switch {
	case idErr != nil || mid <= 0:
		err = valid.Errors{"metric_id": "Choose a metric from the list."}
	case !ok:
		err = valid.Errors{"value": "Give a number, like 4 or 92.5."}
	default:
		_, err = teamwork.SetValue(c.UserContext(), state(c).db, s.tw(c), mid, teamwork.ValueInput{Week: week, Value: &value, Note: &note})
	}
	return s.sectionAnswer(c, id, sectionScorecard, "Number saved.", err, func(ve valid.Errors) teamForms {
		return teamForms{value: &ui.ValueForm{Action: teamPath(id) + "/scorecard", Metric: formField(c, "value", "metric_id", ve), Week: formField(c, "value", "week", ve),
			Value: formField(c, "value", "value", ve), Note: formField(c, "value", "note", ve), FormError: "The number was not saved. Fix the fields marked below."}}
	})
}
