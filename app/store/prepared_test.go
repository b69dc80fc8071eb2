package store_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/store/storetest"
)

type statementCounter struct{ n atomic.Int64 }

func (c *statementCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}
func (c *statementCounter) AfterQuery(context.Context, *bun.QueryEvent) { c.n.Add(1) }

// TestPreparedReads: a prepared read answers what the same read written by
// Bun answers, for every argument, in its tenant only, concurrently (each
// connection keeps its compiled statement), and the query hooks see it.
func TestPreparedReads(t *testing.T) {
	ctx := context.Background()
	d := storetest.New(t)
	other := d.DB.Tenant(d.NewTenant(t, "beta").ID)
	var users []*people.User
	for i := range 8 {
		users = append(users, newUser(t, d.Acme, fmt.Sprintf("user%d@example.com", i)))
	}
	ghost := newUser(t, other, "user0@example.com") // the same address in another tenant
	counter := &statementCounter{}
	d.DB.R.AddQueryHook(counter)

	byEmail := func(email string) (*people.User, error) {
		u := new(people.User)
		pctx, q, arg := d.Acme.PreparedSelect(ctx, u, email)
		err := q.Where("u.email = ?", arg(0)).Scan(pctx)
		return u, err
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8*50)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				want := users[(w+i)%len(users)]
				got, err := byEmail(want.Email)
				switch {
				case err != nil:
					errs <- err
				case got.ID != want.ID || got.TenantID != d.Acme.TenantID():
					errs <- fmt.Errorf("%s: got user %d of tenant %d, want %d", want.Email, got.ID, got.TenantID, want.ID)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if _, err := byEmail("nobody@example.com"); err == nil {
		t.Error("an unknown address finds a user")
	}
	if u, err := byEmail(ghost.Email); err != nil || u.TenantID != d.Acme.TenantID() {
		t.Errorf("user0 in acme: %v, tenant %d", err, u.TenantID)
	}
	if n := counter.n.Load(); n != 8*50+2 {
		t.Errorf("the hooks saw %d statements, want %d", n, 8*50+2)
	}

	// A raw prepared read with its arguments in order.
	var n int
	pctx, q := d.Acme.PreparedRaw(ctx, "SELECT count(*) FROM users WHERE tenant_id = ? AND email LIKE ?", d.Acme.TenantID(), "user%")
	if err := q.Scan(pctx, &n); err != nil || n != 8 {
		t.Errorf("raw prepared count: %d, %v; want 8", n, err)
	}
	// The same context does not lend its arguments to a second statement.
	var m int
	if err := d.DB.R.NewRaw("SELECT count(*) FROM users WHERE email = 'user1@example.com'").Scan(pctx, &m); err != nil || m != 1 {
		t.Errorf("a plain read on a used context: %d, %v", m, err)
	}
}
