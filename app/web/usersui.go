package web

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/invitations"
	"github.com/atrium-portal/atrium/app/mail"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/useradmin"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

func (s *Server) usersFrame(c *fiber.Ctx, title string) ui.Frame {
	f := s.frame(c, title, policy.PageSettings)
	f.Crumbs = []ui.Crumb{{Label: "Settings", Path: "/settings"}}
	if title != "Users" {
		f.Crumbs = append(f.Crumbs, ui.Crumb{Label: "Users", Path: "/settings/users"})
	}
	f.NoHistory = true
	return f
}

// personOf is a user's avatar and name as the viewer may see them: built
// from the filtered view, so a status the viewer may not see leaves no
// deactivated mark and a withheld address is never the fallback name.
func personOf(v people.View) ui.Person {
	return ui.Person{Name: v.DisplayName(), Email: v.Email, KindLabel: v.Kind.Label(),
		Client: policy.ClientMarked(v.Kind), Deactivated: v.Status == people.Deactivated}
}

func (s *Server) invitationRows(c *fiber.Ctx) ([]ui.InvitationRow, error) {
	sort := ""
	if c.Method() == fiber.MethodGet {
		sort = c.Query(invitationSortParam)
	}
	if _, known := invitations.Sorts.Find(sort); !known {
		sort = "" // the list shows its default order; invitationList says why
	}
	list, err := invitations.ListSorted(c.UserContext(), state(c).db, policy.InvitationsScope(state(c).actor), sort)
	if err != nil {
		return nil, err
	}
	rows := make([]ui.InvitationRow, 0, len(list))
	for _, inv := range list {
		d := mail.StateLabel(inv.Delivery, inv.DeliveredBy)
		if d == "" {
			d = "—"
		}
		rows = append(rows, ui.InvitationRow{ID: inv.ID, Email: inv.Email, KindLabel: inv.Kind.Label(), Status: inv.Status,
			Delivery: d, Error: inv.Error, ExpiresAt: inv.ExpiresAt})
	}
	return rows, nil
}

// invitationSortParam is the sort of the invitations on Settings → Users,
// apart from the users' own sort on the same page.
const invitationSortParam = "invitation_sort"

// invitationList is the pending invitations on Settings → Users, every one
// of them, in the order asked (newest first by default); the Email and Link
// column heads sort them (a link expires a fixed time after it is sent, so
// the newest invitation has the longest-lived link).
func invitationList(c *fiber.Ctx, rows []ui.InvitationRow) ui.ListView {
	sort := ""
	if c.Method() == fiber.MethodGet {
		sort = c.Query(invitationSortParam)
	}
	l := ui.ListView{ID: "invitation-rows", Path: "/settings/users", Label: "Pending invitations", Query: listQuery(c),
		Count: len(rows), Rows: len(rows), One: "pending invitation", Many: "pending invitations",
		Sort: sort, Sorts: sortOptions(invitations.Sorts), SortParam: invitationSortParam,
		Columns: []ui.Column{{Label: "Email", Asc: "email"}, {Label: "Kind"}, {Label: "Email delivery"}, {Label: "Link", Asc: "created", Desc: "-created"}, {Label: "Actions", HideLabel: true}},
		Empty:   ui.Empty{Title: "No pending invitations", Text: "People you invite appear here until they accept."}}
	if _, known := invitations.Sorts.Find(sort); !known {
		l.Sort, l.SortError = "", "Sort by one of: "+invitations.Sorts.Names()+"."
	}
	if l.Sort == "" {
		l.Sort = invitations.Sorts[0].Name
	}
	return l
}

// userQuery reads the users list's search, filters and sort from the
// query: q, kind, status and sort (people.UserSorts).
func userQuery(c *fiber.Ctx) people.UserQuery {
	return people.UserQuery{Q: c.Query("q"), Kind: policy.Kind(c.Query("kind")), Status: people.Status(c.Query("status")), Sort: c.Query("sort")}
}

// usersList is Settings → Users' list before its rows: the filters the
// viewer may use, the sort, the columns.
func (s *Server) usersList(c *fiber.Ctx, uq people.UserQuery) ui.ListView {
	st := state(c)
	kinds := []ui.Option{anyOption("All kinds")}
	for _, k := range policy.Kinds {
		kinds = append(kinds, ui.Option{Value: string(k), Label: k.Label()})
	}
	filters := []ui.ListFilter{
		{Name: "q", Label: "Search", Type: "search", Value: uq.Q, Placeholder: "Name or email", MaxLength: people.MaxSearch},
		{Name: "kind", Label: "Kind", Value: string(uq.Kind), Options: kinds},
	}
	if policy.SeesContactDetails(st.actor, settingsOf(st.tenant), true) {
		filters = append(filters, ui.ListFilter{Name: "status", Label: "Status", Value: string(uq.Status), Options: []ui.Option{
			anyOption("All statuses"), {Value: string(people.Active), Label: "Active"},
			{Value: string(people.Invited), Label: "Invited"}, {Value: string(people.Deactivated), Label: "Deactivated"}}})
	}
	sort := uq.Sort
	if o, ok := people.UserSorts.Find(sort); ok {
		sort = o.Name
	}
	return ui.ListView{ID: "user-rows", Path: "/settings/users", Label: "People", Query: listQuery(c), One: "person", Many: "people",
		Sort: sort, Sorts: sortOptions(people.UserSorts), Filters: filters,
		Columns: []ui.Column{{Label: "Name", Asc: "name", Desc: "-name"}, {Label: "Kind"}, {Label: "Capabilities"}, {Label: "Status"}, {Label: "Actions", HideLabel: true}},
		Empty:   ui.Empty{Title: "No people yet", Text: "Invite the first with Invite people."}}
}

// usersPage is GET /settings/users, a page at a time, with its search,
// filters (kind, status) and sort; an htmx request from the filters gets
// the list only, and "Load more" from htmx the next rows only.
func (s *Server) usersPage(c *fiber.Ctx) error {
	st := state(c)
	set := settingsOf(st.tenant)
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	uq := userQuery(c)
	l := s.usersList(c, uq)
	status := 200
	list, next, err := people.List(c.UserContext(), st.db, st.actor, set, uq, p)
	if err == nil {
		l.Count, err = people.CountUsers(c.UserContext(), st.db, st.actor, set, uq)
	}
	errs, err := listErrors(err)
	if err != nil {
		return err
	}
	if errs != nil {
		status = 400
		applyErrors(&l, errs)
	}
	rows := make([]ui.UserRow, 0, len(list))
	for i := range list {
		v := people.ViewFor(st.actor, set, list[i])
		u := &v.User
		var caps []string
		for _, cp := range u.CapabilityList() {
			caps = append(caps, cp.Label())
		}
		row := ui.UserRow{ID: u.ID, Person: personOf(v), Caps: caps, TestUser: u.TestUser, Status: string(u.Status),
			CanManage: policy.CanManageUser(st.actor, set, policy.Target{UserID: u.ID, Kind: u.Kind, Capabilities: u.CapabilityList()})}
		if st.session != nil && !st.previewing() && policy.CanPreview(st.principal, policy.PreviewTarget{
			Target:   policy.Target{UserID: u.ID, Kind: u.Kind, Capabilities: u.CapabilityList()},
			TenantID: st.tenant.ID, Active: u.Status == people.Active, TestUser: u.TestUser,
		}) {
			row.PreviewAs, row.CSRF = "/users/"+strconv.FormatInt(u.ID, 10)+"/preview", st.session.CSRFToken
		}
		rows = append(rows, row)
	}
	l.Rows, l.Next = len(rows), nextURL(c, "/settings/users", next)
	body := ui.UserRowsBody(rows, l.Next)
	return listView(c, status, l, p, ui.ListRegion(l, body), body, func() (templ.Component, error) {
		canInvite := policy.Allows(st.actor, set, policy.InviteUsers)
		var invs []ui.InvitationRow
		if canInvite {
			if invs, err = s.invitationRows(c); err != nil {
				return nil, err
			}
		}
		notice := map[string]string{"invited": "Invitation sent.", "saved": "Changes saved."}[c.Query("done")]
		if canInvite {
			l.Empty.ActionLabel, l.Empty.ActionURL = "Invite people", "/settings/users/new"
		}
		return ui.UsersPage(s.usersFrame(c, "Users"), l, rows, invitationList(c, invs), invs, canInvite, notice), nil
	})
}

// formValues reads every value of a repeated form field.
func formValues(c *fiber.Ctx, name string) []string {
	var out []string
	for _, v := range c.Context().PostArgs().PeekMulti(name) {
		out = append(out, string(v))
	}
	if len(out) == 0 {
		if mf, err := c.MultipartForm(); err == nil && mf != nil {
			out = append(out, mf.Value[name]...)
		}
	}
	return out
}

func formIDs(c *fiber.Ctx, name string) ([]int64, error) {
	out := []int64{}
	for _, v := range formValues(c, name) {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, valid.Errors{name: "Choose from the list."}
		}
		out = append(out, id)
	}
	return out, nil
}

func formModules(c *fiber.Ctx) []people.ModuleSetting {
	var out []people.ModuleSetting
	for _, info := range policy.Pages {
		if !info.Module {
			continue
		}
		show := c.FormValue("module_show_"+string(info.Key)) == "1"
		label := strings.TrimSpace(c.FormValue("module_label_" + string(info.Key)))
		if show || label != "" {
			out = append(out, people.ModuleSetting{Key: info.Key, Show: show, Label: label})
		}
	}
	return out
}

// userForm fills the form's choices and the user's current (or typed) values.
func (s *Server) userForm(c *fiber.Ctx, kind policy.Kind, caps []policy.Capability, teamIDs, companyIDs []int64,
	modules []people.ModuleSetting, hidden []policy.Page) (ui.UserForm, error) {
	st := state(c)
	set := settingsOf(st.tenant)
	f := ui.UserForm{Kind: ui.Field{Name: "kind", Value: string(kind)},
		CanModules:    policy.CanSetUserField(st.actor, set, policy.FieldModules),
		CanTestUser:   policy.CanSetUserField(st.actor, set, policy.FieldTestUser),
		CanPageAccess: policy.CanSetUserField(st.actor, set, policy.FieldHiddenPages),
		CapsFor:       kindSection(policy.MayHoldCapabilities),
		TeamsFor:      kindSection(policy.MayJoinTeams),
		CompaniesFor:  kindSection(policy.HasCompanies)}
	for _, k := range policy.Kinds {
		f.Kinds = append(f.Kinds, ui.Option{Value: string(k), Label: k.Label(), Selected: k == kind})
	}
	for _, cp := range policy.Capabilities {
		f.Caps = append(f.Caps, ui.Option{Value: string(cp), Label: cp.Label(), Selected: slices.Contains(caps, cp)})
	}
	teams, err := people.Teams(c.UserContext(), st.db, st.actor)
	if err != nil {
		return f, err
	}
	for _, t := range teams {
		note := ""
		if t.Kind == people.TeamClient {
			note = "client team"
		}
		f.Teams = append(f.Teams, ui.Option{Value: strconv.FormatInt(t.ID, 10), Label: t.Name, Selected: slices.Contains(teamIDs, t.ID), Note: note})
	}
	companies, err := people.Companies(c.UserContext(), st.db, st.actor)
	if err != nil {
		return f, err
	}
	for _, co := range companies {
		f.Companies = append(f.Companies, ui.Option{Value: strconv.FormatInt(co.ID, 10), Label: co.Name, Selected: slices.Contains(companyIDs, co.ID)})
	}
	for _, info := range policy.Pages {
		if info.Module {
			row := ui.ModuleRow{Key: string(info.Key), Name: info.Label}
			for _, m := range modules {
				if m.Key == info.Key {
					row.Show, row.Label = m.Show, m.Label
				}
			}
			f.Modules = append(f.Modules, row)
		}
		if info.Key != policy.PageHome {
			f.HiddenPages = append(f.HiddenPages, ui.Option{Value: string(info.Key), Label: info.Label, Selected: slices.Contains(hidden, info.Key)})
		}
	}
	return f, nil
}

// kindSection is the kinds a part of the user form applies to, asked of
// the policy rule that decides it, with the sentence that names them: the
// form labels each part with it and app.js shows the part for these kinds
// only, so the page, the script and the server's refusal agree.
func kindSection(applies func(policy.Kind) bool) ui.KindSection {
	var k ui.KindSection
	var names []string
	for _, kind := range policy.Kinds {
		if applies(kind) {
			k.Kinds = append(k.Kinds, string(kind))
			names = append(names, strings.ToLower(kind.Label())+"s")
		}
	}
	switch len(names) {
	case 0:
		k.Note = "For no kind of user."
	case 1:
		k.Note = "For " + names[0] + " only."
	default:
		k.Note = "For " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + "."
	}
	return k
}

// spread puts field errors next to their fields.
func spread(f *ui.UserForm, errs valid.Errors) {
	f.Email.Error, f.Name.Error, f.Kind.Error = errs["email"], errs["name"], errs["kind"]
	f.CapsError, f.TeamsError, f.CompaniesError = errs["capabilities"], errs["team_ids"], errs["company_ids"]
	f.ModulesError, f.HiddenError, f.StatusError = errs["modules"], errs["hidden_pages"], errs["status"]
	f.TestUserError, f.OwnTicketsError = errs[string(policy.FieldTestUser)], errs[string(policy.FieldOwnTicketsOnly)]
	f.FormError = "Nothing was saved. Fix the fields marked below."
}

// refusedFields word the refusal of a guarded field next to where it is
// (or would be) on the invite form.
var refusedFields = map[string]string{
	string(policy.FieldTestUser):       "You can't make someone a test user.",
	string(policy.FieldOwnTicketsOnly): "You can't limit someone to their own tickets.",
	string(policy.FieldModules):        "You can't set modules.",
}

// inviteFormPage is GET /settings/users/new, with the suggested module defaults.
func (s *Server) inviteFormPage(c *fiber.Ctx) error {
	f, err := s.userForm(c, policy.Member, nil, nil, nil, people.DefaultModules(1), nil)
	if err != nil {
		return err
	}
	f.Action, f.SubmitLabel, f.Email = "/settings/users/new", "Send invitation", ui.Field{Name: "email"}
	return render(c, 200, ui.UserFormPage(s.usersFrame(c, "Invite people"), f, nil))
}

// inviteFormSubmit is POST /settings/users/new.
func (s *Server) inviteFormSubmit(c *fiber.Ctx) error {
	kind := policy.Kind(c.FormValue("kind"))
	var caps []policy.Capability
	for _, v := range formValues(c, "capabilities") {
		caps = append(caps, policy.Capability(v))
	}
	errs := valid.Errors{}
	teamIDs, err := formIDs(c, "team_ids")
	if err != nil {
		errs.Add("team_ids", "Choose from the list.")
	}
	companyIDs, err := formIDs(c, "company_ids")
	if err != nil {
		errs.Add("company_ids", "Choose from the list.")
	}
	modules := formModules(c)
	req := invitations.Request{Email: c.FormValue("email"), Kind: kind, Capabilities: caps, TeamIDs: teamIDs, CompanyIDs: companyIDs,
		OwnTicketsOnly: c.FormValue("own_tickets_only") == "1", TestUser: c.FormValue("test_user") == "1"}
	if policy.HasCompanies(kind) {
		req.Modules = modules
		if req.Modules == nil {
			req.Modules = []people.ModuleSetting{}
		}
	}
	if len(errs) == 0 {
		_, err = invitations.Invite(c.UserContext(), s.inviteContext(c), req)
		if err == nil {
			s.wakeMail()
			return redirect(c, "/settings/users?done=invited")
		}
		var fe *policy.ErrFieldForbidden
		if errors.Is(err, invitations.ErrConflict) {
			errs.Add("email", "A user with this address already exists.")
		} else if errors.As(err, &fe) {
			msg := refusedFields[fe.Field]
			if msg == "" {
				msg = "You can't set this."
			}
			errs.Add(fe.Field, msg)
		} else if !errors.As(err, &errs) {
			return err
		}
	}
	f, ferr := s.userForm(c, kind, caps, teamIDs, companyIDs, modules, nil)
	if ferr != nil {
		return ferr
	}
	f.Action, f.SubmitLabel = "/settings/users/new", "Send invitation"
	f.Email = ui.Field{Name: "email", Value: c.FormValue("email")}
	f.OwnTicketsOnly, f.TestUser = req.OwnTicketsOnly, req.TestUser
	spread(&f, errs)
	return view(c, 400, ui.UserFormView(f, state(c).session.CSRFToken),
		func() templ.Component { return ui.UserFormPage(s.usersFrame(c, "Invite people"), f, nil) })
}

// managedUser loads a user the actor may manage, else 404 or 403.
func (s *Server) managedUser(c *fiber.Ctx) (*people.Listed, error) {
	st := state(c)
	id, err := paramID(c)
	if err != nil {
		return nil, err
	}
	l, err := people.Visible(c.UserContext(), st.db, st.actor, id)
	if errors.Is(err, people.ErrNotFound) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	if !policy.CanManageUser(st.actor, settingsOf(st.tenant), policy.Target{UserID: l.ID, Kind: l.Kind, Capabilities: l.CapabilityList()}) {
		return nil, errForbidden
	}
	return l, nil
}

func (s *Server) renderUserEdit(c *fiber.Ctx, status int, l *people.Listed, f ui.UserForm, statusErr string) error {
	st := state(c)
	action := "/settings/users/" + strconv.FormatInt(l.ID, 10)
	f.Action, f.SubmitLabel, f.Editing = action, "Save changes", true
	f.Email = ui.Field{Name: "email", Value: l.Email}
	var fragment templ.Component // a refused change swaps the form; the page loads whole
	if status != 200 {
		fragment = ui.UserFormView(f, st.session.CSRFToken)
	}
	return view(c, status, fragment, func() templ.Component {
		var actions templ.Component = ui.UserStatusForm(action+"/status", string(l.Status), st.session.CSRFToken, statusErr)
		if s.mayPreview(c, l.ID) {
			actions = templ.Join(actions, ui.PreviewAsForm("/users/"+strconv.FormatInt(l.ID, 10)+"/preview", st.session.CSRFToken, action, l.DisplayName()))
		}
		return ui.UserFormPage(s.usersFrame(c, l.DisplayName()), f, actions)
	})
}

func modulesOf(l *people.Listed) []people.ModuleSetting {
	var out []people.ModuleSetting
	for _, m := range l.Modules {
		out = append(out, people.ModuleSetting{Key: m.Page, Show: m.Show, Label: m.Label})
	}
	return out
}

// userEditPage is GET /settings/users/ID.
func (s *Server) userEditPage(c *fiber.Ctx) error {
	l, err := s.managedUser(c)
	if err != nil {
		return err
	}
	f, err := s.userForm(c, l.Kind, l.CapabilityList(), l.TeamIDs, l.CompanyIDs, modulesOf(l), l.HiddenPages)
	if err != nil {
		return err
	}
	f.Name = ui.Field{Name: "name", Value: l.Name}
	f.OwnTicketsOnly, f.TestUser = l.OwnTicketsOnly, l.TestUser
	return s.renderUserEdit(c, 200, l, f, "")
}

// userEditSubmit is POST /settings/users/ID: the form becomes one PATCH.
// Fields the actor may not change are left out of the patch, so an admin
// without a capability's rule does not trip over a form that shows it.
func (s *Server) userEditSubmit(c *fiber.Ctx) error {
	st := state(c)
	set := settingsOf(st.tenant)
	l, err := s.managedUser(c)
	if err != nil {
		return err
	}
	kind := policy.Kind(c.FormValue("kind"))
	name := c.FormValue("name")
	caps := []policy.Capability{}
	for _, v := range formValues(c, "capabilities") {
		caps = append(caps, policy.Capability(v))
	}
	hidden := []policy.Page{}
	for _, v := range formValues(c, "hidden_pages") {
		hidden = append(hidden, policy.Page(v))
	}
	errs := valid.Errors{}
	teamIDs, terr := formIDs(c, "team_ids")
	companyIDs, cerr := formIDs(c, "company_ids")
	if terr != nil || cerr != nil {
		errs.Add("team_ids", "Choose from the list.")
	}
	modules := formModules(c)
	own, test := c.FormValue("own_tickets_only") == "1", c.FormValue("test_user") == "1"
	p := useradmin.Patch{Kind: &kind, Name: &name, TeamIDs: &teamIDs, CompanyIDs: &companyIDs}
	if !slices.Equal(caps, l.CapabilityList()) {
		p.Capabilities = &caps
	}
	if policy.CanSetUserField(st.actor, set, policy.FieldTestUser) {
		p.TestUser = &test
	}
	if policy.CanSetUserField(st.actor, set, policy.FieldHiddenPages) {
		p.HiddenPages = &hidden
	}
	if policy.HasCompanies(kind) && policy.CanSetUserField(st.actor, set, policy.FieldModules) {
		if modules == nil {
			modules = []people.ModuleSetting{}
		}
		p.Modules, p.OwnTicketsOnly = &modules, &own
	}
	if len(errs) == 0 {
		_, err = s.applyUser(c, l.ID, p)
		if err == nil {
			return redirect(c, "/settings/users?done=saved")
		}
		var he *httpError
		if errors.As(err, &he) && he.Status == 403 {
			errs.Add("status", he.Message)
		} else if !errors.As(err, &errs) {
			return err
		}
	}
	f, ferr := s.userForm(c, kind, caps, teamIDs, companyIDs, modules, hidden)
	if ferr != nil {
		return ferr
	}
	f.Name = ui.Field{Name: "name", Value: name}
	f.OwnTicketsOnly, f.TestUser = own, test
	spread(&f, errs)
	return s.renderUserEdit(c, 400, l, f, "")
}

// userStatusSubmit is POST /settings/users/ID/status: deactivate or reactivate.
func (s *Server) userStatusSubmit(c *fiber.Ctx) error {
	l, err := s.managedUser(c)
	if err != nil {
		return err
	}
	status := people.Status(c.FormValue("status"))
	_, err = s.applyUser(c, l.ID, useradmin.Patch{Status: &status})
	var ve valid.Errors
	if errors.As(err, &ve) {
		f, ferr := s.userForm(c, l.Kind, l.CapabilityList(), l.TeamIDs, l.CompanyIDs, modulesOf(l), l.HiddenPages)
		if ferr != nil {
			return ferr
		}
		f.Name = ui.Field{Name: "name", Value: l.Name}
		msg := ve["status"]
		if msg == "" {
			msg = ve.Error()
		}
		return s.renderUserEdit(c, 400, l, f, msg)
	}
	if err != nil {
		return err
	}
	return redirect(c, "/settings/users?done=saved")
}

// invitationAction is POST /settings/users/invitations/ID/resend and …/revoke.
func (s *Server) invitationAction(resend bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := paramID(c)
		if err != nil {
			return err
		}
		if resend {
			_, err = invitations.Resend(c.UserContext(), s.inviteContext(c), id)
			s.wakeMail()
		} else {
			err = invitations.Revoke(c.UserContext(), s.inviteContext(c), id)
		}
		if err != nil && !errors.Is(err, invitations.ErrGone) {
			return invitationError(err)
		}
		if !isHTMX(c) {
			return c.Redirect("/settings/users#invitations", fiber.StatusSeeOther)
		}
		rows, err := s.invitationRows(c)
		if err != nil {
			return err
		}
		msg := "Invitation revoked."
		if resend {
			msg = "Invitation sent again."
		}
		c.Set("HX-Trigger", `{"toast":{"message":"`+msg+`","kind":"success"}}`)
		return render(c, 200, ui.InvitationRows(invitationList(c, rows), rows, state(c).session.CSRFToken))
	}
}

// profilePage is GET /users/ID: a user's profile, within the people scope.
// A deactivated user's contact details and status are hidden from those
// who may not see them (policy.SeesContactDetails).
func (s *Server) profilePage(c *fiber.Ctx) error {
	st := state(c)
	id, err := paramID(c)
	if err != nil {
		return err
	}
	l, err := people.Visible(c.UserContext(), st.db, st.actor, id)
	if errors.Is(err, people.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	// The whole page is built from the filtered view: name, avatar mark,
	// contact details and status alike, so it shows what the API shows.
	v := people.ViewFor(st.actor, settingsOf(st.tenant), *l)
	p := ui.Profile{Person: personOf(v), Email: v.Email, Title: v.Title, Phone: v.Phone, Status: string(v.Status), Hidden: v.ContactHidden,
		Own: !st.previewing() && st.principalUser != nil && st.principalUser.ID == v.ID}
	if s.mayPreview(c, v.ID) {
		p.PreviewAs, p.CSRF, p.Return = "/users/"+strconv.FormatInt(v.ID, 10)+"/preview", st.session.CSRFToken, c.Path()
	}
	if mayExplain(c) {
		u, err := people.UserByID(c.UserContext(), st.db, v.ID)
		if err != nil {
			return err
		}
		a, err := s.accessCheck(c, u)
		if err != nil {
			return err
		}
		p.Access = &a
	}
	teams, err := people.TeamsOf(c.UserContext(), st.db, st.actor, v.ID)
	if err != nil {
		return err
	}
	for _, t := range teams {
		p.Teams = append(p.Teams, t.Name)
	}
	return render(c, 200, ui.ProfilePage(s.frame(c, v.DisplayName(), ""), p))
}
