package web

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/reports"
	"github.com/atrium-portal/atrium/app/tickets"
	"github.com/atrium-portal/atrium/app/valid"
	"github.com/atrium-portal/atrium/ui"
)

// The report pages (SPEC §8): the list, one report, its print view and,
// for members, the editor with its preview as the company's viewers read
// it. Every document shown is built by reportDoc from a reports.View,
// which holds only the parts its reader may see.

func reportURL(id int64) string { return "/reports/" + strconv.FormatInt(id, 10) }

// reportErr maps the reports package's refusals to answers: a report
// outside the reader's scope is 404, one they may read but not change 403.
func reportErr(err error) error {
	switch {
	case errors.Is(err, reports.ErrNotFound):
		return errNotFound
	case errors.Is(err, reports.ErrForbidden):
		return errForbidden
	}
	return err
}

// reportsBy is who changes a report in this request.
func (s *Server) reportsBy(c *fiber.Ctx) reports.By {
	return reports.By{Actor: state(c).actor, Who: s.who(c)}
}

// reportsFrame is the frame of the report pages, under the reader's own
// name for the module; pages below the list lead back to it.
func (s *Server) reportsFrame(c *fiber.Ctx, title string) ui.Frame {
	label := policy.Label(state(c).actor, policy.PageReports)
	if title == "" {
		title = label
	}
	f := s.frame(c, title, policy.PageReports)
	f.NoHistory = true
	if title != label {
		f.Crumbs = []ui.Crumb{{Label: label, Path: "/reports"}}
	}
	return f
}

func reportStatusBadge(st reports.Status) ui.Badge {
	if st == reports.Published {
		return ui.Badge{Class: "badge-published", Label: st.Label()}
	}
	return ui.Badge{Class: "badge-muted", Label: st.Label()}
}

func rockBadge(st reports.RockStatus) ui.Badge {
	return ui.Badge{Class: "badge-rock-" + strings.ReplaceAll(string(st), "_", "-"), Label: st.Label()}
}

// reportDoc is view v as a document. Members (who alone may see drafts and
// internal parts) get the status and the internal badges.
func reportDoc(a policy.Actor, v *reports.View) ui.ReportDoc {
	d := ui.ReportDoc{Title: v.Title, Company: v.Company.Name, Period: v.Period(),
		ViewURL: reportURL(v.ID), PrintURL: reportURL(v.ID) + "/print"}
	members := policy.CanSeeInternalParts(a)
	if members {
		d.Status, d.ShowInternal = reportStatusBadge(v.Status), true
	}
	if v.CanEdit {
		d.EditURL = reportURL(v.ID) + "/edit"
	}
	for _, p := range v.Parts {
		up := ui.ReportPart{ID: p.ID, Title: p.Title, Kind: string(p.Kind), Internal: p.InternalOnly, HTML: p.HTML}
		for _, m := range p.Metrics {
			up.Metrics = append(up.Metrics, ui.ReportMetric{Label: m.Label, Value: m.Value, Target: m.Target})
		}
		for _, r := range p.Rocks {
			up.Rocks = append(up.Rocks, ui.ReportRock{Title: r.Title, Owner: r.Owner, Status: rockBadge(r.Status)})
		}
		if p.Tickets != nil {
			switch p.Kind {
			case reports.KindTicketSummary:
				up.Tickets = reportTickets(p.Tickets)
			case reports.KindChart:
				up.Chart = &ui.ReportChart{ID: "chart-" + strconv.FormatInt(p.ID, 10)}
				for _, w := range p.Tickets.Weeks {
					up.Chart.Weeks = append(up.Chart.Weeks, ui.ChartWeek{Label: w.Start.Format("Jan 2"), Opened: w.Opened, Closed: w.Closed})
				}
			}
		}
		d.Parts = append(d.Parts, up)
	}
	return d
}

func reportTickets(a *tickets.Activity) *ui.ReportTickets {
	t := &ui.ReportTickets{Opened: a.Opened}
	for _, st := range tickets.Statuses {
		if n := a.ByStatus[st]; n > 0 {
			t.ByStatus = append(t.ByStatus, ui.ReportCount{Label: st.Label(), Badge: statusBadge(st), N: n})
		}
	}
	for i := len(tickets.Priorities) - 1; i >= 0; i-- {
		p := tickets.Priorities[i]
		if n := a.ByPriority[p]; n > 0 {
			t.ByPriority = append(t.ByPriority, ui.ReportCount{Label: p.Label(), Badge: priorityBadge(p), N: n})
		}
	}
	return t
}

// --- the list -------------------------------------------------------------

// reportQuery reads the list's filters; companyParam is "company" on the
// page and "company_id" in the API.
func reportQuery(c *fiber.Ctx, companyParam string) (reports.Query, valid.Errors) {
	q := reports.Query{Status: reports.Status(c.Query("status")), Q: strings.TrimSpace(c.Query("q")), Sort: c.Query("sort")}
	if v := c.Query(companyParam); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return q, valid.Errors{companyParam: "Choose a company from the list."}
		}
		q.CompanyID = n
	}
	if q.Status != "" && !policy.CanSeeInternalParts(state(c).actor) {
		// Only members see drafts; for anyone else every report is published.
		return q, valid.Errors{"status": "Choose a status from the list."}
	}
	return q, nil
}

// reportsPage is GET /reports.
func (s *Server) reportsPage(c *fiber.Ctx) error {
	st := state(c)
	a := st.actor
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	members := policy.CanSeeInternalParts(a)
	sort := c.Query("sort")
	if o, ok := reports.Sorts.Find(sort); ok {
		sort = o.Name
	}
	label := policy.Label(a, policy.PageReports)
	l := ui.ListView{ID: "report-list", Path: "/reports", Label: label, Query: listQuery(c),
		One: "report", Many: "reports", Sort: sort, Sorts: sortOptions(reports.Sorts)}
	l.Filters = append(l.Filters, ui.ListFilter{Name: "q", Label: "Search", Type: "search", Value: c.Query("q"),
		Placeholder: "Title", MaxLength: reports.MaxSearch})
	companies, err := people.Companies(c.UserContext(), st.db, a)
	if err != nil {
		return err
	}
	if len(companies) > 1 {
		opts := []ui.Option{anyOption("All companies")}
		for _, co := range companies {
			opts = append(opts, ui.Option{Value: strconv.FormatInt(co.ID, 10), Label: co.Name})
		}
		l.Filters = append(l.Filters, ui.ListFilter{Name: "company", Label: "Company", Value: c.Query("company"), Options: opts})
	}
	if members {
		l.Filters = append(l.Filters, ui.ListFilter{Name: "status", Label: "Status", Value: c.Query("status"), Options: []ui.Option{
			anyOption("Any status"), {Value: string(reports.Draft), Label: "Draft"}, {Value: string(reports.Published), Label: "Published"}}})
	}
	l.Columns = []ui.Column{{Label: "Title"}, {Label: "Company"}, {Label: "Period", Asc: "period", Desc: "-period"}}
	if members {
		l.Columns = append(l.Columns, ui.Column{Label: "Status"})
	}
	l.Columns = append(l.Columns, ui.Column{Label: "Updated"})
	writes := policy.Allows(a, settingsOf(st.tenant), policy.EditReports)
	l.Empty = ui.Empty{Title: "No reports yet", Text: "Reports about your company appear here once they are published."}
	if writes {
		l.Empty = ui.Empty{Title: "No reports yet", Text: "Write one for a company with New report, then publish it to the company's users.",
			ActionLabel: "New report", ActionURL: "/reports/new"}
	}
	status := 200
	q, errs := reportQuery(c, "company")
	var views []reports.View
	next := ""
	if errs == nil {
		views, next, err = reports.List(c.UserContext(), st.db, a, q, p)
		if err == nil {
			l.Count, err = reports.Count(c.UserContext(), st.db, a, q)
		}
		if errs, err = listErrors(err); err != nil {
			return err
		}
	}
	if errs != nil {
		status, views, next = 400, nil, ""
		applyErrors(&l, errs)
	}
	rows := make([]ui.ReportRow, 0, len(views))
	for i := range views {
		v := &views[i]
		r := ui.ReportRow{Title: v.Title, URL: reportURL(v.ID), Company: v.Company.Name, Period: v.Period(), Updated: v.UpdatedAt}
		if members {
			r.Status = reportStatusBadge(v.Status)
		}
		rows = append(rows, r)
	}
	l.Rows, l.Next = len(rows), nextURL(c, "/reports", next)
	now := time.Now()
	body := ui.ReportRows(rows, members, l.Next, now)
	return listView(c, status, l, p, ui.ListRegion(l, body), body, func() (templ.Component, error) {
		v := ui.ReportsView{List: l, Rows: rows, ShowStatus: members, Now: now,
			Desc: "Reviews of the service to each company, period by period."}
		if writes {
			v.NewURL = "/reports/new"
		}
		return ui.ReportsPage(s.reportsFrame(c, ""), v), nil
	})
}

// --- one report -----------------------------------------------------------

func (s *Server) loadReport(c *fiber.Ctx) (*reports.View, error) {
	id, err := paramID(c)
	if err != nil {
		return nil, err
	}
	v, err := reports.Get(c.UserContext(), state(c).db, state(c).actor, s.md, id)
	return v, reportErr(err)
}

// reportPage is GET /reports/ID: the report as its reader sees it; htmx
// gets the parts alone.
func (s *Server) reportPage(c *fiber.Ctx) error {
	v, err := s.loadReport(c)
	if err != nil {
		return err
	}
	d := reportDoc(state(c).actor, v)
	if mayExplain(c) {
		for i, p := range d.Parts {
			d.Parts[i].Audience = fmt.Sprintf("/reports/%d/parts/%d/audience", v.ID, p.ID)
		}
	}
	return view(c, 200, ui.ReportBody(d), func() templ.Component {
		return ui.ReportPage(s.reportsFrame(c, v.Title), d)
	})
}

// reportPrint is GET /reports/ID/print: the report alone, branded, for
// the browser's print dialog.
func (s *Server) reportPrint(c *fiber.Ctx) error {
	v, err := s.loadReport(c)
	if err != nil {
		return err
	}
	return render(c, 200, ui.ReportPrintPage(s.brand(c), s.staticV, htmxConfig, reportDoc(state(c).actor, v)))
}

// --- writing --------------------------------------------------------------

// reportForm is the settings form with v's values (nil: a new report),
// or vals after a refusal, and errs by field.
func (s *Server) reportForm(c *fiber.Ctx, v *reports.View, vals map[string]string, errs valid.Errors) (ui.ReportForm, error) {
	companies, err := s.companyOptions(c, false)
	if err != nil {
		return ui.ReportForm{}, err
	}
	f := ui.ReportForm{Action: "/reports", CSRF: state(c).session.CSRFToken, Companies: companies,
		Title: ui.Field{Name: "title"}, Company: ui.Field{Name: "company_id"},
		PeriodStart: ui.Field{Name: "period_start"}, PeriodEnd: ui.Field{Name: "period_end"}}
	if v != nil {
		f.Action = reportURL(v.ID)
		f.Status = ui.Field{Name: "status", Value: string(v.Status)}
		f.Title.Value, f.Company.Value = v.Title, strconv.FormatInt(v.Company.ID, 10)
		f.PeriodStart.Value, f.PeriodEnd.Value = v.PeriodStart, v.PeriodEnd
	} else {
		f.Companies = append([]ui.Option{{Value: "", Label: "Choose a company"}}, companies...)
	}
	for _, fld := range []*ui.Field{&f.Title, &f.Company, &f.PeriodStart, &f.PeriodEnd, &f.Status} {
		if x, ok := vals[fld.Name]; ok {
			fld.Value = x
		}
		fld.Error = errs[fld.Name]
	}
	if len(errs) > 0 {
		f.FormError = "Nothing was saved. Fix the fields marked below."
		if msg := errs["company"]; msg != "" {
			f.Company.Error = msg
		}
	}
	return f, nil
}

// readReportFields reads the settings form.
func readReportFields(c *fiber.Ctx) (reports.Fields, map[string]string, valid.Errors) {
	var f reports.Fields
	vals := map[string]string{}
	args := c.Request().PostArgs()
	for _, name := range []string{"title", "company_id", "period_start", "period_end", "status"} {
		if args.Has(name) {
			vals[name] = string(args.Peek(name))
		}
	}
	errs := valid.Errors{}
	if v, ok := vals["title"]; ok {
		f.Title = &v
	}
	if v, ok := vals["company_id"]; ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			errs.Add("company_id", "Choose a company from the list.")
		}
		f.CompanyID = &n
	}
	if v, ok := vals["period_start"]; ok {
		f.PeriodStart = &v
	}
	if v, ok := vals["period_end"]; ok {
		f.PeriodEnd = &v
	}
	if v, ok := vals["status"]; ok {
		st := reports.Status(v)
		f.Status = &st
	}
	if len(errs) == 0 {
		errs = nil
	}
	return f, vals, errs
}

// formErrors sorts a write's error into field messages (400) or passes
// any other error on.
func formErrors(err error) (valid.Errors, error) {
	var ve valid.Errors
	if errors.As(err, &ve) {
		out := valid.Errors{}
		for k, m := range ve {
			if k == "company" {
				k = "company_id"
			}
			out.Add(k, m)
		}
		return out, nil
	}
	return nil, reportErr(err)
}

// newReportPage is GET /reports/new.
func (s *Server) newReportPage(c *fiber.Ctx) error {
	f, err := s.reportForm(c, nil, nil, nil)
	if err != nil {
		return err
	}
	if co := c.Query("company"); co != "" {
		f.Company.Value = co
	}
	return render(c, 200, ui.NewReportPage(s.reportsFrame(c, "New report"), f))
}

// newReportSubmit is POST /reports: a draft, then its editor.
func (s *Server) newReportSubmit(c *fiber.Ctx) error {
	fs, vals, errs := readReportFields(c)
	if errs == nil {
		v, err := reports.Create(c.UserContext(), state(c).db, s.md, s.reportsBy(c), fs)
		if err == nil {
			return redirect(c, reportURL(v.ID)+"/edit")
		}
		if errs, err = formErrors(err); err != nil {
			return err
		}
	}
	f, err := s.reportForm(c, nil, vals, errs)
	if err != nil {
		return err
	}
	return view(c, 400, ui.ReportSettings(f), func() templ.Component {
		return ui.NewReportPage(s.reportsFrame(c, "New report"), f)
	})
}

// partsEditor is the editor's list of parts of v, with errors by part
// (0: the add form).
func partsEditor(c *fiber.Ctx, v *reports.View, errs map[int64]string, sources map[int64]string) ui.PartsEditor {
	p := ui.PartsEditor{ReportURL: reportURL(v.ID), CSRF: state(c).session.CSRFToken, AddError: errs[0]}
	for _, k := range reports.Kinds {
		p.Kinds = append(p.Kinds, ui.Option{Value: string(k), Label: k.Label()})
	}
	for i, part := range v.Parts {
		pe := ui.PartEdit{ID: part.ID, Kind: string(part.Kind), KindLabel: part.Kind.Label(), Title: part.Title, Internal: part.InternalOnly,
			Error: errs[part.ID], First: i == 0, Last: i == len(v.Parts)-1,
			BaseURL: reportURL(v.ID) + "/parts/" + strconv.FormatInt(part.ID, 10)}
		switch part.Kind {
		case reports.KindText:
			pe.Source, pe.Help = part.Body, "Markdown: **bold**, *italic*, lists, tables and links."
		case reports.KindMetrics:
			pe.Source, pe.Help = reports.MetricLines(part.Metrics), "One metric a line: label | value | target (the target may be left out)."
		case reports.KindRocks:
			pe.Source, pe.Help = reports.RockLines(part.Rocks), "One rock a line: title | owner | on track, off track or done. "+
				"Rocks are entered here for now; they will come from the rocks pages once those exist."
		case reports.KindTicketSummary:
			pe.Help = "Counted when the report is read: the tickets of the company opened in the period, by status and priority, on the boards its users see."
		case reports.KindChart:
			pe.Help = "Drawn when the report is read: the company's tickets opened and closed each week of the period, on the boards its users see."
		}
		if src, ok := sources[part.ID]; ok {
			pe.Source = src
		}
		p.Parts = append(p.Parts, pe)
	}
	return p
}

// reportEditPage is GET /reports/ID/edit; ?preview=viewers shows the
// report as the company's external viewers read it.
func (s *Server) reportEditPage(c *fiber.Ctx) error {
	st := state(c)
	v, err := s.loadReport(c)
	if err != nil {
		return err
	}
	if !v.CanEdit {
		return errForbidden
	}
	e, err := s.reportEditor(c, v, nil, nil)
	if err != nil {
		return err
	}
	var fragment templ.Component
	if c.Query("preview") == "viewers" {
		pv, err := reports.Preview(c.UserContext(), st.db, st.actor, s.md, v.ID)
		if err != nil {
			return reportErr(err)
		}
		d := reportDoc(policy.ReportAudience(st.actor.TenantID, pv.Company.ID), pv)
		e.Preview = &d
		fragment = ui.ReportBody(d)
	}
	return view(c, 200, fragment, func() templ.Component {
		return ui.ReportEditPage(s.reportsFrame(c, v.Title), e)
	})
}

func (s *Server) reportEditor(c *fiber.Ctx, v *reports.View, errs map[int64]string, sources map[int64]string) (ui.ReportEditor, error) {
	f, err := s.reportForm(c, v, nil, nil)
	if err != nil {
		return ui.ReportEditor{}, err
	}
	name := v.Company.Name
	return ui.ReportEditor{Form: f, Parts: partsEditor(c, v, errs, sources), ViewURL: reportURL(v.ID),
		PreviewURL: reportURL(v.ID) + "/edit?preview=viewers", PreviewLabel: "Preview as " + name + "'s viewers see it",
		DeleteURL: reportURL(v.ID) + "/delete"}, nil
}

// reportSettingsSubmit is POST /reports/ID: the settings form.
func (s *Server) reportSettingsSubmit(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	fs, vals, errs := readReportFields(c)
	if errs == nil {
		cur, err := s.loadReport(c)
		if err != nil {
			return err
		}
		v, err := reports.Update(c.UserContext(), state(c).db, s.md, s.reportsBy(c), id, fs)
		if err == nil {
			if !isHTMX(c) {
				return redirect(c, reportURL(id)+"/edit")
			}
			if v.Title != cur.Title {
				c.Set("HX-Refresh", "true")
				return c.SendStatus(fiber.StatusNoContent)
			}
			f, err := s.reportForm(c, v, nil, nil)
			if err != nil {
				return err
			}
			f.Saved = true
			return render(c, 200, ui.ReportSettings(f))
		}
		if errs, err = formErrors(err); err != nil {
			return err
		}
	}
	v, err := s.loadReport(c)
	if err != nil {
		return err
	}
	f, err := s.reportForm(c, v, vals, errs)
	if err != nil {
		return err
	}
	return view(c, 400, ui.ReportSettings(f), func() templ.Component {
		e, _ := s.reportEditor(c, v, nil, nil)
		e.Form = f
		return ui.ReportEditPage(s.reportsFrame(c, v.Title), e)
	})
}

// reportDelete is POST /reports/ID/delete.
func (s *Server) reportDelete(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := reports.Delete(c.UserContext(), state(c).db, s.reportsBy(c), id); err != nil {
		return reportErr(err)
	}
	if isHTMX(c) {
		c.Set("HX-Redirect", "/reports")
		return c.SendStatus(fiber.StatusNoContent)
	}
	return redirect(c, "/reports")
}

// partsAnswer answers a change of parts: the parts editor for htmx (with
// the error of the part it concerns), the editor page otherwise.
func (s *Server) partsAnswer(c *fiber.Ctx, v *reports.View, changeErr error, partID int64, source *string) error {
	if changeErr == nil {
		if !isHTMX(c) {
			return redirect(c, reportURL(v.ID)+"/edit")
		}
		c.Set("HX-Trigger", `{"toast":{"message":"Saved.","kind":"success"}}`)
		return render(c, 200, ui.ReportParts(partsEditor(c, v, nil, nil)))
	}
	ve, err := formErrors(changeErr)
	if err != nil {
		return err
	}
	var msgs []string
	for _, k := range []string{"kind", "title", "body", "rows"} {
		if m := ve[k]; m != "" {
			msgs = append(msgs, m)
		}
	}
	cur, err := s.loadReport(c)
	if err != nil {
		return err
	}
	errs := map[int64]string{partID: "Nothing was saved. " + strings.Join(msgs, " ")}
	var sources map[int64]string
	if source != nil && partID != 0 {
		sources = map[int64]string{partID: *source}
	}
	return view(c, 400, ui.ReportParts(partsEditor(c, cur, errs, sources)), func() templ.Component {
		e, _ := s.reportEditor(c, cur, errs, sources)
		return ui.ReportEditPage(s.reportsFrame(c, cur.Title), e)
	})
}

// reportPartAdd is POST /reports/ID/parts (kind, internal_only).
func (s *Server) reportPartAdd(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	internal := c.FormValue("internal_only") != ""
	v, _, err := reports.AddPart(c.UserContext(), state(c).db, s.md, s.reportsBy(c), id,
		reports.Kind(c.FormValue("kind")), reports.PartFields{InternalOnly: &internal})
	return s.partsAnswer(c, v, err, 0, nil)
}

// partIDs reads a part route's report and part IDs.
func partIDs(c *fiber.Ctx) (int64, int64, error) {
	id, err := paramID(c)
	if err != nil {
		return 0, 0, err
	}
	pid, err := paramIDOf(c, "part_id")
	return id, pid, err
}

// reportPartUpdate is POST /reports/ID/parts/PART_ID: the part's form
// (title, internal_only, body: markdown or the rows as lines).
func (s *Server) reportPartUpdate(c *fiber.Ctx) error {
	id, pid, err := partIDs(c)
	if err != nil {
		return err
	}
	cur, err := s.loadReport(c)
	if err != nil {
		return err
	}
	part := cur.Part(pid)
	if part == nil {
		return errNotFound
	}
	title := c.FormValue("title")
	internal := c.FormValue("internal_only") != ""
	f := reports.PartFields{Title: &title, InternalOnly: &internal}
	body := c.FormValue("body")
	var perr error
	switch part.Kind {
	case reports.KindText:
		f.Body = &body
	case reports.KindMetrics:
		var rows []reports.MetricRow
		if rows, perr = reports.ParseMetricLines(body); perr == nil {
			f.Metrics = &rows
		}
	case reports.KindRocks:
		var rows []reports.RockRow
		if rows, perr = reports.ParseRockLines(body); perr == nil {
			f.Rocks = &rows
		}
	}
	v := cur
	if perr == nil {
		v, perr = reports.UpdatePart(c.UserContext(), state(c).db, s.md, s.reportsBy(c), id, pid, f)
	}
	return s.partsAnswer(c, v, perr, pid, &body)
}

// reportPartMove is POST /reports/ID/parts/PART_ID/move (direction up or down).
func (s *Server) reportPartMove(c *fiber.Ctx) error {
	id, pid, err := partIDs(c)
	if err != nil {
		return err
	}
	dir := c.FormValue("direction")
	if dir != "up" && dir != "down" {
		return errBadRequest("Move a part up or down.")
	}
	v, err := reports.MovePart(c.UserContext(), state(c).db, s.md, s.reportsBy(c), id, pid, dir == "up")
	return s.partsAnswer(c, v, err, pid, nil)
}

// reportPartDelete is POST /reports/ID/parts/PART_ID/delete.
func (s *Server) reportPartDelete(c *fiber.Ctx) error {
	id, pid, err := partIDs(c)
	if err != nil {
		return err
	}
	v, err := reports.DeletePart(c.UserContext(), state(c).db, s.md, s.reportsBy(c), id, pid)
	return s.partsAnswer(c, v, err, pid, nil)
}
