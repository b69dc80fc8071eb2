package tickets_test

import (
	"context"
	"testing"

	"github.com/atrium-portal/atrium/app/demo"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/store/storetest"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/tickets"
)

// benchCopies is how many times the demo's tickets are copied: about 2,800 (14 × 201)
// tickets in acme, a few hundred of them Globex's that erin sees.
const benchCopies = 200

// BenchmarkList is erin's (an external editor of Globex) ticket list over
// the demo with its tickets copied in one INSERT: the first page and a page
// five cursors deep.
//
//	go test ./app/tickets -run '^$' -bench List -benchmem -count 6
func BenchmarkList(b *testing.B) {
	ctx := context.Background()
	d := storetest.New(b)
	if err := demo.Seed(ctx, d.DB, tenant.NewStore(d.DB)); err != nil {
		b.Fatal(err)
	}
	acme, err := tenant.NewStore(d.DB).BySlug(ctx, "acme")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := d.DB.W.ExecContext(ctx, `INSERT INTO tickets (tenant_id, number, title, description, board_id, company_id,
			contact_id, status, priority, type, assignee_id, time_spent, billing_code, created_by, created_at, updated_at)
		WITH RECURSIVE copies(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM copies WHERE n < ?)
		SELECT t.tenant_id, t.number + 100000 * c.n, t.title || ' (copy ' || c.n || ')', t.description, t.board_id, t.company_id,
			t.contact_id, t.status, t.priority, t.type, t.assignee_id, t.time_spent, t.billing_code, t.created_by, t.created_at, t.updated_at
		FROM tickets t CROSS JOIN copies c WHERE t.tenant_id = ?`, benchCopies, acme.ID); err != nil {
		b.Fatal(err)
	}
	db := d.DB.Tenant(acme.ID)
	u, err := people.UserByEmail(ctx, db, "erin@globex.test")
	if err != nil {
		b.Fatal(err)
	}
	erin := u.Actor()
	cfg, err := tickets.LoadConfig(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	page := store.Page{Limit: store.DefaultLimit}
	deep := page
	for i := 0; i < 5; i++ {
		_, next, err := tickets.List(ctx, db, erin, cfg, tickets.Query{}, deep)
		if err != nil || next == "" {
			b.Fatalf("page %d: %v, next %q", i+1, err, next)
		}
		deep.Cursor = next
	}
	for _, tc := range []struct {
		name string
		p    store.Page
		q    tickets.Query
	}{
		{"first", page, tickets.Query{}},
		{"deep", deep, tickets.Query{}},
		{"search", page, tickets.Query{Q: "vpn"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				vs, _, err := tickets.List(ctx, db, erin, cfg, tc.q, tc.p)
				if err != nil || len(vs) == 0 {
					b.Fatalf("%v, %d rows", err, len(vs))
				}
			}
		})
	}
}
