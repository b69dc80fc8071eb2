package web

import (
	"errors"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// --- JSON API -------------------------------------------------------------

// apiTeams is GET /api/v1/teams: one page of the teams the caller may see.
// It takes the list's parameters (SPEC §12) and those of the teams pages:
//
//   - kind: function, geography, vertical, horizontal or client;
//   - sort: name (the default), -name, -created (newest first) or created;
//   - limit and cursor; a cursor is good only for the sort that handed it out.
//
// An invalid value is 400 with a message for its field.
func (s *Server) apiTeams(c *fiber.Ctx) error {
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	teams, next, err := people.TeamsFor(c.UserContext(), state(c).db, state(c).actor, settingsOf(state(c).tenant), teamQuery(c), p)
	if err != nil {
		return err
	}
	return listJSON(c, teams, next)
}

// apiTeam is GET /api/v1/teams/ID.
func (s *Server) apiTeam(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	t, err := people.TeamFor(c.UserContext(), state(c).db, state(c).actor, settingsOf(state(c).tenant), id)
	if err != nil {
		return orgError(err)
	}
	return c.JSON(t)
}

// apiSaveTeam is POST /api/v1/teams (201 with the team) and PATCH /api/v1/teams/ID.
func (s *Server) apiSaveTeam(c *fiber.Ctx) error {
	id, err := optionalID(c)
	if err != nil {
		return err
	}
	var in people.TeamInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	v, err := people.SaveTeam(c.UserContext(), state(c).db, s.by(c), id, in)
	if err != nil {
		return orgError(err)
	}
	return savedJSON(c, id, v)
}

// apiDeleteTeam is DELETE /api/v1/teams/ID.
func (s *Server) apiDeleteTeam(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := people.DeleteTeam(c.UserContext(), state(c).db, s.by(c), id); err != nil {
		return orgError(err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// teamMemberInput is the body of POST /api/v1/teams/ID/members.
type teamMemberInput struct {
	UserID int64           `json:"user_id"`
	Role   people.TeamRole `json:"role"`
}

// apiAddTeamMember is POST /api/v1/teams/ID/members {"user_id","role"}.
func (s *Server) apiAddTeamMember(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	var in teamMemberInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	v, err := people.SetTeamMember(c.UserContext(), state(c).db, s.by(c), id, in.UserID, in.Role)
	if err != nil {
		return orgError(err)
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

// apiRemoveTeamMember is DELETE /api/v1/teams/ID/members/USER_ID.
func (s *Server) apiRemoveTeamMember(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	uid, err := paramIDOf(c, "user_id")
	if err != nil {
		return err
	}
	if err := people.RemoveTeamMember(c.UserContext(), state(c).db, s.by(c), id, uid); err != nil {
		return orgError(err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// --- pages ----------------------------------------------------------------

func (s *Server) teamCards(c *fiber.Ctx, teams []people.TeamView, editable bool) []ui.TeamCard {
	out := make([]ui.TeamCard, 0, len(teams))
	for _, t := range teams {
		card := ui.TeamCard{ID: t.ID, Name: t.Name, Kind: string(t.Kind), ClientVisible: t.ClientVisible}
		if t.Company != nil {
			card.Company = t.Company.Name
		}
		if editable {
			card.EditURL = "/settings/teams/" + strconv.FormatInt(t.ID, 10)
		}
		// Members come filtered (people.ViewFor): a status the viewer may
		// not see is blank, so the avatar carries no deactivated mark.
		for _, m := range t.Members {
			card.Members = append(card.Members, ui.TeamMemberRow{UserID: m.ID, Leader: m.Role == people.TeamLeader,
				Person: ui.Person{Name: m.DisplayName(), Email: m.Email, KindLabel: m.Kind.Label(), Client: policy.ClientMarked(m.Kind), Deactivated: m.Status == people.Deactivated}})
		}
		out = append(out, card)
	}
	return out
}

// teamQuery reads the teams list's filter and sort from the query: kind
// and sort (people.TeamSorts).
func teamQuery(c *fiber.Ctx) people.TeamQuery {
	return people.TeamQuery{Kind: people.TeamKind(c.Query("kind")), Sort: c.Query("sort")}
}

// teamKindLabel is a kind of team as people read it: "Function".
func teamKindLabel(k people.TeamKind) string {
	return strings.ToUpper(string(k)[:1]) + string(k)[1:]
}

// teams reads one page of the teams list at path with its count, for
// /teams and Settings → Teams alike; refused filters come back in the
// list, with status 400.
func (s *Server) teams(c *fiber.Ctx, path string, p store.Page, editable bool, empty ui.Empty) (ui.ListView, []ui.TeamCard, int, error) {
	st := state(c)
	tq := teamQuery(c)
	if c.Method() != fiber.MethodGet {
		tq = people.TeamQuery{}
	}
	kinds := []ui.Option{anyOption("All kinds")}
	for _, k := range people.TeamKinds {
		kinds = append(kinds, ui.Option{Value: string(k), Label: teamKindLabel(k)})
	}
	sort := tq.Sort
	if o, ok := people.TeamSorts.Find(sort); ok {
		sort = o.Name
	}
	l := ui.ListView{ID: "team-list", Path: path, Label: "Teams", Query: listQuery(c), One: "team", Many: "teams",
		Sort: sort, Sorts: sortOptions(people.TeamSorts),
		Filters: []ui.ListFilter{{Name: "kind", Label: "Kind", Value: string(tq.Kind), Options: kinds}},
		Columns: []ui.Column{{Label: "Team", Asc: "name", Desc: "-name"}, {Label: "Kind"}, {Label: "Company"}, {Label: "Members"}},
		Empty:   empty}
	status := 200
	teams, next, err := people.TeamsFor(c.UserContext(), st.db, st.actor, settingsOf(st.tenant), tq, p)
	if err == nil {
		l.Count, err = people.CountTeams(c.UserContext(), st.db, st.actor, tq)
	}
	errs, err := listErrors(err)
	if err != nil {
		return l, nil, 0, err
	}
	if errs != nil {
		status = 400
		applyErrors(&l, errs)
	}
	cards := s.teamCards(c, teams, editable)
	l.Rows, l.Next = len(cards), nextURL(c, path, next)
	return l, cards, status, nil
}

// teamsPage is /teams: members see every team, clients theirs, a page at a
// time, with a filter by kind and a sort; an htmx request from the filters
// gets the list only, "Load more" from htmx the next rows only.
func (s *Server) teamsPage(c *fiber.Ctx) error {
	st := state(c)
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	// Each team links to its own page here; Settings → Teams edits them.
	l, cards, status, err := s.teams(c, "/teams", p, false,
		ui.Empty{Title: "No teams yet", Text: "Teams hold meetings, rocks, a scorecard, issues, to-dos and messages. They appear here once created."})
	if err != nil {
		return err
	}
	body := ui.TeamRows(cards, l.Next)
	return listView(c, status, l, p, ui.ListRegion(l, body), body, func() (templ.Component, error) {
		return ui.TeamsPage(s.frame(c, policy.Label(st.actor, policy.PageTeams), policy.PageTeams),
			policy.Descriptions[policy.PageTeams], l, cards), nil
	})
}

func (s *Server) teamForm(c *fiber.Ctx, action, submit, name, kind, company string) (ui.TeamForm, error) {
	f := ui.TeamForm{Action: action, Submit: submit, Name: ui.Field{Name: "name", Value: name},
		Kind: ui.Field{Name: "kind", Value: kind}, Company: ui.Field{Name: "company_id", Value: company}}
	for _, k := range people.TeamKinds {
		f.Kinds = append(f.Kinds, ui.Option{Value: string(k), Label: teamKindLabel(k)})
	}
	cs, err := people.Companies(c.UserContext(), state(c).db, state(c).actor)
	if err != nil {
		return f, err
	}
	f.Companies = append(f.Companies, ui.Option{Value: "0", Label: "None"})
	for _, co := range cs {
		f.Companies = append(f.Companies, ui.Option{Value: strconv.FormatInt(co.ID, 10), Label: co.Name})
	}
	return f, nil
}

// renderSettingsTeams is Settings → Teams: a page of teams with the
// filters and sort of /teams, and the form of a new team; an htmx request
// gets fragment when one is given (a refused form), else the list or the
// next rows as listView decides.
func (s *Server) renderSettingsTeams(c *fiber.Ctx, status int, form ui.TeamForm, fragment templ.Component) error {
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	if c.Method() != fiber.MethodGet {
		p = store.Page{}
	}
	l, cards, listStatus, err := s.teams(c, "/settings/teams", p, true,
		ui.Empty{Title: "No teams yet", Text: "Add the first with the form below."})
	if err != nil {
		return err
	}
	status = max(status, listStatus)
	page := func() (templ.Component, error) {
		return ui.SettingsTeamsPage(s.settingsFrame(c, "Teams"), l, cards, form), nil
	}
	if fragment != nil {
		return viewErr(c, status, fragment, page)
	}
	body := ui.TeamRows(cards, l.Next)
	return listView(c, status, l, p, ui.ListRegion(l, body), body, page)
}

// settingsTeamsPage is GET /settings/teams.
func (s *Server) settingsTeamsPage(c *fiber.Ctx) error {
	form, err := s.teamForm(c, "/settings/teams", "Create team", "", string(people.TeamFunction), "0")
	if err != nil {
		return err
	}
	return s.renderSettingsTeams(c, 200, form, nil)
}

// teamFormSubmit is POST /settings/teams (new) and /settings/teams/ID (edit).
func (s *Server) teamFormSubmit(c *fiber.Ctx) error {
	var id int64
	action := "/settings/teams"
	if c.Params("id") != "" {
		var err error
		if id, err = paramID(c); err != nil {
			return err
		}
		action += "/" + strconv.FormatInt(id, 10)
	}
	name, kind, company := c.FormValue("name"), c.FormValue("kind"), c.FormValue("company_id")
	cid, cerr := strconv.ParseInt(company, 10, 64)
	k := people.TeamKind(kind)
	in := people.TeamInput{Name: &name, Kind: &k, CompanyID: &cid}
	var t *people.TeamView
	err := valid.Errors{"company_id": "Choose a company from the list."}.Err()
	if cerr == nil {
		t, err = people.SaveTeam(c.UserContext(), state(c).db, s.by(c), id, in)
	}
	if err == nil {
		return redirect(c, "/settings/teams/"+strconv.FormatInt(t.ID, 10))
	}
	var ve valid.Errors
	if !errors.As(err, &ve) {
		return orgError(err)
	}
	submit := "Create team"
	if id != 0 {
		submit = "Save team"
	}
	form, ferr := s.teamForm(c, action, submit, name, kind, company)
	if ferr != nil {
		return ferr
	}
	form.Name.Error, form.Kind.Error, form.Company.Error = ve["name"], ve["kind"], ve["company_id"]
	form.FormError = "Nothing was saved. Fix the fields marked below."
	fragment := ui.TeamFormView(form, state(c).session.CSRFToken)
	if id != 0 {
		return viewErr(c, 400, fragment, func() (templ.Component, error) { return s.teamEditView(c, id, &form, "") })
	}
	return s.renderSettingsTeams(c, 400, form, fragment)
}

func (s *Server) renderTeamEdit(c *fiber.Ctx, status int, id int64, form *ui.TeamForm, memberError string) error {
	page, err := s.teamEditView(c, id, form, memberError)
	if err != nil {
		return err
	}
	return render(c, status, page)
}

// teamEditView is the page of team id with its form (the team's own values
// when form is nil) and the members.
func (s *Server) teamEditView(c *fiber.Ctx, id int64, form *ui.TeamForm, memberError string) (templ.Component, error) {
	st := state(c)
	t, err := people.TeamFor(c.UserContext(), st.db, st.actor, settingsOf(st.tenant), id)
	if err != nil {
		return nil, orgError(err)
	}
	if form == nil {
		company := "0"
		if t.Company != nil {
			company = strconv.FormatInt(t.Company.ID, 10)
		}
		f, err := s.teamForm(c, "/settings/teams/"+strconv.FormatInt(id, 10), "Save team", t.Name, string(t.Kind), company)
		if err != nil {
			return nil, err
		}
		form = &f
	}
	users, err := people.TeamCandidates(c.UserContext(), st.db, st.actor)
	if err != nil {
		return nil, err
	}
	candidates := []ui.Option{{Value: "", Label: "Choose a person"}}
	for _, u := range users {
		candidates = append(candidates, ui.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.DisplayName() + " (" + u.Kind.Label() + ")"})
	}
	card := s.teamCards(c, []people.TeamView{*t}, true)[0]
	return ui.TeamEditPage(s.settingsFrame(c, t.Name, ui.Crumb{Label: "Teams", Path: "/settings/teams"}), card, *form, candidates, memberError), nil
}

// teamEditPage is GET /settings/teams/ID.
func (s *Server) teamEditPage(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	return s.renderTeamEdit(c, 200, id, nil, "")
}

// teamMemberAdd is POST /settings/teams/ID/members.
func (s *Server) teamMemberAdd(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	uid, _ := strconv.ParseInt(c.FormValue("user_id"), 10, 64)
	role := people.TeamMember
	if c.FormValue("role") == "leader" {
		role = people.TeamLeader
	}
	_, err = people.SetTeamMember(c.UserContext(), state(c).db, s.by(c), id, uid, role)
	var ve valid.Errors
	if errors.As(err, &ve) {
		return s.renderTeamEdit(c, 400, id, nil, ve["user_id"]+ve["role"])
	}
	if err != nil {
		return orgError(err)
	}
	return redirect(c, "/settings/teams/"+strconv.FormatInt(id, 10))
}

// teamMemberRemove is POST /settings/teams/ID/members/USER_ID/remove.
func (s *Server) teamMemberRemove(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	uid, err := paramIDOf(c, "user_id")
	if err != nil {
		return err
	}
	if err := people.RemoveTeamMember(c.UserContext(), state(c).db, s.by(c), id, uid); err != nil {
		return orgError(err)
	}
	return redirect(c, "/settings/teams/"+strconv.FormatInt(id, 10))
}

// teamDelete is POST /settings/teams/ID/delete.
func (s *Server) teamDelete(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := people.DeleteTeam(c.UserContext(), state(c).db, s.by(c), id); err != nil {
		return orgError(err)
	}
	return redirect(c, "/settings/teams")
}
