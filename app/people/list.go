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

// UserSorts are the orders of the users list: by name (the default) or by
// the date they were added, which is the order of their IDs.
var UserSorts = store.Sorts{
	{Name: "name", Label: "Name A–Z", Expr: "u.name", ID: "u.id"},
	{Name: "-name", Label: "Name Z–A", Expr: "u.name", ID: "u.id", Desc: true},
	{Name: "-created", Label: "Newest first", ID: "u.id", Desc: true},
	{Name: "created", Label: "Oldest first", ID: "u.id"},
}

// UserQuery is what a users list asks for: a search in name or email,
// filters by kind and status ("" for any) and a sort of UserSorts ("" for
// the default).
type UserQuery struct {
	Q      string
	Kind   policy.Kind
	Status Status
	Sort   string
}

// check validates the query for actor a under settings s and returns its
// sort. A status filter is for those who see statuses
// (policy.SeesContactDetails): filtering by it would tell the others who is
// deactivated.
func (uq UserQuery) check(a policy.Actor, s policy.Settings) (store.Sort, error) {
	errs := valid.Errors{}
	if err := CheckSearch(uq.Q); err != nil {
		errs.Add("q", err.(valid.Errors)["q"])
	}
	if uq.Kind != "" && !uq.Kind.Valid() {
		errs.Add("kind", "Choose member, guest, client, external_editor or external_viewer.")
	}
	switch uq.Status {
	case "":
	case Invited, Active, Deactivated:
		if !policy.SeesContactDetails(a, s, true) {
			errs.Add("status", "You can't filter people by status.")
		}
	default:
		errs.Add("status", "Choose invited, active or deactivated.")
	}
	o, ok := UserSorts.Find(uq.Sort)
	if !ok {
		errs.Add("sort", "Sort by one of: "+UserSorts.Names()+".")
	}
	return o, errs.Err()
}

// usersQuery is the select of the users in the actor's scope matching uq,
// without order or limit: List and CountUsers share it. The email is
// searched only where the actor may see it (policy.SeesContactDetails under
// the tenant's settings s): a search must not confirm an address the
// answer would withhold.
func usersQuery(db *store.Scoped, model any, a policy.Actor, s policy.Settings, uq UserQuery) *bun.SelectQuery {
	sq := scoped(db, model, policy.UsersScope(a))
	if q := strings.ToLower(strings.TrimSpace(uq.Q)); q != "" {
		like := containsPattern(q)
		if policy.SeesContactDetails(a, s, true) {
			sq = sq.Where(`(LOWER(u.name) LIKE ? ESCAPE '\' OR LOWER(u.email) LIKE ? ESCAPE '\')`, like, like)
		} else {
			sq = sq.Where(`(LOWER(u.name) LIKE ? ESCAPE '\' OR (u.status <> ? AND LOWER(u.email) LIKE ? ESCAPE '\'))`, like, Deactivated, like)
		}
	}
	if uq.Kind != "" {
		sq = sq.Where("u.kind = ?", uq.Kind)
	}
	if uq.Status != "" {
		sq = sq.Where("u.status = ?", uq.Status)
	}
	return sq
}

// List returns one page of the users in the actor's scope matching uq, in
// its sort, and the cursor of the next page ("" when this is the last).
// Invalid filters or sort are valid.Errors; a cursor of another list or
// another sort is store.ErrBadCursor.
func List(ctx context.Context, db *store.Scoped, a policy.Actor, s policy.Settings, uq UserQuery, p store.Page) ([]Listed, string, error) {
	o, err := uq.check(a, s)
	if err != nil {
		return nil, "", err
	}
	after, ok, err := o.Decode(cursorUsers, p.Cursor)
	if err != nil {
		return nil, "", err
	}
	limit := p.Size()
	var users []User
	sq := o.Apply(usersQuery(db, &users, a, s, uq).Relation("Capabilities").Relation("Modules"), after, ok, limit)
	if err := sq.Scan(ctx); err != nil {
		return nil, "", fmt.Errorf("people: list: %w", err)
	}
	next := ""
	if len(users) > limit {
		users = users[:limit]
		last := users[len(users)-1]
		next = o.Encode(cursorUsers, last.Name, last.ID)
	}
	out, err := withAssignments(ctx, db, users)
	return out, next, err
}

// CountUsers is how many users in the actor's scope match uq: the count
// above the list, through the same query without order, limit or cursor.
func CountUsers(ctx context.Context, db *store.Scoped, a policy.Actor, s policy.Settings, uq UserQuery) (int, error) {
	if _, err := uq.check(a, s); err != nil {
		return 0, err
	}
	n, err := usersQuery(db, (*User)(nil), a, s, uq).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("people: count users: %w", err)
	}
	return int(n), nil
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
func teamKinds() []policy.Kind { return policy.KindsWhere(policy.MayJoinTeams) }

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
