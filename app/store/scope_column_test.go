package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/store/storetest"
)

type scopedLicence struct {
	bun.BaseModel `bun:"table:m365_licences,alias:ml"`
	store.TenantOwned
	ID        int64 `bun:"id,pk,autoincrement"`
	CompanyID int64 `bun:"company_id"`
	SKU       string
}

// TestSelectScopedColumn: a ScopeTable's Column narrows a member scope by
// that column (a company's rows), and by id when it is empty.
func TestSelectScopedColumn(t *testing.T) {
	ctx := context.Background()
	d := storetest.New(t)
	db := d.Acme
	tid := db.TenantID()
	now := time.Now().UTC()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := d.DB.W.ExecContext(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec("INSERT INTO companies (id, tenant_id, name, created_at) VALUES (1, ?, 'A', ?), (2, ?, 'B', ?)", tid, now, tid, now)
	exec("INSERT INTO users (id, tenant_id, email, kind, created_at, updated_at) VALUES (5, ?, 'e@x.test', 'external_viewer', ?, ?)", tid, now, now)
	exec("INSERT INTO user_companies (tenant_id, user_id, company_id) VALUES (?, 5, 1)", tid)
	exec("INSERT INTO m365_licences (tenant_id, company_id, sku, name, total, updated_at) VALUES (?, 1, 'A1', 'A1', 1, ?), (?, 2, 'B1', 'B1', 1, ?)", tid, now, tid, now)

	const members = "SELECT company_id FROM user_companies WHERE user_id = ? AND tenant_id = ?"
	sc := policy.Scope{List: policy.ListOffice365, Kind: policy.ScopeMember, TenantID: tid, UserID: 5}
	var ls []scopedLicence
	if err := db.SelectScoped(&ls, sc, store.ScopeTable{List: policy.ListOffice365, Table: "m365_licences", Members: members, Column: "company_id"}).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if len(ls) != 1 || ls[0].SKU != "A1" {
		t.Errorf("by company_id: %+v, want A1 only", ls)
	}
	// Without a column, the ID is scoped: licence 1 is in the list of
	// company IDs by accident of numbering, licence 2 is not.
	ls = nil
	if err := db.SelectScoped(&ls, sc, store.ScopeTable{List: policy.ListOffice365, Table: "m365_licences", Members: members}).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if len(ls) != 1 || ls[0].ID != 1 {
		t.Errorf("by id: %+v, want licence 1 only", ls)
	}
}
