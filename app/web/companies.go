package web

import (
	"errors"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// apiCompanies is GET /api/v1/companies: one page of the companies the
// caller may see (members all, external users their own). It takes the
// list's parameters (SPEC §12) and those of Settings → Companies:
//
//   - group: the ID of a company group, for callers who see the whole
//     tenant's companies (groups are internal; anyone else is refused);
//   - sort: name (the default), -name, -created (newest first) or created;
//   - limit and cursor; a cursor is good only for the sort that handed it out.
//
// An invalid value is 400 with a message for its field.
func (s *Server) apiCompanies(c *fiber.Ctx) error {
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	cq, err := companyQuery(c)
	if err != nil {
		return err
	}
	cs, next, err := people.CompaniesFor(c.UserContext(), state(c).db, state(c).actor, cq, p)
	if err != nil {
		return err
	}
	return listJSON(c, cs, next)
}

// apiCompany is GET /api/v1/companies/ID.
func (s *Server) apiCompany(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	v, err := people.CompanyFor(c.UserContext(), state(c).db, state(c).actor, id)
	if err != nil {
		return orgError(err)
	}
	return c.JSON(v)
}

// apiSaveCompany is POST /api/v1/companies (201 with the company) and PATCH /api/v1/companies/ID.
func (s *Server) apiSaveCompany(c *fiber.Ctx) error {
	id, err := optionalID(c)
	if err != nil {
		return err
	}
	var in people.CompanyInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	v, err := people.SaveCompany(c.UserContext(), state(c).db, s.by(c), id, in)
	if err != nil {
		return orgError(err)
	}
	return savedJSON(c, id, v)
}

// apiDeleteCompany is DELETE /api/v1/companies/ID; refused (409) while users are assigned.
func (s *Server) apiDeleteCompany(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	err = people.DeleteCompany(c.UserContext(), state(c).db, s.by(c), id)
	var ve valid.Errors
	if errors.As(err, &ve) {
		return &httpError{Status: 409, Code: "conflict", Message: ve["company"]}
	}
	if err != nil {
		return orgError(err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// apiGroups is GET /api/v1/company_groups: one page of the groups.
func (s *Server) apiGroups(c *fiber.Ctx) error {
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	gs, next, err := people.Groups(c.UserContext(), state(c).db, state(c).actor, p)
	if err != nil {
		return err
	}
	return listJSON(c, gs, next)
}

// groupInput is the body that saves a company group: its name and its
// whole membership.
type groupInput struct {
	Name       string  `json:"name"`
	CompanyIDs []int64 `json:"company_ids"`
}

// apiSaveGroup is POST /api/v1/company_groups (201 with the group) and PATCH
// /api/v1/company_groups/ID with {"name", "company_ids"}: the group's whole membership.
func (s *Server) apiSaveGroup(c *fiber.Ctx) error {
	id, err := optionalID(c)
	if err != nil {
		return err
	}
	var in groupInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	g, err := people.SaveGroup(c.UserContext(), state(c).db, s.by(c), id, in.Name, in.CompanyIDs)
	if err != nil {
		return orgError(err)
	}
	return savedJSON(c, id, g)
}

func companyForm(action, submit string, name, domain, notes string) ui.CompanyForm {
	return ui.CompanyForm{Action: action, Submit: submit, Name: ui.Field{Name: "name", Value: name},
		Domain: ui.Field{Name: "domain", Value: domain}, Notes: ui.Field{Name: "notes", Value: notes}}
}

// companyQuery reads the companies list's filter and sort from the query:
// group (an ID) and sort (people.CompanySorts).
func companyQuery(c *fiber.Ctx) (people.CompanyQuery, error) {
	cq := people.CompanyQuery{Sort: c.Query("sort")}
	if v := c.Query("group"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return cq, valid.Errors{"group": "Choose a group from the list."}
		}
		cq.GroupID = id
	}
	return cq, nil
}

// renderCompanies is Settings → Companies with its filter by group and its
// sort; an htmx request gets fragment when one is given (a refused form),
// else the list or the next rows as listView decides.
func (s *Server) renderCompanies(c *fiber.Ctx, status int, form ui.CompanyForm, newGroup *ui.GroupRow, notice string, fragment templ.Component) error {
	st := state(c)
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	cq, qerr := companyQuery(c)
	if c.Method() != fiber.MethodGet {
		p, cq, qerr = store.Page{}, people.CompanyQuery{}, nil
	}
	gs, err := people.AllGroups(c.UserContext(), st.db, st.actor)
	if err != nil {
		return err
	}
	groupOpts := []ui.Option{anyOption("All groups")}
	for _, g := range gs {
		groupOpts = append(groupOpts, ui.Option{Value: strconv.FormatInt(g.ID, 10), Label: g.Name})
	}
	sort := cq.Sort
	if o, ok := people.CompanySorts.Find(sort); ok {
		sort = o.Name
	}
	l := ui.ListView{ID: "company-list", Path: "/settings/companies", Label: "Companies", Query: listQuery(c), One: "company", Many: "companies",
		Sort: sort, Sorts: sortOptions(people.CompanySorts),
		Filters: []ui.ListFilter{{Name: "group", Label: "Group", Value: c.Query("group"), Options: groupOpts}},
		Columns: []ui.Column{{Label: "Company", Asc: "name", Desc: "-name"}, {Label: "Domain"}, {Label: "Groups"}, {Label: "Users", Num: true}},
		Empty:   ui.Empty{Title: "No companies yet", Text: "Add the first with the form below."}}
	if c.Method() != fiber.MethodGet {
		l.Filters[0].Value = ""
	}
	cs, next, err := fillList(&l, &status, qerr,
		func() ([]people.CompanyView, string, error) {
			return people.CompaniesFor(c.UserContext(), st.db, st.actor, cq, p)
		},
		func() (int, error) { return people.CountCompanies(c.UserContext(), st.db, st.actor, cq) })
	if err != nil {
		return err
	}
	rows := make([]ui.CompanyRow, 0, len(cs))
	for _, co := range cs {
		row := ui.CompanyRow{ID: co.ID, Name: co.Name, Domain: co.Domain, Groups: strings.Join(co.Groups, ", ")}
		if co.Users != nil {
			row.Users = *co.Users
		}
		rows = append(rows, row)
	}
	l.Rows, l.Next = len(rows), nextURL(c, "/settings/companies", next)
	page := func() (templ.Component, error) {
		all, err := people.Companies(c.UserContext(), st.db, st.actor)
		if err != nil {
			return nil, err
		}
		opts := func(selected []people.CompanyRef) []ui.Option {
			var out []ui.Option
			for _, co := range all {
				o := ui.Option{Value: strconv.FormatInt(co.ID, 10), Label: co.Name}
				for _, s := range selected {
					o.Selected = o.Selected || s.ID == co.ID
				}
				out = append(out, o)
			}
			return out
		}
		var groups []ui.GroupRow
		for _, g := range gs {
			groups = append(groups, ui.GroupRow{ID: g.ID, Name: ui.Field{Name: "name", Value: g.Name}, Companies: opts(g.Companies)})
		}
		ng := ui.GroupRow{Name: ui.Field{Name: "name"}, Companies: opts(nil)}
		if newGroup != nil {
			ng.Name = newGroup.Name
		}
		return ui.SettingsCompaniesPage(s.settingsFrame(c, "Companies"), l, rows, form, groups, ng, notice), nil
	}
	if fragment != nil {
		return viewErr(c, status, fragment, page)
	}
	body := ui.CompanyRows(rows, l.Next)
	return listView(c, status, l, p, ui.ListRegion(l, body), body, page)
}

// settingsCompaniesPage is GET /settings/companies.
func (s *Server) settingsCompaniesPage(c *fiber.Ctx) error {
	return s.renderCompanies(c, 200, companyForm("/settings/companies", "Add company", "", "", ""), nil, "", nil)
}

// companyFormSubmit is POST /settings/companies (new) and /settings/companies/ID (edit).
func (s *Server) companyFormSubmit(c *fiber.Ctx) error {
	var id int64
	action, submit := "/settings/companies", "Add company"
	if c.Params("id") != "" {
		var err error
		if id, err = paramID(c); err != nil {
			return err
		}
		action, submit = action+"/"+strconv.FormatInt(id, 10), "Save company"
	}
	name, domain, notes := c.FormValue("name"), c.FormValue("domain"), c.FormValue("notes")
	_, err := people.SaveCompany(c.UserContext(), state(c).db, s.by(c), id, people.CompanyInput{Name: &name, Domain: &domain, Notes: &notes})
	if err == nil {
		return redirect(c, "/settings/companies")
	}
	var ve valid.Errors
	if !errors.As(err, &ve) {
		return orgError(err)
	}
	form := companyForm(action, submit, name, domain, notes)
	form.Name.Error, form.Domain.Error, form.Notes.Error = ve["name"], ve["domain"], ve["notes"]
	form.FormError = "Nothing was saved. Fix the fields marked below."
	fragment := ui.CompanyFormView(form, state(c).session.CSRFToken)
	if id != 0 {
		return view(c, 400, fragment, func() templ.Component {
			return ui.CompanyEditPage(s.settingsFrame(c, name, ui.Crumb{Label: "Companies", Path: "/settings/companies"}), id, form, "")
		})
	}
	return s.renderCompanies(c, 400, form, nil, "", fragment)
}

// companyEditPage is GET /settings/companies/ID.
func (s *Server) companyEditPage(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	co, err := people.CompanyFor(c.UserContext(), state(c).db, state(c).actor, id)
	if err != nil {
		return orgError(err)
	}
	form := companyForm("/settings/companies/"+strconv.FormatInt(id, 10), "Save company", co.Name, co.Domain, co.Notes)
	return render(c, 200, ui.CompanyEditPage(s.settingsFrame(c, co.Name, ui.Crumb{Label: "Companies", Path: "/settings/companies"}), id, form, ""))
}

// companyDelete is POST /settings/companies/ID/delete.
func (s *Server) companyDelete(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	err = people.DeleteCompany(c.UserContext(), state(c).db, s.by(c), id)
	var ve valid.Errors
	if errors.As(err, &ve) {
		co, cerr := people.CompanyFor(c.UserContext(), state(c).db, state(c).actor, id)
		if cerr != nil {
			return orgError(cerr)
		}
		form := companyForm("/settings/companies/"+strconv.FormatInt(id, 10), "Save company", co.Name, co.Domain, co.Notes)
		return render(c, 409, ui.CompanyEditPage(s.settingsFrame(c, co.Name, ui.Crumb{Label: "Companies", Path: "/settings/companies"}), id, form, ve["company"]))
	}
	if err != nil {
		return orgError(err)
	}
	return redirect(c, "/settings/companies")
}

// groupFormSubmit is POST /settings/companies/groups (new) and …/groups/ID.
func (s *Server) groupFormSubmit(c *fiber.Ctx) error {
	id, err := optionalID(c)
	if err != nil {
		return err
	}
	ids, err := formIDs(c, "company_ids")
	if err != nil {
		return err
	}
	_, err = people.SaveGroup(c.UserContext(), state(c).db, s.by(c), id, c.FormValue("name"), ids)
	var ve valid.Errors
	if errors.As(err, &ve) {
		msg := ve["name"] + ve["company_ids"]
		return s.renderCompanies(c, 400, companyForm("/settings/companies", "Add company", "", "", ""),
			&ui.GroupRow{Name: ui.Field{Name: "name", Value: c.FormValue("name"), Error: msg}}, "The group was not saved: "+msg, nil)
	}
	if err != nil {
		return orgError(err)
	}
	return redirect(c, "/settings/companies#groups")
}
