package plan

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/people"
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

// Input is what a create or change sets; nil leaves a field as it is (on
// create: empty, status planned). BudgetEstimate is in cents, 0 for no
// estimate; OwnerID 0 for no owner. The field names are those of the JSON
// API. Status alone is what external editors may change; every other
// field is members' (policy.CanEditPlan).
type Input struct {
	CompanyID      *int64  `json:"company_id,omitempty"`
	Kind           *Kind   `json:"kind,omitempty"`
	Title          *string `json:"title,omitempty"`
	Description    *string `json:"description,omitempty"`
	Quarter        *string `json:"quarter,omitempty"`
	Status         *Status `json:"status,omitempty"`
	BudgetEstimate *int64  `json:"budget_estimate,omitempty"`
	OwnerID        *int64  `json:"owner_id,omitempty"`
}

// onlyStatus reports whether in sets the status and nothing else.
func (in Input) onlyStatus() bool {
	return in.CompanyID == nil && in.Kind == nil && in.Title == nil && in.Description == nil && in.Quarter == nil &&
		in.BudgetEstimate == nil && in.OwnerID == nil
}

// firstMemberField names the first field in sets that only members set.
func (in Input) firstMemberField() string {
	switch {
	case in.CompanyID != nil:
		return "company"
	case in.Kind != nil:
		return "kind"
	case in.Title != nil:
		return "title"
	case in.Description != nil:
		return "description"
	case in.Quarter != nil:
		return "quarter"
	case in.BudgetEstimate != nil:
		return "budget_estimate"
	case in.OwnerID != nil:
		return "owner"
	}
	return ""
}

var quarterRE = regexp.MustCompile(`^(20[0-9]{2})-Q[1-4]$`)

// Create adds an item to a company's plan (members only; the company must
// be one the actor sees), with its audit record. Bad values are
// valid.Errors.
func Create(ctx context.Context, db *store.Scoped, by By, in Input) (*Item, error) {
	if !policy.CanEditPlan(by.Actor) {
		return nil, &policy.ErrFieldForbidden{Field: "title"}
	}
	var out *Item
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		now := time.Now().UTC()
		r := &Row{Status: Planned, CreatedAt: now, UpdatedAt: now}
		errs := valid.Errors{}
		if in.CompanyID == nil || *in.CompanyID <= 0 {
			errs.Add("company", "Choose a company from the list.")
		} else if _, err := company(ctx, tx, by.Actor, *in.CompanyID); err != nil {
			errs.Add("company", "Choose a company from the list.")
		} else {
			r.CompanyID = *in.CompanyID
			n, err := tx.Select((*Row)(nil)).Where("pi.company_id = ?", r.CompanyID).Count(ctx)
			if err != nil {
				return fmt.Errorf("plan: count: %w", err)
			}
			if n >= MaxItems {
				errs.Add("title", fmt.Sprintf("A company's plan holds at most %d items. Delete finished ones first.", MaxItems))
			}
		}
		if in.Kind == nil {
			errs.Add("kind", "Choose goal or initiative.")
		}
		if in.Title == nil {
			in.Title = new(string)
		}
		if err := apply(ctx, tx, r, in, errs); err != nil {
			return err
		}
		var pos int
		if err := tx.Select((*Row)(nil)).ColumnExpr("COALESCE(MAX(pi.position), 0)").Where("pi.company_id = ?", r.CompanyID).Scan(ctx, &pos); err != nil {
			return fmt.Errorf("plan: position: %w", err)
		}
		r.Position = pos + 1
		if _, err := tx.Insert(r).Exec(ctx); err != nil {
			return fmt.Errorf("plan: create: %w", err)
		}
		if err := audit.Record(ctx, tx, by.Who, audit.PlanChange, "plan_item", r.ID, "added "+string(r.Kind)+" "+r.Title); err != nil {
			return err
		}
		var err error
		out, err = Get(ctx, tx, by.Actor, r.ID)
		return err
	})
	return out, err
}

// Update changes item id, found through the actor's scope (else
// ErrNotFound): members any field, external editors of the item's company
// its status alone (another field is *policy.ErrFieldForbidden). A change
// that sets every field to what it already holds writes nothing.
func Update(ctx context.Context, db *store.Scoped, by By, id int64, in Input) (*Item, error) {
	var out *Item
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		r, err := load(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		if !policy.CanEditPlan(by.Actor) {
			if f := in.firstMemberField(); f != "" {
				return &policy.ErrFieldForbidden{Field: f}
			}
			if in.Status != nil && !policy.CanSetPlanStatus(by.Actor, r.CompanyID) {
				return &policy.ErrFieldForbidden{Field: "status"}
			}
		}
		if in.CompanyID != nil && *in.CompanyID != r.CompanyID {
			return &policy.ErrFieldForbidden{Field: "company"}
		}
		in.CompanyID = nil
		old := *r
		if err := apply(ctx, tx, r, in, valid.Errors{}); err != nil {
			return err
		}
		if !same(old, *r) {
			r.UpdatedAt = time.Now().UTC()
			if _, err := tx.Update(r).WherePK().Exec(ctx); err != nil {
				return fmt.Errorf("plan: update %d: %w", id, err)
			}
			what := "changed " + string(r.Kind) + " " + r.Title
			if in.onlyStatus() {
				what = "set " + string(r.Kind) + " " + r.Title + " to " + strings.ToLower(r.Status.Label())
			}
			if err := audit.Record(ctx, tx, by.Who, audit.PlanChange, "plan_item", r.ID, what); err != nil {
				return err
			}
		}
		out, err = Get(ctx, tx, by.Actor, id)
		return err
	})
	return out, err
}

// SetStatus updates item id's status: members and external editors of the
// item's company.
func SetStatus(ctx context.Context, db *store.Scoped, by By, id int64, s Status) (*Item, error) {
	return Update(ctx, db, by, id, Input{Status: &s})
}

// Delete removes item id and its comments (members only), with its audit
// record.
func Delete(ctx context.Context, db *store.Scoped, by By, id int64) error {
	return db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		r, err := load(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		if !policy.CanEditPlan(by.Actor) {
			return &policy.ErrFieldForbidden{Field: "item"}
		}
		if _, err := tx.Delete((*CommentRow)(nil)).Where("item_id = ?", r.ID).Exec(ctx); err != nil {
			return fmt.Errorf("plan: delete comments of %d: %w", r.ID, err)
		}
		if _, err := tx.Delete((*Row)(nil)).Where("id = ?", r.ID).Exec(ctx); err != nil {
			return fmt.Errorf("plan: delete %d: %w", r.ID, err)
		}
		return audit.Record(ctx, tx, by.Who, audit.PlanChange, "plan_item", r.ID, "deleted "+string(r.Kind)+" "+r.Title)
	})
}

// AddComment adds a comment to item id: members and external editors of
// the item's company (an item outside the scope is ErrNotFound).
func AddComment(ctx context.Context, db *store.Scoped, by By, id int64, body string) (*Comment, error) {
	body = strings.TrimSpace(body)
	var out *Comment
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		r, err := load(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		if !policy.CanCommentPlan(by.Actor, r.CompanyID) {
			return &policy.ErrFieldForbidden{Field: "comment"}
		}
		if body == "" {
			return valid.Errors{"body": "Write a comment."}
		}
		if !valid.Text(body) {
			return valid.Errors{"body": "Use text only."}
		}
		if msg := valid.MultiLine(body, MaxComment); msg != "" {
			return valid.Errors{"body": msg}
		}
		c := &CommentRow{ItemID: r.ID, AuthorID: by.Actor.UserID, Body: body, CreatedAt: time.Now().UTC()}
		if _, err := tx.Insert(c).Exec(ctx); err != nil {
			return fmt.Errorf("plan: comment on %d: %w", r.ID, err)
		}
		if err := audit.Record(ctx, tx, by.Who, audit.PlanChange, "plan_item", r.ID, "commented on "+string(r.Kind)+" "+r.Title); err != nil {
			return err
		}
		it, err := Get(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		out = &it.Comments[len(it.Comments)-1]
		return nil
	})
	return out, err
}

func same(a, b Row) bool {
	return a.Kind == b.Kind && a.Title == b.Title && a.Description == b.Description && a.Quarter == b.Quarter &&
		a.Status == b.Status && eqPtr(a.BudgetEstimate, b.BudgetEstimate) && eqPtr(a.OwnerID, b.OwnerID)
}

func eqPtr[T comparable](a, b *T) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// apply validates the fields in sets and writes them to r, adding to errs.
func apply(ctx context.Context, tx *store.Scoped, r *Row, in Input, errs valid.Errors) error {
	if in.Kind != nil {
		if *in.Kind != Goal && *in.Kind != Initiative {
			errs.Add("kind", "Choose goal or initiative.")
		}
		r.Kind = *in.Kind
	}
	if in.Title != nil {
		s := strings.TrimSpace(*in.Title)
		if !valid.Text(s) {
			errs.Add("title", "Use text only.")
		} else if msg := valid.Line(s, MaxTitle); msg != "" {
			errs.Add("title", msg)
		} else if s == "" {
			errs.Add("title", "Enter a title.")
		}
		r.Title = s
	}
	if in.Description != nil {
		s := strings.TrimSpace(*in.Description)
		if !valid.Text(s) {
			errs.Add("description", "Use text only.")
		} else if msg := valid.MultiLine(s, MaxDescription); msg != "" {
			errs.Add("description", msg)
		}
		r.Description = s
	}
	if in.Quarter != nil {
		s := strings.ToUpper(strings.TrimSpace(*in.Quarter))
		if s != "" && !quarterRE.MatchString(s) {
			errs.Add("quarter", "Enter a quarter like 2026-Q4.")
		}
		r.Quarter = s
	}
	if r.Kind == Initiative && r.Quarter == "" && errs["quarter"] == "" && errs["kind"] == "" {
		errs.Add("quarter", "Enter the quarter of the initiative, like 2026-Q4.")
	}
	if in.Status != nil {
		if !in.Status.valid() {
			errs.Add("status", "Choose a status from the list.")
		}
		r.Status = *in.Status
	}
	if in.BudgetEstimate != nil {
		switch v := *in.BudgetEstimate; {
		case v < 0 || v > MaxBudget:
			errs.Add("budget_estimate", "Enter an amount from 0 to 1,000,000,000.")
		case v == 0:
			r.BudgetEstimate = nil
		default:
			r.BudgetEstimate = &v
		}
	}
	if in.OwnerID != nil {
		switch id := *in.OwnerID; {
		case id == 0:
			r.OwnerID = nil
		case id < 0:
			errs.Add("owner", "Choose a member of your team.")
		default:
			if r.OwnerID == nil || *r.OwnerID != id {
				n, err := tx.Select((*people.User)(nil)).Where("u.id = ? AND u.kind = ? AND u.status = ?", id, policy.Member, people.Active).Count(ctx)
				if err != nil {
					return fmt.Errorf("plan: check owner %d: %w", id, err)
				}
				if n == 0 {
					errs.Add("owner", "Choose a member of your team.")
				}
			}
			r.OwnerID = &id
		}
	}
	return errs.Err()
}
