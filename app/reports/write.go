package reports

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/markdown"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// By is who performs a change: the actor, whose scope and rights decide,
// and the audit record's who.
type By struct {
	Actor policy.Actor
	Who   audit.Who
}

// Fields are what creating or changing a report sets; nil leaves a field
// as it is. Creating needs the company, the title and the period.
type Fields struct {
	CompanyID   *int64
	Title       *string
	PeriodStart *string // YYYY-MM-DD
	PeriodEnd   *string // YYYY-MM-DD, on or after the start
	Status      *Status
}

// PartFields are what adding or changing a part sets; nil leaves a field
// as it is. Body is a text part's markdown; Metrics and Rocks the rows of
// those kinds. A computed part (ticket summary, chart) takes neither.
type PartFields struct {
	Title        *string
	InternalOnly *bool
	Body         *string
	Metrics      *[]MetricRow
	Rocks        *[]RockRow
}

// check validates f for a report; creating requires every field but the status.
func (f Fields) check(create bool) valid.Errors {
	errs := valid.Errors{}
	if create {
		if f.CompanyID == nil || *f.CompanyID <= 0 {
			errs.Add("company", "Choose a company from the list.")
		}
		if f.Title == nil {
			errs.Add("title", "Give the report a title.")
		}
		if f.PeriodStart == nil {
			errs.Add("period_start", "Give the first day of the period.")
		}
		if f.PeriodEnd == nil {
			errs.Add("period_end", "Give the last day of the period.")
		}
	} else if f.CompanyID != nil && *f.CompanyID <= 0 {
		errs.Add("company", "Choose a company from the list.")
	}
	if f.Title != nil {
		*f.Title = strings.TrimSpace(*f.Title)
		if *f.Title == "" {
			errs.Add("title", "Give the report a title.")
		} else if msg := valid.Line(*f.Title, MaxTitle); msg != "" {
			errs.Add("title", msg)
		}
	}
	for _, d := range []struct {
		name string
		v    *string
	}{{"period_start", f.PeriodStart}, {"period_end", f.PeriodEnd}} {
		if d.v == nil {
			continue
		}
		*d.v = strings.TrimSpace(*d.v)
		if _, err := time.Parse(dateLayout, *d.v); err != nil {
			errs.Add(d.name, "Give a date as YYYY-MM-DD.")
		}
	}
	if f.Status != nil && !slices.Contains(Statuses, *f.Status) {
		errs.Add("status", "Choose draft or published.")
	}
	return errs
}

// checkPeriod checks that the period runs forward and not too long.
func checkPeriod(start, end string, errs valid.Errors) {
	s, err1 := time.Parse(dateLayout, start)
	e, err2 := time.Parse(dateLayout, end)
	if err1 != nil || err2 != nil {
		return
	}
	switch {
	case e.Before(s):
		errs.Add("period_end", "The period ends on or after its first day.")
	case e.Sub(s) > MaxPeriodDay*24*time.Hour:
		errs.Add("period_end", fmt.Sprintf("A period is at most %d days.", MaxPeriodDay))
	}
}

// checkCompany reports a company that does not exist in the tenant as a
// field error: a member sees every company, so there is nothing to hide.
func checkCompany(ctx context.Context, tx *store.Scoped, id int64) error {
	n, err := tx.Select((*companyName)(nil)).Where("cn.id = ?", id).Count(ctx)
	if err != nil {
		return fmt.Errorf("reports: check company %d: %w", id, err)
	}
	if n == 0 {
		return valid.Errors{"company": "Choose a company from the list."}
	}
	return nil
}

// Create makes a report for by.Actor, who must be allowed to write
// reports; it starts as a draft unless f says published.
func Create(ctx context.Context, db *store.Scoped, md *markdown.Renderer, by By, f Fields) (*View, error) {
	if !policy.Allows(by.Actor, policy.Settings{}, policy.EditReports) {
		return nil, ErrForbidden
	}
	errs := f.check(true)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	checkPeriod(*f.PeriodStart, *f.PeriodEnd, errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	var out *View
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if err := checkCompany(ctx, tx, *f.CompanyID); err != nil {
			return err
		}
		now := time.Now().UTC()
		r := &Report{CompanyID: *f.CompanyID, Title: *f.Title, PeriodStart: *f.PeriodStart, PeriodEnd: *f.PeriodEnd,
			Status: Draft, CreatedAt: now, UpdatedAt: now}
		if f.Status != nil {
			r.Status = *f.Status
		}
		if by.Actor.UserID != 0 {
			id := by.Actor.UserID
			r.CreatedBy = &id
		}
		if _, err := tx.Insert(r).Exec(ctx); err != nil {
			return fmt.Errorf("reports: create: %w", err)
		}
		if err := audit.Record(ctx, tx, by.Who, audit.ReportCreate, "report", r.ID, r.Title); err != nil {
			return err
		}
		var err error
		out, err = build(ctx, tx, by.Actor, md, r)
		return err
	})
	return out, err
}

// editable loads report id inside tx for a change by a: ErrNotFound
// outside a's scope, ErrForbidden when a may read but not write it.
func editable(ctx context.Context, tx *store.Scoped, a policy.Actor, id int64) (*Report, error) {
	r, err := load(ctx, tx, a, id)
	if err != nil {
		return nil, err
	}
	if !policy.CanEditReport(a, r.facts()) {
		return nil, ErrForbidden
	}
	return r, nil
}

// Update changes the fields f sets of report id. Publishing or taking a
// report back to draft is recorded as its own action.
func Update(ctx context.Context, db *store.Scoped, md *markdown.Renderer, by By, id int64, f Fields) (*View, error) {
	errs := f.check(false)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	var out *View
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		r, err := editable(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		var changed []string
		if f.CompanyID != nil && *f.CompanyID != r.CompanyID {
			if err := checkCompany(ctx, tx, *f.CompanyID); err != nil {
				return err
			}
			r.CompanyID, changed = *f.CompanyID, append(changed, "company")
		}
		if f.Title != nil && *f.Title != r.Title {
			r.Title, changed = *f.Title, append(changed, "title")
		}
		if f.PeriodStart != nil && *f.PeriodStart != r.PeriodStart {
			r.PeriodStart, changed = *f.PeriodStart, append(changed, "period")
		}
		if f.PeriodEnd != nil && *f.PeriodEnd != r.PeriodEnd {
			r.PeriodEnd = *f.PeriodEnd
			if !slices.Contains(changed, "period") {
				changed = append(changed, "period")
			}
		}
		checkPeriod(r.PeriodStart, r.PeriodEnd, errs)
		if err := errs.Err(); err != nil {
			return err
		}
		published := f.Status != nil && *f.Status != r.Status
		if published {
			r.Status = *f.Status
		}
		if len(changed) == 0 && !published {
			out, err = build(ctx, tx, by.Actor, md, r)
			return err
		}
		r.UpdatedAt = time.Now().UTC()
		if _, err := tx.Update(r).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("reports: update %d: %w", id, err)
		}
		if len(changed) > 0 {
			if err := audit.Record(ctx, tx, by.Who, audit.ReportChange, "report", r.ID, r.Title+": changed "+strings.Join(changed, ", ")); err != nil {
				return err
			}
		}
		if published {
			if err := audit.Record(ctx, tx, by.Who, audit.ReportPublish, "report", r.ID, r.Title+": "+strings.ToLower(r.Status.Label())); err != nil {
				return err
			}
		}
		out, err = build(ctx, tx, by.Actor, md, r)
		return err
	})
	return out, err
}

// Delete removes report id and its parts.
func Delete(ctx context.Context, db *store.Scoped, by By, id int64) error {
	return db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		r, err := editable(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		if _, err := tx.Delete((*Part)(nil)).Where("p.report_id = ?", r.ID).Exec(ctx); err != nil {
			return fmt.Errorf("reports: delete parts of %d: %w", id, err)
		}
		if _, err := tx.Delete((*Report)(nil)).Where("r.id = ?", r.ID).Exec(ctx); err != nil {
			return fmt.Errorf("reports: delete %d: %w", id, err)
		}
		return audit.Record(ctx, tx, by.Who, audit.ReportDelete, "report", r.ID, r.Title)
	})
}

// checkPart validates f for a part of kind k and returns its body to store
// (nil: unchanged).
func checkPart(k Kind, f PartFields, create bool) (*string, error) {
	errs := valid.Errors{}
	if !slices.Contains(Kinds, k) {
		errs.Add("kind", "Choose a kind of part from the list.")
		return nil, errs
	}
	if f.Title != nil {
		*f.Title = strings.TrimSpace(*f.Title)
		if msg := valid.Line(*f.Title, MaxTitle); msg != "" {
			errs.Add("title", msg)
		}
	}
	var body *string
	set := func(v any) {
		b, _ := json.Marshal(v)
		s := string(b)
		body = &s
	}
	switch k {
	case KindText:
		if f.Metrics != nil || f.Rocks != nil {
			errs.Add("rows", "A text part has no rows; write its text.")
		}
		if f.Body != nil {
			if utf8.RuneCountInString(*f.Body) > MaxText {
				errs.Add("body", fmt.Sprintf("At most %d characters.", MaxText))
			} else if !valid.Text(*f.Body) {
				errs.Add("body", "Remove the characters that are not text.")
			}
			body = f.Body
		}
	case KindMetrics:
		if f.Body != nil || f.Rocks != nil {
			errs.Add("body", "A metrics table takes rows of label, value and target.")
		}
		if f.Metrics != nil {
			rows := *f.Metrics
			if len(rows) > MaxRows {
				errs.Add("rows", fmt.Sprintf("At most %d rows.", MaxRows))
			}
			for i := range rows {
				rows[i].Label, rows[i].Value, rows[i].Target = strings.TrimSpace(rows[i].Label), strings.TrimSpace(rows[i].Value), strings.TrimSpace(rows[i].Target)
				if rows[i].Label == "" {
					errs.Add("rows", fmt.Sprintf("Row %d needs a label.", i+1))
				}
				for _, c := range []string{rows[i].Label, rows[i].Value, rows[i].Target} {
					if msg := valid.Line(c, MaxCell); msg != "" {
						errs.Add("rows", fmt.Sprintf("Row %d: %s", i+1, msg))
					}
				}
			}
			if rows == nil {
				rows = []MetricRow{}
			}
			set(rows)
		} else if create {
			set([]MetricRow{})
		}
	case KindRocks:
		if f.Body != nil || f.Metrics != nil {
			errs.Add("body", "A rocks part takes rows of title, owner and status.")
		}
		if f.Rocks != nil {
			rows := *f.Rocks
			if len(rows) > MaxRows {
				errs.Add("rows", fmt.Sprintf("At most %d rows.", MaxRows))
			}
			for i := range rows {
				rows[i].Title, rows[i].Owner = strings.TrimSpace(rows[i].Title), strings.TrimSpace(rows[i].Owner)
				if rows[i].Title == "" {
					errs.Add("rows", fmt.Sprintf("Row %d needs a title.", i+1))
				}
				if !slices.Contains(RockStatuses, rows[i].Status) {
					errs.Add("rows", fmt.Sprintf("Row %d: the status is on_track, off_track or done.", i+1))
				}
				for _, c := range []string{rows[i].Title, rows[i].Owner} {
					if msg := valid.Line(c, MaxCell); msg != "" {
						errs.Add("rows", fmt.Sprintf("Row %d: %s", i+1, msg))
					}
				}
			}
			if rows == nil {
				rows = []RockRow{}
			}
			set(rows)
		} else if create {
			set([]RockRow{})
		}
	case KindTicketSummary, KindChart:
		if f.Body != nil || f.Metrics != nil || f.Rocks != nil {
			errs.Add("body", "This part is counted from the company's tickets; it takes no text or rows.")
		}
	}
	return body, errs.Err()
}

// AddPart appends a part of kind k to report id.
func AddPart(ctx context.Context, db *store.Scoped, md *markdown.Renderer, by By, id int64, k Kind, f PartFields) (*View, *PartView, error) {
	body, err := checkPart(k, f, true)
	if err != nil {
		return nil, nil, err
	}
	var out *View
	var added int64
	err = db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		r, err := editable(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		var n int
		var last sql.NullInt64
		if err := tx.Select((*Part)(nil)).ColumnExpr("COUNT(*), MAX(p.position)").Where("p.report_id = ?", r.ID).Scan(ctx, &n, &last); err != nil {
			return fmt.Errorf("reports: count parts of %d: %w", id, err)
		}
		if n >= MaxParts {
			return valid.Errors{"kind": fmt.Sprintf("A report has at most %d parts.", MaxParts)}
		}
		now := time.Now().UTC()
		p := &Part{ReportID: r.ID, Position: int(last.Int64) + 1, Kind: k, Title: k.Label(), CreatedAt: now, UpdatedAt: now}
		if f.Title != nil && *f.Title != "" {
			p.Title = *f.Title
		}
		if f.InternalOnly != nil {
			p.InternalOnly = *f.InternalOnly
		}
		if body != nil {
			p.Body = *body
		}
		if _, err := tx.Insert(p).Exec(ctx); err != nil {
			return fmt.Errorf("reports: add part to %d: %w", id, err)
		}
		added = p.ID
		if out, err = touch(ctx, tx, by, md, r, fmt.Sprintf("added the part %q", p.Title)); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return out, out.part(added), nil
}

// part returns the part id of v, nil when v does not hold it.
func (v *View) part(id int64) *PartView {
	for i := range v.Parts {
		if v.Parts[i].ID == id {
			return &v.Parts[i]
		}
	}
	return nil
}

// Part returns part id of v, nil when v does not hold it (no such part, or
// one its reader may not see).
func (v *View) Part(id int64) *PartView { return v.part(id) }

// touch marks report r changed, records what changed and returns its view.
func touch(ctx context.Context, tx *store.Scoped, by By, md *markdown.Renderer, r *Report, what string) (*View, error) {
	r.UpdatedAt = time.Now().UTC()
	if _, err := tx.Update(r).Column("updated_at").WherePK().Exec(ctx); err != nil {
		return nil, fmt.Errorf("reports: touch %d: %w", r.ID, err)
	}
	if err := audit.Record(ctx, tx, by.Who, audit.ReportChange, "report", r.ID, r.Title+": "+what); err != nil {
		return nil, err
	}
	return build(ctx, tx, by.Actor, md, r)
}

// loadPart reads part partID of report r.
func loadPart(ctx context.Context, tx *store.Scoped, r *Report, partID int64) (*Part, error) {
	p := new(Part)
	err := tx.Select(p).Where("p.id = ? AND p.report_id = ?", partID, r.ID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("reports: load part %d: %w", partID, err)
	}
	return p, nil
}

// UpdatePart changes the fields f sets of part partID of report id.
func UpdatePart(ctx context.Context, db *store.Scoped, md *markdown.Renderer, by By, id, partID int64, f PartFields) (*View, error) {
	var out *View
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		r, err := editable(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		p, err := loadPart(ctx, tx, r, partID)
		if err != nil {
			return err
		}
		body, err := checkPart(p.Kind, f, false)
		if err != nil {
			return err
		}
		if f.Title != nil {
			p.Title = *f.Title
			if p.Title == "" {
				p.Title = p.Kind.Label()
			}
		}
		if f.InternalOnly != nil {
			p.InternalOnly = *f.InternalOnly
		}
		if body != nil {
			p.Body = *body
		}
		p.UpdatedAt = time.Now().UTC()
		if _, err := tx.Update(p).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("reports: update part %d: %w", partID, err)
		}
		out, err = touch(ctx, tx, by, md, r, fmt.Sprintf("changed the part %q", p.Title))
		return err
	})
	return out, err
}

// MovePart moves part partID of report id one place up (towards the start)
// or down; at either end it stays.
func MovePart(ctx context.Context, db *store.Scoped, md *markdown.Renderer, by By, id, partID int64, up bool) (*View, error) {
	var out *View
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		r, err := editable(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		var parts []Part
		if err := selectParts(tx, &parts, r.ID, true).Scan(ctx); err != nil {
			return fmt.Errorf("reports: load parts of %d: %w", id, err)
		}
		i := slices.IndexFunc(parts, func(p Part) bool { return p.ID == partID })
		if i < 0 {
			return ErrNotFound
		}
		j := i + 1
		if up {
			j = i - 1
		}
		if j < 0 || j >= len(parts) {
			out, err = build(ctx, tx, by.Actor, md, r)
			return err
		}
		parts[i], parts[j] = parts[j], parts[i]
		for k := range parts {
			if parts[k].Position == k+1 {
				continue
			}
			parts[k].Position = k + 1
			if _, err := tx.Update(&parts[k]).Column("position").WherePK().Exec(ctx); err != nil {
				return fmt.Errorf("reports: move part %d: %w", parts[k].ID, err)
			}
		}
		out, err = touch(ctx, tx, by, md, r, fmt.Sprintf("moved the part %q", parts[j].Title))
		return err
	})
	return out, err
}

// DeletePart removes part partID of report id.
func DeletePart(ctx context.Context, db *store.Scoped, md *markdown.Renderer, by By, id, partID int64) (*View, error) {
	var out *View
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		r, err := editable(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		p, err := loadPart(ctx, tx, r, partID)
		if err != nil {
			return err
		}
		if _, err := tx.Delete((*Part)(nil)).Where("p.id = ?", p.ID).Exec(ctx); err != nil {
			return fmt.Errorf("reports: delete part %d: %w", partID, err)
		}
		out, err = touch(ctx, tx, by, md, r, fmt.Sprintf("deleted the part %q", p.Title))
		return err
	})
	return out, err
}
