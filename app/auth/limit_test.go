package auth_test

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/store"
)

func openDB(t *testing.T) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "atrium.db"), store.Modernc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestReserveIsAtomic: 60 parallel attempts on one account with a limit of
// 10 let exactly 10 through; checking then counting let all of them through.
func TestReserveIsAtomic(t *testing.T) {
	lim := &auth.Limiter{DB: openDB(t), PerAddress: 1000, PerAccount: 10, Window: 15 * time.Minute}
	key := auth.AccountKey(1, "ken@acme.test")
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 60; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wait, err := lim.Reserve(context.Background(), auth.AddressKey("192.0.2.1"), key)
			if err != nil {
				t.Error(err)
				return
			}
			if wait == 0 {
				allowed.Add(1)
			} else if wait > 15*time.Minute+time.Second || wait < 14*time.Minute {
				t.Errorf("wait %s, want about one window", wait)
			}
		}()
	}
	wg.Wait()
	if n := allowed.Load(); n != 10 {
		t.Errorf("%d of 60 parallel attempts allowed, want 10", n)
	}
}

// TestReserveWindow: the lock holds one window, then counting restarts;
// Release gives an attempt back, Reset forgets the key, Purge drops dead rows.
func TestReserveWindow(t *testing.T) {
	db := openDB(t)
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	lim := &auth.Limiter{DB: db, PerAddress: 3, PerAccount: 3, Window: 15 * time.Minute, Now: func() time.Time { return now }}
	ctx := context.Background()
	key := auth.AccountKey(1, "ada@acme.test")
	reserve := func() time.Duration {
		t.Helper()
		wait, err := lim.Reserve(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		return wait
	}
	for i := 0; i < 3; i++ {
		if w := reserve(); w != 0 {
			t.Fatalf("attempt %d refused: %s", i+1, w)
		}
	}
	if w := reserve(); w != 15*time.Minute {
		t.Fatalf("4th attempt: wait %s, want 15m", w)
	}
	now = now.Add(10 * time.Minute)
	if w := reserve(); w != 5*time.Minute {
		t.Errorf("during the lock: wait %s, want the lock's rest (5m), not a longer lock", w)
	}
	now = now.Add(6 * time.Minute)
	if w := reserve(); w != 0 {
		t.Errorf("after the lock: wait %s", w)
	}
	// A new window with one attempt so far: one more, given back, leaves
	// room for two more; the next is refused.
	reserve()
	if err := lim.Release(ctx, key); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if w := reserve(); w != 0 {
			t.Errorf("after a release: wait %s", w)
		}
	}
	if w := reserve(); w == 0 {
		t.Error("4th counted attempt of the new window allowed")
	}
	if err := lim.Reset(ctx, key); err != nil {
		t.Fatal(err)
	}
	if w := reserve(); w != 0 {
		t.Errorf("after a reset: wait %s", w)
	}
	// Purge keeps live counters and drops those whose window and lock ended.
	other := auth.AddressKey("192.0.2.7")
	if _, err := lim.Reserve(ctx, other); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		n, err := db.R.NewSelect().Table("login_limits").Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return int(n)
	}
	if err := lim.Purge(ctx); err != nil || count() != 2 {
		t.Fatalf("purge of live rows: %v, %d rows left", err, count())
	}
	now = now.Add(16 * time.Minute)
	if err := lim.Purge(ctx); err != nil || count() != 0 {
		t.Fatalf("purge of dead rows: %v, %d rows left", err, count())
	}
}

// TestPurposeKeysKeepTheirLimit: an address key under a purpose prefix
// ("reset:addr:…") has the per-address limit, an account key the account's.
func TestPurposeKeysKeepTheirLimit(t *testing.T) {
	lim := &auth.Limiter{DB: openDB(t), PerAddress: 5, PerAccount: 2, Window: 15 * time.Minute}
	ctx := context.Background()
	allowed := func(key string, n int) int {
		ok := 0
		for range n {
			wait, err := lim.Reserve(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			if wait == 0 {
				ok++
			}
		}
		return ok
	}
	if got := allowed("reset:"+auth.AddressKey("192.0.2.1"), 8); got != 5 {
		t.Errorf("reset address key: %d allowed, want the per-address 5", got)
	}
	if got := allowed("reset:"+auth.AccountKey(1, "ken@acme.test"), 8); got != 2 {
		t.Errorf("reset account key: %d allowed, want the per-account 2", got)
	}
	if got := allowed(auth.AddressKey("192.0.2.2"), 8); got != 5 {
		t.Errorf("address key: %d allowed, want 5", got)
	}
}

// deferredTx is the default driver with transactions that start DEFERRED:
// a transaction takes SQLite's write lock at its first write instead of at
// BEGIN, as PostgreSQL locks nothing at BEGIN. The store always begins
// IMMEDIATE, which serialises whole transactions and hides a reservation
// that reads and then writes; this driver does not.
var deferredTx = store.Driver{Name: store.Modernc.Name, DSN: func(path string, readOnly bool) string {
	base, query, _ := strings.Cut(store.Modernc.DSN(path, readOnly), "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		panic(err)
	}
	q.Del("_txlock")
	return base + "?" + q.Encode()
}}

// TestReserveIsOneStatementAcrossProcesses: two instances on one database
// file (two handles, each with its own writer connection, so nothing queues
// them in Go; the second's transactions do not lock at BEGIN) count 120
// parallel attempts on one account with a limit of 10. Every attempt is
// counted and exactly 10 go ahead. A reservation that reads the count and
// then writes it, even inside one transaction, fails here: the instance that
// read first cannot write over the other's commit (SQLite reports
// SQLITE_BUSY; PostgreSQL would silently lose the update).
func TestReserveIsOneStatementAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "atrium.db")
	first, err := store.Open(ctx, path, store.Modernc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { first.Close() })
	if _, err := first.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	second, err := store.Open(ctx, path, deferredTx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { second.Close() })

	const calls, limit = 120, 10
	limiters := []*auth.Limiter{
		{DB: first, PerAddress: 1000, PerAccount: limit, Window: 15 * time.Minute},
		{DB: second, PerAddress: 1000, PerAccount: limit, Window: 15 * time.Minute},
	}
	addr, acct := auth.AddressKey("192.0.2.1"), auth.AccountKey(1, "ken@acme.test")
	var allowed atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			wait, err := limiters[i%2].Reserve(ctx, addr, acct)
			if err != nil {
				t.Error(err)
				return
			}
			if wait == 0 {
				allowed.Add(1)
			}
		}()
	}
	close(start)
	wg.Wait()
	if n := allowed.Load(); n != limit {
		t.Errorf("%d of %d parallel attempts allowed, want %d", n, calls, limit)
	}
	for _, key := range []string{addr, acct} {
		var n int
		if err := first.R.QueryRowContext(ctx, "SELECT failures FROM login_limits WHERE key = ?", key).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != calls {
			t.Errorf("%s counted %d of %d attempts", key, n, calls)
		}
	}
}

// limitStatements counts the statements that touch login_limits on a
// handle, by operation.
type limitStatements struct {
	mu  sync.Mutex
	ops []string
}

func (s *limitStatements) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

func (s *limitStatements) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	if !strings.Contains(e.Query, "login_limits") {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ops = append(s.ops, e.Operation())
}

// TestReserveRunsOneStatementPerKey: a reservation of two keys runs exactly
// two statements on login_limits, both on the writer, and none on the
// readers: one increment-and-return per key, not a read and a write.
func TestReserveRunsOneStatementPerKey(t *testing.T) {
	db := openDB(t)
	writer, readers := &limitStatements{}, &limitStatements{}
	db.W.AddQueryHook(writer)
	db.R.AddQueryHook(readers)
	lim := &auth.Limiter{DB: db, PerAddress: 5, PerAccount: 5, Window: 15 * time.Minute}
	for range 3 { // a new key, then an existing one, then one more
		if _, err := lim.Reserve(context.Background(), auth.AddressKey("192.0.2.1"), auth.AccountKey(1, "ken@acme.test")); err != nil {
			t.Fatal(err)
		}
		if len(writer.ops) != 2 || len(readers.ops) != 0 {
			t.Fatalf("statements on login_limits: writer %q, readers %q; want two on the writer", writer.ops, readers.ops)
		}
		writer.ops = nil
	}
}

// TestAddressKeyCountsIPv6By64: every address of one /64 is one client to
// the limiter; IPv4 addresses count one by one.
func TestAddressKeyCountsIPv6By64(t *testing.T) {
	if a, b := auth.AddressKey("2001:db8:1:2::1"), auth.AddressKey("2001:db8:1:2:ffff::9"); a != b {
		t.Errorf("one /64 gives two keys: %q %q", a, b)
	}
	if a, b := auth.AddressKey("2001:db8:1:2::1"), auth.AddressKey("2001:db8:1:3::1"); a == b {
		t.Errorf("two /64s give one key %q", a)
	}
	if a, b := auth.AddressKey("192.0.2.1"), auth.AddressKey("192.0.2.2"); a == b || a != "addr:192.0.2.1" {
		t.Errorf("IPv4 keys %q %q", a, b)
	}
}
