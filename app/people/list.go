package people

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// Listed is a user with their team and company IDs, as lists show them.
type Listed struct {
	User
	TeamIDs    []int64
	CompanyIDs []int64
}

// cursorUsers tags the cursors of the users list.
const cursorUsers = "users"

// likeEscaper escapes LIKE's wildcards and its escape character, so a search
// for "50%" means those three characters.
var likeEscaper = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)

// containsPattern is a LIKE pattern (with ESCAPE '\') matching s anywhere.
func containsPattern(s string) string { return "%" + likeEscaper.Replace(s) + "%" }

// CheckSearch validates a search text: at most MaxSearch characters.
func CheckSearch(q string) error {
	if utf8.RuneCountInString(q) > MaxSearch {
		return valid.Errors{"q": fmt.Sprintf("Search for at most %d characters.", MaxSearch)}
	}
	return nil
}

// List returns one page of the users in the actor's scope matching q in
// name or email, ordered by ID, and the cursor of the next page ("" when
// this is the last). The email is searched only where the actor may see it
// (policy.SeesContactDetails under the tenant's settings s): a search must
// not confirm an address the answer would withhold.
func List(ctx context.Context, db *store.Scoped, a policy.Actor, s policy.Settings, q string, p store.Page) ([]Listed, string, error) {
	if err := CheckSearch(q); err != nil {
		return nil, "", err
	}
	after, _, err := store.DecodeCursor(cursorUsers, p.Cursor)
	if err != nil {
		return nil, "", err
	}
	limit := p.Size()
	var users []User
	sq := scoped(db, &users, policy.UsersScope(a)).Relation("Capabilities").Relation("Modules").
		Where("u.id > ?", after.ID).OrderExpr("u.id").Limit(int64(limit + 1))
	if q = strings.ToLower(strings.TrimSpace(q)); q != "" {
		like := containsPattern(q)
		if policy.SeesContactDetails(a, s, true) {
			sq = sq.Where(`(LOWER(u.name) LIKE ? ESCAPE '\' OR LOWER(u.email) LIKE ? ESCAPE '\')`, like, like)
		} else {
			sq = sq.Where(`(LOWER(u.name) LIKE ? ESCAPE '\' OR (u.status <> ? AND LOWER(u.email) LIKE ? ESCAPE '\'))`, like, Deactivated, like)
		}
	}
	if err := sq.Scan(ctx); err != nil {
		return nil, "", fmt.Errorf("people: list: %w", err)
	}
	next := ""
	if len(users) > limit {
		users = users[:limit]
		next = store.EncodeCursor(cursorUsers, store.Cursor{ID: users[len(users)-1].ID})
	}
	out, err := withAssignments(ctx, db, users)
	return out, next, err
}

// withAssignments adds each user's team and company IDs, in two queries.
func withAssignments(ctx context.Context, db *store.Scoped, users []User) ([]Listed, error) {
	out := make([]Listed, 0, len(users))
	if len(users) == 0 {
		return out, nil
	}
	ids := make([]int64, 0, len(users))
	for _, u := range users {
		ids = append(ids, u.ID)
	}
	var teams []TeamMembership
	if err := db.Select(&teams).Where("user_id IN (?)", bunIn(ids)).Order("team_id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("people: teams of users: %w", err)
	}
	var comps []UserCompany
	if err := db.Select(&comps).Where("user_id IN (?)", bunIn(ids)).Order("company_id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("people: companies of users: %w", err)
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
	return out, nil
}

// Visible loads one user in the actor's scope, else ErrNotFound.
func Visible(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*Listed, error) {
	var users []User
	err := scoped(db, &users, policy.UsersScope(a)).Relation("Capabilities").Relation("Modules").
		Where("u.id = ?", id).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("people: load user %d: %w", id, err)
	}
	if len(users) == 0 {
		return nil, ErrNotFound
	}
	out, err := withAssignments(ctx, db, users)
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

// teamKinds are the kinds policy.MayJoinTeams admits, for SQL.
func teamKinds() []policy.Kind {
	var out []policy.Kind
	for _, k := range policy.Kinds {
		if policy.MayJoinTeams(k) {
			out = append(out, k)
		}
	}
	return out
}

// TeamCandidates returns the users in the actor's scope who may join a team
// (active or invited users of the kinds policy.MayJoinTeams admits), by
// name: the choices of the "Add a member" field. Every one is returned.
func TeamCandidates(ctx context.Context, db *store.Scoped, a policy.Actor) ([]User, error) {
	var out []User
	err := scoped(db, &out, policy.UsersScope(a)).
		Where("u.kind IN (?)", bun.In(teamKinds())).
		Where("u.status <> ?", Deactivated).OrderExpr("u.name, u.email, u.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("people: team candidates: %w", err)
	}
	return out, nil
}

// Teams returns every team in the actor's scope by name, for the choices of forms.
func Teams(ctx context.Context, db *store.Scoped, a policy.Actor) ([]Team, error) {
	var out []Team
	if err := scoped(db, &out, policy.TeamsScope(a)).OrderExpr("tm.name, tm.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("people: teams: %w", err)
	}
	return out, nil
}

// Companies returns every company in the actor's scope by name, for the choices of forms.
func Companies(ctx context.Context, db *store.Scoped, a policy.Actor) ([]Company, error) {
	var out []Company
	if err := scoped(db, &out, policy.CompaniesScope(a)).OrderExpr("c.name, c.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("people: companies: %w", err)
	}
	return out, nil
}
