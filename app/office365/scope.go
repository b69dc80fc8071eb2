package office365

import (
	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// members are the companies an external user is assigned to.
const members = "SELECT company_id FROM user_companies WHERE user_id = ? AND tenant_id = ?"

// scopeTables say how policy.Office365Scope narrows each table: the
// companies by their ID, licences and users by their company.
var scopeTables = map[string]store.ScopeTable{
	"companies":     {List: policy.ListOffice365, Table: "companies", Members: members},
	"m365_licences": {List: policy.ListOffice365, Table: "m365_licences", Members: members, Column: "company_id"},
	"m365_users":    {List: policy.ListOffice365, Table: "m365_users", Members: members, Column: "company_id"},
}

// selectScoped starts a select of model (a company, licence or user, or a
// slice of them) narrowed to the tenant and to the companies whose data a
// may read. It is the one place the scope becomes SQL: the company
// switcher, the licence cards, the users list, the export and the API all
// start here, so another company's data is simply not found.
func selectScoped(db *store.Scoped, model any, a policy.Actor) *bun.SelectQuery {
	q := db.Select(model)
	t, ok := scopeTables[q.GetTableName()]
	if !ok {
		return q.Where("1 = 0")
	}
	return db.SelectScoped(model, policy.Office365Scope(a), t)
}
