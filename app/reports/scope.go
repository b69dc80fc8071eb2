package reports

import (
	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// selectScoped starts a select of reports (model: *Report or *[]Report, or
// a count) narrowed to the handle's tenant and to the policy's scope sc.
// It is the one place a report scope becomes SQL: every list and every
// single-report load starts here, so a report outside the reader's scope
// is simply not found. A scope of nobody or of another tenant matches no
// row; a scope that is not a member's never reaches a draft.
func selectScoped(db *store.Scoped, model any, sc policy.ReportScope) *bun.SelectQuery {
	q := db.Select(model)
	if sc.None() || sc.TenantID != db.TenantID() {
		return q.Where("1 = 0")
	}
	if !sc.All {
		q = q.Where("r.company_id IN (?)", bun.In(sc.Companies))
	}
	if sc.PublishedOnly() {
		q = q.Where("r.status = ?", Published)
	}
	return q
}

// selectParts starts a select of the parts of report reportID that a
// reader sees, in order: without internal parts unless internal, so that
// such a part is never loaded for a reader who may not see it.
func selectParts(db *store.Scoped, parts *[]Part, reportID int64, internal bool) *bun.SelectQuery {
	q := db.Select(parts).Where("p.report_id = ?", reportID)
	if !internal {
		q = q.Where("p.internal_only = ?", false)
	}
	return q.OrderExpr("p.position, p.id")
}
