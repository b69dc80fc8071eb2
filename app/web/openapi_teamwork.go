package web

import (
	"reflect"

	"github.com/atrium-portal/atrium/app/teamwork"
)

// The OpenAPI operations of teams' work (apiteamwork.go).
func init() {
	typeNames[reflect.TypeFor[teamwork.Person]()] = "TeamPerson"
	typeNames[reflect.TypeFor[teamwork.Ref]()] = "TeamWorkRef"
	typeNames[reflect.TypeFor[teamwork.Section]()] = "MeetingSection"
	typeNames[reflect.TypeFor[teamwork.Cell]()] = "ScorecardWeek"
	teamParam := apiParam{Name: "team_id", Doc: "Only what shows in this team (living there or shared into it).", Schema: idSchema()}
	boolParam := func(name, doc string) apiParam {
		return apiParam{Name: name, Doc: doc, Schema: schema{"type": "boolean", "default": false}}
	}
	ops := map[string]apiOp{
		"GET /api/v1/rocks": {ID: "listRocks", Tag: "Rocks", Summary: "One page of the rocks the caller may see, by due date",
			Query: listParams(teamwork.RockSorts, teamParam, boolParam("company", "Only company rocks (members)."), boolParam("archived", "Archived rocks instead of the current ones.")),
			Resp:  listBody[teamwork.RockView]{}},
		"POST /api/v1/rocks": {ID: "createRock", Tag: "Rocks", Summary: "Add a rock to a team (team_id), or a company rock without one (strategy admins)",
			Doc:  "title and due_on are required. shared_team_ids shows the rock in other teams too: only a rock a member owns.",
			Body: teamwork.RockInput{}, Status: 201, Resp: teamwork.RockView{}},
		"GET /api/v1/rocks/:id": {ID: "getRock", Tag: "Rocks", Summary: "A rock with its milestones; 404 outside the caller's teams", Resp: teamwork.RockView{}},
		"PATCH /api/v1/rocks/:id": {ID: "updateRock", Tag: "Rocks", Summary: "Change a rock; milestones replaces them all",
			Doc: "A client changes only what is in their teams alone: a rock shared in from another team is 403.", Body: teamwork.RockInput{}, Resp: teamwork.RockView{}},
		"POST /api/v1/rocks/archive": {ID: "archiveRocks", Tag: "Rocks", Summary: "Archive a team's current rocks at the quarter's end (team_id absent: the company rocks)",
			Doc: "Archives the rocks that live in the team and that the caller may change; a rock shared in from another team is archived there.", Body: archiveRequest{}, Resp: archiveResponse{}},
		"DELETE /api/v1/rocks/:id": {ID: "deleteRock", Tag: "Rocks", Summary: "Delete a rock from every team it shows in", Status: 204},

		"GET /api/v1/metrics": {ID: "listMetrics", Tag: "Scorecard", Summary: "One page of the scorecard metrics the caller may see, with their last 13 weeks",
			Query: listParams(teamwork.MetricSorts, teamParam), Resp: listBody[teamwork.MetricView]{}},
		"POST /api/v1/metrics": {ID: "createMetric", Tag: "Scorecard", Summary: "Add a metric to a team",
			Doc:  "title and goal are required. A source other than manual takes the weekly values from company_id's tickets or Office 365 data.",
			Body: teamwork.MetricInput{}, Status: 201, Resp: teamwork.MetricView{}},
		"GET /api/v1/metrics/:id":    {ID: "getMetric", Tag: "Scorecard", Summary: "A metric with its last 13 weeks, judged against its goal", Resp: teamwork.MetricView{}},
		"PATCH /api/v1/metrics/:id":  {ID: "updateMetric", Tag: "Scorecard", Summary: "Change a metric", Body: teamwork.MetricInput{}, Resp: teamwork.MetricView{}},
		"DELETE /api/v1/metrics/:id": {ID: "deleteMetric", Tag: "Scorecard", Summary: "Delete a metric and its values, from every team", Status: 204},
		"POST /api/v1/metrics/:id/values": {ID: "setMetricValue", Tag: "Scorecard", Summary: "Enter a week's value (a null value clears it), once for every team the metric shows in",
			Doc: "week is any date of the week; it is stored as that week's Monday. A metric the portal computes refuses values.", Body: teamwork.ValueInput{}, Resp: teamwork.MetricView{}},

		"GET /api/v1/issues": {ID: "listIssues", Tag: "Issues", Summary: "One page of the issues the caller may see",
			Query: listParams(teamwork.IssueSorts, teamParam,
				apiParam{Name: "status", Doc: "open or solved.", Schema: enumSchema([]string{teamwork.IssueOpen, teamwork.IssueSolved})},
				apiParam{Name: "term", Doc: "The short- or long-term list.", Schema: enumSchema(teamwork.Terms)}),
			Resp: listBody[teamwork.IssueView]{}},
		"POST /api/v1/issues":    {ID: "createIssue", Tag: "Issues", Summary: "Add an issue to a team", Body: teamwork.IssueInput{}, Status: 201, Resp: teamwork.IssueView{}},
		"GET /api/v1/issues/:id": {ID: "getIssue", Tag: "Issues", Summary: "An issue", Resp: teamwork.IssueView{}},
		"PATCH /api/v1/issues/:id": {ID: "updateIssue", Tag: "Issues", Summary: "Change an issue; another team_id sends it there (members only, 403 for clients)",
			Doc: "top_rank 1–3 picks it for IDS (the issue that held the rank is unpicked); 0 unpicks it.", Body: teamwork.IssueInput{}, Resp: teamwork.IssueView{}},
		"DELETE /api/v1/issues/:id": {ID: "deleteIssue", Tag: "Issues", Summary: "Delete an issue", Status: 204},
		"POST /api/v1/issues/:id/solve": {ID: "solveIssue", Tag: "Issues", Summary: "Solve an issue, optionally into a to-do of its team (due in seven days unless due_on says)",
			Body: solveRequest{}, Resp: teamwork.IssueView{}},

		"GET /api/v1/todos": {ID: "listTodos", Tag: "To-dos", Summary: "One page of the to-dos the caller may see, by due date",
			Query: listParams(teamwork.TodoSorts, teamParam, apiParam{Name: "owner_id", Doc: "Only this person's.", Schema: idSchema()}, boolParam("done", "Done ones too.")),
			Resp:  listBody[teamwork.TodoView]{}},
		"POST /api/v1/todos":       {ID: "createTodo", Tag: "To-dos", Summary: "Add a to-do to a team, due in seven days unless due_on says", Body: teamwork.TodoInput{}, Status: 201, Resp: teamwork.TodoView{}},
		"GET /api/v1/todos/:id":    {ID: "getTodo", Tag: "To-dos", Summary: "A to-do", Resp: teamwork.TodoView{}},
		"PATCH /api/v1/todos/:id":  {ID: "updateTodo", Tag: "To-dos", Summary: "Change a to-do; done ticks it", Body: teamwork.TodoInput{}, Resp: teamwork.TodoView{}},
		"DELETE /api/v1/todos/:id": {ID: "deleteTodo", Tag: "To-dos", Summary: "Delete a to-do", Status: 204},

		"GET /api/v1/messages": {ID: "listMessages", Tag: "Messages", Summary: "One page of the team messages the caller may see, newest first",
			Query: listParams(teamwork.MessageSorts, teamParam), Resp: listBody[teamwork.MessageView]{}},
		"POST /api/v1/messages": {ID: "postMessage", Tag: "Messages", Summary: "Post a team message; cascade_team_ids posts a copy to other teams (members only, 403 for clients)",
			Body: teamwork.MessageInput{}, Status: 201, Resp: teamwork.MessageView{}},
		"GET /api/v1/messages/:id":    {ID: "getMessage", Tag: "Messages", Summary: "A team message", Resp: teamwork.MessageView{}},
		"DELETE /api/v1/messages/:id": {ID: "deleteMessage", Tag: "Messages", Summary: "Delete a message (its cascaded copies stay)", Status: 204},

		"GET /api/v1/meetings": {ID: "listMeetings", Tag: "Meetings", Summary: "One page of the meetings the caller may see, newest first",
			Query: listParams(teamwork.MeetingSorts, teamParam), Resp: listBody[teamwork.MeetingView]{}},
		"POST /api/v1/meetings": {ID: "createMeeting", Tag: "Meetings", Summary: "Set up a meeting: an L10 with its seven sections, or a custom one with its own agenda",
			Doc:  "attendee_ids default to the team's members. Clients set up and run meetings in their teams.",
			Body: teamwork.MeetingInput{}, Status: 201, Resp: teamwork.MeetingView{}},
		"GET /api/v1/meetings/:id": {ID: "getMeeting", Tag: "Meetings", Summary: "A meeting with its agenda, attendees, ratings and, while it runs, the seconds left in its section", Resp: teamwork.MeetingView{}},
		"PATCH /api/v1/meetings/:id": {ID: "runMeeting", Tag: "Meetings", Summary: "Run a meeting: start, next (section), notes, rate (an attendee, 1–10) or end",
			Doc: "Ending it emails each attendee a recap that holds only what that attendee may see.", Body: teamwork.MeetingChange{}, Resp: teamwork.MeetingView{}},
		"DELETE /api/v1/meetings/:id": {ID: "deleteMeeting", Tag: "Meetings", Summary: "Delete a meeting", Status: 204},

		"GET /api/v1/one_on_ones": {ID: "listOneOnOnes", Tag: "1:1s", Summary: "One page of the caller's 1:1s, as report or as manager",
			Query: listParams(teamwork.OneOnOneSorts), Resp: listBody[teamwork.OneOnOneView]{}},
		"POST /api/v1/one_on_ones": {ID: "startOneOnOne", Tag: "1:1s", Summary: "Start a 1:1 with the caller's manager or one of their reports (members only)",
			Body: oneOnOneRequest{}, Status: 201, Resp: teamwork.OneOnOneView{}},
		"GET /api/v1/one_on_ones/:id":    {ID: "getOneOnOne", Tag: "1:1s", Summary: "A 1:1; 404 for anyone but its two people", Resp: teamwork.OneOnOneView{}},
		"PATCH /api/v1/one_on_ones/:id":  {ID: "updateOneOnOne", Tag: "1:1s", Summary: "Write a 1:1's agenda and notes", Body: teamwork.OneOnOneInput{}, Resp: teamwork.OneOnOneView{}},
		"DELETE /api/v1/one_on_ones/:id": {ID: "deleteOneOnOne", Tag: "1:1s", Summary: "Delete a 1:1", Status: 204},
	}
	for k, v := range ops {
		apiOps[k] = v
	}
}
