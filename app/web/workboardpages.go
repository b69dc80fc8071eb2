package web

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/app/workboards"
	"github.com/atrium-portal/atrium/ui"
)

// The workboards pages: the list, and a board with its cards and its
// tasks in columns by status, moved by buttons (keyboard and mouse alike).

func securityBadge(s policy.Security) (string, string) {
	return s.Label(), "badge-" + strings.ReplaceAll(string(s), "_", "-")
}

func boardPeople(ps []workboards.Person) []ui.Person {
	out := make([]ui.Person, 0, len(ps))
	for _, p := range ps {
		out = append(out, ui.Person{Name: p.Name, KindLabel: p.Kind.Label()})
	}
	return out
}

// workboardsPage is /workboards.
func (s *Server) workboardsPage(c *fiber.Ctx) error {
	st := state(c)
	bs, err := workboards.Workboards(c.UserContext(), st.db, st.actor)
	if err != nil {
		return err
	}
	items := make([]ui.WorkboardItem, 0, len(bs))
	for _, b := range bs {
		label, class := securityBadge(b.Security)
		items = append(items, ui.WorkboardItem{ID: b.ID, Name: b.Name, Description: b.Description, Security: label, SecurityClass: class, Members: boardPeople(b.Members)})
	}
	title := policy.Label(st.actor, policy.PageWorkboards)
	return render(c, 200, ui.WorkboardsPage(s.frame(c, title, policy.PageWorkboards), policy.Descriptions[policy.PageWorkboards], items))
}

var taskLabels = map[string]string{workboards.Todo: "To do", workboards.Doing: "Doing", workboards.Done: "Done"}

// boardView builds a board's page for the actor.
func (s *Server) boardView(c *fiber.Ctx, id int64) (*workboards.WorkboardView, ui.BoardView, error) {
	st := state(c)
	b, err := workboards.GetWorkboard(c.UserContext(), st.db, st.actor, id)
	if err != nil {
		return nil, ui.BoardView{}, err
	}
	label, class := securityBadge(b.Security)
	v := ui.BoardView{ID: b.ID, Name: b.Name, Description: b.Description, Security: label, SecurityClass: class, Members: boardPeople(b.Members),
		CanAddTask: b.CanAddTask, TaskTitle: ui.Field{Name: "title", Prefix: "task"}}
	cards := map[int64]string{}
	for _, cd := range b.Cards {
		l, cl := securityBadge(cd.Security)
		v.Cards = append(v.Cards, ui.BoardCard{ID: cd.ID, Title: cd.Title, Security: l, SecurityClass: cl, Members: boardPeople(cd.Members)})
		cards[cd.ID] = cd.Title
	}
	tasks, err := workboards.Tasks(c.UserContext(), st.db, st.actor, workboards.TaskQuery{WorkboardID: id})
	if err != nil {
		return nil, v, err
	}
	for i, status := range workboards.TaskStatuses {
		col := ui.TaskColumn{Status: status, Label: taskLabels[status]}
		for _, t := range tasks {
			if t.Status != status {
				continue
			}
			item := ui.TaskItem{ID: t.ID, Title: t.Title, Assignee: "Nobody yet"}
			if t.Assignee != nil {
				item.Assignee = t.Assignee.Name
			}
			if t.DueOn != nil {
				item.Due = dayLabel(*t.DueOn)
			}
			if t.CardID != nil {
				item.Card = cards[*t.CardID]
			}
			if i > 0 {
				item.Prev, item.PrevLabel = workboards.TaskStatuses[i-1], taskLabels[workboards.TaskStatuses[i-1]]
			}
			if i < len(workboards.TaskStatuses)-1 {
				item.Next, item.NextLabel = workboards.TaskStatuses[i+1], taskLabels[workboards.TaskStatuses[i+1]]
			}
			col.Tasks = append(col.Tasks, item)
		}
		v.Columns = append(v.Columns, col)
	}
	return b, v, nil
}

// workboardPage is /workboards/ID.
func (s *Server) workboardPage(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	return s.renderBoard(c, 200, id, "", nil)
}

func (s *Server) renderBoard(c *fiber.Ctx, status int, id int64, fail string, title *ui.Field) error {
	b, v, err := s.boardView(c, id)
	if err != nil {
		return err
	}
	v.Error = fail
	if title != nil {
		v.TaskTitle = *title
	}
	if isHTMX(c) && c.Method() == fiber.MethodPost {
		return render(c, status, ui.TaskBoard(state(c).session.CSRFToken, v))
	}
	f := s.frame(c, b.Name, policy.PageWorkboards)
	f.Crumbs = []ui.Crumb{{Label: policy.Label(state(c).actor, policy.PageWorkboards), Path: "/workboards"}}
	return render(c, status, ui.BoardPage(f, v))
}

func (s *Server) boardChanged(c *fiber.Ctx, id int64) error {
	if isHTMX(c) {
		return s.renderBoard(c, 200, id, "", nil)
	}
	return redirect(c, "/workboards/"+strconv.FormatInt(id, 10)+"#tasks")
}

// workboardTaskSubmit is POST /workboards/ID/tasks: a new task.
func (s *Server) workboardTaskSubmit(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	title := c.FormValue("title")
	_, err = workboards.CreateTask(c.UserContext(), state(c).db, s.wbBy(c), workboards.TaskInput{WorkboardID: id, Title: &title})
	var ve valid.Errors
	if errors.As(err, &ve) {
		return s.renderBoard(c, 400, id, "The task was not added. Fix the field marked below.",
			&ui.Field{Name: "title", Prefix: "task", Value: title, Error: ve["title"]})
	}
	if err != nil {
		return err
	}
	return s.boardChanged(c, id)
}

// workboardTaskMove is POST /workboards/ID/tasks/TASK: a task moves to
// another status.
func (s *Server) workboardTaskMove(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	tid, err := paramIDOf(c, "task")
	if err != nil {
		return err
	}
	status := c.FormValue("status")
	_, err = workboards.UpdateTask(c.UserContext(), state(c).db, s.wbBy(c), tid, workboards.TaskInput{Status: &status})
	var ve valid.Errors
	if errors.As(err, &ve) {
		return s.renderBoard(c, 400, id, ve["status"], nil)
	}
	if err != nil {
		return err
	}
	return s.boardChanged(c, id)
}

// cardPage is GET /cards/ID.
func (s *Server) cardPage(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	return s.renderCard(c, 200, id, nil, "")
}

func (s *Server) renderCard(c *fiber.Ctx, status int, id int64, summary *ui.Field, memberErr string) error {
	st := state(c)
	ctx := c.UserContext()
	cd, err := workboards.GetCard(ctx, st.db, st.actor, id)
	if err != nil {
		return err
	}
	b, err := workboards.GetWorkboard(ctx, st.db, st.actor, cd.WorkboardID)
	if err != nil {
		return err
	}
	label, class := securityBadge(cd.Security)
	path := "/cards/" + strconv.FormatInt(id, 10)
	v := ui.CardPageView{ID: id, Path: path, Board: b.Name, BoardURL: "/workboards/" + strconv.FormatInt(b.ID, 10), Title: cd.Title,
		Security: label, SecurityClass: class, CanEdit: cd.CanEdit, Members: boardPeople(cd.Members),
		Summary: ui.Field{Name: "summary", Prefix: "card", Value: cd.Summary}, MemberField: ui.Field{Name: "user_id", Prefix: "card", Error: memberErr}}
	if summary != nil {
		v.Summary = *summary
	} else if c.Method() == fiber.MethodPost {
		v.Saved = "Saved."
	}
	if v.SummaryHTML, err = s.md.HTML(cd.Summary); err != nil {
		return err
	}
	candidates, err := workboards.Candidates(ctx, st.db, st.actor, id)
	if err != nil {
		return err
	}
	v.CanAddMember = len(candidates) > 0
	v.Candidates = []ui.Option{{Value: "", Label: "Choose a person"}}
	for _, p := range candidates {
		v.Candidates = append(v.Candidates, ui.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name + " (" + p.Kind.Label() + ")"})
	}
	tasks, err := workboards.Tasks(ctx, st.db, st.actor, workboards.TaskQuery{WorkboardID: b.ID})
	if err != nil {
		return err
	}
	for _, t := range tasks {
		if t.CardID != nil && *t.CardID == id {
			item := ui.TaskItem{ID: t.ID, Title: t.Title, Assignee: "Nobody yet", Card: taskLabels[t.Status]}
			if t.Assignee != nil {
				item.Assignee = t.Assignee.Name
			}
			v.Tasks = append(v.Tasks, item)
		}
	}
	f := s.frame(c, cd.Title, policy.PageWorkboards)
	f.Crumbs = []ui.Crumb{{Label: policy.Label(st.actor, policy.PageWorkboards), Path: "/workboards"}, {Label: b.Name, Path: v.BoardURL}}
	return render(c, status, ui.CardPage(f, v))
}

// cardSummarySubmit is POST /cards/ID/summary.
func (s *Server) cardSummarySubmit(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	text := c.FormValue("summary")
	_, err = workboards.UpdateSummary(c.UserContext(), state(c).db, s.wbBy(c), id, text)
	var ve valid.Errors
	if errors.As(err, &ve) {
		return s.renderCard(c, 400, id, &ui.Field{Name: "summary", Prefix: "card", Value: text, Error: ve["summary"]}, "")
	}
	if err != nil {
		return err
	}
	return s.renderCard(c, 200, id, nil, "")
}

// cardMemberSubmit is POST /cards/ID/members.
func (s *Server) cardMemberSubmit(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	uid, _ := strconv.ParseInt(c.FormValue("user_id"), 10, 64)
	_, err = workboards.AddCardMember(c.UserContext(), state(c).db, s.wbBy(c), id, uid)
	var ve valid.Errors
	if errors.As(err, &ve) {
		return s.renderCard(c, 400, id, nil, ve["user_id"])
	}
	if err != nil {
		return err
	}
	return redirect(c, "/cards/"+strconv.FormatInt(id, 10))
}
