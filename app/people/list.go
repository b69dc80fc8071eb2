package people

import (
	"context"
	"fmt"
	"strings"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// MaxList caps one page of users.
const MaxList = 200

// Listed is a user with their team and company IDs, as lists show them.
type Listed struct {
	User
	TeamIDs    []int64
	CompanyIDs []int64
}

// List returns the users the actor may see, narrowed by the policy's
// people scope, matching q in name or email, ordered by ID after cursor.
// It returns the cursor of the next page, 0 when there is none.
func List(ctx context.Context, db *store.Scoped, a policy.Actor, q string, limit int, cursor int64) ([]Listed, int64, error) {
	if limit <= 0 || limit > MaxList {
		limit = 50
	}
	var users []User
	sq := db.Select(&users).Relation("Capabilities").Relation("Modules").OrderExpr("u.id").Limit(int64(limit + 1))
	if policy.PeopleVisible(a) != policy.PeopleAll {
		sq = sq.Where("u.id = ?", a.UserID)
	}
	if q = strings.ToLower(strings.TrimSpace(q)); q != "" {
		like := "%" + strings.NewReplacer("%", "", "_", "").Replace(q) + "%"
		sq = sq.Where("(LOWER(u.name) LIKE ? OR LOWER(u.email) LIKE ?)", like, like)
	}
	if cursor > 0 {
		sq = sq.Where("u.id > ?", cursor)
	}
	if err := sq.Scan(ctx); err != nil {
		return nil, 0, fmt.Errorf("people: list: %w", err)
	}
	var next int64
	if len(users) > limit {
		users = users[:limit]
		next = users[len(users)-1].ID
	}
	out := make([]Listed, 0, len(users))
	if len(users) == 0 {
		return out, 0, nil
	}
	ids := make([]int64, 0, len(users))
	for _, u := range users {
		ids = append(ids, u.ID)
	}
	var teams []TeamMembership
	if err := db.Select(&teams).Where("user_id IN (?)", bunIn(ids)).Scan(ctx); err != nil {
		return nil, 0, err
	}
	var comps []UserCompany
	if err := db.Select(&comps).Where("user_id IN (?)", bunIn(ids)).Scan(ctx); err != nil {
		return nil, 0, err
	}
	for _, u := range users {
		l := Listed{User: u, TeamIDs: []int64{}, CompanyIDs: []int64{}}
		for _, t := range teams {
			if t.UserID == u.ID {
				l.TeamIDs = append(l.TeamIDs, t.TeamID)
			}
		}
		for _, c := range comps {
			if c.UserID == u.ID {
				l.CompanyIDs = append(l.CompanyIDs, c.CompanyID)
			}
		}
		out = append(out, l)
	}
	return out, next, nil
}

// Visible loads one user if the actor's people scope includes them, else ErrNotFound.
func Visible(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*Listed, error) {
	if policy.PeopleVisible(a) != policy.PeopleAll && id != a.UserID {
		return nil, ErrNotFound
	}
	u, err := UserByID(ctx, db, id)
	if err != nil {
		return nil, err
	}
	t, c, err := Assignments(ctx, db, id)
	if err != nil {
		return nil, err
	}
	if t == nil {
		t = []int64{}
	}
	if c == nil {
		c = []int64{}
	}
	return &Listed{User: *u, TeamIDs: t, CompanyIDs: c}, nil
}

// Teams returns the tenant's teams by name, for forms.
func Teams(ctx context.Context, db *store.Scoped) ([]Team, error) {
	var out []Team
	err := db.Select(&out).Order("name").Limit(1000).Scan(ctx)
	return out, err
}

// Companies returns the tenant's companies by name, for forms.
func Companies(ctx context.Context, db *store.Scoped) ([]Company, error) {
	var out []Company
	err := db.Select(&out).Order("name").Limit(1000).Scan(ctx)
	return out, err
}
