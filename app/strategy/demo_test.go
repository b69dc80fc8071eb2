package strategy_test

import (
	"context"
	"errors"
	"testing"

	"github.com/atrium-portal/atrium/app/demo"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/store/storetest"
	"github.com/atrium-portal/atrium/app/strategy"
	"github.com/atrium-portal/atrium/app/tenant"
)

// TestDemo: the demo's strategy pages of SPEC §15 — the vision filled in,
// why and direction written, the two headlines (dora's named though she
// is deactivated) and the roles chart — and a second seeding adds nothing.
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
	actor := func(email string) policy.Actor {
		u, err := people.UserByEmail(ctx, db, email)
		if err != nil {
			t.Fatal(err)
		}
		if err := people.LoadRights(ctx, db, u); err != nil {
			t.Fatal(err)
		}
		return u.Actor()
	}
	ken, carol := actor("ken@acme.test"), actor("carol@globex.test")
	on := policy.Settings{WhyEnabled: acme.WhyEnabled, DirectionEnabled: acme.DirectionEnabled}
	if !on.WhyEnabled || !on.DirectionEnabled {
		t.Error("the demo's why and direction pages are off")
	}
	for _, doc := range strategy.Docs {
		v, err := strategy.Current(ctx, db, ken, on, md, doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range v.Sections {
			if s.Body == "" || s.HTML == "" {
				t.Errorf("the demo's %s has no %s", doc, s.Key)
			}
		}
		if _, err := strategy.Current(ctx, db, carol, on, md, doc); !errors.Is(err, strategy.ErrNotFound) {
			t.Errorf("carol reads the demo's %s: %v", doc, err)
		}
	}
	if hist, _, err := strategy.Versions(ctx, db, ken, on, strategy.Vision, store.Page{}); err != nil || len(hist) != 2 {
		t.Errorf("the vision's history: %d versions, %v", len(hist), err)
	}
	hs, _, err := strategy.Headlines(ctx, db, ken, md, store.Page{})
	if err != nil || len(hs) != 2 {
		t.Fatalf("headlines: %d, %v", len(hs), err)
	}
	if hs[0].Title != "Q4 kickoff on Monday" || hs[1].Title != "Welcome to the new portal" {
		t.Errorf("headlines, newest first: %q, %q", hs[0].Title, hs[1].Title)
	}
	if a := hs[1].Author; a == nil || a.Name != "Dora Deactivated" || !a.Deactivated {
		t.Errorf("the welcome headline's author: %+v", a)
	}
	c, err := strategy.LoadChart(ctx, db, ken)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Roots) != 1 || c.Roots[0].Title != "Visionary" || len(c.Seats) != 5 {
		t.Errorf("the roles chart: %d top seats, %d seats", len(c.Roots), len(c.Seats))
	}
	if ops := c.Seats[3]; ops.Title != "Operations" || len(ops.People) != 2 {
		t.Errorf("operations: %+v", ops)
	}
}
