package workboards

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// WorkboardView is a workboard as its reader sees it, with the cards they
// may see.
type WorkboardView struct {
	ID          int64           `json:"id"`
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Security    policy.Security `json:"security"`
	Members     []Person        `json:"members"`
	Cards       []CardView      `json:"cards,omitempty"`
	// What the reader may do here.
	CanAddTask   bool `json:"-"`
	CanAddMember bool `json:"-"`
	CanAddGuest  bool `json:"-"`
}

// CardView is a card as its reader sees it.
type CardView struct {
	ID          int64           `json:"id"`
	WorkboardID int64           `json:"workboard_id"`
	Title       string          `json:"title"`
	Summary     string          `json:"summary"`
	Security    policy.Security `json:"security"`
	Status      string          `json:"status"`
	Members     []Person        `json:"members"`
	CanEdit     bool            `json:"-"`
	CanAddGuest bool            `json:"-"`
}

// facts of a board or card for user: its level and whether user is a member.
func itemFacts(sec policy.Security, members []int64, user int64) policy.BoardFacts {
	return policy.BoardFacts{Security: sec, Member: slices.Contains(members, user)}
}

// Workboards lists the workboards a may see, by name.
func Workboards(ctx context.Context, db *store.Scoped, a policy.Actor) ([]WorkboardView, error) {
	var rows []Workboard
	if err := boardsScoped(db, &rows, policy.WorkboardsScope(a)).OrderExpr("lower(wb.name), wb.id").Limit(store.MaxLimit).Scan(ctx); err != nil {
		return nil, fmt.Errorf("workboards: list: %w", err)
	}
	return boardViews(ctx, db, a, rows, false)
}

// GetWorkboard loads workboard id with the cards a may see, else ErrNotFound.
func GetWorkboard(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*WorkboardView, error) {
	var rows []Workboard
	if err := boardsScoped(db, &rows, policy.WorkboardsScope(a)).Where("wb.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("workboards: load %d: %w", id, err)
	}
	if len(rows) == 0 {
		return nil, ErrNotFound
	}
	vs, err := boardViews(ctx, db, a, rows, true)
	if err != nil {
		return nil, err
	}
	return &vs[0], nil
}

func boardViews(ctx context.Context, db *store.Scoped, a policy.Actor, rows []Workboard, withCards bool) ([]WorkboardView, error) {
	ids := make([]int64, 0, len(rows))
	for _, b := range rows {
		ids = append(ids, b.ID)
	}
	members, err := memberIDs[BoardMember](ctx, db, "workboard_id", ids)
	if err != nil {
		return nil, err
	}
	var users []int64
	for _, m := range members {
		users = append(users, m...)
	}
	ps, err := persons(ctx, db, users)
	if err != nil {
		return nil, err
	}
	out := make([]WorkboardView, 0, len(rows))
	for _, b := range rows {
		f := itemFacts(b.Security, members[b.ID], a.UserID)
		v := WorkboardView{ID: b.ID, Name: b.Name, Description: b.Description, Security: b.Security, Members: personList(ps, members[b.ID]),
			CanAddTask: policy.CanAddTask(a, f), CanAddMember: policy.CanAddItemMember(a, f, policy.Member), CanAddGuest: policy.CanAddItemMember(a, f, policy.Guest)}
		if withCards {
			if v.Cards, err = Cards(ctx, db, a, b.ID); err != nil {
				return nil, err
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// Cards lists the cards of workboard boardID a may see.
func Cards(ctx context.Context, db *store.Scoped, a policy.Actor, boardID int64) ([]CardView, error) {
	var rows []Card
	if err := cardsScoped(db, &rows, policy.WorkboardsScope(a)).Where("c.workboard_id = ?", boardID).OrderExpr("c.id").Limit(store.MaxLimit).Scan(ctx); err != nil {
		return nil, fmt.Errorf("workboards: cards of %d: %w", boardID, err)
	}
	return cardViews(ctx, db, a, rows)
}

// GetCard loads card id as a sees it, else ErrNotFound.
func GetCard(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*CardView, error) {
	c, err := loadCard(ctx, db, a, id)
	if err != nil {
		return nil, err
	}
	vs, err := cardViews(ctx, db, a, []Card{*c})
	if err != nil {
		return nil, err
	}
	return &vs[0], nil
}

func loadCard(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*Card, error) {
	var rows []Card
	if err := cardsScoped(db, &rows, policy.WorkboardsScope(a)).Where("c.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("workboards: load card %d: %w", id, err)
	}
	if len(rows) == 0 {
		return nil, ErrNotFound
	}
	return &rows[0], nil
}

func cardViews(ctx context.Context, db *store.Scoped, a policy.Actor, rows []Card) ([]CardView, error) {
	ids, boards := []int64{}, []int64{}
	for _, c := range rows {
		ids, boards = append(ids, c.ID), append(boards, c.WorkboardID)
	}
	members, err := memberIDs[CardMember](ctx, db, "card_id", ids)
	if err != nil {
		return nil, err
	}
	boardMembers, err := memberIDs[BoardMember](ctx, db, "workboard_id", boards)
	if err != nil {
		return nil, err
	}
	var secs []Workboard
	if len(boards) > 0 {
		if err := db.Select(&secs).Column("wb.id", "wb.security").Where("wb.id IN (?)", bun.In(boards)).Scan(ctx); err != nil {
			return nil, fmt.Errorf("workboards: boards of cards: %w", err)
		}
	}
	var users []int64
	for _, m := range members {
		users = append(users, m...)
	}
	ps, err := persons(ctx, db, users)
	if err != nil {
		return nil, err
	}
	out := make([]CardView, 0, len(rows))
	for _, c := range rows {
		f := itemFacts(c.Security, members[c.ID], a.UserID)
		var board policy.BoardFacts
		for _, b := range secs {
			if b.ID == c.WorkboardID {
				board = itemFacts(b.Security, boardMembers[b.ID], a.UserID)
			}
		}
		out = append(out, CardView{ID: c.ID, WorkboardID: c.WorkboardID, Title: c.Title, Summary: c.Summary, Security: c.Security, Status: c.Status,
			Members: personList(ps, members[c.ID]), CanEdit: policy.CanEditCard(a, f, board),
			CanAddGuest: policy.CanAddItemMember(a, f, policy.Guest)})
	}
	return out, nil
}

// ItemInput creates a workboard (WorkboardID 0) or a card on one.
type ItemInput struct {
	WorkboardID int64           `json:"workboard_id,omitempty"`
	Name        *string         `json:"name,omitempty"`
	Description *string         `json:"description,omitempty"`
	Security    policy.Security `json:"security"`
	MemberIDs   []int64         `json:"member_ids,omitempty"`
}

// check reads a new item's name and description into name and text, and
// checks its level; missing is the message for a missing name.
func (in ItemInput) check(name, text *string, missing string) error {
	errs := valid.Errors{}
	if in.Name == nil {
		errs.Add("name", missing)
	}
	checkName(errs, "name", in.Name, name, MaxName, missing)
	if in.Description != nil {
		if msg := valid.MultiLine(*in.Description, MaxText); msg != "" {
			errs.Add("description", msg)
		}
		*text = *in.Description
	}
	if !in.Security.Valid() {
		errs.Add("security", "Choose open, restricted or top secret.")
	}
	return errs.Err()
}

// CreateWorkboard adds a workboard, its creator among its members (a
// member of the workspace: policy.CreateWorkboards).
func CreateWorkboard(ctx context.Context, db *store.Scoped, by By, in ItemInput) (*WorkboardView, error) {
	if !policy.Allows(by.Actor, policy.Settings{}, policy.CreateWorkboards) {
		return nil, ErrForbidden
	}
	now := time.Now().UTC()
	b := &Workboard{Security: in.Security, CreatedBy: nonZero(by.Actor.UserID), CreatedAt: now, UpdatedAt: now}
	if err := in.check(&b.Name, &b.Description, "Name the workboard."); err != nil {
		return nil, err
	}
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if _, err := tx.Insert(b).Exec(ctx); err != nil {
			return fmt.Errorf("workboards: create: %w", err)
		}
		for _, u := range uniqWith(in.MemberIDs, by.Actor.UserID) {
			if err := addMember(ctx, tx, b.Security, u, &BoardMember{WorkboardID: b.ID, UserID: u}); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, by.Who, audit.WorkboardChange, "workboard", b.ID, "Created "+b.Name)
	})
	if err != nil {
		return nil, err
	}
	return GetWorkboard(ctx, db, by.Actor, b.ID)
}

// CreateCard adds a card to workboard in.WorkboardID, its creator among
// its members: members of the workspace who see the board.
func CreateCard(ctx context.Context, db *store.Scoped, by By, in ItemInput) (*CardView, error) {
	board, err := GetWorkboard(ctx, db, by.Actor, in.WorkboardID)
	if err != nil {
		return nil, err
	}
	if !policy.Allows(by.Actor, policy.Settings{}, policy.CreateWorkboards) || !board.CanAddTask {
		return nil, ErrForbidden
	}
	now := time.Now().UTC()
	c := &Card{WorkboardID: board.ID, Security: in.Security, Status: "not_started", CreatedBy: nonZero(by.Actor.UserID), CreatedAt: now, UpdatedAt: now}
	if err := in.check(&c.Title, &c.Summary, "Give the card a title."); err != nil {
		return nil, err
	}
	err = db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if _, err := tx.Insert(c).Exec(ctx); err != nil {
			return fmt.Errorf("workboards: create card: %w", err)
		}
		for _, u := range uniqWith(in.MemberIDs, by.Actor.UserID) {
			if err := addMember(ctx, tx, c.Security, u, &CardMember{CardID: c.ID, UserID: u}); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, by.Who, audit.WorkboardChange, "card", c.ID, "Created "+c.Title)
	})
	if err != nil {
		return nil, err
	}
	return GetCard(ctx, db, by.Actor, c.ID)
}

// addMember inserts row, putting user on an item of level sec: an active
// user whose kind may ever join such an item (policy.MayJoinItem). It is
// the check of the creation forms' member lists; AddCardMember and
// AddBoardMember ask the policy about the adder first (addItemMember).
func addMember(ctx context.Context, tx *store.Scoped, sec policy.Security, user int64, row any) error {
	p, err := joiner(ctx, tx, sec, user)
	if err != nil {
		return err
	}
	if _, err := tx.Insert(row).On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
		return fmt.Errorf("workboards: add member %s: %w", p.Name, err)
	}
	return nil
}

// joiner loads user as a new member of an item of level sec: an active
// user of a kind that may ever join it, else a field error.
func joiner(ctx context.Context, tx *store.Scoped, sec policy.Security, user int64) (*people.User, error) {
	us, err := people.UsersByIDs(ctx, tx, []int64{user})
	if err != nil {
		return nil, fmt.Errorf("workboards: %w", err)
	}
	switch {
	case len(us) == 0 || us[0].Status != people.Active:
		return nil, valid.Errors{"user_id": "Choose an active member or guest of the workspace."}
	case !policy.MayJoinItem(us[0].Kind, sec):
		if us[0].Kind == policy.Guest {
			return nil, valid.Errors{"user_id": "A guest can never be added to a top secret item."}
		}
		return nil, valid.Errors{"user_id": "Choose an active member or guest of the workspace."}
	}
	return &us[0], nil
}

// addItemMember adds user to an item with facts f (as by.Actor stands to
// it), when the policy lets by.Actor add someone of that kind, and
// records it under what and id.
func addItemMember(ctx context.Context, tx *store.Scoped, by By, f policy.BoardFacts, user int64, row any, what string, id int64, title string) error {
	p, err := joiner(ctx, tx, f.Security, user)
	if err != nil {
		return err
	}
	if !policy.CanAddItemMember(by.Actor, f, p.Kind) {
		return ErrForbidden
	}
	if _, err := tx.Insert(row).On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
		return fmt.Errorf("workboards: add member %d: %w", user, err)
	}
	return audit.Record(ctx, tx, by.Who, audit.WorkboardChange, what, id, "Added "+p.Name+" to "+title)
}

// AddCardMember adds user userID to card id, under the policy's rules for
// the card's level (policy.CanAddItemMember).
func AddCardMember(ctx context.Context, db *store.Scoped, by By, id, userID int64) (*CardView, error) {
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		c, err := loadCard(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		members, err := memberIDs[CardMember](ctx, tx, "card_id", []int64{id})
		if err != nil {
			return err
		}
		f := itemFacts(c.Security, members[id], by.Actor.UserID)
		return addItemMember(ctx, tx, by, f, userID, &CardMember{CardID: id, UserID: userID}, "card", id, c.Title)
	})
	if err != nil {
		return nil, err
	}
	return GetCard(ctx, db, by.Actor, id)
}

// AddBoardMember adds user userID to workboard id, as AddCardMember does.
func AddBoardMember(ctx context.Context, db *store.Scoped, by By, id, userID int64) (*WorkboardView, error) {
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		var rows []Workboard
		if err := boardsScoped(tx, &rows, policy.WorkboardsScope(by.Actor)).Where("wb.id = ?", id).Scan(ctx); err != nil {
			return fmt.Errorf("workboards: load %d: %w", id, err)
		}
		if len(rows) == 0 {
			return ErrNotFound
		}
		members, err := memberIDs[BoardMember](ctx, tx, "workboard_id", []int64{id})
		if err != nil {
			return err
		}
		f := itemFacts(rows[0].Security, members[id], by.Actor.UserID)
		return addItemMember(ctx, tx, by, f, userID, &BoardMember{WorkboardID: id, UserID: userID}, "workboard", id, rows[0].Name)
	})
	if err != nil {
		return nil, err
	}
	return GetWorkboard(ctx, db, by.Actor, id)
}

func nonZero(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func uniqWith(ids []int64, more ...int64) []int64 {
	out := append(slices.Clone(ids), more...)
	out = slices.DeleteFunc(out, func(id int64) bool { return id == 0 })
	slices.Sort(out)
	return slices.Compact(out)
}

// FactsOf are what the policy needs of workboard id, or of card id when
// card is set (with its workboard's), as user userID stands to it, for the
// access explainer; ErrNotFound when there is no such item in the tenant.
func FactsOf(ctx context.Context, db *store.Scoped, card bool, id, userID int64) (item, board policy.BoardFacts, err error) {
	boardID := id
	if card {
		var cs []Card
		if err := db.Select(&cs).Where("c.id = ?", id).Scan(ctx); err != nil {
			return item, board, fmt.Errorf("workboards: facts of card %d: %w", id, err)
		}
		if len(cs) == 0 {
			return item, board, ErrNotFound
		}
		members, err := memberIDs[CardMember](ctx, db, "card_id", []int64{id})
		if err != nil {
			return item, board, err
		}
		item, boardID = itemFacts(cs[0].Security, members[id], userID), cs[0].WorkboardID
	}
	var bs []Workboard
	if err := db.Select(&bs).Where("wb.id = ?", boardID).Scan(ctx); err != nil {
		return item, board, fmt.Errorf("workboards: facts of workboard %d: %w", boardID, err)
	}
	if len(bs) == 0 {
		return item, board, ErrNotFound
	}
	members, err := memberIDs[BoardMember](ctx, db, "workboard_id", []int64{boardID})
	if err != nil {
		return item, board, err
	}
	board = itemFacts(bs[0].Security, members[boardID], userID)
	var held int
	if err := db.RawRead("SELECT COUNT(*) FROM card_members AS z JOIN cards AS y ON y.tenant_id = z.tenant_id AND y.id = z.card_id WHERE z.tenant_id = ? AND z.user_id = ? AND y.workboard_id = ?",
		db.TenantID(), userID, boardID).Scan(ctx, &held); err != nil {
		return item, board, fmt.Errorf("workboards: cards held: %w", err)
	}
	board.HoldsCard = held > 0
	if !card {
		item = board
	}
	return item, board, nil
}

// UpdateSummary writes the summary tab of card id: whoever sees the card,
// guests included (policy.CanEditCard).
func UpdateSummary(ctx context.Context, db *store.Scoped, by By, id int64, summary string) (*CardView, error) {
	if msg := valid.MultiLine(summary, MaxText); msg != "" {
		return nil, valid.Errors{"summary": msg}
	}
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		c, err := GetCard(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		if !c.CanEdit {
			return ErrForbidden
		}
		if _, err := tx.Update((*Card)(nil)).Set("summary = ?, updated_at = ?", summary, time.Now().UTC()).Where("c.id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("workboards: summary of card %d: %w", id, err)
		}
		return audit.Record(ctx, tx, by.Who, audit.WorkboardChange, "card", id, "Edited the summary of "+c.Title)
	})
	if err != nil {
		return nil, err
	}
	return GetCard(ctx, db, by.Actor, id)
}

// Candidates are the people a may add to card id: for a member of the
// workspace, its active members and guests (members only on a top secret
// card); for a guest, the people of the card's workboard — a guest does
// not read the workspace's directory. Those already on the card are left
// out, and so is everyone when a may add nobody.
func Candidates(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) ([]Person, error) {
	c, err := GetCard(ctx, db, a, id)
	if err != nil {
		return nil, err
	}
	members, err := memberIDs[CardMember](ctx, db, "card_id", []int64{id})
	if err != nil {
		return nil, err
	}
	f := itemFacts(c.Security, members[id], a.UserID)
	var ids []int64
	if a.Kind == policy.Guest {
		boards, err := memberIDs[BoardMember](ctx, db, "workboard_id", []int64{c.WorkboardID})
		if err != nil {
			return nil, err
		}
		ids = boards[c.WorkboardID]
	} else if err := db.RawRead("SELECT id FROM users WHERE tenant_id = ? AND status = 'active' AND kind IN (?) ORDER BY name LIMIT 500",
		db.TenantID(), bun.In([]policy.Kind{policy.Member, policy.Guest})).Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("workboards: candidates: %w", err)
	}
	ps, err := persons(ctx, db, ids)
	if err != nil {
		return nil, err
	}
	var out []Person
	for _, uid := range ids {
		p, ok := ps[uid]
		if !ok || slices.Contains(members[id], uid) || !policy.CanAddItemMember(a, f, p.Kind) {
			continue
		}
		out = append(out, p)
	}
	return out, nil
}
