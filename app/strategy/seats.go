package strategy

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
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// Seat is one seat of the roles chart, as stored.
type Seat struct {
	bun.BaseModel `bun:"table:seats,alias:st"`
	store.TenantOwned

	ID       int64  `bun:"id,pk,autoincrement"`
	ParentID *int64 `bun:"parent_id"`
	Title    string `bun:"title,notnull"`
	// Roles are the seat's roles, one per line.
	Roles     string    `bun:"roles,notnull"`
	Position  int       `bun:"position,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	UpdatedAt time.Time `bun:"updated_at,notnull"`
}

// SeatPerson puts a member in a seat.
type SeatPerson struct {
	bun.BaseModel `bun:"table:seat_people,alias:sp"`
	store.TenantOwned

	SeatID   int64 `bun:"seat_id,pk"`
	UserID   int64 `bun:"user_id,pk"`
	Position int   `bun:"position,notnull"`
}

// SeatView is a seat as the chart shows it, with the seats that report to it.
type SeatView struct {
	ID int64
	// ParentID is the seat it reports to, 0 for a top seat.
	ParentID int64
	Title    string
	Roles    []string
	People   []Person
	Children []*SeatView
}

// Chart is the roles chart as one reader sees it.
type Chart struct {
	// Roots are the top seats, each with the seats below it.
	Roots []*SeatView
	// Seats are every seat, in the order of the chart (depth first), for
	// lists and pickers.
	Seats []*SeatView
	// Editable: the reader may add, change and remove seats.
	Editable bool
}

// Seat finds seat id in the chart.
func (c *Chart) Seat(id int64) *SeatView {
	for _, s := range c.Seats {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// Below reports whether seat id is seat top or one of the seats under it.
func (c *Chart) Below(top, id int64) bool {
	for s := c.Seat(id); s != nil; s = c.Seat(s.ParentID) {
		if s.ID == top {
			return true
		}
	}
	return false
}

// SeatInput is what a new or changed seat sets; nil leaves a field as it is.
type SeatInput struct {
	Title *string
	// Roles are the seat's roles, one per entry; blank entries are dropped.
	Roles *[]string
	// PersonIDs are the members in the seat.
	PersonIDs *[]int64
	// ParentID is the seat it reports to; 0 makes it a top seat.
	ParentID *int64
}

func canReadChart(a policy.Actor) error {
	if !policy.CanReadStrategy(a, policy.AllStrategyPagesOn(), policy.PageRolesChart) {
		return ErrNotFound
	}
	return nil
}

// LoadChart returns the roles chart as actor a sees it.
func LoadChart(ctx context.Context, db *store.Scoped, a policy.Actor) (*Chart, error) {
	if err := canReadChart(a); err != nil {
		return nil, err
	}
	var seats []Seat
	if err := db.Select(&seats).OrderExpr("st.position, st.id").Limit(MaxSeats).Scan(ctx); err != nil {
		return nil, fmt.Errorf("strategy: load the roles chart: %w", err)
	}
	var links []SeatPerson
	if err := db.Select(&links).OrderExpr("sp.seat_id, sp.position, sp.user_id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("strategy: load the people of the roles chart: %w", err)
	}
	ids := make([]int64, 0, len(links))
	for _, l := range links {
		ids = append(ids, l.UserID)
	}
	ns, err := names(ctx, db, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*SeatView, len(seats))
	for _, s := range seats {
		v := &SeatView{ID: s.ID, Title: s.Title, Roles: splitRoles(s.Roles)}
		if s.ParentID != nil {
			v.ParentID = *s.ParentID
		}
		byID[s.ID] = v
	}
	for _, l := range links {
		if v, ok := byID[l.SeatID]; ok {
			v.People = append(v.People, *personOf(ns, &l.UserID))
		}
	}
	c := &Chart{Editable: policy.CanEditRolesChart(a)}
	for _, s := range seats {
		v := byID[s.ID]
		if p, ok := byID[v.ParentID]; ok {
			p.Children = append(p.Children, v)
		} else {
			v.ParentID = 0 // its parent is beyond the chart's bound: shown at the top
			c.Roots = append(c.Roots, v)
		}
	}
	var walk func([]*SeatView)
	walk = func(vs []*SeatView) {
		for _, v := range vs {
			c.Seats = append(c.Seats, v)
			walk(v.Children)
		}
	}
	walk(c.Roots)
	return c, nil
}

// GetSeat returns seat id as actor a sees it: ErrNotFound outside the
// tenant or for a reader without the roles chart.
func GetSeat(ctx context.Context, db *store.Scoped, a policy.Actor, id int64) (*SeatView, error) {
	c, err := LoadChart(ctx, db, a)
	if err != nil {
		return nil, err
	}
	if s := c.Seat(id); s != nil {
		return s, nil
	}
	return nil, ErrNotFound
}

func splitRoles(s string) []string {
	var out []string
	for _, r := range strings.Split(s, "\n") {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, r)
		}
	}
	return out
}

// writeChart checks that by may change the roles chart.
func writeChart(by By) error {
	if err := canReadChart(by.Actor); err != nil {
		return err
	}
	if !policy.CanEditRolesChart(by.Actor) {
		return ErrForbidden
	}
	return nil
}

func loadSeat(ctx context.Context, tx *store.Scoped, id int64) (*Seat, error) {
	s := new(Seat)
	err := tx.Select(s).Where("st.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("strategy: load seat %d: %w", id, err)
	}
	return s, nil
}

// SaveSeat adds a seat (id 0) or changes seat id as by.Actor, records it
// and returns the seat. Bad values are valid.Errors: a parent that is the
// seat itself or one below it, people who are not members of the tenant.
func SaveSeat(ctx context.Context, db *store.Scoped, by By, id int64, in SeatInput) (*SeatView, error) {
	if err := writeChart(by); err != nil {
		return nil, err
	}
	if id == 0 && in.Title == nil {
		return nil, valid.Errors{"title": "Give the seat a title."}
	}
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		t := now()
		s := &Seat{CreatedAt: t}
		var oldPeople []int64
		if id != 0 {
			var err error
			if s, err = loadSeat(ctx, tx, id); err != nil {
				return err
			}
			if err := tx.Select((*SeatPerson)(nil)).Column("sp.user_id").Where("sp.seat_id = ?", id).
				OrderExpr("sp.position, sp.user_id").Scan(ctx, &oldPeople); err != nil {
				return fmt.Errorf("strategy: people of seat %d: %w", id, err)
			}
		} else {
			n, err := tx.Select((*Seat)(nil)).Count(ctx)
			if err != nil {
				return fmt.Errorf("strategy: count seats: %w", err)
			}
			if n >= MaxSeats {
				return valid.Errors{"title": fmt.Sprintf("The roles chart holds at most %d seats.", MaxSeats)}
			}
			// A new seat comes after its siblings.
			if err := tx.Select((*Seat)(nil)).ColumnExpr("coalesce(max(st.position), -1) + 1").Scan(ctx, &s.Position); err != nil {
				return fmt.Errorf("strategy: place a new seat: %w", err)
			}
		}
		s.UpdatedAt = t
		personIDs, err := applySeat(ctx, tx, s, in, oldPeople)
		if err != nil {
			return err
		}
		if id == 0 {
			if _, err := tx.Insert(s).Exec(ctx); err != nil {
				return fmt.Errorf("strategy: add seat: %w", err)
			}
		} else if _, err := tx.Update(s).WherePK().ExcludeColumn("created_at").Exec(ctx); err != nil {
			return fmt.Errorf("strategy: change seat %d: %w", id, err)
		}
		id = s.ID
		if in.PersonIDs != nil {
			if _, err := tx.Delete((*SeatPerson)(nil)).Where("sp.seat_id = ?", id).Exec(ctx); err != nil {
				return fmt.Errorf("strategy: clear the people of seat %d: %w", id, err)
			}
			for i, u := range personIDs {
				if _, err := tx.Insert(&SeatPerson{SeatID: id, UserID: u, Position: i}).Exec(ctx); err != nil {
					return fmt.Errorf("strategy: put user %d in seat %d: %w", u, id, err)
				}
			}
		}
		return audit.Record(ctx, tx, by.Who, audit.SeatChange, "seat", id, "Seat "+s.Title)
	})
	if err != nil {
		return nil, err
	}
	return GetSeat(ctx, db, by.Actor, id)
}

// applySeat validates in and writes it to s; it returns the people of the
// seat afterwards (old, or in's checked).
func applySeat(ctx context.Context, tx *store.Scoped, s *Seat, in SeatInput, old []int64) ([]int64, error) {
	errs := valid.Errors{}
	if in.Title != nil {
		s.Title = lineText(errs, "title", *in.Title, MaxSeatTitle, "Give the seat a title.")
	}
	if in.Roles != nil {
		var roles []string
		for _, r := range *in.Roles {
			r = strings.TrimSpace(r)
			if r == "" {
				continue
			}
			if msg := valid.Line(r, MaxRole); msg != "" {
				errs.Add("roles", fmt.Sprintf("Each role is one line of at most %d characters.", MaxRole))
				break
			}
			roles = append(roles, r)
		}
		if len(roles) > MaxRoles {
			errs.Add("roles", fmt.Sprintf("List at most %d roles.", MaxRoles))
		}
		s.Roles = strings.Join(roles, "\n")
	}
	if in.ParentID != nil {
		switch pid := *in.ParentID; {
		case pid == 0:
			s.ParentID = nil
		case pid < 0 || pid == s.ID:
			errs.Add("parent_id", "Choose another seat: a seat cannot report to itself.")
		default:
			if msg, err := checkParent(ctx, tx, s.ID, pid); err != nil {
				return nil, err
			} else if msg != "" {
				errs.Add("parent_id", msg)
			}
			s.ParentID = &pid
		}
	}
	ids := old
	if in.PersonIDs != nil {
		ids = nil
		for _, id := range *in.PersonIDs {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		if msg, err := checkPeople(ctx, tx, ids, old); err != nil {
			return nil, err
		} else if msg != "" {
			errs.Add("person_ids", msg)
		}
	}
	return ids, errs.Err()
}

// checkParent says what is wrong with seat pid as the parent of seat id
// (0 for a new seat): it must exist, and not be id or below it.
func checkParent(ctx context.Context, tx *store.Scoped, id, pid int64) (string, error) {
	var seats []Seat
	if err := tx.Select(&seats).Column("st.id", "st.parent_id").Scan(ctx); err != nil {
		return "", fmt.Errorf("strategy: load seats: %w", err)
	}
	parent := map[int64]int64{}
	for _, s := range seats {
		parent[s.ID] = 0
		if s.ParentID != nil {
			parent[s.ID] = *s.ParentID
		}
	}
	if _, ok := parent[pid]; !ok {
		return "Choose a seat from the list.", nil
	}
	for at, steps := pid, 0; at != 0 && steps <= len(parent); at, steps = parent[at], steps+1 {
		if at == id {
			return "Choose a seat that is not below this one: a seat cannot report to a seat under it.", nil
		}
	}
	return "", nil
}

// checkPeople says what is wrong with ids as the people of a seat: each
// must be a member of the tenant, active or already in the seat (old).
func checkPeople(ctx context.Context, tx *store.Scoped, ids, old []int64) (string, error) {
	if len(ids) > MaxSeatPeople {
		return fmt.Sprintf("Put at most %d people in one seat.", MaxSeatPeople), nil
	}
	if len(ids) == 0 {
		return "", nil
	}
	us, err := people.UsersByIDs(ctx, tx, ids)
	if err != nil {
		return "", fmt.Errorf("strategy: %w", err)
	}
	ok := 0
	for _, u := range us {
		if policy.MayHoldSeat(u.Kind) && (u.Status == people.Active || slices.Contains(old, u.ID)) {
			ok++
		}
	}
	if ok != len(ids) {
		return "Choose people from the list: members of the team who are active.", nil
	}
	return "", nil
}

// DeleteSeat removes seat id; the seats that reported to it move up to
// the seat it reported to.
func DeleteSeat(ctx context.Context, db *store.Scoped, by By, id int64) error {
	if err := writeChart(by); err != nil {
		return err
	}
	return db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		s, err := loadSeat(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Update((*Seat)(nil)).Set("parent_id = ?", s.ParentID).Where("parent_id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("strategy: move up the seats below %d: %w", id, err)
		}
		if _, err := tx.Delete((*Seat)(nil)).Where("st.id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("strategy: remove seat %d: %w", id, err)
		}
		return audit.Record(ctx, tx, by.Who, audit.SeatChange, "seat", id, "Removed seat "+s.Title)
	})
}

// Candidates are the members who may be put in a seat: the active ones,
// by name.
func Candidates(ctx context.Context, db *store.Scoped, a policy.Actor) ([]Person, error) {
	if err := canReadChart(a); err != nil {
		return nil, err
	}
	var us []people.User
	if err := db.Select(&us).Column("u.id", "u.name", "u.email").Where("u.kind = ? AND u.status = ?", policy.Member, people.Active).
		OrderExpr("u.name, u.id").Limit(people.MaxAudience).Scan(ctx); err != nil {
		return nil, fmt.Errorf("strategy: members: %w", err)
	}
	out := make([]Person, 0, len(us))
	for i := range us {
		out = append(out, Person{ID: us[i].ID, Name: us[i].DisplayName()})
	}
	return out, nil
}
