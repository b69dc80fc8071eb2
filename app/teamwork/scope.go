package teamwork

import (
	"context"
	"fmt"
	"slices"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// table is how one kind of object sits in its teams: its table's alias,
// and for rocks and metrics the table that shares them into other teams.
type table struct {
	// name is the kind of object, as the audit log and errors name it.
	name  string
	alias string
	// shares and shareCol: the share table and its column of the object's
	// ID; "" for objects that live in one team only.
	shares, shareCol string
	// company: objects with no team are the company's own (rocks).
	company bool
}

var (
	rocksTable    = table{name: KindRock, alias: "r", shares: "rock_shares", shareCol: "rock_id", company: true}
	metricsTable  = table{name: KindMetric, alias: "m", shares: "metric_shares", shareCol: "metric_id"}
	issuesTable   = table{name: KindIssue, alias: "i"}
	todosTable    = table{name: KindTodo, alias: "td"}
	messagesTable = table{name: KindMessage, alias: "msg"}
)

// scoped starts a select of model narrowed to the handle's tenant and to
// the policy's scope sc. It is the one place a scope of teams' work becomes
// SQL: every list and every single-object load starts here. A scope of
// nobody or of another tenant matches no row.
func scoped(db *store.Scoped, model any, sc policy.TeamWorkScope, t table) *bun.SelectQuery {
	q := db.Select(model)
	if sc.None() || sc.TenantID != db.TenantID() {
		return q.Where("1 = 0")
	}
	return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		if t.company {
			if sc.Company {
				q = q.WhereOr("?.team_id IS NULL", bun.Ident(t.alias))
			}
		}
		switch {
		case sc.AllTeams:
			q = q.WhereOr("?.team_id IS NOT NULL", bun.Ident(t.alias))
		case len(sc.Teams) > 0:
			q = q.WhereOr("?.team_id IN (?)", bun.Ident(t.alias), bun.In(sc.Teams))
			if t.shares != "" {
				q = q.WhereOr("?.id IN (SELECT x.? FROM ? AS x WHERE x.tenant_id = ? AND x.team_id IN (?))",
					bun.Ident(t.alias), bun.Ident(t.shareCol), bun.Ident(t.shares), sc.TenantID, bun.In(sc.Teams))
			}
		default:
			q = q.WhereOr("1 = 0")
		}
		return q
	})
}

// inTeam narrows q to the objects shown in team teamID: living there, or
// shared into it.
func inTeam(q *bun.SelectQuery, t table, tenantID, teamID int64) *bun.SelectQuery {
	if t.shares == "" {
		return q.Where("?.team_id = ?", bun.Ident(t.alias), teamID)
	}
	return q.Where("(?.team_id = ? OR ?.id IN (SELECT x.? FROM ? AS x WHERE x.tenant_id = ? AND x.team_id = ?))",
		bun.Ident(t.alias), teamID, bun.Ident(t.alias), bun.Ident(t.shareCol), bun.Ident(t.shares), tenantID, teamID)
}

// shareRow is one share, read by sharesOf.
type shareRow struct {
	ObjectID int64 `bun:"object_id"`
	TeamID   int64 `bun:"team_id"`
}

// sharesOf reads the teams each of ids is shared into, beyond its home
// team, in one statement.
func sharesOf(ctx context.Context, db *store.Scoped, t table, ids []int64) (map[int64][]int64, error) {
	out := map[int64][]int64{}
	if t.shares == "" || len(ids) == 0 {
		return out, nil
	}
	var rows []shareRow
	err := db.RawRead("SELECT ? AS object_id, team_id FROM ? WHERE tenant_id = ? AND ? IN (?) ORDER BY team_id",
		bun.Ident(t.shareCol), bun.Ident(t.shares), db.TenantID(), bun.Ident(t.shareCol), bun.In(ids)).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("teamwork: shares of %s: %w", t.shares, err)
	}
	for _, r := range rows {
		out[r.ObjectID] = append(out[r.ObjectID], r.TeamID)
	}
	return out, nil
}

// saveShares makes the shares of object id exactly rows (beyond its home
// team): where is the share table's condition on the object's ID.
func saveShares[T any](ctx context.Context, tx *store.Scoped, where string, id int64, rows []T) error {
	if _, err := tx.Delete((*T)(nil)).Where(where, id).Exec(ctx); err != nil {
		return fmt.Errorf("teamwork: clear shares of %d: %w", id, err)
	}
	if len(rows) == 0 {
		return nil
	}
	if _, err := tx.Insert(&rows).Exec(ctx); err != nil {
		return fmt.Errorf("teamwork: share %d: %w", id, err)
	}
	return nil
}

// names reads the names of users and teams for views, in two statements
// whatever the number of IDs; unknown IDs have no name.
type names struct {
	users map[int64]people.User
	teams map[int64]string
}

type teamName struct {
	ID   int64  `bun:"id"`
	Name string `bun:"name"`
}

func loadNames(ctx context.Context, db *store.Scoped, users, teams []int64) (names, error) {
	n := names{users: map[int64]people.User{}, teams: map[int64]string{}}
	users, teams = uniq(users), uniq(teams)
	us, err := people.UsersByIDs(ctx, db, users)
	if err != nil {
		return n, fmt.Errorf("teamwork: %w", err)
	}
	for _, u := range us {
		n.users[u.ID] = u
	}
	if len(teams) > 0 {
		var rows []teamName
		if err := db.RawRead("SELECT id, name FROM teams WHERE tenant_id = ? AND id IN (?)", db.TenantID(), bun.In(teams)).Scan(ctx, &rows); err != nil {
			return n, fmt.Errorf("teamwork: team names: %w", err)
		}
		for _, r := range rows {
			n.teams[r.ID] = r.Name
		}
	}
	return n, nil
}

// user is the named reference of user id, nil for none. A user without a
// name is UnnamedUser: their address is not everyone's to read.
func (n names) user(id *int64) *Person {
	if id == nil {
		return nil
	}
	u, ok := n.users[*id]
	if !ok {
		return nil
	}
	name := u.Name
	if name == "" {
		name = people.UnnamedUser
	}
	return &Person{ID: u.ID, Name: name, Client: policy.ClientMarked(u.Kind)}
}

func (n names) team(id int64) Ref { return Ref{ID: id, Name: n.teams[id]} }

func (n names) teamList(ids []int64) []Ref {
	out := make([]Ref, 0, len(ids))
	for _, id := range ids {
		out = append(out, n.team(id))
	}
	return out
}

// Person names a user inside an object: an owner, an author. Client marks
// a client user, whose avatar carries the ring everywhere (UI.md).
type Person struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Client bool   `json:"client"`
}

func uniq(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// ownerRow is what an owner check reads of a user.
type ownerRow struct {
	Kind   policy.Kind   `bun:"kind"`
	Status people.Status `bun:"status"`
	InTeam bool          `bun:"in_team"`
}

// checkOwner reports what is wrong with user id owning an object shown in
// teams (home first; none for a company object), or "": an active member
// of the tenant, or a client in one of those teams.
func checkOwner(ctx context.Context, db *store.Scoped, id int64, teams []int64) (policy.Kind, string, error) {
	var rows []ownerRow
	inTeams := "FALSE"
	args := []any{}
	if len(teams) > 0 {
		inTeams = "EXISTS (SELECT 1 FROM team_members AS tmm WHERE tmm.tenant_id = u.tenant_id AND tmm.user_id = u.id AND tmm.team_id IN (?))"
		args = append(args, bun.In(teams))
	}
	args = append(args, db.TenantID(), id)
	if err := db.RawRead("SELECT u.kind, u.status, "+inTeams+" AS in_team FROM users AS u WHERE u.tenant_id = ? AND u.id = ?", args...).Scan(ctx, &rows); err != nil {
		return "", "", fmt.Errorf("teamwork: owner %d: %w", id, err)
	}
	if len(rows) == 0 || rows[0].Status == people.Deactivated {
		return "", "Choose an active person of the workspace.", nil
	}
	r := rows[0]
	switch {
	case policy.CanOwnIn(r.Kind, r.InTeam):
		return r.Kind, "", nil
	case policy.MayOwnTeamWork(r.Kind):
		return r.Kind, "A client can own only what is in one of their teams.", nil
	}
	return r.Kind, "Only members of the workspace and clients in the team can own this.", nil
}

// checkTeams reports what is wrong with showing an object in teams, for
// actor a: each must exist and be one a may put work in.
func checkTeams(ctx context.Context, db *store.Scoped, a policy.Actor, teams []int64) (string, error) {
	if len(teams) > MaxShares+1 {
		return fmt.Sprintf("At most %d teams.", MaxShares+1), nil
	}
	var n int
	if len(teams) > 0 {
		if err := db.RawRead("SELECT COUNT(*) FROM teams WHERE tenant_id = ? AND id IN (?)", db.TenantID(), bun.In(teams)).Scan(ctx, &n); err != nil {
			return "", fmt.Errorf("teamwork: check teams: %w", err)
		}
	}
	if n != len(uniq(teams)) {
		return "Choose teams from the list.", nil
	}
	for _, t := range teams {
		if !policy.CanEditTeamWork(a, policy.TeamWorkFacts{Teams: []int64{t}}) {
			return "Choose teams from the list.", nil
		}
	}
	return "", nil
}

// Kinds of object, as FactsOf names them.
const (
	KindRock    = "rock"
	KindMetric  = "metric"
	KindIssue   = "issue"
	KindTodo    = "todo"
	KindMessage = "message"
	KindMeeting = "meeting"
)

// FactsOf is what the policy needs of object id of kind (KindRock, …),
// whoever may see it, for the access explainer; ErrNotFound when there is
// no such object in the tenant.
func FactsOf(ctx context.Context, db *store.Scoped, kind string, id int64) (policy.TeamWorkFacts, error) {
	tables := map[string]struct {
		t     table
		model string
	}{KindRock: {rocksTable, "rocks"}, KindMetric: {metricsTable, "metrics"}, KindIssue: {issuesTable, "issues"}, KindTodo: {todosTable, "todos"}, KindMessage: {messagesTable, "messages"}, KindMeeting: {meetingsTable, "meetings"}}
	x, ok := tables[kind]
	if !ok {
		return policy.TeamWorkFacts{}, ErrNotFound
	}
	owner := map[string]string{KindMessage: "author_id", KindMeeting: "created_by"}[kind]
	if owner == "" {
		owner = "owner_id"
	}
	var rows []struct {
		TeamID  *int64 `bun:"team_id"`
		OwnerID *int64 `bun:"owner_id"`
	}
	if err := db.RawRead("SELECT team_id, ? AS owner_id FROM ? WHERE tenant_id = ? AND id = ?", bun.Ident(owner), bun.Ident(x.model), db.TenantID(), id).Scan(ctx, &rows); err != nil {
		return policy.TeamWorkFacts{}, fmt.Errorf("teamwork: facts of %s %d: %w", kind, id, err)
	}
	if len(rows) == 0 {
		return policy.TeamWorkFacts{}, ErrNotFound
	}
	f := policy.TeamWorkFacts{OwnerID: deref(rows[0].OwnerID)}
	if rows[0].TeamID != nil {
		shares, err := sharesOf(ctx, db, x.t, []int64{id})
		if err != nil {
			return f, err
		}
		f.Teams = append([]int64{*rows[0].TeamID}, shares[id]...)
	}
	return f, nil
}

// OneOnOneFacts are the two people of 1:1 id, for the access explainer;
// ErrNotFound when there is no such 1:1 in the tenant.
func OneOnOneFacts(ctx context.Context, db *store.Scoped, id int64) (policy.OneOnOneFacts, error) {
	var rows []OneOnOne
	if err := db.Select(&rows).Where("oo.id = ?", id).Scan(ctx); err != nil {
		return policy.OneOnOneFacts{}, fmt.Errorf("teamwork: facts of 1:1 %d: %w", id, err)
	}
	if len(rows) == 0 {
		return policy.OneOnOneFacts{}, ErrNotFound
	}
	return rows[0].facts(), nil
}
