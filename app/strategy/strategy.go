// Package strategy holds a tenant's strategy pages (SPEC §5–6): the
// vision, why and direction documents with every version kept, the
// company headlines, and the roles chart's seats.
//
// Every read asks policy.CanReadStrategy for the page the object belongs
// to, with the tenant's settings, so an object of a page outside the
// reader's navigation (a client, a hidden page, the why page turned off)
// is simply not found. Every write asks the page's rule (policy.EditVision,
// policy.EditHeadlines, policy.EditRolesChart), opens its own transaction
// and records itself in the audit log. Markdown is rendered and sanitised
// by app/markdown whenever it is shown.
package strategy

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// The longest text each field takes, in characters, and the most items,
// checked before storage. Forms carry the same numbers as maxlength.
const (
	// MaxBody bounds a markdown text: a section of a document, a headline's body.
	MaxBody          = 50000
	MaxHeadlineTitle = 200
	MaxSeatTitle     = 120
	// MaxRoles bounds a seat's roles, one per line, and MaxRole each line.
	MaxRoles = 20
	MaxRole  = 200
	// MaxSeatPeople bounds the people in one seat.
	MaxSeatPeople = 20
	// MaxSeats bounds a tenant's roles chart: far above any company's
	// accountability chart, and bounded like every list.
	MaxSeats = 500
)

// Errors of the package.
var (
	// ErrNotFound means no such object in this tenant, or not one the
	// actor may see.
	ErrNotFound = errors.New("strategy: not found")
	// ErrForbidden means the actor may not write this page.
	ErrForbidden = errors.New("strategy: not allowed to write this page")
	// ErrConflict means a document was saved by someone else since the
	// version the writer started from.
	ErrConflict = errors.New("strategy: a newer version was saved meanwhile")
)

// By is who performs a change: the actor, whose rights decide, the audit
// record's who, and the tenant's settings (the why and direction pages
// can be turned off).
type By struct {
	Actor    policy.Actor
	Who      audit.Who
	Settings policy.Settings
}

// Person is a user as the strategy pages name them: an author, a person
// in a seat. A deactivated user keeps their name.
type Person struct {
	ID          int64
	Name        string
	Deactivated bool
}

// names names the users with these IDs, deactivated ones included.
func names(ctx context.Context, db *store.Scoped, ids []int64) (map[int64]Person, error) {
	us, err := people.UsersByIDs(ctx, db, ids)
	if err != nil {
		return nil, fmt.Errorf("strategy: %w", err)
	}
	out := make(map[int64]Person, len(us))
	for i := range us {
		u := &us[i]
		name := u.Name
		if name == "" {
			// Never the address: a deactivated user's contact details are hidden.
			name = people.UnnamedUser
		}
		out[u.ID] = Person{ID: u.ID, Name: name, Deactivated: u.Status == people.Deactivated}
	}
	return out, nil
}

// personOf is the person of id in ns, nil for no one.
func personOf(ns map[int64]Person, id *int64) *Person {
	if id == nil {
		return nil
	}
	p, ok := ns[*id]
	if !ok {
		p = Person{ID: *id, Name: people.UnnamedUser}
	}
	return &p
}

// newestFirst narrows q to one page of list, highest ID (the newest) first,
// from the cursor of p; idCol is the ID column with its alias. It fetches
// one row more than the page, for trimPage to tell whether there is a next.
func newestFirst(q *bun.SelectQuery, idCol, list string, p store.Page) (*bun.SelectQuery, error) {
	after, ok, err := store.DecodeCursor(list, p.Cursor)
	if err != nil {
		return nil, err
	}
	q = q.OrderExpr(idCol + " DESC").Limit(int64(p.Size() + 1))
	if ok {
		q = q.Where(idCol+" < ?", after.ID)
	}
	return q, nil
}

// trimPage cuts rows to the page of p and returns the cursor of the next
// page of list ("" on the last); id is a row's ID.
func trimPage[T any](rows []T, list string, p store.Page, id func(T) int64) ([]T, string) {
	if len(rows) <= p.Size() {
		return rows, ""
	}
	rows = rows[:p.Size()]
	return rows, store.EncodeCursor(list, store.Cursor{ID: id(rows[len(rows)-1])})
}

func nonZero(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func now() time.Time { return time.Now().UTC() }

// markdownText checks and normalises a markdown text of field: line breaks
// as LF, trimmed, at most MaxBody characters of text.
func markdownText(errs valid.Errors, field, s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if !valid.Text(s) || utf8.RuneCountInString(s) > MaxBody {
		errs.Add(field, fmt.Sprintf("Use at most %d characters of text.", MaxBody))
	} else if msg := valid.MultiLine(s, MaxBody); msg != "" {
		errs.Add(field, msg)
	}
	return s
}

// lineText checks and trims a one-line text of field: required, at most max characters.
func lineText(errs valid.Errors, field, s string, max int, missing string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		errs.Add(field, missing)
	} else if msg := valid.Line(s, max); msg != "" {
		errs.Add(field, msg)
	}
	return s
}
