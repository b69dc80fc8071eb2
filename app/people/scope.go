package people

import (
	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// scopeTable is how one list's scope becomes SQL: its table, and the IDs
// an actor belongs to (for policy.ScopeMember).
type scopeTable struct {
	table   string
	members string // a subquery of IDs taking (user_id, tenant_id); "" when the list has no membership
}

var scopeTables = map[policy.List]scopeTable{
	policy.ListUsers:         {table: "users"},
	policy.ListTeams:         {table: "teams", members: "SELECT team_id FROM team_members WHERE user_id = ? AND tenant_id = ?"},
	policy.ListCompanies:     {table: "companies", members: "SELECT company_id FROM user_companies WHERE user_id = ? AND tenant_id = ?"},
	policy.ListCompanyGroups: {table: "company_groups"},
}

// scoped starts a select of model narrowed to the handle's tenant and to
// the policy's scope s. Every list and every single-object load of users,
// teams, companies and groups starts here, so a row outside the actor's
// scope is simply not found. The zero scope, a scope of another tenant or
// another list, and a scope kind this function does not know match no row.
func scoped(db *store.Scoped, model any, s policy.Scope) *bun.SelectQuery {
	q := db.Select(model)
	t, ok := scopeTables[s.List]
	if !ok || s.TenantID == 0 || s.TenantID != db.TenantID() || q.GetTableName() != t.table {
		return q.Where("1 = 0")
	}
	switch {
	case s.Kind == policy.ScopeAll:
		return q
	case s.Kind == policy.ScopeSelf && s.List == policy.ListUsers && s.UserID != 0:
		return q.Where("?TableAlias.id = ?", s.UserID)
	case s.Kind == policy.ScopeMember && t.members != "" && s.UserID != 0:
		return q.Where("?TableAlias.id IN ("+t.members+")", s.UserID, s.TenantID)
	}
	return q.Where("1 = 0")
}
