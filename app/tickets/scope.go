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
//
// External users' grants are grouped by company, so that the condition
// reads "company c on boards b1, b2", the order of the tickets_company index.
func selectScoped(db *store.Scoped, model any, sc policy.TicketScope) *bun.SelectQuery {
	q := db.Select(model)
	if sc.None() || sc.TenantID != db.TenantID() {
		return q.Where("1 = 0")
	}
	if !sc.All {
		byCompany := map[int64][]int64{}
		for _, g := range sc.Grants {
			for _, c := range g.Companies {
				byCompany[c] = append(byCompany[c], g.BoardID)
			}
		}
		companies := make([]int64, 0, len(byCompany))
		for c := range byCompany {
			companies = append(companies, c)
		}
		slices.Sort(companies)
		var parts []string
		var args []any
		for _, c := range companies {
			parts = append(parts, "(t.company_id = ? AND t.board_id IN (?))")
			args = append(args, c, bun.In(byCompany[c]))
		}
		if len(parts) == 0 {
			return q.Where("1 = 0")
		}
		q = q.Where("("+strings.Join(parts, " OR ")+")", args...)
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
