package reports

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/markdown"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tickets"
	"github.com/atrium-portal/atrium/app/valid"
)

// likeEscaper escapes a search for LIKE ... ESCAPE '\'.
var likeEscaper = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)

// ErrNotFound means no such report (or part) in this tenant, or not one
// the actor may see.
var ErrNotFound = errors.New("reports: report not found")

// ErrForbidden means the actor sees the report but may not change it.
var ErrForbidden = errors.New("reports: you may not change this report")

// Ref names a related object: the report's company.
type Ref struct {
	ID   int64
	Name string
}

// View is a report as one reader may see it: the only value pages,
// fragments, the print view, the JSON and the editor's preview are built
// from. Parts the reader may not see were never loaded into it.
type View struct {
	ID          int64
	Title       string
	Company     Ref
	PeriodStart string
	PeriodEnd   string
	Status      Status
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Parts       []PartView
	// CanEdit reports whether the reader may change the report.
	CanEdit bool
}

// PartView is one part as its reader sees it, with its content worked out
// for its kind: sanitised HTML for text, rows for metrics and rocks, the
// ticket counts for a ticket summary and a chart.
type PartView struct {
	ID           int64
	Position     int
	Kind         Kind
	Title        string
	InternalOnly bool
	// Body is the part's source as stored: markdown for text, JSON rows
	// for metrics and rocks, "" for computed parts.
	Body    string
	HTML    string
	Metrics []MetricRow
	Rocks   []RockRow
	Tickets *tickets.Activity
}

// Period is the report's period in words: "1 Jul 2026 – 30 Sep 2026".
func (v *View) Period() string { return periodWords(v.PeriodStart, v.PeriodEnd) }

func periodWords(start, end string) string {
	s, err1 := time.Parse(dateLayout, start)
	e, err2 := time.Parse(dateLayout, end)
	if err1 != nil || err2 != nil {
		return start + " – " + end
	}
	return s.Format("2 Jan 2006") + " – " + e.Format("2 Jan 2006")
}

const dateLayout = "2006-01-02"

// load reads report id through actor a's scope: ErrNotFound when it does
// not exist in the tenant or a may not see it.
func load(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*Report, error) {
	r := new(Report)
	err := selectScoped(db, r, policy.ReportsScope(a)).Where("r.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("reports: load %d: %w", id, err)
	}
	return r, nil
}

// Get returns report id as actor a sees it, its text parts rendered by md.
func Get(ctx context.Context, db *store.Scoped, a policy.Actor, md *markdown.Renderer, id int64) (*View, error) {
	r, err := load(ctx, db, a, id)
	if err != nil {
		return nil, err
	}
	return build(ctx, db, a, md, r)
}

// Preview returns report id as the external viewers of its company will
// read it once published, for a member who may edit it: built by the same
// function as every View, for the stand-in reader policy.ReportAudience,
// so what it leaves out is exactly what those viewers never get.
func Preview(ctx context.Context, db *store.Scoped, a policy.Actor, md *markdown.Renderer, id int64) (*View, error) {
	r, err := load(ctx, db, a, id)
	if err != nil {
		return nil, err
	}
	if !policy.CanEditReport(a, r.facts()) {
		return nil, ErrForbidden
	}
	return build(ctx, db, policy.ReportAudience(db.TenantID(), r.CompanyID), md, r)
}

// build is report r as reader a sees it. The caller loaded r through a
// scope that lets its reader see it.
func build(ctx context.Context, db *store.Scoped, a policy.Actor, md *markdown.Renderer, r *Report) (*View, error) {
	v := &View{ID: r.ID, Title: r.Title, Company: Ref{ID: r.CompanyID}, PeriodStart: r.PeriodStart, PeriodEnd: r.PeriodEnd,
		Status: r.Status, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, CanEdit: policy.CanEditReport(a, r.facts())}
	names, err := companyNames(ctx, db, []int64{r.CompanyID})
	if err != nil {
		return nil, err
	}
	v.Company.Name = names[r.CompanyID]
	var parts []Part
	if err := selectParts(db, &parts, r.ID, policy.CanSeeInternalParts(a)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("reports: load parts of %d: %w", r.ID, err)
	}
	var activity *tickets.Activity
	for _, p := range parts {
		if !policy.CanSeePart(a, p.InternalOnly) {
			continue // not loaded for such a reader; checked again all the same
		}
		pv := PartView{ID: p.ID, Position: p.Position, Kind: p.Kind, Title: p.Title, InternalOnly: p.InternalOnly, Body: p.Body}
		switch p.Kind {
		case KindText:
			if pv.HTML, err = md.HTML(p.Body); err != nil {
				return nil, err
			}
		case KindMetrics:
			pv.Metrics = []MetricRow{}
			if p.Body != "" {
				if err := json.Unmarshal([]byte(p.Body), &pv.Metrics); err != nil {
					return nil, fmt.Errorf("reports: part %d: %w", p.ID, err)
				}
			}
		case KindRocks:
			pv.Rocks = []RockRow{}
			if p.Body != "" {
				if err := json.Unmarshal([]byte(p.Body), &pv.Rocks); err != nil {
					return nil, fmt.Errorf("reports: part %d: %w", p.ID, err)
				}
			}
		case KindTicketSummary, KindChart:
			if activity == nil {
				if activity, err = companyActivity(ctx, db, r); err != nil {
					return nil, err
				}
			}
			pv.Tickets = activity
		}
		v.Parts = append(v.Parts, pv)
	}
	return v, nil
}

// companyActivity counts the tickets of r's company in r's period.
func companyActivity(ctx context.Context, db *store.Scoped, r *Report) (*tickets.Activity, error) {
	from, err1 := time.Parse(dateLayout, r.PeriodStart)
	to, err2 := time.Parse(dateLayout, r.PeriodEnd)
	if err1 != nil || err2 != nil {
		return &tickets.Activity{ByStatus: map[tickets.Status]int{}, ByPriority: map[tickets.Priority]int{}}, nil
	}
	return tickets.CompanyActivity(ctx, db, r.CompanyID, from, to)
}

func companyNames(ctx context.Context, db *store.Scoped, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []companyName
	if err := db.Select(&rows).Where("cn.id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("reports: load company names: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

// Sorts are the orders of the reports list: the newest period first (the
// default), or the oldest.
var Sorts = store.Sorts{
	{Name: "-period", Label: "Newest period first", Expr: "r.period_end", ID: "r.id", Desc: true},
	{Name: "period", Label: "Oldest period first", Expr: "r.period_end", ID: "r.id"},
}

// cursorReports tags the cursors of the reports list.
const cursorReports = "reports"

// Query is what a reports list asks for: a company (0 for any), a status
// ("" for any; members only, as others see published reports alone), a
// search in the title and a sort of Sorts.
type Query struct {
	CompanyID int64
	Status    Status
	Q         string
	Sort      string
}

func (q Query) check() (store.Sort, error) {
	errs := valid.Errors{}
	if q.CompanyID < 0 {
		errs.Add("company", "Choose a company from the list.")
	}
	if q.Status != "" && q.Status != Draft && q.Status != Published {
		errs.Add("status", "Choose a status from the list.")
	}
	if utf8.RuneCountInString(q.Q) > MaxSearch {
		errs.Add("q", fmt.Sprintf("Search for at most %d characters.", MaxSearch))
	}
	o, ok := Sorts.Find(q.Sort)
	if !ok {
		errs.Add("sort", "Sort by one of: "+Sorts.Names()+".")
	}
	return o, errs.Err()
}

func filtered(db *store.Scoped, model any, a policy.Actor, q Query) *bun.SelectQuery {
	sq := selectScoped(db, model, policy.ReportsScope(a))
	if q.CompanyID != 0 {
		sq = sq.Where("r.company_id = ?", q.CompanyID)
	}
	if q.Status != "" {
		sq = sq.Where("r.status = ?", q.Status)
	}
	if q.Q != "" {
		sq = sq.Where("lower(r.title) LIKE ? ESCAPE '\\'", "%"+likeEscaper.Replace(strings.ToLower(q.Q))+"%")
	}
	return sq
}

// List returns one page of the reports actor a may see matching q, without
// their parts, and the next page's cursor ("" on the last).
func List(ctx context.Context, db *store.Scoped, a policy.Actor, q Query, p store.Page) ([]View, string, error) {
	o, err := q.check()
	if err != nil {
		return nil, "", err
	}
	after, ok, err := o.Decode(cursorReports, p.Cursor)
	if err != nil {
		return nil, "", err
	}
	limit := p.Size()
	var rs []Report
	sq := filtered(db, &rs, a, q).ColumnExpr("r.*").ColumnExpr("CAST(" + o.Expr + " AS TEXT) AS sort_key")
	if err := o.Apply(sq, after, ok, limit).Scan(ctx); err != nil {
		return nil, "", fmt.Errorf("reports: list: %w", err)
	}
	next := ""
	if len(rs) > limit {
		rs = rs[:limit]
		last := rs[len(rs)-1]
		next = o.Encode(cursorReports, last.SortKey, last.ID)
	}
	ids := make([]int64, 0, len(rs))
	for _, r := range rs {
		ids = append(ids, r.CompanyID)
	}
	names, err := companyNames(ctx, db, ids)
	if err != nil {
		return nil, "", err
	}
	out := make([]View, 0, len(rs))
	for _, r := range rs {
		out = append(out, View{ID: r.ID, Title: r.Title, Company: Ref{ID: r.CompanyID, Name: names[r.CompanyID]},
			PeriodStart: r.PeriodStart, PeriodEnd: r.PeriodEnd, Status: r.Status, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
			CanEdit: policy.CanEditReport(a, r.facts())})
	}
	return out, next, nil
}

// Count returns how many reports actor a may see match q.
func Count(ctx context.Context, db *store.Scoped, a policy.Actor, q Query) (int, error) {
	if _, err := q.check(); err != nil {
		return 0, err
	}
	n, err := filtered(db, (*Report)(nil), a, q).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("reports: count: %w", err)
	}
	return int(n), nil
}

// PartRef names one part of a report, for pickers.
type PartRef struct {
	ID           int64
	Title        string
	InternalOnly bool
}

// PartsOf returns, by report, the parts of reports vs (as List gave them
// to actor a) that a reads, in their order.
func PartsOf(ctx context.Context, db *store.Scoped, a policy.Actor, vs []View) (map[int64][]PartRef, error) {
	out := map[int64][]PartRef{}
	if len(vs) == 0 {
		return out, nil
	}
	ids := make([]int64, len(vs))
	for i, v := range vs {
		ids[i] = v.ID
	}
	var ps []Part
	if err := db.Select(&ps).Where("p.report_id IN (?)", bun.In(ids)).OrderExpr("p.report_id, p.position, p.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("reports: parts: %w", err)
	}
	for _, p := range ps {
		if policy.CanSeePart(a, p.InternalOnly) {
			out[p.ReportID] = append(out[p.ReportID], PartRef{ID: p.ID, Title: p.Title, InternalOnly: p.InternalOnly})
		}
	}
	return out, nil
}
