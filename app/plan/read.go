package plan

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// CompanyChoice is a company whose plan the reader may open, with how many
// items its plan holds.
type CompanyChoice struct {
	people.CompanyRef
	Items int
}

// Companies are the companies whose plans a may see, by name: members
// every company, external users with the plan page their assigned ones.
func Companies(ctx context.Context, db *store.Scoped, a policy.Actor) ([]CompanyChoice, error) {
	if policy.PlanScope(a).None() {
		return nil, nil
	}
	cs, err := people.Companies(ctx, db, a)
	if err != nil {
		return nil, err
	}
	var counts []struct {
		CompanyID int64 `bun:"company_id"`
		N         int   `bun:"n"`
	}
	if err := scoped(db, (*Row)(nil), a).ColumnExpr("pi.company_id, COUNT(*) AS n").GroupExpr("pi.company_id").Scan(ctx, &counts); err != nil {
		return nil, fmt.Errorf("plan: count items: %w", err)
	}
	n := map[int64]int{}
	for _, c := range counts {
		n[c.CompanyID] = c.N
	}
	out := make([]CompanyChoice, 0, len(cs))
	for _, c := range cs {
		out = append(out, CompanyChoice{CompanyRef: people.CompanyRef{ID: c.ID, Name: c.Name}, Items: n[c.ID]})
	}
	return out, nil
}

// company returns company id when a may see its plan, else ErrNotFound.
func company(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (people.CompanyRef, error) {
	cs, err := Companies(ctx, db, a)
	if err != nil {
		return people.CompanyRef{}, err
	}
	for _, c := range cs {
		if c.ID == id {
			return c.CompanyRef, nil
		}
	}
	return people.CompanyRef{}, ErrNotFound
}

// List returns company companyID's plan as a sees it, comments included:
// its goals by position, then its initiatives by quarter and position. A
// company outside a's scope is ErrNotFound.
func List(ctx context.Context, db *store.Scoped, a policy.Actor, companyID int64) (*Plan, error) {
	c, err := company(ctx, db, a, companyID)
	if err != nil {
		return nil, err
	}
	var rows []Row
	err = scoped(db, &rows, a).Where("pi.company_id = ?", companyID).
		OrderExpr("CASE pi.kind WHEN 'goal' THEN 0 ELSE 1 END, pi.quarter, pi.position, pi.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("plan: list: %w", err)
	}
	items, err := views(ctx, db, a, rows, map[int64]string{c.ID: c.Name})
	if err != nil {
		return nil, err
	}
	p := &Plan{Company: c, Goals: []Item{}, Initiatives: []Item{}}
	for _, it := range items {
		if it.Kind == Goal {
			p.Goals = append(p.Goals, it)
		} else {
			p.Initiatives = append(p.Initiatives, it)
		}
	}
	return p, nil
}

// Get returns item id as a sees it, else ErrNotFound.
func Get(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*Item, error) {
	r, err := load(ctx, db, a, id)
	if err != nil {
		return nil, err
	}
	var c people.Company
	if err := db.Select(&c).Where("c.id = ?", r.CompanyID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("plan: company of %d: %w", id, err)
	}
	vs, err := views(ctx, db, a, []Row{*r}, map[int64]string{c.ID: c.Name})
	if err != nil {
		return nil, err
	}
	return &vs[0], nil
}

// load reads item id through a's scope.
func load(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*Row, error) {
	r := new(Row)
	err := scoped(db, r, a).Where("pi.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("plan: load %d: %w", id, err)
	}
	return r, nil
}

// views turns rows into what a sees, with their comments and the names of
// owners and authors.
func views(ctx context.Context, db *store.Scoped, a policy.Actor, rows []Row, companies map[int64]string) ([]Item, error) {
	out := make([]Item, 0, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]int64, 0, len(rows))
	var userIDs []int64
	for _, r := range rows {
		ids = append(ids, r.ID)
		if r.OwnerID != nil {
			userIDs = append(userIDs, *r.OwnerID)
		}
	}
	var cs []CommentRow
	if err := db.Select(&cs).Where("pc.item_id IN (?)", bun.In(ids)).OrderExpr("pc.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("plan: comments: %w", err)
	}
	for _, c := range cs {
		userIDs = append(userIDs, c.AuthorID)
	}
	names := map[int64]string{}
	if len(userIDs) > 0 {
		us, err := people.UsersByIDs(ctx, db, userIDs)
		if err != nil {
			return nil, err
		}
		for i := range us {
			names[us[i].ID] = us[i].DisplayName()
		}
	}
	byItem := map[int64][]Comment{}
	for _, c := range cs {
		byItem[c.ItemID] = append(byItem[c.ItemID], Comment{ID: c.ID, Author: UserRef{ID: c.AuthorID, Name: names[c.AuthorID]}, Body: c.Body, CreatedAt: c.CreatedAt})
	}
	for _, r := range rows {
		it := Item{
			ID: r.ID, Company: people.CompanyRef{ID: r.CompanyID, Name: companies[r.CompanyID]},
			Kind: r.Kind, Title: r.Title, Description: r.Description, Quarter: r.Quarter, Status: r.Status,
			BudgetEstimate: r.BudgetEstimate, Position: r.Position, Comments: byItem[r.ID],
			CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
			CanEdit: policy.CanEditPlan(a), CanComment: policy.CanCommentPlan(a, r.CompanyID),
		}
		if it.Comments == nil {
			it.Comments = []Comment{}
		}
		if r.OwnerID != nil {
			it.Owner = &UserRef{ID: *r.OwnerID, Name: names[*r.OwnerID]}
		}
		out = append(out, it)
	}
	return out, nil
}

// Owners are the users an item may be owned by: the tenant's active
// members, by name.
func Owners(ctx context.Context, db *store.Scoped) ([]UserRef, error) {
	var us []people.User
	err := db.Select(&us).Where("u.kind = ? AND u.status = ?", policy.Member, people.Active).OrderExpr("u.name, u.id").Limit(500).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("plan: owners: %w", err)
	}
	out := make([]UserRef, 0, len(us))
	for i := range us {
		out = append(out, UserRef{ID: us[i].ID, Name: us[i].DisplayName()})
	}
	return out, nil
}
