package store

import (
	"strings"

	"github.com/uptrace/bun"
)

// Sort is one order a list may be read in, named by its ?sort= value
// ("name", "-created"). Paging under a sort is by keyset: the cursor
// carries the last row's key and ID, and the sort's name in its tag, so a
// cursor handed out under one order is refused under another
// (ErrBadCursor) instead of skipping or repeating rows.
type Sort struct {
	Name  string // the value of ?sort=
	Label string // how a person asks for it: "Name A–Z"
	// Expr is the SQL expression of the key, a column of the row holding
	// exactly the value the cursor carries; "" sorts by ID alone (the order
	// rows were added in).
	Expr string
	ID   string // the ID column, the tie-breaker: "u.id"
	Desc bool
}

// Sorts are the orders a list offers; the first is its default.
type Sorts []Sort

// Find returns the sort named name, the default for "", and whether name
// is one of s.
func (s Sorts) Find(name string) (Sort, bool) {
	if name == "" && len(s) > 0 {
		return s[0], true
	}
	for _, o := range s {
		if o.Name == name {
			return o, true
		}
	}
	return Sort{}, false
}

// Names lists the values ?sort= accepts, for messages and documentation.
func (s Sorts) Names() string {
	names := make([]string, 0, len(s))
	for _, o := range s {
		names = append(names, o.Name)
	}
	return strings.Join(names, ", ")
}

// Tag is the cursor tag of list read in this order.
func (o Sort) Tag(list string) string { return list + ":" + o.Name }

// Decode reads a cursor of list handed out under this order.
func (o Sort) Decode(list, cursor string) (Cursor, bool, error) {
	return DecodeCursor(o.Tag(list), cursor)
}

// Encode is the cursor after the row with key and id.
func (o Sort) Encode(list, key string, id int64) string {
	if o.Expr == "" {
		key = ""
	}
	return EncodeCursor(o.Tag(list), Cursor{Key: key, ID: id})
}

// Apply orders q, starts it after c when ok and asks for limit+1 rows, so
// that the caller knows whether another page follows.
func (o Sort) Apply(q *bun.SelectQuery, c Cursor, ok bool, limit int) *bun.SelectQuery {
	dir, cmp := " ASC", " > "
	if o.Desc {
		dir, cmp = " DESC", " < "
	}
	if o.Expr == "" {
		if ok {
			q = q.Where(o.ID+cmp+"?", c.ID)
		}
		return q.OrderExpr(o.ID + dir).Limit(int64(limit + 1))
	}
	if ok {
		q = q.Where("("+o.Expr+cmp+"? OR ("+o.Expr+" = ? AND "+o.ID+cmp+"?))", c.Key, c.Key, c.ID)
	}
	return q.OrderExpr(o.Expr + dir + ", " + o.ID + dir).Limit(int64(limit + 1))
}
