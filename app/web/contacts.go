package web

import (
	"errors"
	"slices"
	"strconv"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/contacts"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// contactValues are a contact form's fields as typed.
type contactValues struct {
	company, name, title, email, phone, notes, user, externalID string
	// userName names the linked user, kept as a choice when they are no
	// longer one (deactivated, say), so saving the form keeps the link.
	userName string
}

func contactValuesOf(v *contacts.Contact) contactValues {
	cv := contactValues{company: strconv.FormatInt(v.Company.ID, 10), name: v.Name, title: v.Title, email: v.Email, phone: v.Phone, notes: v.Notes}
	if v.User != nil {
		cv.user, cv.userName = strconv.FormatInt(v.User.ID, 10), v.User.Name
	}
	if v.ExternalID != nil {
		cv.externalID = *v.ExternalID
	}
	return cv
}

// contactForm is the form that adds (id 0) or changes contact id, with the
// companies the actor may edit contacts of and the portal users of those
// companies as choices, and the messages of errs by their fields.
func (s *Server) contactForm(c *fiber.Ctx, id int64, v contactValues, errs valid.Errors) (*ui.ContactForm, error) {
	st := state(c)
	cs, err := contacts.Companies(c.UserContext(), st.db, st.actor)
	if err != nil {
		return nil, err
	}
	users, err := contacts.Candidates(c.UserContext(), st.db, st.actor)
	if err != nil {
		return nil, err
	}
	form := &ui.ContactForm{Action: "/contacts", Submit: "Add contact",
		Company:        ui.Field{Name: "company_id", Value: v.company, Error: errs["company"]},
		Name:           ui.Field{Name: "name", Value: v.name, Error: errs["name"]},
		Title:          ui.Field{Name: "title", Value: v.title, Error: errs["title"]},
		Email:          ui.Field{Name: "email", Value: v.email, Error: errs["email"]},
		Phone:          ui.Field{Name: "phone", Value: v.phone, Error: errs["phone"]},
		Notes:          ui.Field{Name: "notes", Value: v.notes, Error: errs["notes"]},
		User:           ui.Field{Name: "user_id", Value: v.user, Error: errs["user"]},
		ExternalID:     ui.Field{Name: "external_id", Value: v.externalID, Error: errs["external_id"]},
		ShowExternalID: policy.CanSetContactExternalID(st.actor),
		Users:          []ui.Option{{Value: "", Label: "No portal account"}},
	}
	if id != 0 {
		form.Action, form.Submit = "/contacts/"+strconv.FormatInt(id, 10), "Save contact"
	}
	names := map[int64]string{}
	for _, co := range cs {
		if policy.CanEditContact(st.actor, co.ID) {
			form.Companies = append(form.Companies, ui.Option{Value: strconv.FormatInt(co.ID, 10), Label: co.Name})
			names[co.ID] = co.Name
		}
	}
	if len(form.Companies) > 1 {
		form.Companies = append([]ui.Option{{Value: "", Label: "Choose a company"}}, form.Companies...)
	}
	for _, u := range users {
		label := u.Name
		if len(names) > 1 {
			label += " (" + names[u.CompanyID] + ")"
		}
		form.Users = append(form.Users, ui.Option{Value: strconv.FormatInt(u.ID, 10), Label: label})
	}
	if v.user != "" && v.userName != "" && !slices.ContainsFunc(form.Users, func(o ui.Option) bool { return o.Value == v.user }) {
		form.Users = append(form.Users, ui.Option{Value: v.user, Label: v.userName})
	}
	if len(errs) > 0 {
		form.FormError = "Nothing was saved. Fix the fields marked below."
	}
	return form, nil
}

// contactsPage is GET /contacts.
func (s *Server) contactsPage(c *fiber.Ctx) error { return s.renderContacts(c, 200, nil, nil) }

// renderContacts is the contacts page: the list with its search, company
// filter (shown when there is more than one company) and sort, and for
// those who may add contacts the form; an htmx request gets fragment when
// one is given (a refused form), else the list or the next rows.
func (s *Server) renderContacts(c *fiber.Ctx, status int, form *ui.ContactForm, fragment templ.Component) error {
	st := state(c)
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	q, qerr := contactQuery(c)
	if c.Method() != fiber.MethodGet {
		p, q, qerr = store.Page{}, contacts.Query{}, nil
	}
	cs, err := contacts.Companies(c.UserContext(), st.db, st.actor)
	if err != nil {
		return err
	}
	sort := q.Sort
	if o, ok := contacts.Sorts.Find(sort); ok {
		sort = o.Name
	}
	mayEdit := policy.Allows(st.actor, settingsOf(st.tenant), policy.EditContacts)
	l := ui.ListView{ID: "contact-list", Path: "/contacts", Label: "Contacts", Query: listQuery(c), One: "contact", Many: "contacts",
		Sort: sort, Sorts: sortOptions(contacts.Sorts),
		Filters: []ui.ListFilter{{Name: "q", Label: "Search", Type: "search", Value: q.Q, Placeholder: "Name or email", MaxLength: contacts.MaxSearch}},
		Columns: []ui.Column{{Label: "Name", Asc: "name", Desc: "-name"}, {Label: "Email"}, {Label: "Phone"}, {Label: "Company"}, {Label: "Portal user"}},
		Empty:   ui.Empty{Title: "No contacts yet", Text: "When the people you work with at your company are added, they appear here."}}
	if mayEdit {
		l.Empty = ui.Empty{Title: "No contacts yet", Text: "Add the people you work with, with their email, phone and job title.", ActionLabel: "Add contact", ActionURL: "#add-contact"}
	}
	if len(cs) <= 1 {
		l.Columns = slices.DeleteFunc(l.Columns, func(col ui.Column) bool { return col.Label == "Company" })
	} else {
		opts := []ui.Option{anyOption("All companies")}
		for _, co := range cs {
			opts = append(opts, ui.Option{Value: strconv.FormatInt(co.ID, 10), Label: co.Name})
		}
		l.Filters = append(l.Filters, ui.ListFilter{Name: "company_id", Label: "Company", Value: c.Query("company_id"), Options: opts})
	}
	if c.Method() != fiber.MethodGet {
		for i := range l.Filters {
			l.Filters[i].Value = ""
		}
	}
	list, next, err := fillList(&l, &status, qerr,
		func() ([]contacts.Contact, string, error) {
			return contacts.List(c.UserContext(), st.db, st.actor, q, p)
		},
		func() (int, error) { return contacts.Count(c.UserContext(), st.db, st.actor, q) })
	if err != nil {
		return err
	}
	rows := make([]ui.ContactRow, 0, len(list))
	for i := range list {
		r := contactRow(&list[i])
		if len(cs) <= 1 {
			r.Company = ""
		}
		rows = append(rows, r)
	}
	l.Rows, l.Next = len(rows), nextURL(c, "/contacts", next)
	page := func() (templ.Component, error) {
		if form == nil && mayEdit {
			var err error
			if form, err = s.contactForm(c, 0, contactValues{}, nil); err != nil {
				return nil, err
			}
		}
		if form != nil && len(form.Companies) == 0 {
			form = nil
		}
		label := policy.Label(st.actor, policy.PageContacts)
		return ui.ContactsPage(s.frame(c, label, policy.PageContacts), policy.Descriptions[policy.PageContacts], l, rows, form), nil
	}
	if fragment != nil {
		return viewErr(c, status, fragment, page)
	}
	body := ui.ContactRows(rows, l.Next)
	return listView(c, status, l, p, ui.ListRegion(l, body), body, page)
}

func contactRow(v *contacts.Contact) ui.ContactRow {
	r := ui.ContactRow{ID: v.ID, Name: v.Name, Title: v.Title, Email: v.Email, Phone: v.Phone, Company: v.Company.Name}
	if v.User != nil {
		r.User = v.User.Name
	}
	return r
}

// contactPage is GET /contacts/ID: the contact's form for those who may
// edit it, its details for everyone else who sees it; 404 outside the scope.
func (s *Server) contactPage(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	st := state(c)
	v, err := contacts.Get(c.UserContext(), st.db, st.actor, id)
	if err != nil {
		return err
	}
	d := ui.ContactDetail{Row: contactRow(v), Notes: v.Notes}
	if v.ExternalID != nil {
		d.ExternalID = *v.ExternalID
	}
	if policy.Allows(st.actor, settingsOf(st.tenant), policy.EditContacts) && policy.CanEditContact(st.actor, v.Company.ID) {
		if d.Form, err = s.contactForm(c, id, contactValuesOf(v), nil); err != nil {
			return err
		}
	}
	return render(c, 200, ui.ContactPage(s.contactFrame(c, v.Name), d))
}

func (s *Server) contactFrame(c *fiber.Ctx, title string) ui.Frame {
	f := s.frame(c, title, policy.PageContacts)
	f.Crumbs = []ui.Crumb{{Label: policy.Label(state(c).actor, policy.PageContacts), Path: "/contacts"}}
	return f
}

// formInt is the ID in a form field: nil when empty, an error for field
// when it is not a positive number.
func formInt(c *fiber.Ctx, name, field string) (*int64, error) {
	v := c.FormValue(name)
	if v == "" {
		return nil, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return nil, valid.Errors{field: "Choose from the list."}
	}
	return &id, nil
}

// contactFormSubmit is POST /contacts (add) and POST /contacts/ID (save).
func (s *Server) contactFormSubmit(c *fiber.Ctx) error {
	id, err := optionalID(c)
	if err != nil {
		return err
	}
	st := state(c)
	v := contactValues{company: c.FormValue("company_id"), name: c.FormValue("name"), title: c.FormValue("title"), email: c.FormValue("email"),
		phone: c.FormValue("phone"), notes: c.FormValue("notes"), user: c.FormValue("user_id"), externalID: c.FormValue("external_id")}
	in := contacts.ContactInput{Name: &v.name, Title: &v.title, Email: &v.email, Phone: &v.phone, Notes: &v.notes}
	if policy.CanSetContactExternalID(st.actor) {
		in.ExternalID = &v.externalID
	}
	in.CompanyID, err = formInt(c, "company_id", "company")
	if err == nil {
		in.UserID, err = formInt(c, "user_id", "user")
		if in.UserID == nil && err == nil {
			in.UserID = new(int64)
		}
	}
	if err == nil {
		if id == 0 {
			_, err = contacts.Create(c.UserContext(), st.db, s.contactsBy(c), in)
		} else {
			_, err = contacts.Update(c.UserContext(), st.db, s.contactsBy(c), id, in)
		}
	}
	if err == nil {
		return redirect(c, "/contacts")
	}
	var ve valid.Errors
	if !errors.As(err, &ve) {
		return err
	}
	form, err := s.contactForm(c, id, v, ve)
	if err != nil {
		return err
	}
	fragment := ui.ContactFormView(*form, st.session.CSRFToken)
	if id != 0 {
		return view(c, 400, fragment, func() templ.Component {
			return ui.ContactPage(s.contactFrame(c, v.name), ui.ContactDetail{Row: ui.ContactRow{ID: id, Name: v.name}, Form: form})
		})
	}
	return s.renderContacts(c, 400, form, fragment)
}

// contactDelete is POST /contacts/ID/delete.
func (s *Server) contactDelete(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := contacts.Delete(c.UserContext(), state(c).db, s.contactsBy(c), id); err != nil {
		return err
	}
	return redirect(c, "/contacts")
}
