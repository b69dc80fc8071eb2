package tickets

import (
	"context"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/store/storetest"
)

// TestQueryPlans reads SQLite's plan of every scoped list shape and fails
// on a full scan of the tickets table, so a list stays an index walk at
// 200,000 tickets (issue 12 measures it). The plans are logged: go test
// ./app/tickets -run TestQueryPlans -v prints them.
func TestQueryPlans(t *testing.T) {
	ctx := context.Background()
	d := storetest.New(t)
	if d.DB.Dialect == store.Postgres {
		t.Skip("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL plans from its statistics")
	}
	db := d.Acme
	if err := SeedDefaults(ctx, db); err != nil {
		t.Fatal(err)
	}
	// ANALYZE with a realistic shape would need data; the planner's
	// defaults are what a fresh install runs with.
	cfg, err := LoadConfig(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	board := cfg.Boards[0].ID
	member := policy.Actor{UserID: 1, TenantID: db.TenantID(), Kind: policy.Member}
	editor := policy.Actor{UserID: 2, TenantID: db.TenantID(), Kind: policy.ExternalEditor, Companies: []int64{1, 2},
		Modules: map[policy.Page]policy.Module{policy.PageTickets: {Show: true}}}
	own := editor
	own.OwnTicketsOnly = true
	mixed := editor
	mixed.Companies = []int64{1, 2}
	cfg.Rules.Boards = append(cfg.Rules.Boards, policy.BoardRule{ID: board + 1, Kinds: []policy.Kind{policy.ExternalEditor}, Companies: []int64{2}})
	single := editor
	single.Companies = []int64{1}
	for _, tc := range []struct {
		name string
		a    policy.Actor
		q    Query
		// walks: the page is read in the index's order, with no sort.
		walks bool
	}{
		{"member, recently updated", member, Query{}, false},
		{"member, newest", member, Query{Sort: "-created"}, false},
		{"member, one company", member, Query{CompanyID: 1}, false},
		{"member, open", member, Query{Open: true}, false},
		{"member, assignee", member, Query{AssigneeID: 1}, false},
		{"member, search", member, Query{Q: "printer"}, false},
		{"external editor", editor, Query{}, false},
		{"external editor, one board", editor, Query{BoardID: board}, false},
		{"external editor, search", editor, Query{Q: "printer"}, false},
		{"own tickets only", own, Query{}, false},
		{"external, board per company", mixed, Query{}, false},
		{"external editor, one company", single, Query{}, true},
		{"member, one company, by change", member, Query{CompanyID: 1}, true},
	} {
		o, _ := Sorts.Find(tc.q.Sort)
		o, walks := planned(db, o, policy.TicketsScope(tc.a, cfg.Rules), tc.q)
		if tc.walks && !walks {
			t.Errorf("%s: planned does not walk the index", tc.name)
		}
		var ts []Ticket
		q := o.Apply(filtered(db, &ts, tc.a, cfg, tc.q).Column("t.id"), store.Cursor{}, false, 50) // as List reads a page
		rows, err := d.DB.R.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q.String())
		if err != nil {
			t.Fatalf("%s: %v\n%s", tc.name, err, q.String())
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		text := strings.Join(plan, "; ")
		t.Logf("%-28s %s", tc.name, text)
		if sorts := strings.Contains(text, "TEMP B-TREE"); tc.walks && sorts {
			t.Errorf("%s: want a walk of tickets_company_updated, got a sort: %s", tc.name, text)
		}
		for _, step := range plan {
			if step == "SCAN t" || strings.HasPrefix(step, "SCAN t ") && !strings.Contains(step, "USING") {
				t.Errorf("%s: full scan of tickets: %s", tc.name, text)
			}
		}
	}
}
