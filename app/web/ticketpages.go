package web

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/csvout"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tickets"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// The ticket pages (SPEC §7): the list with its filters and export, one
// ticket with its timeline, and the forms that change it. Every value
// shown comes from a tickets.View, which holds only what its reader may
// see; what the reader may do comes from the Detail and the policy.

// maxTicketExport bounds a CSV export of tickets.
const maxTicketExport = 10000

func ticketURL(id int64) string { return "/tickets/" + strconv.FormatInt(id, 10) }

// ticketsFrame is the frame of the ticket pages, under the reader's own
// name for the module ("Support"); pages below the list lead back to it.
func (s *Server) ticketsFrame(c *fiber.Ctx, title string) ui.Frame {
	return s.moduleFrame(c, policy.PageTickets, title)
}

// moduleFrame is the frame of a module's pages (tickets, Office 365)
// under the reader's own name for the module; title "" is the module's
// list, and pages below it lead back to it. Their data stays out of
// htmx's history cache.
func (s *Server) moduleFrame(c *fiber.Ctx, p policy.Page, title string) ui.Frame {
	label := policy.Label(state(c).actor, p)
	if title == "" {
		title = label
	}
	f := s.frame(c, title, p)
	f.NoHistory = true
	if info, _ := policy.Info(p); title != label {
		f.Crumbs = []ui.Crumb{{Label: label, Path: info.Path}}
	}
	return f
}

func statusBadge(st tickets.Status) ui.Badge {
	if st == "" {
		return ui.Badge{}
	}
	return ui.Badge{Class: "badge-status-" + strings.ReplaceAll(string(st), "_", "-"), Label: st.Label()}
}

func priorityBadge(p tickets.Priority) ui.Badge {
	if p == "" {
		return ui.Badge{}
	}
	return ui.Badge{Class: "badge-priority-" + string(p), Label: p.Label()}
}

// companyName is a ticket's company in words: the tenant's own work has none.
func companyName(r tickets.Ref) string {
	if r.ID == 0 {
		return "Internal"
	}
	return r.Name
}

func refName(r *tickets.Ref) string {
	if r == nil {
		return ""
	}
	return r.Name
}

// sees reports whether the reader sees field f of tickets at all: the
// columns, filters and export headers follow it.
func sees(a policy.Actor, cfg *tickets.Config, f policy.TicketField) bool {
	return policy.FieldAccess(a, cfg.Rules, f) != policy.Hidden
}

// --- the list -------------------------------------------------------------

// ticketList is the list's view: the filters the reader may use, with
// only the choices their scope reaches, and the columns they see.
func (s *Server) ticketList(c *fiber.Ctx, cfg *tickets.Config) (ui.ListView, ui.TicketColumns, error) {
	st := state(c)
	a := st.actor
	sort := c.Query("sort")
	if o, ok := tickets.Sorts.Find(sort); ok {
		sort = o.Name
	}
	l := ui.ListView{ID: "ticket-list", Path: "/tickets", Label: policy.Label(a, policy.PageTickets), Query: listQuery(c),
		One: "ticket", Many: "tickets", Sort: sort, Sorts: sortOptions(tickets.Sorts)}
	l.Filters = append(l.Filters, ui.ListFilter{Name: "q", Label: "Search", Type: "search", Value: c.Query("q"),
		Placeholder: "Title, description or notes", MaxLength: tickets.MaxSearch})
	companies, err := people.Companies(c.UserContext(), st.db, a)
	if err != nil {
		return l, ui.TicketColumns{}, err
	}
	if len(companies) > 1 {
		opts := []ui.Option{anyOption("All companies")}
		for _, co := range companies {
			opts = append(opts, ui.Option{Value: strconv.FormatInt(co.ID, 10), Label: co.Name})
		}
		l.Filters = append(l.Filters, ui.ListFilter{Name: "company", Label: "Company", Value: c.Query("company"), Options: opts})
	}
	if boards := cfg.BoardsFor(a); len(boards) > 1 {
		opts := []ui.Option{anyOption("All boards")}
		for _, b := range boards {
			opts = append(opts, ui.Option{Value: strconv.FormatInt(b.ID, 10), Label: b.Name})
		}
		l.Filters = append(l.Filters, ui.ListFilter{Name: "board", Label: "Board", Value: c.Query("board"), Options: opts})
	}
	cols := ui.TicketColumns{Status: sees(a, cfg, policy.FieldStatus), Priority: sees(a, cfg, policy.FieldPriority), Assignee: sees(a, cfg, policy.FieldAssignee)}
	if cols.Status {
		opts := []ui.Option{anyOption("Any status")}
		for _, x := range tickets.Statuses {
			opts = append(opts, ui.Option{Value: string(x), Label: x.Label()})
		}
		l.Filters = append(l.Filters, ui.ListFilter{Name: "status", Label: "Status", Value: c.Query("status"), Options: opts})
	}
	if cols.Priority {
		opts := []ui.Option{anyOption("Any priority")}
		for _, x := range tickets.Priorities {
			opts = append(opts, ui.Option{Value: string(x), Label: x.Label()})
		}
		l.Filters = append(l.Filters, ui.ListFilter{Name: "priority", Label: "Priority", Value: c.Query("priority"), Options: opts})
	}
	if cols.Assignee {
		people, err := tickets.AssignedIn(c.UserContext(), st.db, a, cfg)
		if err != nil {
			return l, cols, err
		}
		opts := []ui.Option{anyOption("Anyone"), {Value: "none", Label: "Unassigned"}}
		for _, p := range people {
			opts = append(opts, ui.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name})
		}
		l.Filters = append(l.Filters, ui.ListFilter{Name: "assignee", Label: "Assignee", Value: c.Query("assignee"), Options: opts})
	}
	l.Columns = []ui.Column{{Label: "Number"}, {Label: "Title"}, {Label: "Company"}}
	if cols.Status {
		l.Columns = append(l.Columns, ui.Column{Label: "Status"})
	}
	if cols.Priority {
		l.Columns = append(l.Columns, ui.Column{Label: "Priority"})
	}
	if cols.Assignee {
		l.Columns = append(l.Columns, ui.Column{Label: "Assignee"})
	}
	l.Columns = append(l.Columns, ui.Column{Label: "Updated", Asc: "updated", Desc: "-updated"})
	l.Empty = ui.Empty{Title: "No tickets yet", Text: "Tickets of your company appear here as they are opened."}
	if policy.Allows(a, settingsOf(st.tenant), policy.CreateTickets) {
		l.Empty = ui.Empty{Title: "No tickets yet", Text: "Open one with New ticket and follow it here.", ActionLabel: "New ticket", ActionURL: "/tickets/new"}
	}
	return l, cols, nil
}

func ticketRows(views []tickets.View) []ui.TicketRow {
	rows := make([]ui.TicketRow, 0, len(views))
	for _, v := range views {
		rows = append(rows, ui.TicketRow{Number: v.Number, Title: v.Title, URL: ticketURL(v.ID), Company: companyName(v.Company),
			Status: statusBadge(v.Status), Priority: priorityBadge(v.Priority), Assignee: refName(v.Assignee), Updated: v.UpdatedAt})
	}
	return rows
}

// maxTicketCount is where the tickets list's heading stops counting
// ("More than 1,000 tickets").
const maxTicketCount = 1000

// ticketsPage is GET /tickets: one page of the tickets the reader sees,
// filtered; htmx from the filters gets the list, "Load more" the next rows.
func (s *Server) ticketsPage(c *fiber.Ctx) error {
	st := state(c)
	cfg, err := s.ticketConfig(c)
	if err != nil {
		return err
	}
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	l, cols, err := s.ticketList(c, cfg)
	if err != nil {
		return err
	}
	status := 200
	q, errs := ticketQuery(c, pageTicketParams)
	var views []tickets.View
	next := ""
	if errs == nil {
		if rowsOnly(c, p, l) {
			views, next, err = tickets.List(c.UserContext(), st.db, st.actor, cfg, q, p)
		} else {
			views, next, l.Count, l.CountMore, err = tickets.ListCounted(c.UserContext(), st.db, st.actor, cfg, q, p, maxTicketCount)
		}
		if errs, err = listErrors(err); err != nil {
			return err
		}
	}
	if errs != nil {
		status, views, next = 400, nil, ""
		applyErrors(&l, errs)
	}
	rows := ticketRows(views)
	l.Rows, l.Next = len(rows), nextURL(c, "/tickets", next)
	now := time.Now()
	body := ui.TicketRows(rows, cols, l.Next, now)
	return listView(c, status, l, p, ui.ListRegion(l, body), body, func() (templ.Component, error) {
		v := ui.TicketsView{List: l, Rows: rows, Cols: cols, Desc: "Requests and incidents, with their notes and who works on them.",
			ExportURL: "/tickets.csv", Now: now}
		if qs := listQuery(c).Encode(); qs != "" {
			v.ExportURL += "?" + qs
		}
		if policy.Allows(st.actor, settingsOf(st.tenant), policy.CreateTickets) {
			v.NewURL = "/tickets/new"
		}
		return ui.TicketsPage(s.ticketsFrame(c, ""), v), nil
	})
}

// ticketsCSV is GET /tickets.csv: every ticket of the list with its
// filters, up to maxTicketExport, with a column for each field the reader
// sees and none for the others. Every cell is escaped (csvout).
func (s *Server) ticketsCSV(c *fiber.Ctx) error {
	st := state(c)
	cfg, err := s.ticketConfig(c)
	if err != nil {
		return err
	}
	q, errs := ticketQuery(c, pageTicketParams)
	if errs != nil {
		return errs
	}
	// The filters are checked before the first byte is written.
	if _, err := tickets.Count(c.UserContext(), st.db, st.actor, cfg, q); err != nil {
		return err
	}
	var fields []policy.TicketField
	header := []string{"number", "title", "company", "board"}
	for _, f := range cfg.Fields() {
		if f != policy.FieldTitle && sees(st.actor, cfg, f) {
			fields = append(fields, f)
			if _, custom := f.CustomFieldID(); custom {
				header = append(header, cfg.FieldLabel(f))
			} else {
				header = append(header, string(f))
			}
		}
	}
	header = append(header, "created_at", "updated_at", "url")
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="tickets-`+time.Now().UTC().Format("2006-01-02")+`.csv"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	w := csvout.NewWriter(c.Response().BodyWriter())
	_ = w.Write(header)
	maxRows := min(maxTicketExport, s.Config.Limits.ExportRows)
	page := store.Page{Limit: store.MaxLimit}
	for written := 0; ; {
		views, next, err := tickets.List(c.UserContext(), st.db, st.actor, cfg, q, page)
		if err != nil {
			return err
		}
		for i := range views {
			if written >= maxRows {
				c.Set("X-Export-Truncated", strconv.Itoa(maxRows))
				_ = w.Write([]string{"", fmt.Sprintf("The export stops at %d tickets. Narrow the filters to export the rest.", maxRows)})
				w.Flush()
				return w.Error()
			}
			v := &views[i]
			row := []string{strconv.FormatInt(v.Number, 10), v.Title, companyName(v.Company), v.Board.Name}
			for _, f := range fields {
				row = append(row, fieldValue(v, f))
			}
			row = append(row, v.CreatedAt.UTC().Format(time.RFC3339), v.UpdatedAt.UTC().Format(time.RFC3339), ticketURL(v.ID))
			_ = w.Write(row)
			written++
		}
		if next == "" {
			break
		}
		page.Cursor = next
	}
	w.Flush()
	return w.Error()
}

// fieldValue is field f of view v as a form and the export hold it; a
// field the reader does not see is blank in the view, so here too.
func fieldValue(v *tickets.View, f policy.TicketField) string {
	switch f {
	case policy.FieldTitle:
		return v.Title
	case policy.FieldDescription:
		return v.Description
	case policy.FieldStatus:
		return string(v.Status)
	case policy.FieldPriority:
		return string(v.Priority)
	case policy.FieldType:
		return string(v.Type)
	case policy.FieldContact:
		return refID(v.Contact)
	case policy.FieldAssignee:
		return refID(v.Assignee)
	case policy.FieldDueOn:
		return v.DueOn
	case policy.FieldTimeSpent:
		if !v.Shows(f) {
			return ""
		}
		return strconv.FormatInt(v.TimeSpent, 10)
	case policy.FieldBillingCode:
		return v.BillingCode
	case policy.FieldExternalID:
		return v.ExternalID
	}
	if id, ok := f.CustomFieldID(); ok {
		for _, cv := range v.Custom {
			if cv.Field.ID == id {
				return cv.Value
			}
		}
	}
	return ""
}

func refID(r *tickets.Ref) string {
	if r == nil {
		return ""
	}
	return strconv.FormatInt(r.ID, 10)
}

// --- one ticket -----------------------------------------------------------

// fieldName is the form field of ticket field f: its key, or custom_ID.
func fieldName(f policy.TicketField) string {
	if id, ok := f.CustomFieldID(); ok {
		return "custom_" + strconv.FormatInt(id, 10)
	}
	return string(f)
}

// formFieldOf maps the field of a domain error to the form's field name.
func formFieldOf(field string) string {
	switch field {
	case "board", "company", "contact":
		return field + "_id"
	}
	return fieldName(policy.TicketField(field))
}

// minutes says a time spent in words: "1 h 35 min".
func minutes(n int64) string {
	switch {
	case n < 60:
		return strconv.FormatInt(n, 10) + " min"
	case n%60 == 0:
		return strconv.FormatInt(n/60, 10) + " h"
	}
	return fmt.Sprintf("%d h %d min", n/60, n%60)
}

// ticketFacts are the details panel's values: each only when shown.
func ticketFacts(cfg *tickets.Config, v *tickets.View) []ui.Fact {
	out := []ui.Fact{{Label: "Company", Value: companyName(v.Company)}, {Label: "Board", Value: v.Board.Name}}
	for _, f := range cfg.Fields() {
		if f == policy.FieldTitle || f == policy.FieldDescription || !v.Shows(f) {
			continue
		}
		fact := ui.Fact{Label: cfg.FieldLabel(f)}
		switch f {
		case policy.FieldStatus:
			fact.Badge = statusBadge(v.Status)
		case policy.FieldPriority:
			fact.Badge = priorityBadge(v.Priority)
		case policy.FieldType:
			fact.Value = v.Type.Label()
		case policy.FieldContact:
			fact.Value = refName(v.Contact)
		case policy.FieldAssignee:
			fact.Value = refName(v.Assignee)
			if fact.Value == "" {
				fact.Value = "Unassigned"
			}
		case policy.FieldTimeSpent:
			fact.Value = minutes(v.TimeSpent)
		default:
			fact.Value = fieldValue(v, f)
		}
		out = append(out, fact)
	}
	return out
}

// ticketInputs are the form fields of the ticket fields edit reports
// editable, with values from v (nil: a new ticket's defaults) unless vals
// holds what was submitted, and errors from errs. Moving (board and
// company) is for readers with move.
func (s *Server) ticketInputs(c *fiber.Ctx, cfg *tickets.Config, v *tickets.View, edit func(policy.TicketField) bool, move bool, vals map[string]string, errs valid.Errors) ([]ui.TicketInput, error) {
	st := state(c)
	var out []ui.TicketInput
	value := func(name, def string) string {
		if x, ok := vals[name]; ok {
			return x
		}
		return def
	}
	if move {
		boards := make([]ui.Option, 0, len(cfg.Boards))
		for _, b := range cfg.Boards {
			boards = append(boards, ui.Option{Value: strconv.FormatInt(b.ID, 10), Label: b.Name})
		}
		companies, err := s.companyOptions(c, true)
		if err != nil {
			return nil, err
		}
		out = append(out,
			ui.TicketInput{Name: "company_id", Label: "Company", Kind: "select", Options: companies, Value: value("company_id", strconv.FormatInt(v.Company.ID, 10)), Error: errs["company_id"],
				Help: "Moving a ticket changes who sees it."},
			ui.TicketInput{Name: "board_id", Label: "Board", Kind: "select", Options: boards, Value: value("board_id", strconv.FormatInt(v.Board.ID, 10)), Error: errs["board_id"]})
	}
	for _, f := range cfg.Fields() {
		if !edit(f) || (v == nil && f == policy.FieldContact) {
			continue
		}
		def := ""
		if v != nil {
			def = fieldValue(v, f)
		}
		in := ui.TicketInput{Name: fieldName(f), Label: cfg.FieldLabel(f), Kind: "text", Error: errs[fieldName(f)]}
		switch f {
		case policy.FieldTitle:
			in.MaxLength, in.Required = tickets.MaxTitle, true
		case policy.FieldDescription:
			in.Kind, in.MaxLength = "textarea", tickets.MaxDescription
		case policy.FieldStatus:
			in.Kind = "select"
			for _, x := range tickets.Statuses {
				in.Options = append(in.Options, ui.Option{Value: string(x), Label: x.Label()})
			}
			if v == nil {
				def = string(tickets.StatusNew)
			}
		case policy.FieldPriority:
			in.Kind = "select"
			for _, x := range tickets.Priorities {
				in.Options = append(in.Options, ui.Option{Value: string(x), Label: x.Label()})
			}
			if v == nil {
				def = string(tickets.PriorityNormal)
			}
		case policy.FieldType:
			in.Kind = "select"
			for _, x := range tickets.Types {
				in.Options = append(in.Options, ui.Option{Value: string(x), Label: x.Label()})
			}
			if v == nil {
				def = string(tickets.TypeQuestion)
			}
		case policy.FieldContact:
			in.Kind = "select"
			cands, err := tickets.Candidates(c.UserContext(), st.db, cfg, v.Board.ID, v.Company.ID)
			if err != nil {
				return nil, err
			}
			in.Options = refOptions("No contact", cands, v.Contact)
		case policy.FieldAssignee:
			in.Kind = "select"
			members, err := tickets.Assignees(c.UserContext(), st.db)
			if err != nil {
				return nil, err
			}
			var cur *tickets.Ref
			if v != nil {
				cur = v.Assignee
			}
			in.Options = refOptions("Unassigned", members, cur)
		case policy.FieldDueOn:
			in.Kind = "date"
		case policy.FieldTimeSpent:
			in.Kind, in.Label = "number", "Time spent (minutes)"
		case policy.FieldBillingCode:
			in.MaxLength = tickets.MaxBillingCode
		case policy.FieldExternalID:
			in.MaxLength = tickets.MaxExternalID
		default:
			id, _ := f.CustomFieldID()
			cf, _ := cfg.CustomField(id)
			switch cf.Kind {
			case tickets.FieldNumber:
				in.Kind = "text"
				in.Help = "A number."
			case tickets.FieldDate:
				in.Kind = "date"
			case tickets.FieldChoice:
				in.Kind = "select"
				in.Options = []ui.Option{{Value: "", Label: "None"}}
				for _, ch := range cf.Choices {
					in.Options = append(in.Options, ui.Option{Value: ch, Label: ch})
				}
			default:
				in.MaxLength = tickets.MaxFieldValue
			}
		}
		in.Value = value(in.Name, def)
		out = append(out, in)
	}
	return out, nil
}

// refOptions are the choices of a person field: none first, then people,
// keeping the current one though they are no longer a choice.
func refOptions(none string, refs []tickets.Ref, cur *tickets.Ref) []ui.Option {
	out := []ui.Option{{Value: "", Label: none}}
	found := cur == nil
	for _, r := range refs {
		out = append(out, ui.Option{Value: strconv.FormatInt(r.ID, 10), Label: r.Name})
		found = found || r.ID == cur.ID
	}
	if !found {
		out = append(out, ui.Option{Value: strconv.FormatInt(cur.ID, 10), Label: cur.Name})
	}
	return out
}

// companyOptions are the companies in the reader's scope; with none, the
// "no company" choice of the tenant's own work comes first.
func (s *Server) companyOptions(c *fiber.Ctx, none bool) ([]ui.Option, error) {
	cs, err := people.Companies(c.UserContext(), state(c).db, state(c).actor)
	if err != nil {
		return nil, err
	}
	var out []ui.Option
	if none {
		out = append(out, ui.Option{Value: "0", Label: "No company (internal)"})
	}
	for _, co := range cs {
		out = append(out, ui.Option{Value: strconv.FormatInt(co.ID, 10), Label: co.Name})
	}
	return out, nil
}

// readTicketFields reads the ticket fields a form sends: each field
// present and, when cur is set, different from its value there (so a
// save changes only what was changed); on a new ticket (cur nil) empty
// fields keep their defaults. Whether the reader may set them is the
// domain's to decide.
func readTicketFields(c *fiber.Ctx, cfg *tickets.Config, cur *tickets.View) (tickets.Fields, map[string]string, valid.Errors) {
	var fs tickets.Fields
	vals := map[string]string{}
	errs := valid.Errors{}
	args := c.Request().PostArgs()
	for _, f := range cfg.Fields() {
		name := fieldName(f)
		if !args.Has(name) {
			continue
		}
		val := string(args.Peek(name))
		vals[name] = val
		if cur != nil && strings.TrimSpace(val) == fieldValue(cur, f) {
			continue
		}
		if cur == nil && strings.TrimSpace(val) == "" {
			continue
		}
		switch f {
		case policy.FieldTitle:
			fs.Title = &val
		case policy.FieldDescription:
			fs.Description = &val
		case policy.FieldStatus:
			x := tickets.Status(val)
			fs.Status = &x
		case policy.FieldPriority:
			x := tickets.Priority(val)
			fs.Priority = &x
		case policy.FieldType:
			x := tickets.Type(val)
			fs.Type = &x
		case policy.FieldContact, policy.FieldAssignee:
			id, ok := optionalRef(val)
			if !ok {
				errs.Add(name, "Choose someone from the list.")
				continue
			}
			if f == policy.FieldContact {
				fs.ContactID = &id
			} else {
				fs.AssigneeID = &id
			}
		case policy.FieldDueOn:
			fs.DueOn = &val
		case policy.FieldTimeSpent:
			n, err := strconv.ParseInt(strings.TrimSpace(val), 10, 64)
			if err != nil {
				errs.Add(name, "Enter the minutes spent, 0 or more.")
				continue
			}
			fs.TimeSpent = &n
		case policy.FieldBillingCode:
			fs.BillingCode = &val
		case policy.FieldExternalID:
			fs.ExternalID = &val
		default:
			id, _ := f.CustomFieldID()
			if fs.Custom == nil {
				fs.Custom = map[int64]string{}
			}
			fs.Custom[id] = val
		}
	}
	if len(errs) == 0 {
		errs = nil
	}
	return fs, vals, errs
}

// optionalRef reads a person's ID, "" (or 0) for nobody.
func optionalRef(s string) (int64, bool) {
	if s = strings.TrimSpace(s); s == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n >= 0
}

// ticketForm carries what a refused form sends back into the page.
type ticketForm struct {
	status   int
	details  *ui.DetailsPanel
	composer *ui.NoteForm
	watchErr string
}

// ticketPageView builds ticket id's page for the reader; a refused form's
// panel replaces the fresh one.
func (s *Server) ticketPageView(c *fiber.Ctx, cfg *tickets.Config, d *tickets.Detail, tf ticketForm) (ui.TicketDetail, error) {
	now := time.Now()
	v := &d.View
	out := ui.TicketDetail{Number: v.Number, Title: v.Title, Opened: v.CreatedAt, Updated: v.UpdatedAt, Now: now,
		Description: v.Description, ShowDesc: v.Shows(policy.FieldDescription), MoreNotes: d.MoreNotes,
		Meta: companyName(v.Company) + " · " + v.Board.Name}
	for _, b := range []ui.Badge{statusBadge(v.Status), priorityBadge(v.Priority)} {
		if b.Label != "" {
			out.Badges = append(out.Badges, b)
		}
	}
	if v.Type != "" {
		out.Badges = append(out.Badges, ui.Badge{Class: "badge-muted", Label: v.Type.Label()})
	}
	for _, n := range d.Notes {
		out.Notes = append(out.Notes, noteItem(cfg, n))
	}
	if tf.composer != nil {
		out.Composer = tf.composer
	} else if len(d.NoteTypes) > 0 {
		f := noteForm(c, d)
		out.Composer = &f
	}
	if tf.details != nil {
		out.Details = *tf.details
	} else {
		p, err := s.detailsPanel(c, cfg, d, nil, nil, "")
		if err != nil {
			return out, err
		}
		out.Details = p
	}
	if mayExplain(c) {
		out.Audience = "/tickets/" + strconv.FormatInt(v.ID, 10) + "/audience"
	}
	w, err := s.watchersPanel(c, cfg, d, tf.watchErr)
	out.Watchers = w
	return out, err
}

func noteItem(cfg *tickets.Config, n tickets.NoteView) ui.NoteItem {
	nt, _ := cfg.NoteType(n.Type.ID)
	return ui.NoteItem{ID: n.ID, Type: n.Type.Name, Internal: nt.MembersOnly(), Author: refName(n.Author), At: n.CreatedAt, Body: n.Body}
}

// noteForm is an empty composer offering the types the reader may add.
func noteForm(c *fiber.Ctx, d *tickets.Detail) ui.NoteForm {
	f := ui.NoteForm{Action: ticketURL(d.ID) + "/notes", CSRF: state(c).session.CSRFToken,
		Type: ui.Field{Name: "type"}, Body: ui.Field{Name: "body"}}
	for _, nt := range d.NoteTypes {
		f.Types = append(f.Types, ui.Option{Value: strconv.FormatInt(nt.ID, 10), Label: nt.Name})
	}
	if len(f.Types) > 0 {
		f.Type.Value = f.Types[0].Value
	}
	return f
}

// detailsPanel is the ticket's facts and, when the reader may change
// anything, its form: with the submitted values and errors after a refusal.
func (s *Server) detailsPanel(c *fiber.Ctx, cfg *tickets.Config, d *tickets.Detail, vals map[string]string, errs valid.Errors, formErr string) (ui.DetailsPanel, error) {
	p := ui.DetailsPanel{Action: ticketURL(d.ID), Facts: ticketFacts(cfg, &d.View), CSRF: state(c).session.CSRFToken,
		Open: vals != nil, Error: formErr}
	if d.Editable() || d.CanMove {
		ins, err := s.ticketInputs(c, cfg, &d.View, d.Edits, d.CanMove, vals, errs)
		if err != nil {
			return p, err
		}
		p.Inputs = ins
	}
	return p, nil
}

// watchersPanel lists the watchers with the buttons the reader may use:
// remove (or stop watching oneself) and add one of the ticket's candidates.
func (s *Server) watchersPanel(c *fiber.Ctx, cfg *tickets.Config, d *tickets.Detail, errMsg string) (ui.WatchersPanel, error) {
	st := state(c)
	base := ticketURL(d.ID) + "/watchers"
	p := ui.WatchersPanel{Action: base, CanAdd: d.CanAddWatchers, Error: errMsg, CSRF: st.session.CSRFToken}
	writes := policy.Allows(st.actor, settingsOf(st.tenant), policy.EditTickets)
	watching := map[int64]bool{}
	for _, w := range d.Watchers {
		watching[w.ID] = true
		item := ui.WatcherItem{Name: w.Name, Self: w.ID == st.actor.UserID}
		if writes && policy.CanRemoveWatcher(st.actor, cfg.Rules, d.Facts(), w.ID) {
			item.RemoveURL = base + "/" + strconv.FormatInt(w.ID, 10) + "/remove"
		}
		p.Watchers = append(p.Watchers, item)
	}
	if d.CanAddWatchers {
		cands, err := tickets.Candidates(c.UserContext(), st.db, cfg, d.Board.ID, d.Company.ID)
		if err != nil {
			return p, err
		}
		for _, r := range cands {
			if !watching[r.ID] {
				if len(p.Candidates) == 0 {
					p.Candidates = append(p.Candidates, ui.Option{Value: "", Label: "Choose a person"})
				}
				p.Candidates = append(p.Candidates, ui.Option{Value: strconv.FormatInt(r.ID, 10), Label: r.Name})
			}
		}
	}
	return p, nil
}

// loadTicket reads ticket id's page for the reader: 404 outside their scope.
func (s *Server) loadTicket(c *fiber.Ctx) (*tickets.Config, *tickets.Detail, error) {
	id, err := paramID(c)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := s.ticketConfig(c)
	if err != nil {
		return nil, nil, err
	}
	d, err := tickets.GetDetail(c.UserContext(), state(c).db, state(c).actor, cfg, id)
	return cfg, d, err
}

// renderTicket answers with ticket d's whole page, or fragment for htmx.
func (s *Server) renderTicket(c *fiber.Ctx, cfg *tickets.Config, d *tickets.Detail, tf ticketForm, fragment templ.Component) error {
	status := tf.status
	if status == 0 {
		status = 200
	}
	return viewErr(c, status, fragment, func() (templ.Component, error) {
		v, err := s.ticketPageView(c, cfg, d, tf)
		if err != nil {
			return nil, err
		}
		return ui.TicketPage(s.ticketsFrame(c, fmt.Sprintf("#%d %s", d.Number, d.Title)), v), nil
	})
}

// ticketPage is GET /tickets/ID.
func (s *Server) ticketPage(c *fiber.Ctx) error {
	cfg, d, err := s.loadTicket(c)
	if err != nil {
		return err
	}
	return s.renderTicket(c, cfg, d, ticketForm{}, nil)
}

// refusal sorts a domain error of a form into messages by field and the
// status that answers them; any other error is returned as it is.
func refusal(err error, errs valid.Errors) (int, error) {
	var ve valid.Errors
	var ff *policy.ErrFieldForbidden
	switch {
	case errors.As(err, &ve):
		for k, m := range ve {
			errs.Add(formFieldOf(k), m)
		}
		return 400, nil
	case errors.As(err, &ff):
		errs.Add(formFieldOf(ff.Field), "You can't change this.")
		return 403, nil
	case errors.Is(err, tickets.ErrConflict):
		errs.Add("external_id", "Another ticket already has this external ID.")
		return 409, nil
	}
	return 0, err
}

// ticketEdit is POST /tickets/ID: the changed fields of the details form.
// htmx gets the details panel back (and the summary out of band).
func (s *Server) ticketEdit(c *fiber.Ctx) error {
	st := state(c)
	cfg, d, err := s.loadTicket(c)
	if err != nil {
		return err
	}
	fs, vals, errs := readTicketFields(c, cfg, &d.View)
	status := 400
	if errs == nil {
		errs = valid.Errors{}
		args := c.Request().PostArgs()
		for _, m := range []struct {
			name string
			cur  int64
			dst  **int64
		}{{"board_id", d.Board.ID, &fs.BoardID}, {"company_id", d.Company.ID, &fs.CompanyID}} {
			if !args.Has(m.name) {
				continue
			}
			raw := string(args.Peek(m.name))
			vals[m.name] = raw
			n, err := strconv.ParseInt(raw, 10, 64)
			if err != nil || n < 0 {
				errs.Add(m.name, "Choose from the list.")
			} else if n != m.cur {
				*m.dst = &n
			}
		}
		if len(errs) == 0 {
			_, err = tickets.Update(c.UserContext(), st.db, s.ticketsBy(c), d.ID, fs)
			if err == nil {
				s.wakeMail()
				return s.ticketSaved(c, d.ID, fs.Title != nil)
			}
			if status, err = refusal(err, errs); err != nil {
				return err
			}
		}
	}
	p, err := s.detailsPanel(c, cfg, d, vals, errs, "Nothing was saved. Fix the fields marked below.")
	if err != nil {
		return err
	}
	return s.renderTicket(c, cfg, d, ticketForm{status: status, details: &p}, ui.TicketDetails(p))
}

// ticketSaved answers a saved change: the page again without htmx; with
// it, the details panel and the summary, or the whole page when the title
// (in the top bar) changed.
func (s *Server) ticketSaved(c *fiber.Ctx, id int64, retitled bool) error {
	if !isHTMX(c) {
		return redirect(c, ticketURL(id))
	}
	if retitled {
		c.Set("HX-Refresh", "true")
		return c.SendStatus(fiber.StatusNoContent)
	}
	cfg, d, err := s.loadTicket(c)
	if errors.Is(err, tickets.ErrNotFound) {
		// Moved out of the reader's sight.
		return redirect(c, "/tickets")
	}
	if err != nil {
		return err
	}
	v, err := s.ticketPageView(c, cfg, d, ticketForm{})
	if err != nil {
		return err
	}
	c.Set("HX-Trigger", `{"toast":{"message":"Saved.","kind":"success"}}`)
	return render(c, 200, templ.Join(ui.TicketDetails(v.Details), ui.TicketSummary(v, true)))
}

// ticketNoteAdd is POST /tickets/ID/notes: htmx gets the new note, which
// it appends to the timeline, and an empty composer; a refusal re-renders
// the composer with its messages.
func (s *Server) ticketNoteAdd(c *fiber.Ctx) error {
	st := state(c)
	cfg, d, err := s.loadTicket(c)
	if err != nil {
		return err
	}
	typ, body := c.FormValue("type"), c.FormValue("body")
	errs := valid.Errors{}
	status := 400
	typeID, perr := strconv.ParseInt(typ, 10, 64)
	if perr != nil || typeID <= 0 {
		errs.Add("type", "Choose a kind of note from the list.")
	} else {
		n, err := tickets.AddNote(c.UserContext(), st.db, s.ticketsBy(c), d.ID, typeID, body)
		if err == nil {
			s.wakeMail()
			if !isHTMX(c) {
				return redirect(c, ticketURL(d.ID)+"#note-"+strconv.FormatInt(n.ID, 10))
			}
			return render(c, 200, ui.NoteAdded(noteItem(cfg, *n), time.Now(), noteForm(c, d)))
		}
		var ff *policy.ErrFieldForbidden
		if errors.As(err, &ff) {
			errs.Add("type", "You can't add this kind of note.")
			status = 403
		} else if status, err = refusal(err, errs); err != nil {
			return err
		}
	}
	form := noteForm(c, d)
	form.Type.Value, form.Body.Value = typ, body
	form.Type.Error, form.Body.Error = errs["type"], errs["body"]
	form.FormError = "The note was not added. Fix the fields marked below."
	if isHTMX(c) {
		c.Set("HX-Retarget", "#note-form")
		c.Set("HX-Reswap", "outerHTML")
	}
	return s.renderTicket(c, cfg, d, ticketForm{status: status, composer: &form}, ui.NoteComposer(form, false))
}

// ticketWatcherAdd is POST /tickets/ID/watchers (user_id).
func (s *Server) ticketWatcherAdd(c *fiber.Ctx) error {
	uid, err := strconv.ParseInt(c.FormValue("user_id"), 10, 64)
	if err != nil || uid <= 0 {
		err = valid.Errors{"user": "Choose a person from the list."}
	} else {
		id, perr := paramID(c)
		if perr != nil {
			return perr
		}
		err = tickets.AddWatcher(c.UserContext(), state(c).db, s.ticketsBy(c), id, uid)
	}
	return s.watchersAnswer(c, err)
}

// ticketWatcherRemove is POST /tickets/ID/watchers/USER_ID/remove.
func (s *Server) ticketWatcherRemove(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	uid, err := paramIDOf(c, "user_id")
	if err != nil {
		return err
	}
	return s.watchersAnswer(c, tickets.RemoveWatcher(c.UserContext(), state(c).db, s.ticketsBy(c), id, uid))
}

// watchersAnswer answers a change of watchers: the panel for htmx, the
// page otherwise; a refused choice is shown in the panel.
func (s *Server) watchersAnswer(c *fiber.Ctx, changeErr error) error {
	var ve valid.Errors
	if changeErr != nil && !errors.As(changeErr, &ve) {
		return changeErr
	}
	cfg, d, err := s.loadTicket(c)
	if errors.Is(err, tickets.ErrNotFound) && changeErr == nil {
		// Someone who sees only their own tickets stopped watching this one.
		return redirect(c, "/tickets")
	}
	if err != nil {
		return err
	}
	if changeErr == nil && !isHTMX(c) {
		return redirect(c, ticketURL(d.ID))
	}
	msg, status := "", 200
	if ve != nil {
		msg, status = ve["user"], 400
	}
	p, err := s.watchersPanel(c, cfg, d, msg)
	if err != nil {
		return err
	}
	return s.renderTicket(c, cfg, d, ticketForm{status: status, watchErr: msg}, ui.TicketWatchers(p))
}
