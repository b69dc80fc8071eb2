package people

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// TeamKinds lists the kinds of team in the order forms show them.
var TeamKinds = []TeamKind{TeamFunction, TeamGeography, TeamVertical, TeamHorizontal, TeamClient}

// Valid reports whether k is a known kind of team.
func (k TeamKind) Valid() bool { return slices.Contains(TeamKinds, k) }

// TeamMemberView is a member of a team as lists show them.
type TeamMemberView struct {
	ID     int64       `json:"id"`
	Name   string      `json:"name"`
	Email  string      `json:"email"`
	Kind   policy.Kind `json:"kind"`
	Status Status      `json:"status"`
	Role   TeamRole    `json:"role"`
}

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

// TeamsFor returns the teams the actor may see, by name, with members, in
// three queries whatever the number of teams: members see every team,
// clients the teams they belong to, everyone else none.
func TeamsFor(ctx context.Context, db *store.Scoped, a policy.Actor) ([]TeamView, error) {
	var teams []Team
	q := db.Select(&teams).Order("tm.name").Limit(1000)
	switch policy.TeamsVisible(a) {
	case policy.TeamsNone:
		return []TeamView{}, nil
	case policy.TeamsOwn:
		q = q.Where("tm.id IN (SELECT team_id FROM team_members WHERE user_id = ? AND tenant_id = ?)", a.UserID, db.TenantID())
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("people: teams: %w", err)
	}
	return teamViews(ctx, db, teams)
}

// TeamFor loads one team the actor may see.
func TeamFor(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*TeamView, error) {
	all, err := TeamsFor(ctx, db, a)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].ID == id {
			return &all[i], nil
		}
	}
	return nil, ErrNotFoundTeam
}

func teamViews(ctx context.Context, db *store.Scoped, teams []Team) ([]TeamView, error) {
	out := make([]TeamView, 0, len(teams))
	if len(teams) == 0 {
		return out, nil
	}
	ids := make([]int64, 0, len(teams))
	for _, t := range teams {
		ids = append(ids, t.ID)
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
	companies, err := Companies(ctx, db)
	if err != nil {
		return nil, err
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
				v.Members = append(v.Members, TeamMemberView{ID: r.ID, Name: r.Name, Email: r.Email, Kind: r.Kind, Status: r.Status, Role: r.Role})
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

// SaveTeam creates a team (id 0) or changes one.
func SaveTeam(ctx context.Context, db *store.Scoped, id int64, in TeamInput) (*Team, error) {
	t := &Team{Kind: TeamFunction, CreatedAt: time.Now().UTC()}
	errs := valid.Errors{}
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if id != 0 {
			if err := tx.Select(t).Where("id = ?", id).Scan(ctx); errors.Is(err, sql.ErrNoRows) {
				return ErrNotFoundTeam
			} else if err != nil {
				return err
			}
		} else if in.Name == nil {
			errs.Add("name", "Name the team.")
		}
		if in.Name != nil {
			n := strings.TrimSpace(*in.Name)
			if n == "" || len(n) > 80 {
				errs.Add("name", "Name the team in up to 80 characters.")
			} else if taken, err := tx.Select((*Team)(nil)).Where("LOWER(name) = LOWER(?) AND id <> ?", n, id).Exists(ctx); err != nil {
				return err
			} else if taken {
				errs.Add("name", "Another team has this name.")
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
			} else if ok, err := tx.Select((*Company)(nil)).Where("id = ?", *in.CompanyID).Exists(ctx); err != nil {
				return err
			} else if !ok {
				errs.Add("company_id", "Choose a company from the list.")
			} else {
				t.CompanyID = in.CompanyID
			}
		}
		if err := errs.Err(); err != nil {
			return err
		}
		var err error
		if id == 0 {
			_, err = tx.Insert(t).Exec(ctx)
		} else {
			_, err = tx.Update(t).Column("name", "kind", "company_id").WherePK().Exec(ctx)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// DeleteTeam removes a team and its memberships.
func DeleteTeam(ctx context.Context, db *store.Scoped, id int64) error {
	res, err := db.Delete((*Team)(nil)).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("people: delete team %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFoundTeam
	}
	return nil
}

// SetTeamMember adds a user to a team or changes their role. Only members
// and clients belong to teams.
func SetTeamMember(ctx context.Context, db *store.Scoped, teamID, userID int64, role TeamRole) error {
	if role == "" {
		role = TeamMember
	}
	if role != TeamMember && role != TeamLeader {
		return valid.Errors{"role": "Choose leader or member."}
	}
	return db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if ok, err := tx.Select((*Team)(nil)).Where("id = ?", teamID).Exists(ctx); err != nil {
			return err
		} else if !ok {
			return ErrNotFoundTeam
		}
		u, err := UserByID(ctx, tx, userID)
		if errors.Is(err, ErrNotFound) {
			return valid.Errors{"user_id": "Choose a user from the list."}
		}
		if err != nil {
			return err
		}
		if u.Kind != policy.Member && u.Kind != policy.Client {
			return valid.Errors{"user_id": "Only members and clients belong to teams."}
		}
		_, err = tx.Insert(&TeamMembership{TeamID: teamID, UserID: userID, Role: role}).
			On("CONFLICT (team_id, user_id) DO UPDATE").Set("role = EXCLUDED.role").Exec(ctx)
		return err
	})
}

// RemoveTeamMember takes a user out of a team.
func RemoveTeamMember(ctx context.Context, db *store.Scoped, teamID, userID int64) error {
	res, err := db.Delete((*TeamMembership)(nil)).Where("team_id = ? AND user_id = ?", teamID, userID).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFoundTeam
	}
	return nil
}
