package teamwork

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// OneOnOne is one row of one_on_ones: a member and their manager.
type OneOnOne struct {
	bun.BaseModel `bun:"table:one_on_ones,alias:oo"`
	store.TenantOwned

	ID        int64     `bun:"id,pk,autoincrement"`
	MemberID  int64     `bun:"member_id,notnull"`
	ManagerID int64     `bun:"manager_id,notnull"`
	Agenda    string    `bun:"agenda,notnull"`
	Notes     string    `bun:"notes,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	UpdatedAt time.Time `bun:"updated_at,notnull"`
}

func (o *OneOnOne) facts() policy.OneOnOneFacts {
	return policy.OneOnOneFacts{MemberID: o.MemberID, ManagerID: o.ManagerID}
}

// OneOnOneView is a 1:1 as one of its two people sees it, with the
// report's to-do completion rate (CompletionRule).
type OneOnOneView struct {
	ID         int64      `json:"id"`
	Member     *Person    `json:"member"`
	Manager    *Person    `json:"manager"`
	Agenda     string     `json:"agenda"`
	Notes      string     `json:"notes"`
	Completion Completion `json:"todo_completion"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// OneOnOneInput changes a 1:1's agenda and notes.
type OneOnOneInput struct {
	Agenda *string `json:"agenda,omitempty"`
	Notes  *string `json:"notes,omitempty"`
}

// OneOnOneSorts: newest first.
var OneOnOneSorts = store.Sorts{{Name: "-created", Label: "Newest first", ID: "oo.id", Desc: true}}

// OneOnOnes returns one page of a's 1:1s, as report or as manager.
func OneOnOnes(ctx context.Context, db *store.Scoped, a policy.Actor, p store.Page) ([]OneOnOneView, string, error) {
	if !policy.Allows(a, policy.Settings{}, policy.HoldOneOnOnes) {
		return nil, "", nil
	}
	q := db.Select((*OneOnOne)(nil)).Where("(oo.member_id = ? OR oo.manager_id = ?)", a.UserID, a.UserID)
	var rows []OneOnOne
	next, err := pageOf(ctx, q, &rows, OneOnOneSorts[0], "one_on_ones", p, func(o OneOnOne) (string, int64) { return "", o.ID })
	if err != nil {
		return nil, "", err
	}
	views, err := oneOnOneViews(ctx, db, a, rows)
	return views, next, err
}

// GetOneOnOne loads 1:1 id for one of its two people, else ErrNotFound.
func GetOneOnOne(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*OneOnOneView, error) {
	o, err := loadOneOnOne(ctx, db, a, id)
	if err != nil {
		return nil, err
	}
	views, err := oneOnOneViews(ctx, db, a, []OneOnOne{*o})
	if err != nil {
		return nil, err
	}
	return &views[0], nil
}

func loadOneOnOne(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*OneOnOne, error) {
	var rows []OneOnOne
	if err := db.Select(&rows).Where("oo.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("teamwork: load 1:1 %d: %w", id, err)
	}
	if len(rows) == 0 || !policy.CanSeeOneOnOne(a, rows[0].facts()) {
		return nil, ErrNotFound
	}
	return &rows[0], nil
}

func oneOnOneViews(ctx context.Context, db *store.Scoped, a policy.Actor, rows []OneOnOne) ([]OneOnOneView, error) {
	users := []int64{}
	for _, o := range rows {
		users = append(users, o.MemberID, o.ManagerID)
	}
	n, err := loadNames(ctx, db, users, nil)
	if err != nil {
		return nil, err
	}
	out := make([]OneOnOneView, 0, len(rows))
	now := time.Now()
	for _, o := range rows {
		c, err := CompletionRate(ctx, db, a, 0, o.MemberID, now)
		if err != nil {
			return nil, err
		}
		out = append(out, OneOnOneView{ID: o.ID, Member: n.user(&o.MemberID), Manager: n.user(&o.ManagerID), Agenda: o.Agenda, Notes: o.Notes,
			Completion: c, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt})
	}
	return out, nil
}

// StartOneOnOne starts a 1:1 between by.Actor and withUserID, who must be
// their manager or one of their reports. Clients, guests and external
// users cannot (ErrForbidden): they have no manager and no reports.
func StartOneOnOne(ctx context.Context, db *store.Scoped, by By, withUserID int64) (*OneOnOneView, error) {
	if !policy.Allows(by.Actor, policy.Settings{}, policy.HoldOneOnOnes) {
		return nil, ErrForbidden
	}
	var rows []struct {
		ID        int64  `bun:"id"`
		ManagerID *int64 `bun:"manager_id"`
		Status    string `bun:"status"`
	}
	if err := db.RawRead("SELECT id, manager_id, status FROM users WHERE tenant_id = ? AND id IN (?, ?)", db.TenantID(), by.Actor.UserID, withUserID).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("teamwork: the two of a 1:1: %w", err)
	}
	o := &OneOnOne{}
	for _, r := range rows {
		switch {
		case r.ID == withUserID && deref(r.ManagerID) == by.Actor.UserID && r.Status == "active":
			o.MemberID, o.ManagerID = withUserID, by.Actor.UserID
		case r.ID == by.Actor.UserID && deref(r.ManagerID) == withUserID && withUserID != 0:
			o.MemberID, o.ManagerID = by.Actor.UserID, withUserID
		}
	}
	if o.MemberID == 0 || withUserID == by.Actor.UserID {
		return nil, valid.Errors{"with_user_id": "Choose your manager or one of your reports."}
	}
	now := time.Now().UTC()
	o.CreatedAt, o.UpdatedAt = now, now
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if _, err := tx.Insert(o).Exec(ctx); err != nil {
			return fmt.Errorf("teamwork: start 1:1: %w", err)
		}
		return audit.Record(ctx, tx, by.Who, audit.OneOnOne, "one_on_one", o.ID, "Started a 1:1")
	})
	if err != nil {
		return nil, err
	}
	return GetOneOnOne(ctx, db, by.Actor, o.ID)
}

// UpdateOneOnOne writes the agenda and notes of 1:1 id.
func UpdateOneOnOne(ctx context.Context, db *store.Scoped, by By, id int64, in OneOnOneInput) (*OneOnOneView, error) {
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		o, err := loadOneOnOne(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		errs := valid.Errors{}
		text(errs, "agenda", in.Agenda, &o.Agenda, MaxText)
		text(errs, "notes", in.Notes, &o.Notes, MaxText)
		if err := errs.Err(); err != nil {
			return err
		}
		o.UpdatedAt = time.Now().UTC()
		if _, err := tx.Update(o).WherePK().ExcludeColumn("created_at", "member_id", "manager_id").Exec(ctx); err != nil {
			return fmt.Errorf("teamwork: update 1:1 %d: %w", id, err)
		}
		// The audit log says that the 1:1 changed, never what it says.
		return audit.Record(ctx, tx, by.Who, audit.OneOnOne, "one_on_one", id, "Wrote in a 1:1")
	})
	if err != nil {
		return nil, err
	}
	return GetOneOnOne(ctx, db, by.Actor, id)
}

// DeleteOneOnOne removes 1:1 id.
func DeleteOneOnOne(ctx context.Context, db *store.Scoped, by By, id int64) error {
	return db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if _, err := loadOneOnOne(ctx, tx, by.Actor, id); err != nil {
			return err
		}
		if _, err := tx.Delete((*OneOnOne)(nil)).Where("oo.id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("teamwork: delete 1:1 %d: %w", id, err)
		}
		return audit.Record(ctx, tx, by.Who, audit.OneOnOne, "one_on_one", id, "Deleted a 1:1")
	})
}

// Partners are the people a may start a 1:1 with: their manager and their
// active reports.
func Partners(ctx context.Context, db *store.Scoped, a policy.Actor) ([]Person, error) {
	if !policy.Allows(a, policy.Settings{}, policy.HoldOneOnOnes) {
		return nil, nil
	}
	var ids []int64
	err := db.RawRead(`SELECT id FROM users WHERE tenant_id = ? AND status = 'active' AND kind = ? AND (manager_id = ?
		OR id = (SELECT manager_id FROM users WHERE tenant_id = ? AND id = ?)) ORDER BY id`,
		db.TenantID(), policy.Member, a.UserID, db.TenantID(), a.UserID).Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("teamwork: 1:1 partners: %w", err)
	}
	n, err := loadNames(ctx, db, ids, nil)
	if err != nil {
		return nil, err
	}
	out := make([]Person, 0, len(ids))
	for i := range ids {
		if p := n.user(&ids[i]); p != nil {
			out = append(out, *p)
		}
	}
	return out, nil
}
