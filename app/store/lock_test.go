package store_test

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/store"
)

// What SQLite can and cannot prove about LockTenant.
//
// The store's writer has one connection and starts every transaction with
// BEGIN IMMEDIATE, so on SQLite two write transactions never overlap whether
// or not they call LockTenant: a concurrent test of a rule that relies on the
// lock (TestLastSuperAdminConcurrent in app/web) passes with the lock
// removed. PostgreSQL runs transactions side by side and only the row lock
// orders them; the PostgreSQL run of that test (a later issue) is what
// proves the rule under real concurrency.
//
// What these tests prove on SQLite: LockTenant runs inside the transaction
// and nowhere else, its statement writes exactly the tenant's own row (the
// statement that takes a row lock on PostgreSQL), and, with transactions
// that do not start IMMEDIATE, a second transaction's LockTenant waits until
// the first transaction that locked ends. In app/useradmin,
// TestChangesThatCanRemoveASuperAdminLockFirst checks that Apply takes the
// lock before it reads.

// tenantWrites records every statement on a handle that writes the tenants
// table, with the rows it affected.
type tenantWrites struct {
	mu   sync.Mutex
	seen []tenantWrite
}

type tenantWrite struct {
	query string
	rows  int64
	err   error
}

func (w *tenantWrites) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

func (w *tenantWrites) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	if !strings.HasPrefix(strings.ToUpper(strings.TrimSpace(e.Query)), "UPDATE TENANTS") {
		return
	}
	tw := tenantWrite{query: e.Query, err: e.Err}
	if e.Result != nil {
		tw.rows, _ = e.Result.RowsAffected()
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.seen = append(w.seen, tw)
}

func (w *tenantWrites) take() []tenantWrite {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.seen
	w.seen = nil
	return out
}

// TestLockTenantWritesItsRowInsideATransaction: outside a transaction
// LockTenant fails without running anything; inside one (Scoped.Tx, or
// DB.InTx in a platform transaction) it runs one UPDATE that affects exactly
// the tenant's own row, and leaves the row's values as they were.
func TestLockTenantWritesItsRowInsideATransaction(t *testing.T) {
	ctx := context.Background()
	db, _ := openDB(t)
	a, b := newTenant(t, db, "acme"), newTenant(t, db, "globex")
	writes := &tenantWrites{}
	db.W.AddQueryHook(writes)
	var updatedAt string
	if err := db.R.QueryRowContext(ctx, "SELECT CAST(updated_at AS TEXT) FROM tenants WHERE id = ?", a.ID).Scan(&updatedAt); err != nil {
		t.Fatal(err)
	}

	if err := db.Tenant(a.ID).LockTenant(ctx); err == nil {
		t.Error("LockTenant outside a transaction succeeded: it locks nothing there")
	}
	if got := writes.take(); len(got) != 0 {
		t.Errorf("LockTenant outside a transaction wrote the tenants table: %+v", got)
	}

	check := func(how string, lock func() error) {
		t.Helper()
		if err := lock(); err != nil {
			t.Fatalf("%s: %v", how, err)
		}
		got := writes.take()
		if len(got) != 1 || got[0].err != nil || got[0].rows != 1 {
			t.Fatalf("%s: writes to tenants %+v, want one statement affecting one row", how, got)
		}
	}
	check("Scoped.Tx", func() error {
		return db.Tenant(a.ID).Tx(ctx, func(ctx context.Context, tx *store.Scoped) error { return tx.LockTenant(ctx) })
	})
	check("DB.InTx", func() error {
		return db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error { return db.InTx(tx, a.ID).LockTenant(ctx) })
	})

	// The row written is the handle's tenant's, and only its values stay.
	var n int
	if err := db.R.QueryRowContext(ctx, "SELECT count(*) FROM tenants WHERE id = ? AND CAST(updated_at AS TEXT) = ?", a.ID, updatedAt).Scan(&n); err != nil || n != 1 {
		t.Errorf("the lock changed the tenant's row (%d rows as before, err %v)", n, err)
	}
	if _, err := db.W.ExecContext(ctx, `CREATE TABLE lock_log (tenant_id INTEGER NOT NULL);
		CREATE TRIGGER lock_logged AFTER UPDATE ON tenants BEGIN INSERT INTO lock_log VALUES (NEW.id); END`); err != nil {
		t.Fatal(err)
	}
	if err := db.Tenant(b.ID).Tx(ctx, func(ctx context.Context, tx *store.Scoped) error { return tx.LockTenant(ctx) }); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	rows, err := db.R.QueryContext(ctx, "SELECT tenant_id FROM lock_log")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if len(ids) != 1 || ids[0] != b.ID {
		t.Errorf("locking tenant %d wrote the rows of tenants %v", b.ID, ids)
	}
}

// deferred is the default driver with transactions that start DEFERRED: a
// transaction takes the write lock at its first write, not at BEGIN. That is
// the closest SQLite comes to PostgreSQL, where BEGIN locks nothing and only
// the first transaction's lock makes a second one wait.
var deferred = store.Driver{Name: store.Modernc.Name, DSN: func(path string, readOnly bool) string {
	dsn := store.Modernc.DSN(path, readOnly)
	base, query, _ := strings.Cut(dsn, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		panic(err)
	}
	q.Del("_txlock")
	return base + "?" + q.Encode()
}}

// TestLockTenantHoldsUntilTheTransactionEnds: with transactions that do not
// lock at BEGIN, two processes (two handles on one file) that both call
// LockTenant run one after the other: the second waits in LockTenant until
// the first commits. A LockTenant that only read would let the second
// through at once. On SQLite the lock is the whole database's write lock,
// not one row's; PostgreSQL's row lock is proved by its own run.
func TestLockTenantHoldsUntilTheTransactionEnds(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/atrium.db"
	tn := newTenant(t, openAt(t, path), "acme")
	open := func() *store.DB {
		db, err := store.Open(ctx, path, deferred)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	first, second := open().Tenant(tn.ID), open().Tenant(tn.ID)

	var mu sync.Mutex
	var events []string
	event := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, s)
	}
	locked, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 2)
	go func() {
		done <- first.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
			if err := tx.LockTenant(ctx); err != nil {
				close(locked)
				return err
			}
			event("first locked")
			close(locked)
			<-release
			event("first ends")
			return nil
		})
	}()
	<-locked
	go func() {
		done <- second.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
			if err := tx.LockTenant(ctx); err != nil {
				return err
			}
			event("second locked")
			return nil
		})
	}()
	// Give the second transaction time to get through if nothing holds it.
	time.Sleep(300 * time.Millisecond)
	close(release)
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if want := []string{"first locked", "first ends", "second locked"}; strings.Join(events, ", ") != strings.Join(want, ", ") {
		t.Errorf("events %q, want %q", events, want)
	}
}
