package web

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/teamwork"
	"github.com/atrium-portal/atrium/app/valid"
)

// The API of teams' work (SPEC §12: rocks, metrics, issues, todos,
// messages). The objects leave as the teamwork package's views, built for
// the caller; which objects and what the caller may change are the
// policy's, applied in that package.

// tw is who performs a change of teams' work.
func (s *Server) tw(c *fiber.Ctx) teamwork.By {
	return teamwork.By{Actor: state(c).actor, Who: s.who(c)}
}

// queryIDs reads the optional positive IDs of the query parameters names.
func queryIDs(c *fiber.Ctx, names ...string) (map[string]int64, error) {
	out := map[string]int64{}
	errs := valid.Errors{}
	for _, name := range names {
		v := c.Query(name)
		if v == "" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			errs.Add(name, "Give the ID of one from the list.")
			continue
		}
		out[name] = n
	}
	return out, errs.Err()
}

// queryBool reads an optional true/false query parameter.
func queryBool(c *fiber.Ctx, name string) (bool, error) {
	switch c.Query(name) {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, valid.Errors{name: "Give true or false."}
}

// teamWorkList answers GET of a list: list reads one page with the
// request's page.
func teamWorkList[T any](c *fiber.Ctx, list func(store.Page) ([]T, string, error)) error {
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	items, next, err := list(p)
	if err != nil {
		return err
	}
	return listJSON(c, items, next)
}

// teamWorkOne answers GET, PATCH and DELETE of one object through fn.
func teamWorkOne[T any](c *fiber.Ctx, fn func(id int64) (*T, error)) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	v, err := fn(id)
	if err != nil {
		return err
	}
	if v == nil {
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.JSON(v)
}

// teamWorkCreate answers POST of a new object from a body of type In.
func teamWorkCreate[In, T any](c *fiber.Ctx, fn func(In) (*T, error)) error {
	var in In
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	v, err := fn(in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

// teamWorkPatch answers PATCH of object id from a body of type In.
func teamWorkPatch[In, T any](c *fiber.Ctx, fn func(id int64, in In) (*T, error)) error {
	var in In
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	return teamWorkOne(c, func(id int64) (*T, error) { return fn(id, in) })
}

// teamWorkDelete answers DELETE of object id.
func teamWorkDelete(c *fiber.Ctx, fn func(id int64) error) error {
	return teamWorkOne(c, func(id int64) (*struct{}, error) { return nil, fn(id) })
}

func (s *Server) apiRocks(c *fiber.Ctx) error {
	ids, err := queryIDs(c, "team_id")
	if err != nil {
		return err
	}
	company, err := queryBool(c, "company")
	if err != nil {
		return err
	}
	archived, err := queryBool(c, "archived")
	if err != nil {
		return err
	}
	st := state(c)
	return teamWorkList(c, func(p store.Page) ([]teamwork.RockView, string, error) {
		return teamwork.Rocks(c.UserContext(), st.db, st.actor, teamwork.RockQuery{TeamID: ids["team_id"], Company: company, Archived: archived}, p)
	})
}

func (s *Server) apiRock(c *fiber.Ctx) error {
	return teamWorkOne(c, func(id int64) (*teamwork.RockView, error) {
		return teamwork.GetRock(c.UserContext(), state(c).db, state(c).actor, id)
	})
}

func (s *Server) apiCreateRock(c *fiber.Ctx) error {
	return teamWorkCreate(c, func(in teamwork.RockInput) (*teamwork.RockView, error) {
		return teamwork.CreateRock(c.UserContext(), state(c).db, s.tw(c), in)
	})
}

func (s *Server) apiPatchRock(c *fiber.Ctx) error {
	return teamWorkPatch(c, func(id int64, in teamwork.RockInput) (*teamwork.RockView, error) {
		return teamwork.UpdateRock(c.UserContext(), state(c).db, s.tw(c), id, in)
	})
}

func (s *Server) apiDeleteRock(c *fiber.Ctx) error {
	return teamWorkDelete(c, func(id int64) error { return teamwork.DeleteRock(c.UserContext(), state(c).db, s.tw(c), id) })
}

func (s *Server) apiMetrics(c *fiber.Ctx) error {
	ids, err := queryIDs(c, "team_id")
	if err != nil {
		return err
	}
	st := state(c)
	return teamWorkList(c, func(p store.Page) ([]teamwork.MetricView, string, error) {
		return teamwork.Metrics(c.UserContext(), st.db, st.actor, teamwork.MetricQuery{TeamID: ids["team_id"]}, p)
	})
}

func (s *Server) apiMetric(c *fiber.Ctx) error {
	return teamWorkOne(c, func(id int64) (*teamwork.MetricView, error) {
		return teamwork.GetMetric(c.UserContext(), state(c).db, state(c).actor, id, time.Now())
	})
}

func (s *Server) apiCreateMetric(c *fiber.Ctx) error {
	return teamWorkCreate(c, func(in teamwork.MetricInput) (*teamwork.MetricView, error) {
		return teamwork.CreateMetric(c.UserContext(), state(c).db, s.tw(c), in)
	})
}

func (s *Server) apiPatchMetric(c *fiber.Ctx) error {
	return teamWorkPatch(c, func(id int64, in teamwork.MetricInput) (*teamwork.MetricView, error) {
		return teamwork.UpdateMetric(c.UserContext(), state(c).db, s.tw(c), id, in)
	})
}

func (s *Server) apiDeleteMetric(c *fiber.Ctx) error {
	return teamWorkDelete(c, func(id int64) error { return teamwork.DeleteMetric(c.UserContext(), state(c).db, s.tw(c), id) })
}

// apiMetricValue is POST /api/v1/metrics/ID/values {"week","value","note"}:
// enters (or with a null value clears) one week's value.
func (s *Server) apiMetricValue(c *fiber.Ctx) error {
	return teamWorkPatch(c, func(id int64, in teamwork.ValueInput) (*teamwork.MetricView, error) {
		return teamwork.SetValue(c.UserContext(), state(c).db, s.tw(c), id, in)
	})
}

func (s *Server) apiIssues(c *fiber.Ctx) error {
	ids, err := queryIDs(c, "team_id")
	if err != nil {
		return err
	}
	st := state(c)
	q := teamwork.IssueQuery{TeamID: ids["team_id"], Status: c.Query("status"), Term: teamwork.Term(c.Query("term"))}
	return teamWorkList(c, func(p store.Page) ([]teamwork.IssueView, string, error) {
		return teamwork.Issues(c.UserContext(), st.db, st.actor, q, p)
	})
}

func (s *Server) apiIssue(c *fiber.Ctx) error {
	return teamWorkOne(c, func(id int64) (*teamwork.IssueView, error) {
		return teamwork.GetIssue(c.UserContext(), state(c).db, state(c).actor, id)
	})
}

func (s *Server) apiCreateIssue(c *fiber.Ctx) error {
	return teamWorkCreate(c, func(in teamwork.IssueInput) (*teamwork.IssueView, error) {
		return teamwork.CreateIssue(c.UserContext(), state(c).db, s.tw(c), in)
	})
}

// apiPatchIssue is PATCH /api/v1/issues/ID; a team_id other than the
// issue's sends it there (members only: 403 for clients).
func (s *Server) apiPatchIssue(c *fiber.Ctx) error {
	return teamWorkPatch(c, func(id int64, in teamwork.IssueInput) (*teamwork.IssueView, error) {
		return teamwork.UpdateIssue(c.UserContext(), state(c).db, s.tw(c), id, in)
	})
}

func (s *Server) apiDeleteIssue(c *fiber.Ctx) error {
	return teamWorkDelete(c, func(id int64) error { return teamwork.DeleteIssue(c.UserContext(), state(c).db, s.tw(c), id) })
}

// solveRequest is the body of POST /api/v1/issues/ID/solve: the to-do that
// carries the solution, if any.
type solveRequest struct {
	Todo *teamwork.TodoInput `json:"todo"`
}

// apiSolveIssue is POST /api/v1/issues/ID/solve.
func (s *Server) apiSolveIssue(c *fiber.Ctx) error {
	return teamWorkPatch(c, func(id int64, in solveRequest) (*teamwork.IssueView, error) {
		return teamwork.SolveIssue(c.UserContext(), state(c).db, s.tw(c), id, in.Todo)
	})
}

func (s *Server) apiTodos(c *fiber.Ctx) error {
	ids, err := queryIDs(c, "team_id", "owner_id")
	if err != nil {
		return err
	}
	done, err := queryBool(c, "done")
	if err != nil {
		return err
	}
	st := state(c)
	return teamWorkList(c, func(p store.Page) ([]teamwork.TodoView, string, error) {
		return teamwork.Todos(c.UserContext(), st.db, st.actor, teamwork.TodoQuery{TeamID: ids["team_id"], OwnerID: ids["owner_id"], Done: done}, p)
	})
}

func (s *Server) apiTodo(c *fiber.Ctx) error {
	return teamWorkOne(c, func(id int64) (*teamwork.TodoView, error) {
		return teamwork.GetTodo(c.UserContext(), state(c).db, state(c).actor, id)
	})
}

func (s *Server) apiCreateTodo(c *fiber.Ctx) error {
	return teamWorkCreate(c, func(in teamwork.TodoInput) (*teamwork.TodoView, error) {
		return teamwork.CreateTodo(c.UserContext(), state(c).db, s.tw(c), in)
	})
}

func (s *Server) apiPatchTodo(c *fiber.Ctx) error {
	return teamWorkPatch(c, func(id int64, in teamwork.TodoInput) (*teamwork.TodoView, error) {
		return teamwork.UpdateTodo(c.UserContext(), state(c).db, s.tw(c), id, in)
	})
}

func (s *Server) apiDeleteTodo(c *fiber.Ctx) error {
	return teamWorkDelete(c, func(id int64) error { return teamwork.DeleteTodo(c.UserContext(), state(c).db, s.tw(c), id) })
}

func (s *Server) apiMessages(c *fiber.Ctx) error {
	ids, err := queryIDs(c, "team_id")
	if err != nil {
		return err
	}
	st := state(c)
	return teamWorkList(c, func(p store.Page) ([]teamwork.MessageView, string, error) {
		return teamwork.Messages(c.UserContext(), st.db, st.actor, ids["team_id"], p)
	})
}

func (s *Server) apiMessage(c *fiber.Ctx) error {
	return teamWorkOne(c, func(id int64) (*teamwork.MessageView, error) {
		return teamwork.GetMessage(c.UserContext(), state(c).db, state(c).actor, id)
	})
}

// apiPostMessage is POST /api/v1/messages {"team_id","title","body",
// "cascade_team_ids"}: cascading is for members (403 for clients).
func (s *Server) apiPostMessage(c *fiber.Ctx) error {
	return teamWorkCreate(c, func(in teamwork.MessageInput) (*teamwork.MessageView, error) {
		return teamwork.PostMessage(c.UserContext(), state(c).db, s.tw(c), in)
	})
}

func (s *Server) apiDeleteMessage(c *fiber.Ctx) error {
	return teamWorkDelete(c, func(id int64) error { return teamwork.DeleteMessage(c.UserContext(), state(c).db, s.tw(c), id) })
}

func (s *Server) apiMeetings(c *fiber.Ctx) error {
	ids, err := queryIDs(c, "team_id")
	if err != nil {
		return err
	}
	st := state(c)
	return teamWorkList(c, func(p store.Page) ([]teamwork.MeetingView, string, error) {
		return teamwork.Meetings(c.UserContext(), st.db, st.actor, ids["team_id"], p)
	})
}

func (s *Server) apiMeeting(c *fiber.Ctx) error {
	return teamWorkOne(c, func(id int64) (*teamwork.MeetingView, error) {
		return teamwork.GetMeeting(c.UserContext(), state(c).db, state(c).actor, id, time.Now())
	})
}

func (s *Server) apiCreateMeeting(c *fiber.Ctx) error {
	return teamWorkCreate(c, func(in teamwork.MeetingInput) (*teamwork.MeetingView, error) {
		return teamwork.CreateMeeting(c.UserContext(), state(c).db, s.tw(c), in)
	})
}

// apiChangeMeeting is PATCH /api/v1/meetings/ID {"action": start, next,
// notes, rate or end}; ending it emails each attendee their recap.
func (s *Server) apiChangeMeeting(c *fiber.Ctx) error {
	err := teamWorkPatch(c, func(id int64, in teamwork.MeetingChange) (*teamwork.MeetingView, error) {
		return teamwork.ChangeMeeting(c.UserContext(), state(c).db, s.tw(c), id, in, s.recapMailer(c))
	})
	s.wakeMail()
	return err
}

func (s *Server) apiDeleteMeeting(c *fiber.Ctx) error {
	return teamWorkDelete(c, func(id int64) error { return teamwork.DeleteMeeting(c.UserContext(), state(c).db, s.tw(c), id) })
}

func (s *Server) apiOneOnOnes(c *fiber.Ctx) error {
	st := state(c)
	return teamWorkList(c, func(p store.Page) ([]teamwork.OneOnOneView, string, error) {
		return teamwork.OneOnOnes(c.UserContext(), st.db, st.actor, p)
	})
}

func (s *Server) apiOneOnOne(c *fiber.Ctx) error {
	return teamWorkOne(c, func(id int64) (*teamwork.OneOnOneView, error) {
		return teamwork.GetOneOnOne(c.UserContext(), state(c).db, state(c).actor, id)
	})
}

// oneOnOneRequest is the body of POST /api/v1/one_on_ones.
type oneOnOneRequest struct {
	WithUserID int64 `json:"with_user_id"`
}

// apiStartOneOnOne is POST /api/v1/one_on_ones {"with_user_id"}: the
// caller's manager or one of their reports.
func (s *Server) apiStartOneOnOne(c *fiber.Ctx) error {
	return teamWorkCreate(c, func(in oneOnOneRequest) (*teamwork.OneOnOneView, error) {
		return teamwork.StartOneOnOne(c.UserContext(), state(c).db, s.tw(c), in.WithUserID)
	})
}

func (s *Server) apiPatchOneOnOne(c *fiber.Ctx) error {
	return teamWorkPatch(c, func(id int64, in teamwork.OneOnOneInput) (*teamwork.OneOnOneView, error) {
		return teamwork.UpdateOneOnOne(c.UserContext(), state(c).db, s.tw(c), id, in)
	})
}

func (s *Server) apiDeleteOneOnOne(c *fiber.Ctx) error {
	return teamWorkDelete(c, func(id int64) error { return teamwork.DeleteOneOnOne(c.UserContext(), state(c).db, s.tw(c), id) })
}

// archiveRequest is the body of POST /api/v1/rocks/archive: the team whose
// current rocks to archive (absent or 0: the company rocks).
type archiveRequest struct {
	TeamID int64 `json:"team_id"`
}

// archiveResponse says how many rocks were archived.
type archiveResponse struct {
	Archived int `json:"archived"`
}

// apiArchiveRocks is POST /api/v1/rocks/archive: at the quarter's end, a
// team's current rocks (those the caller may change) leave the lists.
func (s *Server) apiArchiveRocks(c *fiber.Ctx) error {
	var in archiveRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	n, err := teamwork.ArchiveRocks(c.UserContext(), state(c).db, s.tw(c), in.TeamID)
	if err != nil {
		return err
	}
	return c.JSON(archiveResponse{Archived: n})
}

// teamWorkRoutes registers the API of teams' work.
func (s *Server) teamWorkRoutes() {
	read, write := policy.ReadTeamWork, policy.WorkInTeams
	for _, r := range []struct {
		name                                string
		list, create, get, patch, deleteOne fiber.Handler
	}{
		{"rocks", s.apiRocks, s.apiCreateRock, s.apiRock, s.apiPatchRock, s.apiDeleteRock},
		{"metrics", s.apiMetrics, s.apiCreateMetric, s.apiMetric, s.apiPatchMetric, s.apiDeleteMetric},
		{"issues", s.apiIssues, s.apiCreateIssue, s.apiIssue, s.apiPatchIssue, s.apiDeleteIssue},
		{"todos", s.apiTodos, s.apiCreateTodo, s.apiTodo, s.apiPatchTodo, s.apiDeleteTodo},
		{"messages", s.apiMessages, s.apiPostMessage, s.apiMessage, nil, s.apiDeleteMessage},
	} {
		base := "/api/v1/" + r.name
		s.route("GET", base, read, r.list)
		s.route("POST", base, write, r.create)
		s.route("GET", base+"/:id", read, r.get)
		if r.patch != nil {
			s.route("PATCH", base+"/:id", write, r.patch)
		}
		s.route("DELETE", base+"/:id", write, r.deleteOne)
	}
	s.route("GET", "/api/v1/meetings", read, s.apiMeetings)
	s.route("POST", "/api/v1/meetings", write, s.apiCreateMeeting)
	s.route("GET", "/api/v1/meetings/:id", read, s.apiMeeting)
	s.route("PATCH", "/api/v1/meetings/:id", write, s.apiChangeMeeting)
	s.route("DELETE", "/api/v1/meetings/:id", write, s.apiDeleteMeeting)
	hold := policy.HoldOneOnOnes
	s.route("GET", "/api/v1/one_on_ones", hold, s.apiOneOnOnes)
	s.route("POST", "/api/v1/one_on_ones", hold, s.apiStartOneOnOne)
	s.route("GET", "/api/v1/one_on_ones/:id", hold, s.apiOneOnOne)
	s.route("PATCH", "/api/v1/one_on_ones/:id", hold, s.apiPatchOneOnOne)
	s.route("DELETE", "/api/v1/one_on_ones/:id", hold, s.apiDeleteOneOnOne)
	s.route("POST", "/api/v1/metrics/:id/values", write, s.apiMetricValue)
	s.route("POST", "/api/v1/rocks/archive", write, s.apiArchiveRocks)
	s.route("POST", "/api/v1/issues/:id/solve", write, s.apiSolveIssue)
}
