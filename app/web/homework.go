package web

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/teamwork"
	"github.com/atrium-portal/atrium/ui"
)

// homeTodos is how many to-dos home shows; Upcoming shows them all.
const homeTodos = 5

func homeTodoRows(ts []teamwork.TodoView) []ui.HomeTodo {
	out := make([]ui.HomeTodo, 0, len(ts))
	for _, t := range ts {
		out = append(out, ui.HomeTodo{Title: t.Title, Team: t.Team.Name, TeamURL: "/teams/" + strconv.FormatInt(t.Team.ID, 10),
			Due: dayLabel(t.DueOn), Overdue: t.Overdue})
	}
	return out
}

// teamWorkHome fills the home of a member or a client with their work in
// teams: open to-dos, current rocks they own, their teams.
func (s *Server) teamWorkHome(c *fiber.Ctx, v *ui.HomeView) error {
	st := state(c)
	if !policy.MayJoinTeams(st.actor.Kind) || !s.sees(c, policy.PageTeams) {
		return nil
	}
	ctx := c.UserContext()
	w := &ui.HomeWork{}
	todos, next, err := teamwork.Todos(ctx, st.db, st.actor, teamwork.TodoQuery{OwnerID: st.actor.UserID}, store.Page{Limit: homeTodos})
	if err != nil {
		return err
	}
	w.Todos, w.MoreTodos = homeTodoRows(todos), next != ""
	rocks, _, err := teamwork.Rocks(ctx, st.db, st.actor, teamwork.RockQuery{OwnerID: st.actor.UserID}, store.Page{Limit: homeTodos})
	if err != nil {
		return err
	}
	for _, r := range rocks {
		url := "/rocks"
		if r.Team != nil {
			url = "/teams/" + strconv.FormatInt(r.Team.ID, 10) + "#rocks"
		}
		w.Rocks = append(w.Rocks, ui.HomeLink{Title: r.Title, URL: url, Meta: r.Status.Label() + " · due " + dayLabel(r.DueOn)})
	}
	for _, id := range st.actor.Teams {
		t, err := people.TeamFor(ctx, st.db, st.actor, settingsOf(st.tenant), id)
		if err != nil {
			continue // a team gone since the request began
		}
		meta := teamKindLabel(t.Kind)
		if t.Company != nil {
			meta += " · " + t.Company.Name
		}
		w.Teams = append(w.Teams, ui.HomeLink{Title: t.Name, URL: "/teams/" + strconv.FormatInt(id, 10), Meta: meta})
	}
	v.Work = w
	return nil
}

// upcomingPage is /upcoming: the user's open to-dos by due date, overdue
// first. (Tasks of workboards join them with the workboards.)
func (s *Server) upcomingPage(c *fiber.Ctx) error {
	st := state(c)
	var all []teamwork.TodoView
	if policy.MayJoinTeams(st.actor.Kind) {
		p := store.Page{Limit: store.MaxLimit}
		for {
			page, next, err := teamwork.Todos(c.UserContext(), st.db, st.actor, teamwork.TodoQuery{OwnerID: st.actor.UserID}, p)
			if err != nil {
				return err
			}
			all = append(all, page...)
			if next == "" || len(all) >= teamwork.MaxList {
				break
			}
			p.Cursor = next
		}
	}
	weekEnd := teamwork.Today(time.Now().AddDate(0, 0, 7))
	var overdue, week, later []teamwork.TodoView
	for _, t := range all {
		switch {
		case t.Overdue:
			overdue = append(overdue, t)
		case t.DueOn <= weekEnd:
			week = append(week, t)
		default:
			later = append(later, t)
		}
	}
	label := policy.Label(st.actor, policy.PageUpcoming)
	return render(c, 200, ui.UpcomingPage(s.frame(c, label, policy.PageUpcoming), policy.Descriptions[policy.PageUpcoming],
		homeTodoRows(overdue), homeTodoRows(week), homeTodoRows(later)))
}
