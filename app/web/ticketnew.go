package web

import (
	"slices"
	"strconv"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/tickets"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// newTicketForm is the new-ticket form for the reader: the companies in
// their scope (and no company, where a board takes the tenant's own
// work), the boards they may open a ticket on for the chosen company, the
// contact when they may choose one, and the fields they may set. vals
// holds what was chosen or submitted.
func (s *Server) newTicketForm(c *fiber.Ctx, cfg *tickets.Config, vals map[string]string, errs valid.Errors) (ui.NewTicketForm, error) {
	st := state(c)
	a, r := st.actor, cfg.Rules
	form := ui.NewTicketForm{Action: "/tickets", CSRF: st.session.CSRFToken,
		Company:  ui.Field{Name: "company_id", Value: vals["company_id"], Error: errs["company_id"]},
		Board:    ui.Field{Name: "board_id", Value: vals["board_id"], Error: errs["board_id"]},
		Title:    ui.Field{Name: "title", Value: vals["title"], Error: errs["title"]},
		Desc:     ui.Field{Name: "description", Value: vals["description"], Error: errs["description"]},
		ShowDesc: policy.FieldAccess(a, r, policy.FieldDescription) == policy.Edit,
	}
	internal := slices.ContainsFunc(cfg.Boards, func(b tickets.Board) bool { return policy.CanCreateTicket(a, r, b.ID, 0) })
	companies, err := s.companyOptions(c, false)
	if err != nil {
		return form, err
	}
	if internal {
		companies = append(companies, ui.Option{Value: "0", Label: "No company (internal)"})
	}
	form.Companies = companies
	if !slices.ContainsFunc(companies, func(o ui.Option) bool { return o.Value == form.Company.Value }) && len(companies) > 0 {
		form.Company.Value = companies[0].Value
	}
	companyID, _ := strconv.ParseInt(form.Company.Value, 10, 64)
	for _, b := range cfg.Boards {
		if policy.CanCreateTicket(a, r, b.ID, companyID) {
			form.Boards = append(form.Boards, ui.Option{Value: strconv.FormatInt(b.ID, 10), Label: b.Name})
		}
	}
	if !slices.ContainsFunc(form.Boards, func(o ui.Option) bool { return o.Value == form.Board.Value }) && len(form.Boards) > 0 {
		form.Board.Value = form.Boards[0].Value
	}
	boardID, _ := strconv.ParseInt(form.Board.Value, 10, 64)
	if choice := policy.ContactChoiceOf(a); choice != policy.ContactSelf && boardID != 0 {
		cands, err := tickets.Candidates(c.UserContext(), st.db, cfg, boardID, companyID)
		if err != nil {
			return form, err
		}
		contact := &ui.Field{Name: "contact_id", Value: vals["contact_id"], Error: errs["contact_id"]}
		if choice == policy.ContactAnyone {
			form.Contacts = append(form.Contacts, ui.Option{Value: "", Label: "No contact"})
		} else if _, chosen := vals["contact_id"]; !chosen {
			contact.Value = strconv.FormatInt(a.UserID, 10)
		}
		for _, p := range cands {
			form.Contacts = append(form.Contacts, ui.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name})
		}
		if len(form.Contacts) > 0 {
			form.Contact = contact
		}
	}
	creates := func(f policy.TicketField) bool {
		return f != policy.FieldTitle && f != policy.FieldDescription && policy.FieldAccess(a, r, f) == policy.Edit
	}
	form.Inputs, err = s.ticketInputs(c, cfg, nil, creates, false, vals, errs)
	if err != nil {
		return form, err
	}
	if len(errs) > 0 {
		form.FormError = "The ticket was not opened. Fix the fields marked below."
	}
	return form, nil
}

// newTicketPage is GET /tickets/new; with company_id (and board_id) it
// preselects them, and htmx asking for the board and contact part
// (#new-ticket-where) after a change of company gets that part alone.
func (s *Server) newTicketPage(c *fiber.Ctx) error {
	cfg, err := s.ticketConfig(c)
	if err != nil {
		return err
	}
	vals := map[string]string{}
	for _, k := range []string{"company_id", "board_id"} {
		if v := c.Query(k); v != "" {
			vals[k] = v
		}
	}
	form, err := s.newTicketForm(c, cfg, vals, nil)
	if err != nil {
		return err
	}
	var fragment templ.Component
	if c.Get("HX-Target") == "new-ticket-where" {
		fragment = ui.NewTicketWhere(form)
	}
	return viewErr(c, 200, fragment, func() (templ.Component, error) {
		return ui.NewTicketPage(s.ticketsFrame(c, "New ticket"), form), nil
	})
}

// newTicketSubmit is POST /tickets: opens the ticket and goes to it.
func (s *Server) newTicketSubmit(c *fiber.Ctx) error {
	cfg, err := s.ticketConfig(c)
	if err != nil {
		return err
	}
	fs, vals, errs := readTicketFields(c, cfg, nil)
	if errs == nil {
		errs = valid.Errors{}
	}
	in := tickets.NewTicket{Fields: fs}
	for _, p := range []struct {
		name string
		dst  *int64
	}{{"company_id", &in.CompanyID}, {"board_id", &in.BoardID}} {
		raw := c.FormValue(p.name)
		vals[p.name] = raw
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n < 0 {
			errs.Add(p.name, "Choose from the list.")
			continue
		}
		*p.dst = n
	}
	for _, k := range []string{"title", "description"} {
		vals[k] = c.FormValue(k)
	}
	title, desc := vals["title"], vals["description"]
	in.Title = &title
	if desc != "" {
		in.Description = &desc
	}
	if raw, ok := c.FormValue("contact_id"), c.Request().PostArgs().Has("contact_id"); ok {
		vals["contact_id"] = raw
		if id, good := optionalRef(raw); !good {
			errs.Add("contact_id", "Choose someone from the list.")
		} else if id != 0 {
			in.ContactID = &id
		}
	}
	status := 400
	if len(errs) == 0 {
		v, err := tickets.Create(c.UserContext(), state(c).db, s.ticketsBy(c), in)
		if err == nil {
			s.wakeMail()
			return redirect(c, ticketURL(v.ID))
		}
		if status, err = refusal(err, errs); err != nil {
			return err
		}
		if status == 403 && errs["board_id"] != "" {
			errs["board_id"] = "You can't open a ticket on this board for this company. Choose another."
		}
	}
	form, err := s.newTicketForm(c, cfg, vals, errs)
	if err != nil {
		return err
	}
	return viewErr(c, status, ui.NewTicketFormView(form), func() (templ.Component, error) {
		return ui.NewTicketPage(s.ticketsFrame(c, "New ticket"), form), nil
	})
}
