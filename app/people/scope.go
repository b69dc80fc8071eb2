package people

import (
	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

var scopeTables = map[policy.List]store.ScopeTable{
	policy.ListUsers:         {List: policy.ListUsers, Table: "users"},
	policy.ListTeams:         {List: policy.ListTeams, Table: "teams", Members: "SELECT team_id FROM team_members WHERE user_id = ? AND tenant_id = ?"},
	policy.ListCompanies:     {List: policy.ListCompanies, Table: "companies", Members: "SELECT company_id FROM user_companies WHERE user_id = ? AND tenant_id = ?"},
	policy.ListCompanyGroups: {List: policy.ListCompanyGroups, Table: "company_groups"},
}

// scoped starts a select of model through the store's one scope function,
// with the table of s's list.
func scoped(db *store.Scoped, model any, s policy.Scope) *bun.SelectQuery {
	return db.SelectScoped(model, s, scopeTables[s.List])
}
