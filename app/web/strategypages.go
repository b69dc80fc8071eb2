package web

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/strategy"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// The strategy pages (SPEC §5–6): the vision, why and direction with their
// history (/strategy/DOC), the headlines (/headlines) and the roles chart
// (/roles). Handlers parse, call the strategy package and render; the
// package asks the policy.

// strategyError is what the client sees of the strategy package's errors.
func strategyError(err error) (*httpError, bool) {
	switch {
	case errors.Is(err, strategy.ErrNotFound):
		return errNotFound, true
	case errors.Is(err, strategy.ErrForbidden):
		return errForbidden, true
	case errors.Is(err, strategy.ErrConflict):
		return &httpError{Status: 409, Code: "conflict",
			Message: "Someone saved a newer version meanwhile. Read the current version, then save again (with its number as base_version)."}, true
	}
	return nil, false
}

// historyPage is how many versions a document's page lists at a time.
const historyPage = 20

// strategyBy is who performs a strategy change.
func (s *Server) strategyBy(c *fiber.Ctx) strategy.By {
	st := state(c)
	return strategy.By{Actor: st.actor, Who: s.who(c), Settings: settingsOf(st.tenant)}
}

func docPath(d strategy.Doc) string {
	info, _ := policy.Info(d.Page())
	return info.Path
}

func docVersionURL(d strategy.Doc, id int64) string {
	return docPath(d) + "/versions/" + strconv.FormatInt(id, 10)
}

// authorOf is a strategy person as views show them, with their profile.
func authorOf(p *strategy.Person) *ui.Author {
	if p == nil {
		return nil
	}
	return &ui.Author{Person: ui.Person{Name: p.Name, Deactivated: p.Deactivated}, URL: "/users/" + strconv.FormatInt(p.ID, 10)}
}

// strategyFrame is the frame of a page below a strategy page, leading back to it.
func (s *Server) strategyFrame(c *fiber.Ctx, title string, p policy.Page) ui.Frame {
	f := s.frame(c, title, p)
	info, _ := policy.Info(p)
	if label := policy.Label(state(c).actor, p); title != label {
		f.Crumbs = []ui.Crumb{{Label: label, Path: info.Path}}
	}
	return f
}

// docPage is GET /strategy/DOC: the current version and the history.
func (s *Server) docPage(d strategy.Doc) fiber.Handler {
	return func(c *fiber.Ctx) error {
		st := state(c)
		v, err := strategy.Current(c.UserContext(), st.db, st.actor, settingsOf(st.tenant), s.md, d)
		if err != nil {
			return err
		}
		return s.renderDoc(c, d, v)
	}
}

// docVersionPage is GET /strategy/DOC/versions/ID: one version, 404 for
// a reader without the page.
func (s *Server) docVersionPage(d strategy.Doc) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v, err := s.loadVersion(c, d)
		if err != nil {
			return err
		}
		return s.renderDoc(c, d, v)
	}
}

// loadVersion reads the version of d of the route's ID as the reader sees
// it: 404 outside their scope.
func (s *Server) loadVersion(c *fiber.Ctx, d strategy.Doc) (*strategy.DocumentView, error) {
	id, err := paramID(c)
	if err != nil {
		return nil, err
	}
	st := state(c)
	return strategy.VersionOf(c.UserContext(), st.db, st.actor, settingsOf(st.tenant), s.md, d, id)
}

func (s *Server) renderDoc(c *fiber.Ctx, d strategy.Doc, v *strategy.DocumentView) error {
	st := state(c)
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	p.Limit = historyPage
	hist, next, err := strategy.Versions(c.UserContext(), st.db, st.actor, settingsOf(st.tenant), d, p)
	if err != nil {
		return err
	}
	label := policy.Label(st.actor, d.Page())
	dv := ui.StrategyDocView{Desc: policy.Descriptions[d.Page()], Name: strings.ToLower(label), Wide: len(v.Sections) > 1,
		Old: !v.Current, CurrentURL: docPath(d), Now: time.Now()}
	if v.Version != nil {
		dv.Version, dv.Author, dv.At = v.Version.Number, authorOf(v.Version.Author), v.Version.CreatedAt
	}
	if v.Editable {
		dv.EditURL = docPath(d) + "/edit"
	}
	for _, sec := range v.Sections {
		dv.Sections = append(dv.Sections, ui.StrategySection{Key: sec.Key, Title: sec.Title, HTML: sec.HTML})
	}
	for i, h := range hist {
		dv.History = append(dv.History, ui.VersionRow{Number: h.Number, URL: docVersionURL(d, h.ID), Author: authorOf(h.Author), At: h.CreatedAt,
			Current: i == 0 && p.Cursor == "", Shown: v.Version != nil && v.Version.ID == h.ID})
	}
	if next != "" {
		dv.OlderURL = nextURL(c, c.Path(), next) + "#history"
	}
	title := label
	if !v.Current && v.Version != nil {
		title = label + ", version " + strconv.Itoa(v.Version.Number)
	}
	return render(c, 200, ui.StrategyDocPage(s.strategyFrame(c, title, d.Page()), dv))
}

// docForm is the form of a new version of d with texts and errs.
func (s *Server) docForm(c *fiber.Ctx, d strategy.Doc, base int, texts map[string]string, errs valid.Errors) ui.StrategyForm {
	f := ui.StrategyForm{Action: docPath(d), CancelURL: docPath(d), CSRF: state(c).session.CSRFToken, Base: base}
	rows := 8
	if len(d.Sections()) == 1 {
		rows = 18
	}
	for _, sec := range d.Sections() {
		f.Sections = append(f.Sections, ui.MarkdownField{Field: ui.Field{Name: sec.Key, Value: texts[sec.Key], Error: errs[sec.Key], Prefix: "doc"},
			Label: sec.Title, Help: sec.Help, Rows: rows, Max: strategy.MaxBody})
	}
	if len(errs) > 0 {
		f.FormError = "Nothing was saved. Fix the fields marked below."
	}
	return f
}

// docEditPage is GET /strategy/DOC/edit: the current texts to change.
func (s *Server) docEditPage(d strategy.Doc) fiber.Handler {
	return func(c *fiber.Ctx) error {
		st := state(c)
		v, err := strategy.Current(c.UserContext(), st.db, st.actor, settingsOf(st.tenant), s.md, d)
		if err != nil {
			return err
		}
		if !v.Editable {
			return errForbidden
		}
		texts, base := map[string]string{}, 0
		for _, sec := range v.Sections {
			texts[sec.Key] = sec.Body
		}
		if v.Version != nil {
			base = v.Version.Number
		}
		label := policy.Label(st.actor, d.Page())
		return render(c, 200, ui.StrategyFormPage(s.strategyFrame(c, "Edit: "+label, d.Page()), s.docForm(c, d, base, texts, nil)))
	}
}

// docSave is POST /strategy/DOC: a new version, then the page; or the
// form again with its messages (400), or with the newer version named (409).
func (s *Server) docSave(d strategy.Doc) fiber.Handler {
	return func(c *fiber.Ctx) error {
		// A section the form does not send keeps its text.
		texts := map[string]string{}
		for _, sec := range d.Sections() {
			if vs := formValues(c, sec.Key); len(vs) > 0 {
				texts[sec.Key] = vs[0]
			}
		}
		base, err := strconv.Atoi(c.FormValue("base"))
		if err != nil || base < 0 {
			base = 0
		}
		st := state(c)
		_, err = strategy.Save(c.UserContext(), st.db, s.md, s.strategyBy(c), d, strategy.SaveInput{Sections: texts, Base: &base})
		if err == nil {
			c.Set("HX-Trigger", `{"toast":{"message":"Saved as a new version.","kind":"success"}}`)
			return redirect(c, docPath(d))
		}
		var ve valid.Errors
		status, formError := 400, ""
		switch {
		case errors.As(err, &ve):
		case errors.Is(err, strategy.ErrConflict):
			cur, cerr := strategy.Current(c.UserContext(), st.db, st.actor, settingsOf(st.tenant), s.md, d)
			if cerr != nil {
				return cerr
			}
			status, base = 409, cur.Version.Number
			formError = "Someone saved a newer version while you were editing (version " + strconv.Itoa(base) +
				"). Your text is below: read the current version first; saving again replaces it with yours."
		default:
			return err
		}
		form := s.docForm(c, d, base, texts, ve)
		if formError != "" {
			form.FormError = formError
		}
		label := policy.Label(st.actor, d.Page())
		return render(c, status, ui.StrategyFormPage(s.strategyFrame(c, "Edit: "+label, d.Page()), form))
	}
}

func headlineURL(id int64) string { return "/headlines/" + strconv.FormatInt(id, 10) }

func headlineItem(v *strategy.HeadlineView) ui.HeadlineItem {
	h := ui.HeadlineItem{Title: v.Title, URL: headlineURL(v.ID), HTML: v.HTML, Author: authorOf(v.Author), At: v.CreatedAt}
	if v.Editable {
		h.EditURL, h.DeleteURL = headlineURL(v.ID)+"/edit", headlineURL(v.ID)+"/delete"
	}
	return h
}

// headlinesPage is GET /headlines: one page of headlines, newest first.
func (s *Server) headlinesPage(c *fiber.Ctx) error {
	st := state(c)
	ctx := c.UserContext()
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	vs, next, err := strategy.Headlines(ctx, st.db, st.actor, s.md, p)
	if err != nil {
		return err
	}
	v := ui.HeadlinesView{Desc: policy.Descriptions[policy.PageHeadlines], Next: nextURL(c, "/headlines", next), Now: time.Now()}
	if v.Count, err = strategy.CountHeadlines(ctx, st.db, st.actor); err != nil {
		return err
	}
	if policy.CanEditHeadlines(st.actor) {
		v.NewURL = "/headlines/new"
	}
	for i := range vs {
		v.Items = append(v.Items, headlineItem(&vs[i]))
	}
	return render(c, 200, ui.HeadlinesPage(s.frame(c, policy.Label(st.actor, policy.PageHeadlines), policy.PageHeadlines), v))
}

// loadHeadline reads the headline of the route's ID: 404 outside the reader's scope.
func (s *Server) loadHeadline(c *fiber.Ctx) (*strategy.HeadlineView, error) {
	id, err := paramID(c)
	if err != nil {
		return nil, err
	}
	st := state(c)
	return strategy.GetHeadline(c.UserContext(), st.db, st.actor, s.md, id)
}

// headlinePage is GET /headlines/ID.
func (s *Server) headlinePage(c *fiber.Ctx) error {
	v, err := s.loadHeadline(c)
	if err != nil {
		return err
	}
	return render(c, 200, ui.HeadlinePage(s.strategyFrame(c, v.Title, policy.PageHeadlines), headlineItem(v), time.Now(), state(c).session.CSRFToken))
}

// headlineForm is the headline form with title, body and errs.
func headlineForm(c *fiber.Ctx, action, submit, cancel, title, body string, errs valid.Errors) ui.HeadlineForm {
	f := ui.HeadlineForm{Action: action, Submit: submit, CancelURL: cancel, CSRF: state(c).session.CSRFToken,
		Title: ui.Field{Name: "title", Value: title, Error: errs["title"]},
		Body: ui.MarkdownField{Field: ui.Field{Name: "body", Value: body, Error: errs["body"], Prefix: "headline"},
			Label: "Text (optional)", Rows: 10, Max: strategy.MaxBody}}
	if len(errs) > 0 {
		f.FormError = "Nothing was saved. Fix the fields marked below."
	}
	return f
}

// headlineNewPage is GET /headlines/new.
func (s *Server) headlineNewPage(c *fiber.Ctx) error {
	f := headlineForm(c, "/headlines", "Post headline", "/headlines", "", "", nil)
	return render(c, 200, ui.HeadlineFormPage(s.strategyFrame(c, "New headline", policy.PageHeadlines), f))
}

// headlineEditPage is GET /headlines/ID/edit.
func (s *Server) headlineEditPage(c *fiber.Ctx) error {
	v, err := s.loadHeadline(c)
	if err != nil {
		return err
	}
	if !v.Editable {
		return errForbidden
	}
	f := headlineForm(c, headlineURL(v.ID), "Save changes", headlineURL(v.ID), v.Title, v.Body, nil)
	return render(c, 200, ui.HeadlineFormPage(s.strategyFrame(c, "Edit: "+v.Title, policy.PageHeadlines), f))
}

// headlineSubmit is POST /headlines (a new one) and POST /headlines/ID.
func (s *Server) headlineSubmit(c *fiber.Ctx) error {
	id, err := optionalID(c)
	if err != nil {
		return err
	}
	title, body := c.FormValue("title"), c.FormValue("body")
	in := strategy.HeadlineInput{Title: &title, Body: &body}
	ctx, db := c.UserContext(), state(c).db
	var v *strategy.HeadlineView
	if id == 0 {
		v, err = strategy.CreateHeadline(ctx, db, s.md, s.strategyBy(c), in)
	} else {
		v, err = strategy.UpdateHeadline(ctx, db, s.md, s.strategyBy(c), id, in)
	}
	if err == nil {
		return redirect(c, headlineURL(v.ID))
	}
	var ve valid.Errors
	if !errors.As(err, &ve) {
		return err
	}
	action, submit, pageTitle, cancel := "/headlines", "Post headline", "New headline", "/headlines"
	if id != 0 {
		action, submit, pageTitle, cancel = headlineURL(id), "Save changes", "Edit headline", headlineURL(id)
	}
	f := headlineForm(c, action, submit, cancel, title, body, ve)
	return render(c, 400, ui.HeadlineFormPage(s.strategyFrame(c, pageTitle, policy.PageHeadlines), f))
}

// headlineDelete is POST /headlines/ID/delete.
func (s *Server) headlineDelete(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := strategy.DeleteHeadline(c.UserContext(), state(c).db, s.strategyBy(c), id); err != nil {
		return err
	}
	return redirect(c, "/headlines")
}

func seatURL(id int64) string { return "/roles/" + strconv.FormatInt(id, 10) }

func seatNodes(vs []*strategy.SeatView, edit bool) []ui.SeatNode {
	out := make([]ui.SeatNode, 0, len(vs))
	for _, v := range vs {
		n := ui.SeatNode{Title: v.Title, Roles: v.Roles, Children: seatNodes(v.Children, edit)}
		for i := range v.People {
			n.People = append(n.People, *authorOf(&v.People[i]))
		}
		if edit {
			n.EditURL = seatURL(v.ID) + "/edit"
		}
		out = append(out, n)
	}
	return out
}

// rolesChartPage is GET /roles: the seats as a tree.
func (s *Server) rolesChartPage(c *fiber.Ctx) error {
	st := state(c)
	ch, err := strategy.LoadChart(c.UserContext(), st.db, st.actor)
	if err != nil {
		return err
	}
	v := ui.RolesChartView{Desc: "Who is accountable for what: each seat with its roles and the people in it.",
		Roots: seatNodes(ch.Roots, ch.Editable), Count: len(ch.Seats)}
	if ch.Editable {
		v.NewURL = "/roles/new"
	}
	return render(c, 200, ui.RolesChartPage(s.frame(c, policy.Label(st.actor, policy.PageRolesChart), policy.PageRolesChart), v))
}

// seatValues are a seat form's values, as loaded or submitted.
type seatValues struct {
	title, roles, parent string
	people               []int64
}

// seatForm builds the seat form of seat id (0: a new one) with vals and errs.
func (s *Server) seatForm(c *fiber.Ctx, id int64, vals seatValues, errs valid.Errors) (ui.SeatForm, error) {
	st := state(c)
	ctx := c.UserContext()
	f := ui.SeatForm{Action: "/roles", Submit: "Add seat", CancelURL: "/roles", CSRF: st.session.CSRFToken,
		Title:  ui.Field{Name: "title", Value: vals.title, Error: errs["title"]},
		Parent: ui.Field{Name: "parent_id", Value: vals.parent, Error: errs["parent_id"]},
		Roles:  ui.Field{Name: "roles", Value: vals.roles, Error: errs["roles"]}, PeopleError: errs["person_ids"],
		Parents: []ui.Option{{Value: "", Label: "None: a top seat"}}}
	if id != 0 {
		f.Action, f.Submit, f.DeleteURL = seatURL(id), "Save seat", seatURL(id)+"/delete"
	}
	if len(errs) > 0 {
		f.FormError = "Nothing was saved. Fix the fields marked below."
	}
	ch, err := strategy.LoadChart(ctx, st.db, st.actor)
	if err != nil {
		return f, err
	}
	for _, seat := range ch.Seats {
		if id != 0 && ch.Below(id, seat.ID) {
			continue // a seat cannot report to itself or a seat under it
		}
		f.Parents = append(f.Parents, ui.Option{Value: strconv.FormatInt(seat.ID, 10), Label: seat.Title})
	}
	members, err := strategy.Candidates(ctx, st.db, st.actor)
	if err != nil {
		return f, err
	}
	if cur := ch.Seat(id); cur != nil {
		// Someone already in the seat stays on the list, deactivated or not.
		for _, p := range cur.People {
			if !slices.ContainsFunc(members, func(m strategy.Person) bool { return m.ID == p.ID }) {
				members = append(members, p)
			}
		}
	}
	for _, m := range members {
		o := ui.Option{Value: strconv.FormatInt(m.ID, 10), Label: m.Name, Selected: slices.Contains(vals.people, m.ID)}
		if m.Deactivated {
			o.Note = " (deactivated)"
		}
		f.People = append(f.People, o)
	}
	return f, nil
}

func (s *Server) renderSeatForm(c *fiber.Ctx, status int, id int64, vals seatValues, errs valid.Errors) error {
	f, err := s.seatForm(c, id, vals, errs)
	if err != nil {
		return err
	}
	title := "New seat"
	if id != 0 {
		title = "Edit: " + vals.title
	}
	return render(c, status, ui.SeatFormPage(s.strategyFrame(c, title, policy.PageRolesChart), f))
}

// loadSeat reads the seat of the route's ID: 404 outside the reader's scope.
func loadSeat(c *fiber.Ctx) (*strategy.SeatView, error) {
	id, err := paramID(c)
	if err != nil {
		return nil, err
	}
	st := state(c)
	return strategy.GetSeat(c.UserContext(), st.db, st.actor, id)
}

// seatNewPage is GET /roles/new; ?parent_id= preselects the seat above.
func (s *Server) seatNewPage(c *fiber.Ctx) error {
	return s.renderSeatForm(c, 200, 0, seatValues{parent: c.Query("parent_id")}, nil)
}

// seatEditPage is GET /roles/ID/edit.
func (s *Server) seatEditPage(c *fiber.Ctx) error {
	v, err := loadSeat(c)
	if err != nil {
		return err
	}
	id := v.ID
	vals := seatValues{title: v.Title, roles: strings.Join(v.Roles, "\n")}
	if v.ParentID != 0 {
		vals.parent = strconv.FormatInt(v.ParentID, 10)
	}
	for _, p := range v.People {
		vals.people = append(vals.people, p.ID)
	}
	return s.renderSeatForm(c, 200, id, vals, nil)
}

// seatSubmit is POST /roles (a new seat) and POST /roles/ID.
func (s *Server) seatSubmit(c *fiber.Ctx) error {
	id, err := optionalID(c)
	if err != nil {
		return err
	}
	vals := seatValues{title: c.FormValue("title"), roles: c.FormValue("roles"), parent: c.FormValue("parent_id")}
	errs := valid.Errors{}
	var parent int64
	if vals.parent != "" {
		if parent, err = strconv.ParseInt(vals.parent, 10, 64); err != nil || parent <= 0 {
			errs.Add("parent_id", "Choose a seat from the list.")
		}
	}
	people, err := formIDs(c, "person_ids")
	if err != nil {
		errs.Add("person_ids", "Choose people from the list.")
	}
	vals.people = people
	if len(errs) == 0 {
		roles := strings.Split(strings.ReplaceAll(vals.roles, "\r\n", "\n"), "\n")
		in := strategy.SeatInput{Title: &vals.title, Roles: &roles, PersonIDs: &people, ParentID: &parent}
		_, err := strategy.SaveSeat(c.UserContext(), state(c).db, s.strategyBy(c), id, in)
		if err == nil {
			return redirect(c, "/roles")
		}
		var ve valid.Errors
		if !errors.As(err, &ve) {
			return err
		}
		errs = ve
	}
	return s.renderSeatForm(c, 400, id, vals, errs)
}

// seatDelete is POST /roles/ID/delete: the seats below move up.
func (s *Server) seatDelete(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := strategy.DeleteSeat(c.UserContext(), state(c).db, s.strategyBy(c), id); err != nil {
		return err
	}
	return redirect(c, "/roles")
}
