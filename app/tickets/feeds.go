package tickets

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// Times are what a scorecard metric fed by a company's tickets reads of
// one ticket: counts and times, never a title or a word of the ticket, so
// a client team's scorecard can show them to people who do not see the
// tickets themselves (SPEC §6: "a client team's scorecard fills itself").
type Times struct {
	ID        int64     `bun:"id"`
	CreatedAt time.Time `bun:"created_at"`
	UpdatedAt time.Time `bun:"updated_at"`
	Status    Status    `bun:"status"`
	// FirstResponse is when someone of the workspace first answered in a
	// note the company's users may read; nil when nobody has yet.
	FirstResponse *time.Time `bun:"-"`
}

// Done reports whether the ticket is resolved or closed.
func (a Times) Done() bool { return a.Status.Done() }

// CompanyTimesSince are the times of company companyID's tickets
// opened at or after since, and of those resolved or closed with their
// last change at or after since, for scorecard feeds: two index ranges
// and one read of the answering notes.
func CompanyTimesSince(ctx context.Context, db *store.Scoped, companyID int64, since time.Time) ([]Times, error) {
	var rows []Times
	q := db.Select((*Ticket)(nil)).Column("t.id", "t.created_at", "t.updated_at", "t.status").
		Where("t.company_id = ?", companyID).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("t.created_at >= ?", since).WhereOr("(t.updated_at >= ? AND t.status IN (?))", since, bun.In([]Status{StatusResolved, StatusClosed}))
		}).OrderExpr("t.id")
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("tickets: activity of company %d: %w", companyID, err)
	}
	if len(rows) == 0 {
		return rows, nil
	}
	ids := make([]int64, 0, len(rows))
	for _, r := range rows {
		if !r.CreatedAt.Before(since) {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return rows, nil
	}
	// An answer is a note by a member of a type the company's users read.
	var notes []struct {
		TicketID  int64     `bun:"ticket_id"`
		CreatedAt time.Time `bun:"created_at"`
	}
	err := db.Select((*Note)(nil)).Column("n.ticket_id", "n.created_at").
		Where("n.ticket_id IN (?)", bun.In(ids)).
		Where("n.author_id IN (SELECT u.id FROM users AS u WHERE u.tenant_id = n.tenant_id AND u.kind = ?)", policy.Member).
		Where("n.note_type_id IN (SELECT nt.id FROM note_types AS nt WHERE nt.tenant_id = n.tenant_id AND (nt.read_kinds LIKE ? OR nt.read_kinds LIKE ?))",
			`%"external_editor"%`, `%"external_viewer"%`).
		OrderExpr("n.ticket_id, n.created_at").Scan(ctx, &notes)
	if err != nil {
		return nil, fmt.Errorf("tickets: first responses of company %d: %w", companyID, err)
	}
	first := map[int64]time.Time{}
	for _, n := range notes {
		if _, ok := first[n.TicketID]; !ok {
			first[n.TicketID] = n.CreatedAt
		}
	}
	for i := range rows {
		if t, ok := first[rows[i].ID]; ok {
			rows[i].FirstResponse = &t
		}
	}
	return rows, nil
}
