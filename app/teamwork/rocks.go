package teamwork

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// RockView is a rock as its reader sees it, for pages and JSON alike.
// Team is nil for a company rock; SharedWith are the other teams it shows in.
type RockView struct {
	ID          int64       `json:"id"`
	Title       string      `json:"title"`
	Description string      `json:"description"`
	Team        *Ref        `json:"team"`
	SharedWith  []Ref       `json:"shared_with"`
	Owner       *Person     `json:"owner"`
	DueOn       string      `json:"due_on"`
	Status      Status      `json:"status"`
	Milestones  []Milestone `json:"milestones"`
	Archived    bool        `json:"archived"`
	// CanEdit: the reader may change it.
	CanEdit bool `json:"-"`
}

// MilestoneInput is one milestone of a rock's input.
type MilestoneInput struct {
	Title string `json:"title"`
	DueOn string `json:"due_on"`
	Done  bool   `json:"done"`
}

// RockInput is what a create or change sets; nil leaves a field as it is.
// TeamID is read on create only: 0 makes a company rock.
type RockInput struct {
	TeamID        int64             `json:"team_id,omitempty"`
	Title         *string           `json:"title,omitempty"`
	Description   *string           `json:"description,omitempty"`
	OwnerID       *int64            `json:"owner_id,omitempty"`
	DueOn         *string           `json:"due_on,omitempty"`
	Status        *Status           `json:"status,omitempty"`
	SharedTeamIDs *[]int64          `json:"shared_team_ids,omitempty"`
	Milestones    *[]MilestoneInput `json:"milestones,omitempty"`
	Archived      *bool             `json:"archived,omitempty"`
}

// RockQuery is what a rocks list asks for: the rocks shown in one team
// (TeamID), or the company rocks (Company); archived ones or the current.
type RockQuery struct {
	TeamID   int64
	Company  bool
	Archived bool
	// OwnerID narrows to one person's rocks.
	OwnerID int64
}

// RockSorts: by due date, then the order they were added.
var RockSorts = store.Sorts{{Name: "due", Label: "Due date", Expr: "r.due_on", ID: "r.id"}}

func (r *Rock) teams(shares []int64) []int64 {
	if r.TeamID == nil {
		return nil
	}
	return append([]int64{*r.TeamID}, shares...)
}

func (r *Rock) facts(shares []int64) policy.TeamWorkFacts {
	return policy.TeamWorkFacts{Teams: r.teams(shares), OwnerID: deref(r.OwnerID)}
}

// Rocks returns one page of the rocks in a's scope that rq asks for.
func Rocks(ctx context.Context, db *store.Scoped, a policy.Actor, rq RockQuery, p store.Page) ([]RockView, string, error) {
	q := scoped(db, (*Rock)(nil), policy.TeamWork(a), rocksTable)
	switch {
	case rq.TeamID != 0:
		q = inTeam(q, rocksTable, db.TenantID(), rq.TeamID)
	case rq.Company:
		q = q.Where("r.team_id IS NULL")
	}
	if rq.OwnerID != 0 {
		q = q.Where("r.owner_id = ?", rq.OwnerID)
	}
	if rq.Archived {
		q = q.Where("r.archived_at IS NOT NULL")
	} else {
		q = q.Where("r.archived_at IS NULL")
	}
	var rows []Rock
	next, err := pageOf(ctx, q, &rows, RockSorts[0], "rocks", p, func(r Rock) (string, int64) { return r.DueOn, r.ID })
	if err != nil {
		return nil, "", err
	}
	views, err := rockViews(ctx, db, a, rows)
	return views, next, err
}

// Rock loads rock id as a sees it, else ErrNotFound.
func GetRock(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*RockView, error) {
	row, err := loadRock(ctx, db, a, id)
	return viewOne(row, err, func(rs []Rock) ([]RockView, error) { return rockViews(ctx, db, a, rs) })
}

func loadRock(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*Rock, error) {
	return loadOne[Rock](ctx, db, a, rocksTable, id)
}

func rockViews(ctx context.Context, db *store.Scoped, a policy.Actor, rows []Rock) ([]RockView, error) {
	ids, users, teams := make([]int64, 0, len(rows)), []int64{}, []int64{}
	for _, r := range rows {
		ids = append(ids, r.ID)
		users = append(users, deref(r.OwnerID))
		if r.TeamID != nil {
			teams = append(teams, *r.TeamID)
		}
	}
	shares, err := sharesOf(ctx, db, rocksTable, ids)
	if err != nil {
		return nil, err
	}
	for _, s := range shares {
		teams = append(teams, s...)
	}
	var ms []Milestone
	if len(ids) > 0 {
		if err := db.Select(&ms).Where("rm.rock_id IN (?)", bun.In(ids)).OrderExpr("rm.due_on, rm.id").Scan(ctx); err != nil {
			return nil, fmt.Errorf("teamwork: milestones: %w", err)
		}
	}
	n, err := loadNames(ctx, db, users, teams)
	if err != nil {
		return nil, err
	}
	out := make([]RockView, 0, len(rows))
	for _, r := range rows {
		v := RockView{ID: r.ID, Title: r.Title, Description: r.Description, Owner: n.user(r.OwnerID), DueOn: r.DueOn,
			Status: r.Status, Archived: r.ArchivedAt != nil, SharedWith: n.teamList(shares[r.ID]), Milestones: []Milestone{},
			CanEdit: policy.CanEditTeamWork(a, r.facts(shares[r.ID]))}
		if r.TeamID != nil {
			t := n.team(*r.TeamID)
			v.Team = &t
		}
		for _, m := range ms {
			if m.RockID == r.ID {
				v.Milestones = append(v.Milestones, m)
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// CreateRock adds a rock as by.Actor, in team in.TeamID (0: a company
// rock), and returns it.
func CreateRock(ctx context.Context, db *store.Scoped, by By, in RockInput) (*RockView, error) {
	now := time.Now().UTC()
	r := &Rock{Status: OnTrack, CreatedBy: nonZero(by.Actor.UserID), CreatedAt: now, UpdatedAt: now, OwnerID: nonZero(by.Actor.UserID)}
	if in.TeamID != 0 {
		r.TeamID = &in.TeamID
	}
	if !policy.CanEditTeamWork(by.Actor, policy.TeamWorkFacts{Teams: r.teams(nil)}) {
		if policy.CanSeeTeamWork(by.Actor, policy.TeamWorkFacts{Teams: r.teams(nil)}) {
			return nil, ErrForbidden
		}
		return nil, valid.Errors{"team_id": "Choose one of your teams."}
	}
	if in.Title == nil {
		return nil, valid.Errors{"title": "Give the rock a title."}
	}
	if in.DueOn == nil {
		return nil, valid.Errors{"due_on": "Give the rock a due date."}
	}
	var id int64
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		shares, ms, err := applyRock(ctx, tx, by.Actor, r, nil, in)
		if err != nil {
			return err
		}
		if _, err := tx.Insert(r).Exec(ctx); err != nil {
			return fmt.Errorf("teamwork: create rock: %w", err)
		}
		id = r.ID
		if err := saveRockParts(ctx, tx, id, shares, ms); err != nil {
			return err
		}
		return audit.Record(ctx, tx, by.Who, audit.RockChange, "rock", id, "Added "+r.Title)
	})
	if err != nil {
		return nil, err
	}
	return GetRock(ctx, db, by.Actor, id)
}

// UpdateRock changes the fields in sets of rock id and returns it.
func UpdateRock(ctx context.Context, db *store.Scoped, by By, id int64, in RockInput) (*RockView, error) {
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		r, err := loadRock(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		old, err := sharesOf(ctx, tx, rocksTable, []int64{id})
		if err != nil {
			return err
		}
		if !policy.CanEditTeamWork(by.Actor, r.facts(old[id])) {
			return ErrForbidden
		}
		shares, ms, err := applyRock(ctx, tx, by.Actor, r, old[id], in)
		if err != nil {
			return err
		}
		r.UpdatedAt = time.Now().UTC()
		if _, err := tx.Update(r).WherePK().ExcludeColumn("created_at", "created_by", "team_id").Exec(ctx); err != nil {
			return fmt.Errorf("teamwork: update rock %d: %w", id, err)
		}
		if in.SharedTeamIDs == nil {
			shares = nil
		}
		if in.Milestones == nil {
			ms = nil
		}
		if err := saveRockParts(ctx, tx, id, shares, ms); err != nil {
			return err
		}
		return audit.Record(ctx, tx, by.Who, audit.RockChange, "rock", id, "Changed "+r.Title)
	})
	if err != nil {
		return nil, err
	}
	return GetRock(ctx, db, by.Actor, id)
}

// DeleteRock removes rock id.
func DeleteRock(ctx context.Context, db *store.Scoped, by By, id int64) error {
	return deleteOne(ctx, db, by, rocksTable, id, audit.RockChange, func(ctx context.Context, tx *store.Scoped, r *Rock) (policy.TeamWorkFacts, error) {
		shares, err := sharesOf(ctx, tx, rocksTable, []int64{r.ID})
		return r.facts(shares[r.ID]), err
	}, func(r *Rock) string { return r.Title })
}

// ArchiveRocks archives the current rocks of team teamID (0: the company
// rocks) at the quarter's end, those the actor may change, and says how
// many it archived.
func ArchiveRocks(ctx context.Context, db *store.Scoped, by By, teamID int64) (int, error) {
	var n int
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		rocks, _, err := Rocks(ctx, tx, by.Actor, RockQuery{TeamID: teamID, Company: teamID == 0}, store.Page{Limit: store.MaxLimit})
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		for _, r := range rocks {
			if !r.CanEdit || (r.Team != nil && r.Team.ID != teamID) {
				continue // a rock shared in from another team is archived there
			}
			if _, err := tx.Update((*Rock)(nil)).Set("archived_at = ?", now).Where("r.id = ?", r.ID).Exec(ctx); err != nil {
				return fmt.Errorf("teamwork: archive rock %d: %w", r.ID, err)
			}
			n++
		}
		return audit.Record(ctx, tx, by.Who, audit.RockChange, "team", teamID, fmt.Sprintf("Archived %d rocks at the quarter's end", n))
	})
	return n, err
}

// applyRock checks in and writes it to r; it returns the shares and the
// milestones the rock has afterwards.
func applyRock(ctx context.Context, tx *store.Scoped, a policy.Actor, r *Rock, oldShares []int64, in RockInput) ([]RockShare, []Milestone, error) {
	errs := valid.Errors{}
	line(errs, "title", in.Title, &r.Title, MaxTitle, "Give the rock a title.")
	text(errs, "description", in.Description, &r.Description, MaxText)
	date(errs, "due_on", in.DueOn, &r.DueOn)
	if in.Status != nil {
		if !slices.Contains(Statuses, *in.Status) {
			errs.Add("status", "Choose on track, off track or done.")
		}
		r.Status = *in.Status
	}
	if in.Archived != nil {
		switch {
		case *in.Archived && r.ArchivedAt == nil:
			now := time.Now().UTC()
			r.ArchivedAt = &now
		case !*in.Archived:
			r.ArchivedAt = nil
		}
	}
	shares := oldShares
	if in.SharedTeamIDs != nil {
		shares = uniq(*in.SharedTeamIDs)
		if r.TeamID == nil && len(shares) > 0 {
			errs.Add("shared_team_ids", "A company rock is not shared into teams.")
		}
		if r.TeamID != nil && slices.Contains(shares, *r.TeamID) {
			shares = slices.DeleteFunc(shares, func(t int64) bool { return t == *r.TeamID })
		}
		added := slices.DeleteFunc(slices.Clone(shares), func(t int64) bool { return slices.Contains(oldShares, t) })
		msg, err := checkTeams(ctx, tx, a, added)
		if err != nil {
			return nil, nil, err
		}
		if msg != "" {
			errs.Add("shared_team_ids", msg)
		}
	}
	if in.OwnerID != nil {
		r.OwnerID = nonZero(*in.OwnerID)
	}
	teams := r.teams(shares)
	if r.OwnerID != nil {
		kind, msg, err := checkOwner(ctx, tx, *r.OwnerID, teams)
		if err != nil {
			return nil, nil, err
		}
		switch {
		case msg != "" && (in.OwnerID != nil || in.SharedTeamIDs != nil):
			errs.Add("owner_id", msg)
		case msg == "" && !policy.CanShareInto(kind, teams):
			errs.Add("shared_team_ids", "Only a rock owned by a member of the workspace is shared into other teams.")
		}
	} else if !policy.CanShareInto("", teams) {
		errs.Add("shared_team_ids", "Only a rock owned by a member of the workspace is shared into other teams.")
	}
	var ms []Milestone
	if in.Milestones != nil {
		ms = []Milestone{}
		if len(*in.Milestones) > MaxMilestones {
			errs.Add("milestones", fmt.Sprintf("At most %d milestones.", MaxMilestones))
		}
		for i, m := range *in.Milestones {
			field := fmt.Sprintf("milestones.%d", i)
			row := Milestone{Done: m.Done}
			line(errs, field+".title", &m.Title, &row.Title, MaxTitle, "Give the milestone a title.")
			date(errs, field+".due_on", &m.DueOn, &row.DueOn)
			ms = append(ms, row)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, nil, err
	}
	rows := make([]RockShare, 0, len(shares))
	for _, t := range shares {
		rows = append(rows, RockShare{TeamID: t})
	}
	return rows, ms, nil
}

// saveRockParts writes the shares and milestones of rock id; nil leaves
// them as they are.
func saveRockParts(ctx context.Context, tx *store.Scoped, id int64, shares []RockShare, ms []Milestone) error {
	if shares != nil {
		for i := range shares {
			shares[i].RockID = id
		}
		if err := saveShares(ctx, tx, "rs.rock_id = ?", id, shares); err != nil {
			return err
		}
	}
	if ms != nil {
		for i := range ms {
			ms[i].RockID = id
		}
		if err := saveShares(ctx, tx, "rm.rock_id = ?", id, ms); err != nil {
			return err
		}
	}
	return nil
}
