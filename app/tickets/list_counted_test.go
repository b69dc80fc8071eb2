package tickets_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tickets"
)

// TestListCounted: a search's first page read with its count is the page
// List reads, and the count is Count's, stopped at the limit.
func TestListCounted(t *testing.T) {
	ctx := context.Background()
	db, user := seedDemo(t)
	cfg, err := tickets.LoadConfig(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	_, ada := user("ada@acme.test")
	var desk int64
	for _, b := range cfg.Boards {
		if b.Name == "Service Desk" {
			desk = b.ID
		}
	}
	globex := globexOf(t, db, cfg, ada)
	for i := range 25 {
		title := fmt.Sprintf("Toner low on floor %d", i)
		if _, err := tickets.Create(ctx, db, tickets.By{Actor: ada}, tickets.NewTicket{BoardID: desk, CompanyID: globex,
			Fields: tickets.Fields{Title: &title}}); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(vs []tickets.View) []int64 {
		var out []int64
		for _, v := range vs {
			out = append(out, v.ID)
		}
		return out
	}
	for _, email := range []string{"ada@acme.test", "erin@globex.test"} {
		_, a := user(email)
		for _, q := range []tickets.Query{{Q: "toner"}, {Q: "toner", Sort: "-created"}, {}, {Open: true}} {
			want, wantNext, err := tickets.List(ctx, db, a, cfg, q, store.Page{Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			all, err := tickets.Count(ctx, db, a, cfg, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, limit := range []int{12, 100} {
				got, next, n, more, err := tickets.ListCounted(ctx, db, a, cfg, q, store.Page{Limit: 10}, limit)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(ids(got), ids(want)) || next != wantNext {
					t.Errorf("%s %+v limit %d: page %v next %q, List's %v %q", email, q, limit, ids(got), next, ids(want), wantNext)
				}
				if n != min(all, limit) || more != (all > limit) {
					t.Errorf("%s %+v limit %d: count %d more %v, of %d", email, q, limit, n, more, all)
				}
			}
			if q.Q == "toner" && all != 25 {
				t.Errorf("%s finds %d toner tickets, want 25", email, all)
			}
		}
	}
}
