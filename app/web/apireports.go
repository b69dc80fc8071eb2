package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/atrium-portal/atrium/app/reports"
	"github.com/atrium-portal/atrium/app/tickets"
	"github.com/atrium-portal/atrium/app/valid"
)

// The reports API (SPEC §8, §12). Every report leaves here built by
// reportJSON from a reports.View, which holds only the parts the caller
// may see: an internal part a caller may not read is absent, never null.

// reportBody is a report as the API shows it. Lists leave parts out.
type reportBody struct {
	ID          int64            `json:"id"`
	Title       string           `json:"title"`
	Company     nameRef          `json:"company"`
	PeriodStart string           `json:"period_start"`
	PeriodEnd   string           `json:"period_end"`
	Status      reports.Status   `json:"status"`
	CreatedAt   time.Time        `json:"created_at"`
	UpdatedAt   time.Time        `json:"updated_at"`
	Parts       []reportPartJSON `json:"parts,omitzero"`
	CanEdit     bool             `json:"can_edit"`
}

// reportPartJSON is one part; content depends on kind: sanitised HTML for
// text, rows for metrics and rocks, counts for a ticket summary and the
// weekly series for a chart.
type reportPartJSON struct {
	ID           int64        `json:"id"`
	Title        string       `json:"title"`
	Kind         reports.Kind `json:"kind"`
	InternalOnly bool         `json:"internal_only"`
	Content      any          `json:"content"`
}

// ticketSummaryJSON is the content of a ticket summary part.
type ticketSummaryJSON struct {
	Opened     int            `json:"opened"`
	ByStatus   map[string]int `json:"by_status"`
	ByPriority map[string]int `json:"by_priority"`
}

// chartWeekJSON is one week of a chart part's content.
type chartWeekJSON struct {
	WeekStart string `json:"week_start"`
	Opened    int    `json:"opened"`
	Closed    int    `json:"closed"`
}

func reportJSON(v *reports.View, withParts bool) reportBody {
	b := reportBody{ID: v.ID, Title: v.Title, Company: nameRef{ID: v.Company.ID, Name: v.Company.Name},
		PeriodStart: v.PeriodStart, PeriodEnd: v.PeriodEnd, Status: v.Status, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt, CanEdit: v.CanEdit}
	if !withParts {
		return b
	}
	b.Parts = []reportPartJSON{}
	for _, p := range v.Parts {
		pj := reportPartJSON{ID: p.ID, Title: p.Title, Kind: p.Kind, InternalOnly: p.InternalOnly}
		switch p.Kind {
		case reports.KindText:
			pj.Content = p.HTML
		case reports.KindMetrics:
			pj.Content = p.Metrics
		case reports.KindRocks:
			pj.Content = p.Rocks
		case reports.KindTicketSummary:
			pj.Content = ticketSummaryOf(p.Tickets)
		case reports.KindChart:
			weeks := []chartWeekJSON{}
			if p.Tickets != nil {
				for _, w := range p.Tickets.Weeks {
					weeks = append(weeks, chartWeekJSON{WeekStart: w.Start.Format(time.DateOnly), Opened: w.Opened, Closed: w.Closed})
				}
			}
			pj.Content = weeks
		}
		b.Parts = append(b.Parts, pj)
	}
	return b
}

func ticketSummaryOf(a *tickets.Activity) ticketSummaryJSON {
	out := ticketSummaryJSON{ByStatus: map[string]int{}, ByPriority: map[string]int{}}
	if a == nil {
		return out
	}
	out.Opened = a.Opened
	for k, n := range a.ByStatus {
		out.ByStatus[string(k)] = n
	}
	for k, n := range a.ByPriority {
		out.ByPriority[string(k)] = n
	}
	return out
}

// apiReports is GET /api/v1/reports: one page of the reports the caller
// may see, without their parts.
func (s *Server) apiReports(c *fiber.Ctx) error {
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	q, errs := reportQuery(c, "company_id")
	if errs != nil {
		return errs
	}
	vs, next, err := reports.List(c.UserContext(), state(c).db, state(c).actor, q, p)
	if err != nil {
		return err
	}
	items := make([]reportBody, 0, len(vs))
	for i := range vs {
		items = append(items, reportJSON(&vs[i], false))
	}
	return listJSON(c, items, next)
}

// apiReport is GET /api/v1/reports/ID: the report with the parts the
// caller may see.
func (s *Server) apiReport(c *fiber.Ctx) error {
	v, err := s.loadReport(c)
	if err != nil {
		return err
	}
	return c.JSON(reportJSON(v, true))
}

// reportInput is the body of POST and PATCH /api/v1/reports.
type reportInput struct {
	CompanyID   notNull[int64]          `json:"company_id"`
	Title       notNull[string]         `json:"title"`
	PeriodStart notNull[string]         `json:"period_start"`
	PeriodEnd   notNull[string]         `json:"period_end"`
	Status      notNull[reports.Status] `json:"status"`
}

func (in *reportInput) fields() (reports.Fields, error) {
	errs := valid.Errors{}
	f := reports.Fields{CompanyID: in.CompanyID.required(errs, "company_id"), Title: in.Title.required(errs, "title"),
		PeriodStart: in.PeriodStart.required(errs, "period_start"), PeriodEnd: in.PeriodEnd.required(errs, "period_end"),
		Status: in.Status.required(errs, "status")}
	return f, errs.Err()
}

// reportAPIError names fields as the API's body does.
func reportAPIError(err error) error {
	ve, err2 := formErrors(err)
	if err2 != nil {
		return err2
	}
	return ve
}

// apiCreateReport is POST /api/v1/reports: 201 with the new report.
func (s *Server) apiCreateReport(c *fiber.Ctx) error {
	var in reportInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	f, err := in.fields()
	if err != nil {
		return err
	}
	v, err := reports.Create(c.UserContext(), state(c).db, s.md, s.reportsBy(c), f)
	if err != nil {
		return reportAPIError(err)
	}
	return c.Status(fiber.StatusCreated).JSON(reportJSON(v, true))
}

// apiPatchReport is PATCH /api/v1/reports/ID.
func (s *Server) apiPatchReport(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	var in reportInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	f, err := in.fields()
	if err != nil {
		return err
	}
	v, err := reports.Update(c.UserContext(), state(c).db, s.md, s.reportsBy(c), id, f)
	if err != nil {
		return reportAPIError(err)
	}
	return c.JSON(reportJSON(v, true))
}

// apiDeleteReport is DELETE /api/v1/reports/ID.
func (s *Server) apiDeleteReport(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := reports.Delete(c.UserContext(), state(c).db, s.reportsBy(c), id); err != nil {
		return reportErr(err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// partInput is the body of POST and PATCH /api/v1/reports/ID/parts: body
// is a text part's markdown, rows a metrics or rocks part's rows.
type partInput struct {
	Kind         notNull[reports.Kind] `json:"kind"`
	Title        notNull[string]       `json:"title"`
	InternalOnly notNull[bool]         `json:"internal_only"`
	Body         notNull[string]       `json:"body"`
	Rows         []map[string]string   `json:"rows"`
	// Move moves the part one place: "up" (towards the start) or "down".
	Move notNull[string] `json:"move"`
}

// fields reads the body for a part of kind k.
func (in *partInput) fields(k reports.Kind) (reports.PartFields, error) {
	errs := valid.Errors{}
	f := reports.PartFields{Title: in.Title.required(errs, "title"), InternalOnly: in.InternalOnly.required(errs, "internal_only"),
		Body: in.Body.required(errs, "body")}
	if in.Rows != nil {
		switch k {
		case reports.KindMetrics:
			rows := make([]reports.MetricRow, 0, len(in.Rows))
			for _, r := range in.Rows {
				rows = append(rows, reports.MetricRow{Label: r["label"], Value: r["value"], Target: r["target"]})
			}
			f.Metrics = &rows
		case reports.KindRocks:
			rows := make([]reports.RockRow, 0, len(in.Rows))
			for _, r := range in.Rows {
				rows = append(rows, reports.RockRow{Title: r["title"], Owner: r["owner"], Status: reports.RockStatus(r["status"])})
			}
			f.Rocks = &rows
		default:
			errs.Add("rows", "Only metrics and rocks parts have rows.")
		}
	}
	return f, errs.Err()
}

// answerPart answers a change of one part: the report with its parts.
func (s *Server) answerPart(c *fiber.Ctx, status int, v *reports.View, err error) error {
	if err != nil {
		return reportAPIError(err)
	}
	return c.Status(status).JSON(reportJSON(v, true))
}

// apiAddReportPart is POST /api/v1/reports/ID/parts: 201 with the report.
func (s *Server) apiAddReportPart(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	var in partInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if !in.Kind.Set || in.Kind.Null {
		return valid.Errors{"kind": "Give the kind of part: text, metrics, ticket_summary, rocks or chart."}
	}
	f, err := in.fields(in.Kind.V)
	if err != nil {
		return err
	}
	v, _, err := reports.AddPart(c.UserContext(), state(c).db, s.md, s.reportsBy(c), id, in.Kind.V, f)
	return s.answerPart(c, fiber.StatusCreated, v, err)
}

// apiPatchReportPart is PATCH /api/v1/reports/ID/parts/PART_ID; move
// ("up" or "down") moves it one place.
func (s *Server) apiPatchReportPart(c *fiber.Ctx) error {
	id, pid, err := partIDs(c)
	if err != nil {
		return err
	}
	var in partInput
	if err := decodeJSON(c, &in); err != nil {
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
	if in.Kind.Set && in.Kind.V != part.Kind {
		return valid.Errors{"kind": "A part keeps its kind; add a new part instead."}
	}
	f, err := in.fields(part.Kind)
	if err != nil {
		return err
	}
	if m := in.Move; m.Set && m.V != "up" && m.V != "down" {
		return valid.Errors{"move": "Move a part up or down."}
	}
	v, err := reports.UpdatePart(c.UserContext(), state(c).db, s.md, s.reportsBy(c), id, pid, f)
	if err == nil && in.Move.Set {
		v, err = reports.MovePart(c.UserContext(), state(c).db, s.md, s.reportsBy(c), id, pid, in.Move.V == "up")
	}
	return s.answerPart(c, fiber.StatusOK, v, err)
}

// apiDeleteReportPart is DELETE /api/v1/reports/ID/parts/PART_ID.
func (s *Server) apiDeleteReportPart(c *fiber.Ctx) error {
	id, pid, err := partIDs(c)
	if err != nil {
		return err
	}
	if _, err := reports.DeletePart(c.UserContext(), state(c).db, s.md, s.reportsBy(c), id, pid); err != nil {
		return reportAPIError(err)
	}
	return c.SendStatus(fiber.StatusNoContent)
}
