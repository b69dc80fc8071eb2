package auth_test

import (
	"context"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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
