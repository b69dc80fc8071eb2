// Package workboards holds workboards, their cards and tasks (SPEC §6,
// page workboards), each with its security level and members.
//
// Every read starts from the policy: policy.WorkboardsScope becomes SQL in
// one function per table (boardsScoped, cardsScoped), so an item outside
// it is simply not found; every change asks the policy of the item's
// facts. Each write opens its own transaction and records itself in the
// audit log.
package workboards

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// Limits of the fields, checked before storage.
const (
	MaxName    = 120
	MaxText    = 50000
	MaxMembers = 200
)

// Errors of the package.
var (
	// ErrNotFound means no such item in this tenant, or not one the actor may see.
	ErrNotFound = errors.New("workboards: not found")
	// ErrForbidden means the actor sees the item but may not do this to it.
	ErrForbidden = errors.New("workboards: not allowed")
)

// By is who performs a change.
type By struct {
	Actor policy.Actor
	Who   audit.Who
}

// Workboard is one row of workboards.
type Workboard struct {
	bun.BaseModel `bun:"table:workboards,alias:wb"`
	store.TenantOwned

	ID          int64           `bun:"id,pk,autoincrement"`
	Name        string          `bun:"name,notnull"`
	Description string          `bun:"description,notnull"`
	Security    policy.Security `bun:"security,notnull"`
	CreatedBy   *int64          `bun:"created_by"`
	CreatedAt   time.Time       `bun:"created_at,notnull"`
	UpdatedAt   time.Time       `bun:"updated_at,notnull"`
}

// Card is one row of cards.
type Card struct {
	bun.BaseModel `bun:"table:cards,alias:c"`
	store.TenantOwned

	ID          int64           `bun:"id,pk,autoincrement"`
	WorkboardID int64           `bun:"workboard_id,notnull"`
	Title       string          `bun:"title,notnull"`
	Summary     string          `bun:"summary,notnull"`
	Security    policy.Security `bun:"security,notnull"`
	Status      string          `bun:"status,notnull"`
	CreatedBy   *int64          `bun:"created_by"`
	CreatedAt   time.Time       `bun:"created_at,notnull"`
	UpdatedAt   time.Time       `bun:"updated_at,notnull"`
}

// BoardMember and CardMember put a user on a workboard or a card.
type BoardMember struct {
	bun.BaseModel `bun:"table:workboard_members,alias:wbm"`
	store.TenantOwned

	WorkboardID int64 `bun:"workboard_id,pk"`
	UserID      int64 `bun:"user_id,pk"`
}

// CardMember puts a user on a card.
type CardMember struct {
	bun.BaseModel `bun:"table:card_members,alias:cm"`
	store.TenantOwned

	CardID int64 `bun:"card_id,pk"`
	UserID int64 `bun:"user_id,pk"`
}

// boardsScoped starts a select of workboards narrowed to sc: the one place
// the scope of workboards becomes SQL. It matches policy.CanSeeWorkboard:
// members see open boards, boards they are members of and boards holding
// a card of theirs; guests only those they are members of (never top
// secret) or hold a card on.
func boardsScoped(db *store.Scoped, model any, sc policy.WorkboardScope) *bun.SelectQuery {
	q := db.Select(model)
	if sc.None() || sc.TenantID != db.TenantID() {
		return q.Where("1 = 0")
	}
	member := "wb.id IN (SELECT x.workboard_id FROM workboard_members AS x WHERE x.tenant_id = ? AND x.user_id = ?)"
	holds := "wb.id IN (SELECT y.workboard_id FROM cards AS y WHERE y.tenant_id = ? AND y.id IN (SELECT z.card_id FROM card_members AS z WHERE z.tenant_id = ? AND z.user_id = ?))"
	if sc.Guest {
		return q.Where("((wb.security <> ? AND "+member+") OR "+holds+")", policy.TopSecret, sc.TenantID, sc.UserID, sc.TenantID, sc.TenantID, sc.UserID)
	}
	return q.Where("(wb.security = ? OR "+member+" OR "+holds+")", policy.Open, sc.TenantID, sc.UserID, sc.TenantID, sc.TenantID, sc.UserID)
}

// cardsScoped starts a select of cards narrowed to sc, matching
// policy.CanSeeCard: a card's members see it (a guest, never top secret);
// members of the workspace see an open card on a board that is open or
// that they are members of.
func cardsScoped(db *store.Scoped, model any, sc policy.WorkboardScope) *bun.SelectQuery {
	q := db.Select(model)
	if sc.None() || sc.TenantID != db.TenantID() {
		return q.Where("1 = 0")
	}
	member := "c.id IN (SELECT z.card_id FROM card_members AS z WHERE z.tenant_id = ? AND z.user_id = ?)"
	if sc.Guest {
		return q.Where("(c.security <> ? AND "+member+")", policy.TopSecret, sc.TenantID, sc.UserID)
	}
	return q.Where(`(`+member+` OR (c.security = ? AND c.workboard_id IN (SELECT w.id FROM workboards AS w WHERE w.tenant_id = ? AND
		(w.security = ? OR w.id IN (SELECT x.workboard_id FROM workboard_members AS x WHERE x.tenant_id = ? AND x.user_id = ?)))))`,
		sc.TenantID, sc.UserID, policy.Open, sc.TenantID, policy.Open, sc.TenantID, sc.UserID)
}

// memberIDs reads the members of items ids of a member table.
func memberIDs[T any](ctx context.Context, db *store.Scoped, col string, ids []int64) (map[int64][]int64, error) {
	out := map[int64][]int64{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ItemID int64 `bun:"item_id"`
		UserID int64 `bun:"user_id"`
	}
	q := db.Select((*T)(nil)).ColumnExpr("?TableAlias.? AS item_id, ?TableAlias.user_id", bun.Ident(col)).
		Where("?TableAlias.? IN (?)", bun.Ident(col), bun.In(ids)).OrderExpr("?TableAlias.user_id")
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("workboards: members: %w", err)
	}
	for _, r := range rows {
		out[r.ItemID] = append(out[r.ItemID], r.UserID)
	}
	return out, nil
}

// Person names a member of a workboard or card.
type Person struct {
	ID    int64       `json:"id"`
	Name  string      `json:"name"`
	Kind  policy.Kind `json:"kind"`
	Guest bool        `json:"guest"`
}

func persons(ctx context.Context, db *store.Scoped, ids []int64) (map[int64]Person, error) {
	us, err := people.UsersByIDs(ctx, db, slices.Compact(slices.Sorted(slices.Values(ids))))
	if err != nil {
		return nil, fmt.Errorf("workboards: %w", err)
	}
	out := make(map[int64]Person, len(us))
	for _, u := range us {
		name := u.Name
		if name == "" {
			name = people.UnnamedUser
		}
		out[u.ID] = Person{ID: u.ID, Name: name, Kind: u.Kind, Guest: u.Kind == policy.Guest}
	}
	return out, nil
}

func personList(ps map[int64]Person, ids []int64) []Person {
	out := []Person{}
	for _, id := range ids {
		if p, ok := ps[id]; ok {
			out = append(out, p)
		}
	}
	return out
}

// checkName trims a required one-line name.
func checkName(errs valid.Errors, field string, in *string, dst *string, max int, missing string) {
	if in == nil {
		return
	}
	s := strings.TrimSpace(*in)
	if s == "" {
		errs.Add(field, missing)
	} else if msg := valid.Line(s, max); msg != "" {
		errs.Add(field, msg)
	}
	*dst = s
}
