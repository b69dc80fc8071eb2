package tickets

import (
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// selectScoped starts a select of tickets (model: *Ticket or *[]Ticket, or
// a count) narrowed to the handle's tenant and to the policy's scope sc.
// It is the one place a ticket scope becomes SQL: every list, search,
// export and single-ticket load starts here, so a ticket outside the
// reader's scope is simply not found. A scope of nobody or of another
// tenant matches no row.
func selectScoped(db *store.Scoped, model any, sc policy.TicketScope) *bun.SelectQuery {
	q := db.Select(model)
	if sc.None() || sc.TenantID != db.TenantID() {
		return q.Where("1 = 0")
	}
	if !sc.All {
		// The grants as "company IN (…) AND board IN (…)", which walks the
		// tickets_company index, and when that is wider than the grants
		// (board 1 for company A, board 2 for company B), the exact pairs.
		pairs := map[[2]int64]bool{}
		var companies, boards []int64
		for _, g := range sc.Grants {
			boards = append(boards, g.BoardID)
			for _, c := range g.Companies {
				companies = append(companies, c)
				pairs[[2]int64{c, g.BoardID}] = true
			}
		}
		slices.Sort(companies)
		slices.Sort(boards)
		companies, boards = slices.Compact(companies), slices.Compact(boards)
		if len(pairs) == 0 {
			return q.Where("1 = 0")
		}
		q = q.Where("t.company_id IN (?) AND t.board_id IN (?)", bun.In(companies), bun.In(boards))
		if len(pairs) < len(companies)*len(boards) {
			var parts []string
			var args []any
			for _, c := range companies {
				var bs []int64
				for _, b := range boards {
					if pairs[[2]int64{c, b}] {
						bs = append(bs, b)
					}
				}
				if len(bs) > 0 {
					parts = append(parts, "(t.company_id = ? AND t.board_id IN (?))")
					args = append(args, c, bun.In(bs))
				}
			}
			q = q.Where("("+strings.Join(parts, " OR ")+")", args...)
		}
	}
	if sc.OwnOnly {
		if sc.UserID == 0 {
			return q.Where("1 = 0")
		}
		q = q.Where("(t.contact_id = ? OR t.id IN (SELECT w.ticket_id FROM ticket_watchers AS w WHERE w.tenant_id = ? AND w.user_id = ?))",
			sc.UserID, sc.TenantID, sc.UserID)
	}
	return q
}
