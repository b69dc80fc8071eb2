package store

import (
	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/policy"
)

// ScopeTable is how the scope of one list becomes SQL: the list's table,
// and for policy.ScopeMember a subquery of the IDs an actor belongs to,
// taking (user_id, tenant_id), and the column of the row those IDs match
// ("id" when empty: a team or a company itself; "company_id" for rows
// scoped by their company). The package that owns the list declares it.
type ScopeTable struct {
	List    policy.List
	Table   string
	Members string
	Column  string
}

// SelectScoped starts a select of model narrowed to the handle's tenant and
// to the policy's scope sc. It is the one function that applies a scope:
// every list and every single-object load of a scoped list starts here, so
// a row outside the actor's scope is simply not found. The zero scope, a
// scope of another tenant or another list, a model of another table and a
// scope kind this function does not know match no row: lists fail closed.
func (s *Scoped) SelectScoped(model any, sc policy.Scope, t ScopeTable) *bun.SelectQuery {
	q := s.Select(model)
	if sc.List == "" || sc.List != t.List || sc.TenantID == 0 || sc.TenantID != s.tenantID || q.GetTableName() != t.Table {
		return q.Where("1 = 0")
	}
	switch {
	case sc.Kind == policy.ScopeAll:
		return q
	case sc.Kind == policy.ScopeSelf && sc.List == policy.ListUsers && sc.UserID != 0:
		return q.Where("?TableAlias.id = ?", sc.UserID)
	case sc.Kind == policy.ScopeMember && t.Members != "" && sc.UserID != 0:
		col := t.Column
		if col == "" {
			col = "id"
		}
		q = q.Where("?TableAlias.? IN ("+t.Members+")", bun.Ident(col), sc.UserID, sc.TenantID)
		if len(sc.Companies) > 0 {
			q = q.Where("?TableAlias.? IN (?)", bun.Ident(col), bun.In(sc.Companies))
		}
		return q
	}
	return q.Where("1 = 0")
}
