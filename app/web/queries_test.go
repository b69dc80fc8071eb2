package web_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/uptrace/bun"
)

// queryLog counts the statements a request runs.
type queryLog struct {
	mu    sync.Mutex
	on    bool
	stmts []string
}

func (q *queryLog) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (q *queryLog) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.on {
		q.stmts = append(q.stmts, e.Query)
	}
}

// during returns the statements run while fn ran.
func (q *queryLog) during(fn func()) []string {
	q.mu.Lock()
	q.on, q.stmts = true, nil
	q.mu.Unlock()
	fn()
	q.mu.Lock()
	defer q.mu.Unlock()
	q.on = false
	return q.stmts
}

func watchQueries(e *env) *queryLog {
	q := &queryLog{}
	e.db.R.AddQueryHook(q)
	if e.db.W != e.db.R {
		e.db.W.AddQueryHook(q)
	}
	return q
}

// TestQueriesBeforeThePage: a signed-in request runs three statements
// before its page's own work — the tenant with its hosts, the session
// with its user, the user's rights — for every kind of user; /api/v1/me
// has no other work.
func TestQueriesBeforeThePage(t *testing.T) {
	e := newEnv(t, nil)
	q := watchQueries(e)
	for _, email := range []string{"ada@acme.test", "erin@globex.test", "carol@globex.test", "victor@globex.test"} {
		c := e.client("acme.localhost").mustLogin(email, "demo-pass-1")
		var status int
		stmts := q.during(func() { status = c.get("/api/v1/me").status })
		if status != 200 || len(stmts) > 3 {
			t.Errorf("%s: /api/v1/me answered %d after %d statements:\n%s", email, status, len(stmts), strings.Join(stmts, "\n"))
		}
	}
}

// TestNoQueryPerRow: the main lists run as many statements for a few rows
// as for many (no statement per ticket, watcher, user or company).
func TestNoQueryPerRow(t *testing.T) {
	e := newEnv(t, nil)
	q := watchQueries(e)
	erin := e.client("acme.localhost").mustLogin("erin@globex.test", "demo-pass-1")
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	pages := []string{"/", "/tickets", "/api/v1/tickets", "/reports", "/kb"}
	count := func(c *client) map[string]int {
		out := map[string]int{}
		for _, p := range pages {
			out[p] = len(q.during(func() { c.get(p) }))
		}
		return out
	}
	var before map[string]int
	globex := lookupID(t, e, "company", "acme", "Globex Corporation")
	board := boardID(t, e, "acme", "Service Desk")
	erinID := userID(t, e, "acme", "erin@globex.test")
	for i := range 12 {
		if i == 1 {
			// Counted with one ticket of each shape (a watcher, a contact)
			// there: a list that has none skips their lookups altogether.
			// The first pass fills the server's settings cache.
			count(erin)
			before = count(erin)
		}
		r := ada.api("POST", "/api/v1/tickets", map[string]any{"title": "Another one " + strings.Repeat("x", i), "board_id": board, "company_id": globex, "contact_id": erinID})
		if r.status != 201 {
			t.Fatalf("ticket: %d %s", r.status, r.body)
		}
		id := r.json(t)["id"]
		if r := ada.api("POST", ticketPath(int64(id.(float64)), "/watchers"), map[string]any{"user_id": userID(t, e, "acme", "victor@globex.test")}); r.status != 201 && r.status != 200 {
			t.Fatalf("watcher: %d %s", r.status, r.body)
		}
	}
	after := count(erin)
	for _, p := range pages {
		if after[p] != before[p] {
			t.Errorf("%s: %d statements, %d with 11 more tickets", p, before[p], after[p])
		}
	}
	t.Logf("statements per page for erin: %v", after)
}
