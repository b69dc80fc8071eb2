package office365_test

import (
	"context"
	"testing"

	"github.com/atrium-portal/atrium/app/demo"
	"github.com/atrium-portal/atrium/app/office365"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/store/storetest"
	"github.com/atrium-portal/atrium/app/tenant"
)

// TestDemo: the demo's Microsoft 365 data as erin and ada see it, and a
// second seeding adds nothing.
func TestDemo(t *testing.T) {
	ctx := context.Background()
	d := storetest.New(t)
	for range 2 {
		if err := demo.Seed(ctx, d.DB, tenant.NewStore(d.DB)); err != nil {
			t.Fatal(err)
		}
	}
	acme, err := tenant.NewStore(d.DB).BySlug(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	db := d.DB.Tenant(acme.ID)
	actor := func(email string) *people.User {
		u, err := people.UserByEmail(ctx, db, email)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	ada, erin := actor("ada@acme.test").Actor(), actor("erin@globex.test").Actor()
	cs, err := office365.Companies(ctx, db, erin)
	if err != nil || len(cs) != 1 || cs[0].Name != "Globex Corporation" || !cs[0].HasData {
		t.Fatalf("erin's companies: %+v %v", cs, err)
	}
	o, err := office365.Summary(ctx, db, erin, cs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Licences) != 3 || o.Users != 40 || o.Total != 47 || o.Unassigned != 8 || o.Unused == 0 {
		t.Errorf("Globex: %d SKUs, %d users, %d total, %d unassigned, %d unused", len(o.Licences), o.Users, o.Total, o.Unassigned, o.Unused)
	}
	us, _, err := office365.Users(ctx, db, erin, office365.UserQuery{CompanyID: cs[0].ID}, store.Page{Limit: 200})
	if err != nil || len(us) != 40 {
		t.Fatalf("users: %d %v", len(us), err)
	}
	states := map[office365.MFA]int{}
	for _, u := range us {
		states[u.MFA]++
	}
	if len(states) != 4 {
		t.Errorf("MFA states: %v", states)
	}
	all, err := office365.Companies(ctx, db, ada)
	if err != nil {
		t.Fatal(err)
	}
	var withData []string
	for _, c := range all {
		if c.HasData {
			withData = append(withData, c.Name)
			if c.Name == "Initech" {
				o, err := office365.Summary(ctx, db, ada, c.ID)
				if err != nil || o.Users != 10 || len(o.Licences) != 1 {
					t.Errorf("Initech: %+v %v", o, err)
				}
			}
		}
	}
	if len(all) != 4 || len(withData) != 2 {
		t.Errorf("ada's companies: %+v", all)
	}
}
