package web

import (
	"context"
	"errors"
	"reflect"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/workboards"
)

// The API of workboards, cards and tasks (SPEC §12). Items leave as the
// workboards package's views, built for the caller; which items and what
// the caller may do are the policy's, applied in that package.

func (s *Server) wbBy(c *fiber.Ctx) workboards.By {
	return workboards.By{Actor: state(c).actor, Who: s.who(c)}
}

// memberRequest is the body of POST /api/v1/cards/ID/members and
// /api/v1/workboards/ID/members.
type memberRequest struct {
	UserID int64 `json:"user_id"`
}

func (s *Server) apiWorkboards(c *fiber.Ctx) error {
	vs, err := workboards.Workboards(c.UserContext(), state(c).db, state(c).actor)
	if err != nil {
		return err
	}
	return listJSON(c, vs, "")
}

func (s *Server) apiWorkboard(c *fiber.Ctx) error {
	return teamWorkOne(c, func(id int64) (*workboards.WorkboardView, error) {
		return workboards.GetWorkboard(c.UserContext(), state(c).db, state(c).actor, id)
	})
}

func (s *Server) apiCreateWorkboard(c *fiber.Ctx) error {
	return teamWorkCreate(c, func(in workboards.ItemInput) (*workboards.WorkboardView, error) {
		return workboards.CreateWorkboard(c.UserContext(), state(c).db, s.wbBy(c), in)
	})
}

func (s *Server) apiAddWorkboardMember(c *fiber.Ctx) error {
	return teamWorkPatch(c, func(id int64, in memberRequest) (*workboards.WorkboardView, error) {
		return workboards.AddBoardMember(c.UserContext(), state(c).db, s.wbBy(c), id, in.UserID)
	})
}

func (s *Server) apiCard(c *fiber.Ctx) error {
	return teamWorkOne(c, func(id int64) (*workboards.CardView, error) {
		return workboards.GetCard(c.UserContext(), state(c).db, state(c).actor, id)
	})
}

func (s *Server) apiCreateCard(c *fiber.Ctx) error {
	return teamWorkCreate(c, func(in workboards.ItemInput) (*workboards.CardView, error) {
		return workboards.CreateCard(c.UserContext(), state(c).db, s.wbBy(c), in)
	})
}

// apiAddCardMember is POST /api/v1/cards/ID/members {"user_id"}: adds a
// member under the card's security rules (SPEC §12).
func (s *Server) apiAddCardMember(c *fiber.Ctx) error {
	return teamWorkPatch(c, func(id int64, in memberRequest) (*workboards.CardView, error) {
		return workboards.AddCardMember(c.UserContext(), state(c).db, s.wbBy(c), id, in.UserID)
	})
}

func (s *Server) apiTasks(c *fiber.Ctx) error {
	ids, err := queryIDs(c, "workboard_id", "assignee_id")
	if err != nil {
		return err
	}
	vs, err := workboards.Tasks(c.UserContext(), state(c).db, state(c).actor, workboards.TaskQuery{WorkboardID: ids["workboard_id"], AssigneeID: ids["assignee_id"]})
	if err != nil {
		return err
	}
	return listJSON(c, vs, "")
}

// apiCreateTask is POST /api/v1/tasks {"title","workboard_id","card_id",
// "assignee_id","due_on"} (SPEC §12).
func (s *Server) apiCreateTask(c *fiber.Ctx) error {
	return teamWorkCreate(c, func(in workboards.TaskInput) (*workboards.TaskView, error) {
		return workboards.CreateTask(c.UserContext(), state(c).db, s.wbBy(c), in)
	})
}

func (s *Server) apiPatchTask(c *fiber.Ctx) error {
	return teamWorkPatch(c, func(id int64, in workboards.TaskInput) (*workboards.TaskView, error) {
		return workboards.UpdateTask(c.UserContext(), state(c).db, s.wbBy(c), id, in)
	})
}

// workboardRoutes registers the API of workboards, cards and tasks.
func (s *Server) workboardRoutes() {
	read, work := policy.ViewPage(policy.PageWorkboards), policy.WorkOnBoards
	s.route("GET", "/api/v1/workboards", read, s.apiWorkboards)
	s.route("POST", "/api/v1/workboards", policy.CreateWorkboards, s.apiCreateWorkboard)
	s.route("GET", "/api/v1/workboards/:id", read, s.apiWorkboard)
	s.route("POST", "/api/v1/workboards/:id/members", work, s.apiAddWorkboardMember)
	s.route("POST", "/api/v1/cards", policy.CreateWorkboards, s.apiCreateCard)
	s.route("GET", "/api/v1/cards/:id", read, s.apiCard)
	s.route("POST", "/api/v1/cards/:id/members", work, s.apiAddCardMember)
	s.route("GET", "/api/v1/tasks", read, s.apiTasks)
	s.route("POST", "/api/v1/tasks", work, s.apiCreateTask)
	s.route("PATCH", "/api/v1/tasks/:id", work, s.apiPatchTask)
}

func init() {
	typeNames[reflect.TypeFor[workboards.Person]()] = "WorkboardPerson"
	boardParam := apiParam{Name: "workboard_id", Doc: "Only the tasks of this workboard.", Schema: idSchema()}
	ops := map[string]apiOp{
		"GET /api/v1/workboards": {ID: "listWorkboards", Tag: "Workboards", Summary: "The workboards the caller may see (security levels applied), all in one page",
			Resp: listBody[workboards.WorkboardView]{}},
		"POST /api/v1/workboards": {ID: "createWorkboard", Tag: "Workboards", Summary: "Create a workboard (members); the creator is one of its members",
			Body: workboards.ItemInput{}, Status: 201, Resp: workboards.WorkboardView{}},
		"GET /api/v1/workboards/:id": {ID: "getWorkboard", Tag: "Workboards", Summary: "A workboard with the cards the caller may see; 404 outside the caller's scope",
			Resp: workboards.WorkboardView{}},
		"POST /api/v1/workboards/:id/members": {ID: "addWorkboardMember", Tag: "Workboards", Summary: "Add a member to a workboard, under its security rules",
			Doc: "Restricted: its members, guests included, add members and guests. Top secret: its members add members; a guest never. Open: members add anyone.", Body: memberRequest{}, Resp: workboards.WorkboardView{}},
		"POST /api/v1/cards": {ID: "createCard", Tag: "Workboards", Summary: "Create a card on a workboard (members who see it)",
			Body: workboards.ItemInput{}, Status: 201, Resp: workboards.CardView{}},
		"GET /api/v1/cards/:id": {ID: "getCard", Tag: "Workboards", Summary: "A card; 404 outside the caller's scope", Resp: workboards.CardView{}},
		"POST /api/v1/cards/:id/members": {ID: "addCardMember", Tag: "Workboards", Summary: "Add a member to a card, under its security rules",
			Body: memberRequest{}, Resp: workboards.CardView{}},
		"GET /api/v1/tasks": {ID: "listTasks", Tag: "Workboards", Summary: "The tasks the caller may see, by due date",
			Query: []apiParam{boardParam, {Name: "assignee_id", Doc: "Only this person's.", Schema: idSchema()}}, Resp: listBody[workboards.TaskView]{}},
		"POST /api/v1/tasks": {ID: "createTask", Tag: "Workboards", Summary: "Add a task to a workboard, or to one of its cards",
			Doc: "Members who see the workboard; guests who are its members. On a card: whoever may edit the card.", Body: workboards.TaskInput{}, Status: 201, Resp: workboards.TaskView{}},
		"PATCH /api/v1/tasks/:id": {ID: "updateTask", Tag: "Workboards", Summary: "Change a task: title, assignee, due date, status (to do, doing, done)",
			Body: workboards.TaskInput{}, Resp: workboards.TaskView{}},
	}
	for k, v := range ops {
		apiOps[k] = v
	}
}

// explainItem explains a workboard (card false) or a card.
func explainItem(card bool) objectCheck {
	return func(s *Server, ctx context.Context, x *accessCase, params map[string]string) (bool, error) {
		what := map[bool]string{true: "card", false: "workboard"}[card]
		id, ok := objectID(params, "id")
		if !ok {
			return noSuch(x, what)
		}
		item, board, err := workboards.FactsOf(ctx, x.st.db, card, id, x.actor.UserID)
		if errors.Is(err, workboards.ErrNotFound) {
			return noSuch(x, what)
		}
		if err != nil {
			return false, err
		}
		if card {
			return policy.ExplainCard(x.actor, item, board, x.why), nil
		}
		return policy.ExplainWorkboard(x.actor, item, x.why), nil
	}
}
