package people

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// TeamKinds lists the kinds of team in the order forms show them.
var TeamKinds = []TeamKind{TeamFunction, TeamGeography, TeamVertical, TeamHorizontal, TeamClient}

// Valid reports whether k is a known kind of team.
func (k TeamKind) Valid() bool { return slices.Contains(TeamKinds, k) }

// TeamMemberView is a member of a team as lists show them, filtered for
// the viewer by the same rule as a user's own view (ViewFor): a deactivated
// member's email and status are absent for those who may not see them.
type TeamMemberView struct {
	ID     int64       `json:"id"`
	Name   string      `json:"name"`
	Email  string      `json:"email,omitempty"`
	Kind   policy.Kind `json:"kind"`
	Status Status      `json:"status,omitempty"`
	Role   TeamRole    `json:"role"`
}

// DisplayName is the name, else the address if shown, else UnnamedUser.
func (m TeamMemberView) DisplayName() string { return displayName(m.Name, m.Email) }

// TeamView is a team with its company and members. ClientVisible is true
// when any member is a client user: the team is then marked everywhere.
type TeamView struct {
	ID            int64            `json:"id"`
	Name          string           `json:"name"`
	Kind          TeamKind         `json:"kind"`
	Company       *CompanyRef      `json:"company"`
	ClientVisible bool             `json:"client_visible"`
	Members       []TeamMemberView `json:"members"`
}

// CompanyRef names a company inside another object.
type CompanyRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// ErrNotFoundTeam means no such team in this tenant (or not one the actor may see).
var ErrNotFoundTeam = errors.New("people: team not found")

// cursorTeams tags the cursors of the teams list.
const cursorTeams = "teams"

// TeamSorts are the orders of the teams list: by name (the default) or by
// the date they were added, which is the order of their IDs.
var TeamSorts = store.Sorts{
	{Name: "name", Label: "Name A–Z", Expr: "tm.name", ID: "tm.id"},
	{Name: "-name", Label: "Name Z–A", Expr: "tm.name", ID: "tm.id", Desc: true},
	{Name: "-created", Label: "Newest first", ID: "tm.id", Desc: true},
	{Name: "created", Label: "Oldest first", ID: "tm.id"},
}

// TeamQuery is what a teams list asks for: a kind of team ("" for any) and
// a sort of TeamSorts ("" for the default).
type TeamQuery struct {
	Kind TeamKind
	Sort string
}

func (tq TeamQuery) check() (store.Sort, error) {
	errs := valid.Errors{}
	if tq.Kind != "" && !tq.Kind.Valid() {
		errs.Add("kind", "Choose function, geography, vertical, horizontal or client.")
	}
	o, ok := TeamSorts.Find(tq.Sort)
	if !ok {
		errs.Add("sort", "Sort by one of: "+TeamSorts.Names()+".")
	}
	return o, errs.Err()
}

// teamsQuery is the select of the teams in the actor's scope matching tq,
// without order or limit: TeamsFor and CountTeams share it.
func teamsQuery(db *store.Scoped, model any, a policy.Actor, tq TeamQuery) *bun.SelectQuery {
	q := scoped(db, model, policy.TeamsScope(a))
	if tq.Kind != "" {
		q = q.Where("tm.kind = ?", tq.Kind)
	}
	return q
}

// TeamsFor returns one page of the teams in the actor's scope matching tq,
// in its sort, with members as the actor may see them under the tenant's
// settings s, in three queries whatever the page size, and the cursor of
// the next page ("" when this is the last).
func TeamsFor(ctx context.Context, db *store.Scoped, a policy.Actor, s policy.Settings, tq TeamQuery, p store.Page) ([]TeamView, string, error) {
	o, err := tq.check()
	if err != nil {
		return nil, "", err
	}
	after, ok, err := o.Decode(cursorTeams, p.Cursor)
	if err != nil {
		return nil, "", err
	}
	limit := p.Size()
	var teams []Team
	if err := o.Apply(teamsQuery(db, &teams, a, tq), after, ok, limit).Scan(ctx); err != nil {
		return nil, "", fmt.Errorf("people: teams: %w", err)
	}
	next := ""
	if len(teams) > limit {
		teams = teams[:limit]
		last := teams[len(teams)-1]
		next = o.Encode(cursorTeams, last.Name, last.ID)
	}
	views, err := teamViews(ctx, db, a, s, teams)
	return views, next, err
}

// CountTeams is how many teams in the actor's scope match tq, through the
// same query as TeamsFor without order, limit or cursor.
func CountTeams(ctx context.Context, db *store.Scoped, a policy.Actor, tq TeamQuery) (int, error) {
	if _, err := tq.check(); err != nil {
		return 0, err
	}
	n, err := teamsQuery(db, (*Team)(nil), a, tq).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("people: count teams: %w", err)
	}
	return int(n), nil
}

// TeamFor loads one team in the actor's scope, with members as the actor
// may see them under s, else ErrNotFoundTeam.
func TeamFor(ctx context.Context, db *store.Scoped, a policy.Actor, s policy.Settings, id int64) (*TeamView, error) {
	var teams []Team
	if err := scoped(db, &teams, policy.TeamsScope(a)).Where("tm.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("people: load team %d: %w", id, err)
	}
	if len(teams) == 0 {
		return nil, ErrNotFoundTeam
	}
	views, err := teamViews(ctx, db, a, s, teams)
	if err != nil {
		return nil, err
	}
	return &views[0], nil
}

// teamViews adds companies and members to teams; each member passes
// through ViewFor for actor a, so what a team shows of a user is what the
// user's own view shows.
func teamViews(ctx context.Context, db *store.Scoped, a policy.Actor, s policy.Settings, teams []Team) ([]TeamView, error) {
	out := make([]TeamView, 0, len(teams))
	if len(teams) == 0 {
		return out, nil
	}
	ids := make([]int64, 0, len(teams))
	var companyIDs []int64
	for _, t := range teams {
		ids = append(ids, t.ID)
		if t.CompanyID != nil {
			companyIDs = append(companyIDs, *t.CompanyID)
		}
	}
	var rows []struct {
		TeamID int64       `bun:"team_id"`
		Role   TeamRole    `bun:"role"`
		ID     int64       `bun:"id"`
		Name   string      `bun:"name"`
		Email  string      `bun:"email"`
		Kind   policy.Kind `bun:"kind"`
		Status Status      `bun:"status"`
	}
	err := db.Select((*TeamMembership)(nil)).
		ColumnExpr("tmm.team_id, tmm.role, u.id, u.name, u.email, u.kind, u.status").
		Join("JOIN users AS u ON u.id = tmm.user_id AND u.tenant_id = tmm.tenant_id").
		Where("tmm.team_id IN (?)", bunIn(ids)).
		OrderExpr("tmm.role = 'leader' DESC, u.name").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("people: team members: %w", err)
	}
	// A team's company is named on the team whatever the viewer's company scope:
	// the team is in their scope, and its company's name is part of it.
	var companies []Company
	if len(companyIDs) > 0 {
		if err := db.Select(&companies).Column("id", "name").Where("c.id IN (?)", bunIn(uniq(companyIDs))).Scan(ctx); err != nil {
			return nil, fmt.Errorf("people: companies of teams: %w", err)
		}
	}
	for _, t := range teams {
		v := TeamView{ID: t.ID, Name: t.Name, Kind: t.Kind, Members: []TeamMemberView{}}
		if t.CompanyID != nil {
			for _, c := range companies {
				if c.ID == *t.CompanyID {
					v.Company = &CompanyRef{ID: c.ID, Name: c.Name}
				}
			}
		}
		for _, r := range rows {
			if r.TeamID == t.ID {
				uv := ViewFor(a, s, Listed{User: User{ID: r.ID, Name: r.Name, Email: r.Email, Kind: r.Kind, Status: r.Status}})
				v.Members = append(v.Members, TeamMemberView{ID: uv.ID, Name: uv.Name, Email: uv.Email, Kind: uv.Kind, Status: uv.Status, Role: r.Role})
				if r.Kind == policy.Client {
					v.ClientVisible = true
				}
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// TeamInput is a new team or a change to one; nil fields stay.
type TeamInput struct {
	Name      *string   `json:"name"`
	Kind      *TeamKind `json:"kind"`
	CompanyID *int64    `json:"company_id"` // 0 clears it
}

// SaveTeam creates a team (id 0) or changes one in the actor's scope, with
// its audit record in the same transaction, and returns the team as lists show it.
func SaveTeam(ctx context.Context, db *store.Scoped, by By, id int64, in TeamInput) (*TeamView, error) {
	var out *TeamView
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		t := &Team{Kind: TeamFunction, CreatedAt: time.Now().UTC()}
		errs := valid.Errors{}
		if id != 0 {
			if err := scoped(tx, t, policy.TeamsScope(by.Actor)).Where("tm.id = ?", id).Scan(ctx); errors.Is(err, sql.ErrNoRows) {
				return ErrNotFoundTeam
			} else if err != nil {
				return err
			}
		} else if in.Name == nil {
			errs.Add("name", "Name the team.")
		}
		if in.Name != nil {
			n := strings.TrimSpace(*in.Name)
			if n == "" || valid.Line(n, MaxTeamName) != "" {
				errs.Add("name", fmt.Sprintf("Name the team in up to %d characters, on one line.", MaxTeamName))
			}
			t.Name = n
		}
		if in.Kind != nil {
			if !in.Kind.Valid() {
				errs.Add("kind", "Choose function, geography, vertical, horizontal or client.")
			}
			t.Kind = *in.Kind
		}
		if in.CompanyID != nil {
			if *in.CompanyID == 0 {
				t.CompanyID = nil
			} else if ok, err := scoped(tx, (*Company)(nil), policy.CompaniesScope(by.Actor)).Where("c.id = ?", *in.CompanyID).Exists(ctx); err != nil {
				return err
			} else if !ok {
				errs.Add("company_id", "Choose a company from the list.")
			} else {
				t.CompanyID = in.CompanyID
			}
		}
		if len(errs) > 0 && in.Name != nil && errs["name"] == "" {
			// Other fields are wrong: say now whether the name is taken too,
			// so the answer lists every problem. Otherwise the insert decides.
			if taken, err := nameTaken(ctx, tx, (*Team)(nil), t.Name, id); err != nil {
				return err
			} else if taken {
				errs.Add("name", "A team with this name already exists.")
			}
		}
		if err := errs.Err(); err != nil {
			return err
		}
		// The unique index on (tenant_id, lower(name)) decides whether the
		// name is taken, also between concurrent writers.
		var err error
		if id == 0 {
			_, err = tx.Insert(t).Exec(ctx)
		} else {
			_, err = tx.Update(t).Column("name", "kind", "company_id").WherePK().Exec(ctx)
		}
		if store.IsUniqueViolation(err) {
			return valid.Errors{"name": "A team with this name already exists."}
		}
		if err != nil {
			return err
		}
		if err := by.record(ctx, tx, audit.TeamChange, "team", t.ID, "saved team "+t.Name); err != nil {
			return err
		}
		out, err = TeamFor(ctx, tx, by.Actor, by.Settings, t.ID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("people: save team %d: %w", id, err)
	}
	return out, nil
}

// DeleteTeam removes a team in the actor's scope and its memberships, with its audit record.
func DeleteTeam(ctx context.Context, db *store.Scoped, by By, id int64) error {
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		t := new(Team)
		if err := scoped(tx, t, policy.TeamsScope(by.Actor)).Where("tm.id = ?", id).Scan(ctx); errors.Is(err, sql.ErrNoRows) {
			return ErrNotFoundTeam
		} else if err != nil {
			return err
		}
		if _, err := tx.Delete((*TeamMembership)(nil)).Where("team_id = ?", id).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.Delete((*Team)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
			return err
		}
		return by.record(ctx, tx, audit.TeamChange, "team", id, "deleted team "+t.Name)
	})
	if err != nil {
		return fmt.Errorf("people: delete team %d: %w", id, err)
	}
	return nil
}

// SetTeamMember adds a user to a team or changes their role, with its audit
// record, and returns the team. Only the kinds policy.MayJoinTeams admits
// belong to teams, and a deactivated user joins none (the form's choices
// leave them out; the API is refused the same way). Invited users may join,
// as an invitation's teams do.
func SetTeamMember(ctx context.Context, db *store.Scoped, by By, teamID, userID int64, role TeamRole) (*TeamView, error) {
	if role == "" {
		role = TeamMember
	}
	if role != TeamMember && role != TeamLeader {
		return nil, valid.Errors{"role": "Choose leader or member."}
	}
	var out *TeamView
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if ok, err := scoped(tx, (*Team)(nil), policy.TeamsScope(by.Actor)).Where("tm.id = ?", teamID).Exists(ctx); err != nil {
			return err
		} else if !ok {
			return ErrNotFoundTeam
		}
		u, err := Visible(ctx, tx, by.Actor, userID)
		if errors.Is(err, ErrNotFound) {
			return valid.Errors{"user_id": "Choose a user from the list."}
		}
		if err != nil {
			return err
		}
		if !policy.MayJoinTeams(u.Kind) {
			return valid.Errors{"user_id": "Only members and clients belong to teams."}
		}
		if u.Status == Deactivated {
			return valid.Errors{"user_id": "A deactivated user can't join a team. Reactivate them first."}
		}
		_, err = tx.Insert(&TeamMembership{TeamID: teamID, UserID: userID, Role: role}).
			On("CONFLICT (team_id, user_id) DO UPDATE").Set("role = EXCLUDED.role").Exec(ctx)
		if err != nil {
			return err
		}
		if err := by.record(ctx, tx, audit.TeamChange, "team", teamID, fmt.Sprintf("added user %d to the team as %s", userID, role)); err != nil {
			return err
		}
		out, err = TeamFor(ctx, tx, by.Actor, by.Settings, teamID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("people: add member %d to team %d: %w", userID, teamID, err)
	}
	return out, nil
}

// RemoveTeamMember takes a user out of a team in the actor's scope, with its audit record.
func RemoveTeamMember(ctx context.Context, db *store.Scoped, by By, teamID, userID int64) error {
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if ok, err := scoped(tx, (*Team)(nil), policy.TeamsScope(by.Actor)).Where("tm.id = ?", teamID).Exists(ctx); err != nil {
			return err
		} else if !ok {
			return ErrNotFoundTeam
		}
		res, err := tx.Delete((*TeamMembership)(nil)).Where("team_id = ? AND user_id = ?", teamID, userID).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFoundTeam
		}
		return by.record(ctx, tx, audit.TeamChange, "team", teamID, fmt.Sprintf("removed user %d from the team", userID))
	})
	if err != nil {
		return fmt.Errorf("people: remove member %d from team %d: %w", userID, teamID, err)
	}
	return nil
}

// nameTaken reports whether another row of model's table (not id) has name,
// ignoring case. It only words a refusal early: the unique index on
// (tenant_id, lower(name)) is what keeps names unique.
func nameTaken(ctx context.Context, tx *store.Scoped, model any, name string, id int64) (bool, error) {
	return tx.Select(model).Where("lower(name) = lower(?) AND id <> ?", name, id).Exists(ctx)
}

// TeamsOf returns the teams in the actor's scope that userID belongs to, by name.
func TeamsOf(ctx context.Context, db *store.Scoped, a policy.Actor, userID int64) ([]Team, error) {
	var out []Team
	err := scoped(db, &out, policy.TeamsScope(a)).
		Where("tm.id IN (SELECT team_id FROM team_members WHERE user_id = ? AND tenant_id = ?)", userID, db.TenantID()).
		OrderExpr("tm.name, tm.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("people: teams of user %d: %w", userID, err)
	}
	return out, nil
}
