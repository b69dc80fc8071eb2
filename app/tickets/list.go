package tickets

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// cursorTickets tags the cursors of the tickets list.
const cursorTickets = "tickets"

// Sorts are the orders of the tickets list: the most recently changed
// first (the default), or by the date they were opened.
var Sorts = store.Sorts{
	{Name: "-updated", Label: "Recently updated", Expr: "t.updated_at", ID: "t.id", Desc: true},
	{Name: "updated", Label: "Least recently updated", Expr: "t.updated_at", ID: "t.id"},
	{Name: "-created", Label: "Newest first", ID: "t.id", Desc: true},
	{Name: "created", Label: "Oldest first", ID: "t.id"},
}

// Unassigned is the AssigneeID filter of tickets without an assignee.
const Unassigned int64 = -1

// Query is what a tickets list asks for: filters ("" or 0 for any), a
// search and a sort of Sorts ("" for the default).
type Query struct {
	CompanyID  int64
	BoardID    int64
	Status     Status
	Priority   Priority
	AssigneeID int64
	// Open narrows to tickets that still need work (not resolved or closed).
	Open bool
	Q    string
	Sort string
}

// check validates q for actor a and returns its sort. A filter on a field
// the reader may not see is refused: filtering by it would reveal it.
func (q Query) check(a policy.Actor, r policy.TicketRules) (store.Sort, error) {
	errs := valid.Errors{}
	if utf8.RuneCountInString(q.Q) > MaxSearch {
		errs.Add("q", fmt.Sprintf("Search for at most %d characters.", MaxSearch))
	}
	if q.CompanyID < 0 {
		errs.Add("company", "Choose a company from the list.")
	}
	if q.BoardID < 0 {
		errs.Add("board", "Choose a board from the list.")
	}
	hidden := func(f policy.TicketField) bool { return policy.FieldAccess(a, r, f) == policy.Hidden }
	if q.Status != "" && (!slices.Contains(Statuses, q.Status) || hidden(policy.FieldStatus)) {
		errs.Add("status", "Choose a status from the list.")
	}
	if q.Open && hidden(policy.FieldStatus) {
		errs.Add("status", "Choose a status from the list.")
	}
	if q.Priority != "" && (!slices.Contains(Priorities, q.Priority) || hidden(policy.FieldPriority)) {
		errs.Add("priority", "Choose a priority from the list.")
	}
	if q.AssigneeID != 0 && (q.AssigneeID < Unassigned || hidden(policy.FieldAssignee)) {
		errs.Add("assignee", "Choose an assignee from the list.")
	}
	o, ok := Sorts.Find(q.Sort)
	if !ok {
		errs.Add("sort", "Sort by one of: "+Sorts.Names()+".")
	}
	return o, errs.Err()
}

// filtered is the select of the tickets in a's scope matching q, without
// order or limit.
func filtered(db *store.Scoped, model any, a policy.Actor, cfg *Config, q Query) *bun.SelectQuery {
	sq := selectScoped(db, model, policy.TicketsScope(a, cfg.Rules))
	if q.CompanyID != 0 {
		sq = sq.Where("t.company_id = ?", q.CompanyID)
	}
	if q.BoardID != 0 {
		sq = sq.Where("t.board_id = ?", q.BoardID)
	}
	if q.Status != "" {
		sq = sq.Where("t.status = ?", q.Status)
	}
	if q.Open {
		// The statuses named, not the done ones excluded: SQLite seeks
		// each in tickets_company_status rather than reading every entry of
		// the company. erin's home (her open tickets and their count; 5,200
		// of her 15,196 tickets are open) 9.7 + 9.2 ms to 5.6 + 0.5 ms, the
		// count stopping at 1,000 (docs/performance.md).
		sq = sq.Where("t.status IN (?)", bun.In(openStatuses()))
	}
	if q.Priority != "" {
		sq = sq.Where("t.priority = ?", q.Priority)
	}
	switch {
	case q.AssigneeID == Unassigned:
		sq = sq.Where("t.assignee_id IS NULL")
	case q.AssigneeID > 0:
		sq = sq.Where("t.assignee_id = ?", q.AssigneeID)
	}
	if q.Q != "" {
		sq = searchWhere(sq, db.TenantID(), a, cfg.Rules, cfg, q.Q)
	}
	return sq
}

// List returns one page of the tickets actor a may see matching q, each
// filtered for a, and the cursor of the next page ("" when this is the
// last). Invalid filters are valid.Errors; a cursor of another list or
// sort is store.ErrBadCursor.
func List(ctx context.Context, db *store.Scoped, a policy.Actor, cfg *Config, q Query, p store.Page) ([]View, string, error) {
	views, next, _, _, err := list(ctx, db, a, cfg, q, p, 0)
	return views, next, err
}

// ListCounted is List with CountUpTo(limit) of the whole list. A search's
// first page is read with its count in one statement: the IDs and sort keys
// of the first limit+1 matches in order, of which the page is the first
// rows. The search's match, most of its cost ("vpn" is in 16,800 texts of
// the 200,000-ticket data), is then evaluated once, not twice
// (docs/performance.md).
func ListCounted(ctx context.Context, db *store.Scoped, a policy.Actor, cfg *Config, q Query, p store.Page, limit int) ([]View, string, int, bool, error) {
	views, next, n, more, err := list(ctx, db, a, cfg, q, p, limit)
	if err != nil || n >= 0 {
		return views, next, n, more, err
	}
	n, more, err = CountUpTo(ctx, db, a, cfg, q, limit)
	return views, next, n, more, err
}

// list reads a page of List. With countLimit > 0, a search's first page is
// read with its count; n is -1 when it was not counted.
func list(ctx context.Context, db *store.Scoped, a policy.Actor, cfg *Config, q Query, p store.Page, countLimit int) (_ []View, _ string, n int, more bool, _ error) {
	n = -1
	o, err := q.check(a, cfg.Rules)
	if err != nil {
		return nil, "", n, false, err
	}
	after, ok, err := o.Decode(cursorTickets, p.Cursor)
	if err != nil {
		return nil, "", n, false, err
	}
	o, walks := planned(db, o, policy.TicketsScope(a, cfg.Rules), q)
	limit := p.Size()
	var ts []Ticket
	if walks {
		// The index gives the order: the page's rows are read as it is
		// walked, in one statement.
		sq := withNames(filtered(db, &ts, a, cfg, q).ColumnExpr("t.*"))
		if o.Expr != "" {
			sq = sq.ColumnExpr("CAST(" + o.Expr + " AS TEXT) AS sort_key")
		}
		if err := o.Apply(sq, after, ok, limit).Scan(ctx); err != nil {
			return nil, "", n, false, fmt.Errorf("tickets: list: %w", err)
		}
	} else {
		// Two steps: the page's IDs and sort keys in order, then those
		// rows. The first reads the index alone where it can
		// (tickets_company covers company, board and updated_at), and
		// sorts narrow rows: sorting whole rows, descriptions and all, of
		// erin's 15,000 tickets (of 200,000) took 22 ms a request, the IDs
		// alone 4.6 ms (docs/performance.md).
		var keys []pageKey
		sq := filtered(db, (*Ticket)(nil), a, cfg, q).Column("t.id")
		if o.Expr != "" {
			sq = sq.ColumnExpr("CAST(" + o.Expr + " AS TEXT) AS sort_key")
		}
		counting := countLimit > limit && q.Q != "" && !ok
		read := limit
		if counting {
			read = countLimit
		}
		if err := o.Apply(sq, after, ok, read).Scan(ctx, &keys); err != nil {
			return nil, "", n, false, fmt.Errorf("tickets: list: %w", err)
		}
		if counting {
			n, more = min(len(keys), countLimit), len(keys) > countLimit
			keys = keys[:min(len(keys), limit+1)]
		}
		if ts, err = byKeys(ctx, db, keys); err != nil {
			return nil, "", n, more, err
		}
	}
	next := ""
	if len(ts) > limit {
		ts = ts[:limit]
		last := ts[len(ts)-1]
		next = o.Encode(cursorTickets, last.SortKey, last.ID)
	}
	views, err := views(ctx, db, a, cfg, ts)
	return views, next, n, more, err
}

// pageKey is one row of a page: its ticket and its sort key.
type pageKey struct {
	ID      int64  `bun:"id"`
	SortKey string `bun:"sort_key"`
}

// byKeys loads the tickets of keys, in their order, with their sort keys.
func byKeys(ctx context.Context, db *store.Scoped, keys []pageKey) ([]Ticket, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(keys))
	for i, k := range keys {
		ids[i] = k.ID
	}
	var rows []Ticket
	if err := withNames(db.Select(&rows).ColumnExpr("t.*")).Where("t.id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("tickets: list rows: %w", err)
	}
	at := make(map[int64]int, len(rows))
	for i, r := range rows {
		at[r.ID] = i
	}
	out := make([]Ticket, 0, len(keys))
	for _, k := range keys {
		if i, ok := at[k.ID]; ok {
			t := rows[i]
			t.SortKey = k.SortKey
			out = append(out, t)
		}
	}
	return out, nil
}

// planned adjusts sort o for SQLite's planner. Left alone, it walks the
// index that gives the list's order (every ticket of the tenant, newest
// change first) and filters as it goes: right for a member's whole list,
// a scan of 200,000 rows for an external user with 300 tickets. When the
// scope or a filter narrows the list to a company, an assignee or a user's
// own tickets, or to what a search found, the order's columns are written as +column, which SQLite
// does not take from an index, so it starts from the narrowing index
// (tickets_company, tickets_assignee, tickets_contact) and sorts the few
// rows left. The keys and the order are the same; TestQueryPlans holds
// the plans.
//
// walks reports that the order is the index's, so the page is read as the
// index is walked, with no sort.
func planned(db *store.Scoped, o store.Sort, sc policy.TicketScope, q Query) (_ store.Sort, walks bool) {
	if sc.All && q.CompanyID == 0 && q.AssigneeID <= 0 && q.Q == "" {
		return o, true
	}
	if walksCompany(sc, q, o) {
		return o, true
	}
	if o.Expr != "" {
		o.Expr = db.Unindexed(o.Expr)
	}
	o.ID = db.Unindexed(o.ID)
	return o, false
}

// walksCompany reports whether a page of the list is read by walking one
// company's tickets in the order of their last change (the index
// tickets_company_updated), stopping at a page: the list of a user whose
// scope is one company, or a list filtered to one, by change, with no
// other filter to skip rows for. Sorting the IDs of erin's 15,000 tickets
// for each page took 11 ms; the walk 0.3 ms (docs/performance.md). The
// other cases keep the narrowing index and a sort: a status filter or a
// user's own tickets could make the walk read the company's every ticket.
func walksCompany(sc policy.TicketScope, q Query, o store.Sort) bool {
	if o.Expr != "t.updated_at" || sc.OwnOnly || q.Q != "" || q.AssigneeID != 0 || q.Status != "" || q.Open || q.Priority != "" {
		return false
	}
	if q.CompanyID != 0 {
		return true
	}
	if sc.All || len(sc.Grants) == 0 {
		return false
	}
	company := int64(0)
	for _, g := range sc.Grants {
		if g.AnyCompany || len(g.Companies) != 1 || company != 0 && g.Companies[0] != company {
			return false
		}
		company = g.Companies[0]
	}
	return true
}

// Count returns how many tickets actor a may see match q.
func Count(ctx context.Context, db *store.Scoped, a policy.Actor, cfg *Config, q Query) (int, error) {
	if _, err := q.check(a, cfg.Rules); err != nil {
		return 0, err
	}
	n, err := filtered(db, (*Ticket)(nil), a, cfg, q).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("tickets: count: %w", err)
	}
	return int(n), nil
}

// CountUpTo is Count for a list's heading: it stops counting past limit
// and reports more as true when there are more. Counting all 15,000 of
// erin's tickets (of 200,000) took 3 ms of every list page; "more than
// 1,000" tells a reader as much (docs/performance.md).
func CountUpTo(ctx context.Context, db *store.Scoped, a policy.Actor, cfg *Config, q Query, limit int) (n int, more bool, err error) {
	if _, err := q.check(a, cfg.Rules); err != nil {
		return 0, false, err
	}
	sub := filtered(db, (*Ticket)(nil), a, cfg, q).ColumnExpr("1").Limit(int64(limit + 1))
	if err := db.RawRead("SELECT count(*) FROM (?) AS capped", sub).Scan(ctx, &n); err != nil {
		return 0, false, fmt.Errorf("tickets: count: %w", err)
	}
	if n > limit {
		return limit, true, nil
	}
	return n, false, nil
}

// withNames adds to a select of tickets the names of their contacts,
// assignees and companies, each row's from its own tenant: two statements
// fewer for every page of a list (docs/performance.md).
func withNames(q *bun.SelectQuery) *bun.SelectQuery {
	return q.ColumnExpr("cu.name AS contact_name, au.name AS assignee_name, co.name AS company_name").
		Join("LEFT JOIN users AS cu ON cu.tenant_id = t.tenant_id AND cu.id = t.contact_id").
		Join("LEFT JOIN users AS au ON au.tenant_id = t.tenant_id AND au.id = t.assignee_id").
		Join("LEFT JOIN companies AS co ON co.tenant_id = t.tenant_id AND co.id = t.company_id")
}

// namesRead are the names withNames read with ts.
func namesRead(ts []Ticket) names {
	n := names{users: map[int64]string{}, companies: map[int64]string{}}
	for _, t := range ts {
		if t.ContactID != nil && t.ContactName != nil {
			n.users[*t.ContactID] = *t.ContactName
		}
		if t.AssigneeID != nil && t.AssigneeName != nil {
			n.users[*t.AssigneeID] = *t.AssigneeName
		}
		if t.CompanyName != nil {
			n.companies[t.CompanyID] = *t.CompanyName
		}
	}
	return n
}

// views filters tickets ts (read withNames) for a, loading their custom
// values and watchers in one query each.
func views(ctx context.Context, db *store.Scoped, a policy.Actor, cfg *Config, ts []Ticket) ([]View, error) {
	out := make([]View, 0, len(ts))
	if len(ts) == 0 {
		return out, nil
	}
	ids := make([]int64, len(ts))
	for i, t := range ts {
		ids[i] = t.ID
	}
	var vals []Value
	if len(cfg.CustomFields) > 0 {
		if err := db.Select(&vals).Where("tv.ticket_id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
			return nil, fmt.Errorf("tickets: load values: %w", err)
		}
	}
	var ws []Watcher
	if err := db.Select(&ws).Where("tw.ticket_id IN (?)", bun.In(ids)).OrderExpr("tw.created_at, tw.user_id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("tickets: load watchers: %w", err)
	}
	n := namesRead(ts)
	access := fieldAccess(a, cfg)
	for i := range ts {
		var vs []Value
		for _, v := range vals {
			if v.TicketID == ts[i].ID {
				vs = append(vs, v)
			}
		}
		var watchers []int64
		for _, w := range ws {
			if w.TicketID == ts[i].ID {
				watchers = append(watchers, w.UserID)
			}
		}
		out = append(out, viewWith(access, cfg, &ts[i], vs, watchers, n))
	}
	return out, nil
}

// ErrNotFound means no such ticket in this tenant, or not one the actor may see.
var ErrNotFound = errors.New("tickets: ticket not found")
