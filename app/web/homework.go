package web

import (
	"sort"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/teamwork"
	"github.com/atrium-portal/atrium/app/workboards"
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

// upcomingPage is /upcoming: the user's open to-dos and workboard tasks by
// due date, overdue first.
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
	items := homeTodoRows(all)
	dues := make([]string, 0, len(all))
	for _, t := range all {
		dues = append(dues, t.DueOn)
	}
	// Tasks of workboards assigned to the user, open ones (guests manage
	// them here; they add none here).
	tasks, err := s.upcomingTasks(c)
	if err != nil {
		return err
	}
	for _, t := range tasks {
		items, dues = append(items, t.item), append(dues, t.due)
	}
	today, weekEnd := teamwork.Today(time.Now()), teamwork.Today(time.Now().AddDate(0, 0, 7))
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return dueKey(dues[order[i]]) < dueKey(dues[order[j]]) })
	var overdue, week, later []ui.HomeTodo
	for _, i := range order {
		it, due := items[i], dues[i]
		switch {
		case due != "" && due < today:
			it.Overdue = true
			overdue = append(overdue, it)
		case due != "" && due <= weekEnd:
			week = append(week, it)
		default:
			later = append(later, it)
		}
	}
	label := policy.Label(st.actor, policy.PageUpcoming)
	return render(c, 200, ui.UpcomingPage(s.frame(c, label, policy.PageUpcoming), policy.Descriptions[policy.PageUpcoming], overdue, week, later))
}

// dueKey sorts dates, those without one last.
func dueKey(due string) string {
	if due == "" {
		return "9999"
	}
	return due
}

type upcomingTask struct {
	item ui.HomeTodo
	due  string
}

// upcomingTasks are the open workboard tasks assigned to the user.
func (s *Server) upcomingTasks(c *fiber.Ctx) ([]upcomingTask, error) {
	st := state(c)
	if !s.sees(c, policy.PageWorkboards) {
		return nil, nil
	}
	boards, err := workboards.Workboards(c.UserContext(), st.db, st.actor)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, b := range boards {
		names[b.ID] = b.Name
	}
	tasks, err := workboards.Tasks(c.UserContext(), st.db, st.actor, workboards.TaskQuery{AssigneeID: st.actor.UserID})
	if err != nil {
		return nil, err
	}
	var out []upcomingTask
	for _, t := range tasks {
		if t.Status == workboards.Done {
			continue
		}
		u := upcomingTask{item: ui.HomeTodo{Title: t.Title, Team: names[t.WorkboardID], TeamURL: "/workboards/" + strconv.FormatInt(t.WorkboardID, 10)}}
		if t.DueOn != nil {
			u.due, u.item.Due = *t.DueOn, dayLabel(*t.DueOn)
		} else {
			u.item.Due = "no date"
		}
		out = append(out, u)
	}
	return out, nil
}
