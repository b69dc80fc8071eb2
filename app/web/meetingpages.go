package web

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/mail"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/strategy"
	"github.com/atrium-portal/atrium/app/teamwork"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// Meetings of a team (SPEC §6): the L10 runner and custom meetings, with
// the server's clock and a recap emailed to each attendee that holds only
// what that attendee may see.

func meetingPath(teamID, id int64) string {
	return "/teams/" + strconv.FormatInt(teamID, 10) + "/meetings/" + strconv.FormatInt(id, 10)
}

// clockLeft writes seconds left as m:ss, "over by m:ss" when negative.
func clockLeft(sec int) (string, bool) {
	over := sec < 0
	if over {
		sec = -sec
	}
	s := fmt.Sprintf("%d:%02d", sec/60, sec%60)
	if over {
		return "over by " + s, true
	}
	return s + " left", false
}

func meetingStatus(s string) string {
	switch s {
	case teamwork.Scheduled:
		return "Scheduled"
	case teamwork.Running:
		return "Running"
	}
	return "Done"
}

func meetingClock(v *teamwork.MeetingView, path string) ui.MeetingClock {
	c := ui.MeetingClock{URL: path + "/clock"}
	if cur, ok := v.Current(); ok {
		c.Running, c.Section = true, cur.Title
		c.Left, c.Over = clockLeft(v.Remaining)
		return c
	}
	c.Left = "Not started"
	if v.Status == teamwork.Finished {
		c.Left = "Ended"
	}
	return c
}

// meetingOf loads the meeting of the route's :mid in team :id, 404 when it
// is not one of that team's or not the actor's to see.
func meetingOf(c *fiber.Ctx) (int64, *teamwork.MeetingView, error) {
	teamID, err := paramID(c)
	if err != nil {
		return 0, nil, err
	}
	id, err := paramIDOf(c, "mid")
	if err != nil {
		return 0, nil, err
	}
	st := state(c)
	v, err := teamwork.GetMeeting(c.UserContext(), st.db, st.actor, id, time.Now())
	if err != nil {
		return 0, nil, err
	}
	if v.Team.ID != teamID {
		return 0, nil, errNotFound
	}
	return teamID, v, nil
}

// meetingView builds the runner's view of v: the current section's data
// read through the actor's scope.
func (s *Server) meetingView(c *fiber.Ctx, teamID int64, v *teamwork.MeetingView) (ui.MeetingView, error) {
	st := state(c)
	ctx := c.UserContext()
	path := meetingPath(teamID, v.ID)
	out := ui.MeetingView{Team: v.Team.Name, TeamURL: "/teams/" + strconv.FormatInt(teamID, 10), Title: v.Title, Status: meetingStatus(v.Status),
		Path: path, Clock: meetingClock(v, path), CanRun: v.CanRun, Attending: v.Attending,
		TodoTitle: ui.Field{Name: "title", Prefix: "meeting-todo"}, IssueName: ui.Field{Name: "title", Prefix: "meeting-issue"},
		Notes: ui.Field{Name: "notes", Prefix: "meeting", Value: v.Notes}}
	cur, running := v.Current()
	if running {
		out.Current, out.CurrentTitle = cur.Key, cur.Title
		out.Last = v.Section == len(v.Sections)
	}
	for _, sec := range v.Sections {
		out.Sections = append(out.Sections, ui.MeetingSection{Title: sec.Title, Minutes: strconv.Itoa(sec.Minutes),
			Current: running && sec.Position == v.Section, Done: v.Status == teamwork.Finished || (running && sec.Position < v.Section)})
	}
	for _, a := range v.Attendees {
		out.Attendees = append(out.Attendees, ui.Person{Name: a.Name, Client: a.Client})
		if a.Rating != nil {
			out.Ratings = append(out.Ratings, ui.MeetingRating{Name: a.Name, Rating: strconv.Itoa(*a.Rating)})
			if a.ID == st.actor.UserID {
				out.MyRating = *a.Rating
			}
		}
	}
	if v.Rating != nil {
		out.Average = teamwork.FormatValue(*v.Rating)
	}
	p := store.Page{Limit: teamWorkLimit}
	switch out.Current {
	case "scorecard":
		ms, _, err := teamwork.Metrics(ctx, st.db, st.actor, teamwork.MetricQuery{TeamID: teamID}, p)
		if err != nil {
			return out, err
		}
		out.Metrics, out.Weeks = offerIssues(c, metricRows(ms, teamID), teamID), weekLabels(ms)
	case "rocks":
		rs, _, err := teamwork.Rocks(ctx, st.db, st.actor, teamwork.RockQuery{TeamID: teamID}, p)
		if err != nil {
			return out, err
		}
		out.Rocks = rockRows(rs, teamID)
	case "headlines":
		// The company's latest headlines, for those who may read them: a
		// client at the table reads none of the company's.
		hs, _, err := strategy.Headlines(ctx, st.db, st.actor, s.md, store.Page{Limit: 5})
		if err != nil && !errors.Is(err, strategy.ErrNotFound) {
			return out, err
		}
		for _, h := range hs {
			out.Headlines = append(out.Headlines, h.Title)
		}
	}
	if out.Current == "todos" || out.Current == "ids" || out.Current == "conclude" {
		ts, _, err := teamwork.Todos(ctx, st.db, st.actor, teamwork.TodoQuery{TeamID: teamID}, p)
		if err != nil {
			return out, err
		}
		out.Todos = todoRows(ts)
	}
	if out.Current == "ids" {
		is, _, err := teamwork.Issues(ctx, st.db, st.actor, teamwork.IssueQuery{TeamID: teamID, Status: teamwork.IssueOpen, Term: teamwork.ShortTerm}, p)
		if err != nil {
			return out, err
		}
		out.Issues = issueRows(is)
	}
	return out, nil
}

// weekLabels are the scorecard's column heads: "Nov 16".
func weekLabels(ms []teamwork.MetricView) []string {
	if len(ms) == 0 {
		return nil
	}
	out := make([]string, 0, len(ms[0].Weeks))
	for _, c := range slices.Backward(ms[0].Weeks) { // newest first, as metricRows

		w, _ := time.Parse(teamwork.DateLayout, c.Week)
		out = append(out, w.Format("Jan 2"))
	}
	return out
}

func todoRows(ts []teamwork.TodoView) []ui.TodoRow {
	out := make([]ui.TodoRow, 0, len(ts))
	for _, td := range ts {
		out = append(out, ui.TodoRow{ID: td.ID, Title: td.Title, DueOn: dayLabel(td.DueOn), Owner: person(td.Owner), Overdue: td.Overdue, Can: td.CanEdit})
	}
	return out
}

func issueRows(is []teamwork.IssueView) []ui.IssueRow {
	out := make([]ui.IssueRow, 0, len(is))
	for _, i := range issuesInOrder(is) {
		row := ui.IssueRow{ID: i.ID, Title: i.Title, Owner: person(i.Owner), Priority: strings.ToUpper(string(i.Priority[:1])) + string(i.Priority[1:]),
			PriorityClass: "badge-priority-" + string(i.Priority), Long: i.Term == teamwork.LongTerm}
		if i.TopRank != nil {
			row.Rank = strconv.Itoa(*i.TopRank)
		}
		out = append(out, row)
	}
	return out
}

// renderMeeting answers with the runner: the page, or to htmx its body.
func (s *Server) renderMeeting(c *fiber.Ctx, status int, teamID int64, v *teamwork.MeetingView, fail string, fields valid.Errors) error {
	mv, err := s.meetingView(c, teamID, v)
	if err != nil {
		return err
	}
	mv.Error = fail
	mv.TodoTitle.Error, mv.IssueName.Error = fields["todo"], fields["issue"]
	if isHTMX(c) {
		return render(c, status, ui.MeetingBody(state(c).session.CSRFToken, mv))
	}
	f := s.frame(c, v.Title, policy.PageTeams)
	f.Crumbs = []ui.Crumb{{Label: policy.Label(state(c).actor, policy.PageTeams), Path: "/teams"}, {Label: v.Team.Name, Path: mv.TeamURL}}
	return render(c, status, ui.MeetingPage(f, mv))
}

// meetingPage is GET /teams/ID/meetings/MID.
func (s *Server) meetingPage(c *fiber.Ctx) error {
	teamID, v, err := meetingOf(c)
	if err != nil {
		return err
	}
	return s.renderMeeting(c, 200, teamID, v, "", nil)
}

// meetingClockPage is GET /teams/ID/meetings/MID/clock: the timer alone,
// polled every second while the meeting runs.
func (s *Server) meetingClockPage(c *fiber.Ctx) error {
	teamID, v, err := meetingOf(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return render(c, 200, ui.MeetingClockView(meetingClock(v, meetingPath(teamID, v.ID))))
}

// meetingSubmit is POST /teams/ID/meetings/MID: start, next, rate or end.
func (s *Server) meetingSubmit(c *fiber.Ctx) error {
	teamID, v, err := meetingOf(c)
	if err != nil {
		return err
	}
	ch := teamwork.MeetingChange{Action: c.FormValue("action")}
	if ch.Action == teamwork.ActionNotes {
		notes := c.FormValue("notes")
		ch.Notes = &notes
	}
	if r := c.FormValue("rating"); r != "" {
		n, _ := strconv.Atoi(r)
		ch.Rating = &n
	}
	nv, err := teamwork.ChangeMeeting(c.UserContext(), state(c).db, s.tw(c), v.ID, ch, s.recapMailer(c))
	var ve valid.Errors
	if errors.As(err, &ve) {
		msg := ve["action"] + ve["rating"]
		if ve["notes"] != "" {
			msg = "The notes were not saved: " + ve["notes"]
		}
		return s.renderMeeting(c, 400, teamID, v, msg, nil)
	}
	if err != nil {
		return err
	}
	if ch.Action == teamwork.ActionEnd {
		s.wakeMail()
	}
	return s.meetingChanged(c, teamID, nv)
}

func (s *Server) meetingChanged(c *fiber.Ctx, teamID int64, v *teamwork.MeetingView) error {
	if isHTMX(c) {
		return s.renderMeeting(c, 200, teamID, v, "", nil)
	}
	return redirect(c, meetingPath(teamID, v.ID))
}

// meetingTodoSubmit is POST /teams/ID/meetings/MID/todos: a to-do made in
// the meeting lands in the team, due in seven days.
func (s *Server) meetingTodoSubmit(c *fiber.Ctx) error {
	return s.meetingAdd(c, "todo", func(teamID int64, title string) error {
		_, err := teamwork.CreateTodo(c.UserContext(), state(c).db, s.tw(c), teamwork.TodoInput{TeamID: teamID, Title: &title})
		return err
	})
}

// meetingIssueSubmit is POST /teams/ID/meetings/MID/issues.
func (s *Server) meetingIssueSubmit(c *fiber.Ctx) error {
	return s.meetingAdd(c, "issue", func(teamID int64, title string) error {
		_, err := teamwork.CreateIssue(c.UserContext(), state(c).db, s.tw(c), teamwork.IssueInput{TeamID: teamID, Title: &title})
		return err
	})
}

func (s *Server) meetingAdd(c *fiber.Ctx, what string, add func(teamID int64, title string) error) error {
	teamID, v, err := meetingOf(c)
	if err != nil {
		return err
	}
	err = add(teamID, c.FormValue("title"))
	var ve valid.Errors
	if errors.As(err, &ve) {
		return s.renderMeeting(c, 400, teamID, v, "Nothing was added. Fix the field marked below.", valid.Errors{what: ve["title"]})
	}
	if err != nil {
		return err
	}
	return s.meetingChanged(c, teamID, v)
}

// meetingCreate is POST /teams/ID/meetings: an L10, or a custom meeting
// with its agenda as lines "Section | minutes".
func (s *Server) meetingCreate(c *fiber.Ctx) error {
	teamID, err := paramID(c)
	if err != nil {
		return err
	}
	in := teamwork.MeetingInput{TeamID: teamID, Kind: teamwork.MeetingKind(c.FormValue("kind"))}
	title, agenda := c.FormValue("title"), c.FormValue("agenda")
	var agendaErr string
	if in.Kind == teamwork.Custom {
		in.Title = &title
		in.Sections, agendaErr = parseAgenda(agenda)
	}
	v, err := teamwork.CreateMeeting(c.UserContext(), state(c).db, s.tw(c), in)
	var ve valid.Errors
	if errors.As(err, &ve) || agendaErr != "" {
		if ve["team_id"] != "" {
			return errNotFound
		}
		form := ui.MeetingForm{Action: "/teams/" + strconv.FormatInt(teamID, 10) + "/meetings", FormError: "The meeting was not set up. Fix the fields marked below.",
			Title: ui.Field{Name: "title", Prefix: "meeting", Value: title, Error: ve["title"]}, Agenda: ui.Field{Name: "agenda", Prefix: "meeting", Value: agenda}}
		form.Agenda.Error = agendaErr
		for k, msg := range ve {
			if strings.HasPrefix(k, "sections") && form.Agenda.Error == "" {
				form.Agenda.Error = msg
			}
		}
		return s.renderTeamPageWith(c, 400, teamID, nil, &form)
	}
	if err != nil {
		return err
	}
	return redirect(c, meetingPath(teamID, v.ID))
}

// parseAgenda reads lines "Section | minutes" (minutes default to 10).
func parseAgenda(text string) ([]teamwork.SectionInput, string) {
	var out []teamwork.SectionInput
	for _, ln := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		ln = strings.TrimSpace(ln)
		if ln == "" {
			continue
		}
		title, mins, found := strings.Cut(ln, "|")
		sec := teamwork.SectionInput{Title: strings.TrimSpace(title), Minutes: 10}
		if found {
			n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(mins), "min")))
			if err != nil {
				return nil, fmt.Sprintf("Write the minutes of %q as a number.", sec.Title)
			}
			sec.Minutes = n
		}
		out = append(out, sec)
	}
	return out, ""
}

// recapMailer emails each attendee of a meeting that ended their recap,
// built through their own scope, in the transaction that ended it.
func (s *Server) recapMailer(c *fiber.Ctx) func(ctx context.Context, tx *store.Scoped, m *teamwork.Meeting) error {
	st := state(c)
	base := s.Links.Base(st.tenant)
	logo := ""
	if v, err := s.assetVersions(c); err == nil {
		logo = v[tenant.Logo]
	}
	return func(ctx context.Context, tx *store.Scoped, m *teamwork.Meeting) error {
		ids, err := teamwork.AttendeeIDs(ctx, tx, m.ID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			u, err := people.UserByID(ctx, tx, id)
			if errors.Is(err, people.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if u.Status != people.Active {
				continue
			}
			r, err := teamwork.RecapFor(ctx, tx, u.Actor(), m)
			if errors.Is(err, teamwork.ErrNotFound) {
				continue // no longer in the team
			}
			if err != nil {
				return err
			}
			msg, err := mail.Build(st.tenant, base, logo, mail.KindMeeting, u.Email, recapLetter(base, r))
			if err != nil {
				return err
			}
			if err := mail.Enqueue(ctx, tx, msg); err != nil {
				return fmt.Errorf("web: recap of meeting %d to user %d: %w", m.ID, id, err)
			}
		}
		return nil
	}
}

// recapLetter is one attendee's recap: the meeting, its new to-dos, the
// issues solved and sent on, the rocks and this week's scorecard.
func recapLetter(base string, r *teamwork.Recap) mail.Letter {
	v := r.Meeting
	title := mail.OneLine(v.Title)
	body := ui.EmailBody{Heading: "Recap: " + title, ButtonLabel: "Open the meeting",
		ButtonURL: base + meetingPath(v.Team.ID, v.ID),
		Footnote:  "You get this email because you attended this meeting. It holds only what you may see in the portal."}
	p := func(s string) { body.Paragraphs = append(body.Paragraphs, s) }
	when := ""
	if v.StartedAt != nil && v.EndedAt != nil {
		when = fmt.Sprintf(" on %s, for %d minutes", v.StartedAt.Format("Jan 2, 2006"), int(v.EndedAt.Sub(*v.StartedAt).Minutes()+0.5))
	}
	p(mail.OneLine(v.Team.Name) + " met" + when + ".")
	if v.Rating != nil {
		p("Average rating: " + teamwork.FormatValue(*v.Rating) + " out of 10.")
	}
	list := func(heading string, items []string) {
		if len(items) == 0 {
			return
		}
		p(heading)
		for _, it := range items {
			p("• " + it)
		}
	}
	var todos, solved, moved, rocks, metrics []string
	for _, t := range r.Todos {
		todos = append(todos, mail.OneLine(t.Title)+" — "+mail.OneLine(ownerOf(t.Owner))+", due "+dayLabel(t.DueOn))
	}
	for _, i := range r.Solved {
		solved = append(solved, mail.OneLine(i.Title))
	}
	for _, i := range r.Moved {
		moved = append(moved, mail.OneLine(i.Title)+" → "+mail.OneLine(i.Team.Name))
	}
	for _, rk := range r.Rocks {
		rocks = append(rocks, mail.OneLine(rk.Title)+" — "+rk.Status.Label())
	}
	for _, m := range r.Metrics {
		last := m.Weeks[len(m.Weeks)-1]
		value := "no value yet"
		if last.Value != nil {
			value = teamwork.FormatValue(*last.Value) + map[bool]string{true: " (on goal)", false: " (off goal)"}[last.Met]
		}
		metrics = append(metrics, mail.OneLine(m.Title)+": "+value+", goal "+m.GoalLabel())
	}
	list("New to-dos:", todos)
	list("Issues solved:", solved)
	list("Issues sent to other teams:", moved)
	list("Rocks:", rocks)
	list("Scorecard this week:", metrics)
	if v.Notes != "" {
		p("Notes: " + v.Notes)
	}
	return mail.Letter{Subject: "Recap: " + title + " — " + mail.OneLine(v.Team.Name), Body: body}
}
