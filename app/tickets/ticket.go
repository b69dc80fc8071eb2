package tickets

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// NoteView is a note as its reader sees it: only notes of types they may
// read are ever loaded.
type NoteView struct {
	ID        int64
	Type      Ref
	Body      string
	Author    *Ref
	CreatedAt time.Time
}

// Detail is one ticket's page: the ticket, its notes and watchers, and what
// the reader may do there.
type Detail struct {
	View
	Notes []NoteView
	// MoreNotes is set when the ticket has more notes than one page shows.
	MoreNotes bool
	Watchers  []Ref
	// NoteTypes are the types the reader may add.
	NoteTypes      []NoteType
	CanAddWatchers bool
	CanMove        bool
}

// Editable reports whether the reader may change any field.
func (d *Detail) Editable() bool {
	for _, x := range d.access {
		if x == policy.Edit {
			return true
		}
	}
	return false
}

// load reads ticket id through actor a's scope: ErrNotFound when it does
// not exist in the tenant or a may not see it.
func load(ctx context.Context, db *store.Scoped, a policy.Actor, cfg *Config, id int64) (*Ticket, []int64, error) {
	return loadWith(ctx, db, a, cfg, id, nil)
}

// loadWith is load with more added to the ticket's select (withNames).
func loadWith(ctx context.Context, db *store.Scoped, a policy.Actor, cfg *Config, id int64, more func(*bun.SelectQuery) *bun.SelectQuery) (*Ticket, []int64, error) {
	t := new(Ticket)
	q := selectScoped(db, t, policy.TicketsScope(a, cfg.Rules)).Where("t.id = ?", id)
	if more != nil {
		q = more(q)
	}
	err := q.Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("tickets: load %d: %w", id, err)
	}
	w, err := watcherIDs(ctx, db, t.ID)
	return t, w, err
}

func watcherIDs(ctx context.Context, db *store.Scoped, ticketID int64) ([]int64, error) {
	var ids []int64
	if err := db.Select((*Watcher)(nil)).Column("tw.user_id").Where("tw.ticket_id = ?", ticketID).OrderExpr("tw.created_at, tw.user_id").Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("tickets: load watchers of %d: %w", ticketID, err)
	}
	return ids, nil
}

func values(ctx context.Context, db *store.Scoped, cfg *Config, ticketID int64) ([]Value, error) {
	var vs []Value
	if len(cfg.CustomFields) == 0 {
		return nil, nil
	}
	if err := db.Select(&vs).Where("tv.ticket_id = ?", ticketID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("tickets: load values of %d: %w", ticketID, err)
	}
	return vs, nil
}

// Get returns ticket id as actor a sees it.
func Get(ctx context.Context, db *store.Scoped, a policy.Actor, cfg *Config, id int64) (*View, error) {
	// The ticket with the names of its contact, assignee and company: two
	// statements fewer on every ticket's page.
	t, w, err := loadWith(ctx, db, a, cfg, id, func(q *bun.SelectQuery) *bun.SelectQuery {
		return withNames(q.ColumnExpr("t.*"))
	})
	if err != nil {
		return nil, err
	}
	vs, err := values(ctx, db, cfg, id)
	if err != nil {
		return nil, err
	}
	v := viewFor(a, cfg, t, vs, w, namesRead([]Ticket{*t}))
	return &v, nil
}

// GetDetail returns ticket id's page for actor a: the ticket, the newest
// MaxNotesShown notes of the types a may read (oldest first), watchers,
// and what a may do.
func GetDetail(ctx context.Context, db *store.Scoped, a policy.Actor, cfg *Config, id int64) (*Detail, error) {
	v, err := Get(ctx, db, a, cfg, id)
	if err != nil {
		return nil, err
	}
	d := &Detail{View: *v}
	r := cfg.Rules
	// Get found the ticket in a's scope: its notes are read without
	// looking for it again.
	notes, next, err := notesOf(ctx, db, a, cfg, id, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	d.Notes, d.MoreNotes = notes, next != ""
	if len(v.facts.Watchers) > 0 {
		n, err := loadNames(ctx, db, nil, v.facts.Watchers...)
		if err != nil {
			return nil, err
		}
		for _, id := range v.facts.Watchers {
			d.Watchers = append(d.Watchers, *n.user(&id))
		}
	}
	for _, nt := range cfg.NoteTypes {
		if policy.CanAddNote(a, r, nt.ID) {
			d.NoteTypes = append(d.NoteTypes, nt)
		}
	}
	d.CanAddWatchers = policy.CanAddWatchers(a, r, v.facts)
	d.CanMove = policy.CanMoveTicket(a, r, v.facts)
	return d, nil
}

// cursorNotes tags the cursors of a ticket's notes.
const cursorNotes = "ticket-notes"

// noteSort: a timeline reads oldest first.
var noteSort = store.Sort{Name: "created", ID: "n.id"}

// Notes returns one page of ticket id's notes that actor a may read,
// oldest first, and the next page's cursor.
func Notes(ctx context.Context, db *store.Scoped, a policy.Actor, cfg *Config, id int64, p store.Page) ([]NoteView, string, error) {
	if _, _, err := load(ctx, db, a, cfg, id); err != nil {
		return nil, "", err
	}
	return notesOf(ctx, db, a, cfg, id, p)
}

// notesOf is Notes of a ticket the caller has already found a may see.
func notesOf(ctx context.Context, db *store.Scoped, a policy.Actor, cfg *Config, id int64, p store.Page) ([]NoteView, string, error) {
	after, ok, err := noteSort.Decode(cursorNotes, p.Cursor)
	if err != nil {
		return nil, "", err
	}
	readable := []int64{0}
	for _, nt := range cfg.NoteTypes {
		if policy.CanReadNote(a, cfg.Rules, nt.ID) {
			readable = append(readable, nt.ID)
		}
	}
	limit := p.Size()
	var ns []Note
	q := db.Select(&ns).Where("n.ticket_id = ? AND n.note_type_id IN (?)", id, bun.In(readable))
	// Ordered by the ID as written, SQLite walked every note of the tenant
	// in ID order looking for this ticket's (98 ms over 200,000 notes);
	// kept off that index, it reads the ticket's notes from
	// ticket_notes_ticket and sorts the few (docs/performance.md).
	sorted := noteSort
	sorted.ID = db.Unindexed(sorted.ID)
	if err := sorted.Apply(q, after, ok, limit).Scan(ctx); err != nil {
		return nil, "", fmt.Errorf("tickets: load notes of %d: %w", id, err)
	}
	next := ""
	if len(ns) > limit {
		ns = ns[:limit]
		next = noteSort.Encode(cursorNotes, "", ns[len(ns)-1].ID)
	}
	var authors []int64
	for _, n := range ns {
		if n.AuthorID != nil {
			authors = append(authors, *n.AuthorID)
		}
	}
	names, err := loadNames(ctx, db, nil, authors...)
	if err != nil {
		return nil, "", err
	}
	out := make([]NoteView, 0, len(ns))
	for _, n := range ns {
		out = append(out, noteView(cfg, &n, names))
	}
	return out, next, nil
}

func noteView(cfg *Config, n *Note, names names) NoteView {
	nv := NoteView{ID: n.ID, Type: Ref{ID: n.NoteTypeID}, Body: n.Body, Author: names.user(n.AuthorID), CreatedAt: n.CreatedAt}
	if nt, ok := cfg.NoteType(n.NoteTypeID); ok {
		nv.Type.Name = nt.Name
	}
	return nv
}

// maxCandidates bounds the people offered as a ticket's contact or watchers.
const maxCandidates = 200

// Candidates are the users who may be the contact or a watcher of a ticket
// on board boardID for company companyID (policy.MayBeContactOrWatcher):
// the company's active external users whose kind sees the board. Only
// someone who may choose a contact (members; external editors without
// own-tickets-only, for their companies) or add watchers asks for them.
func Candidates(ctx context.Context, db *store.Scoped, cfg *Config, boardID, companyID int64) ([]Ref, error) {
	users, err := companyUsers(ctx, db, companyID)
	if err != nil {
		return nil, err
	}
	facts := policy.TicketFacts{BoardID: boardID, CompanyID: companyID}
	out := []Ref{}
	for _, u := range users {
		if policy.MayBeContactOrWatcher(u.Actor(), cfg.Rules, facts) {
			out = append(out, Ref{ID: u.ID, Name: displayName(u.Name)})
		}
	}
	return out, nil
}

func displayName(name string) string {
	if name == "" {
		return unnamed
	}
	return name
}

// companyUsers loads the active external users assigned to company id,
// with what their actors need.
func companyUsers(ctx context.Context, db *store.Scoped, companyID int64) ([]people.User, error) {
	var us []people.User
	err := db.Select(&us).Relation("Capabilities").Relation("Modules").Relation("Companies").
		Where("u.status = ? AND u.kind IN (?)", people.Active, bun.In([]policy.Kind{policy.ExternalEditor, policy.ExternalViewer})).
		Where("u.id IN (SELECT ucx.user_id FROM user_companies AS ucx WHERE ucx.tenant_id = ? AND ucx.company_id = ?)", db.TenantID(), companyID).
		OrderExpr("u.name, u.id").Limit(maxCandidates).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("tickets: load users of company %d: %w", companyID, err)
	}
	return us, nil
}
