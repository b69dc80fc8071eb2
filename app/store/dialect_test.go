package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/articles"
	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/markdown"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/store/storetest"
)

// The tests of this file are what the two dialects must agree on. They run
// on SQLite, and on PostgreSQL when ATRIUM_TEST_DATABASE_URL is set (.ci/run
// runs both): full-text search, dates, booleans, JSON, RETURNING, upserts
// and locks.

// probe is a scratch table of the values domain models store.
type probe struct {
	bun.BaseModel `bun:"table:dialect_probes"`
	ID            int64     `bun:"id,pk,autoincrement"`
	Name          string    `bun:"name,notnull,unique"`
	At            time.Time `bun:"at,notnull"`
	Flag          bool      `bun:"flag,notnull"`
	Tags          []string  `bun:"tags"`
	Count         int64     `bun:"count,notnull"`
}

func probeTable(t *testing.T, d *storetest.DB) {
	t.Helper()
	if _, err := d.DB.W.NewCreateTable().Model((*probe)(nil)).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestDialectValuesRoundTrip: an insert returns its ID; a time comes back
// the same instant in UTC to the microsecond; booleans and JSON lists
// come back as stored.
func TestDialectValuesRoundTrip(t *testing.T) {
	d := storetest.New(t)
	probeTable(t, d)
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 4, 5, 6, 123456000, time.UTC)
	p := &probe{Name: "a", At: at, Flag: true, Tags: []string{"x", "y"}}
	if _, err := d.DB.W.NewInsert().Model(p).Exec(ctx); err != nil || p.ID == 0 {
		t.Fatalf("insert: id %d, %v", p.ID, err)
	}
	var got probe
	if err := d.DB.R.NewSelect().Model(&got).Where("id = ?", p.ID).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if !got.At.Equal(at) || got.At.UTC() != at || !got.Flag || len(got.Tags) != 2 || got.Tags[1] != "y" {
		t.Errorf("%s: stored %+v, read %+v", d.DB.Dialect, p, got)
	}
	var n int
	if err := d.DB.R.NewSelect().Model((*probe)(nil)).Where("flag = ?", true).Where("at < ?", at.Add(time.Microsecond)).ColumnExpr("count(*)").Scan(ctx, &n); err != nil || n != 1 {
		t.Errorf("%s: comparing a boolean and a time: %d, %v", d.DB.Dialect, n, err)
	}
}

// TestDialectUpsert: INSERT … ON CONFLICT … DO UPDATE adds to the row that
// is there, in one statement, and reports the row's new value.
func TestDialectUpsert(t *testing.T) {
	d := storetest.New(t)
	probeTable(t, d)
	ctx := context.Background()
	for i := 1; i <= 3; i++ {
		p := &probe{Name: "hits", At: time.Now().UTC(), Count: 1}
		_, err := d.DB.W.NewInsert().Model(p).On("CONFLICT (name) DO UPDATE").Set("count = ?TableAlias.count + 1").Returning("count").Exec(ctx)
		if err != nil || p.Count != int64(i) {
			t.Fatalf("%s: upsert %d: count %d, %v", d.DB.Dialect, i, p.Count, err)
		}
	}
}

// TestDialectTextSearch: what a person types finds every article holding
// all of its words, the last one as a prefix, through the dialect's index
// (FTS5 or a tsvector), and nothing when only some words match.
func TestDialectTextSearch(t *testing.T) {
	d := storetest.New(t)
	ctx := context.Background()
	by := articles.By{Actor: policy.Operator(d.Tenant.ID), Who: audit.Who{}}
	md := markdown.New()
	pub := true
	for _, a := range [][2]string{{"Resetting your VPN token", "Open the portal and choose Reset."}, {"Printer drivers", "Download the driver for your printer."}} {
		title, body := a[0], a[1]
		if _, err := articles.Create(ctx, d.Acme, md, by, articles.Input{Title: &title, Body: &body, Published: &pub}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		q    string
		want int
	}{
		{"vpn", 1}, {"VPN tok", 1}, {"token printer", 0}, {"driv", 1}, {"your", 2}, {"reset portal", 1}, {"nothing-here", 0},
	} {
		got, _, err := articles.List(ctx, d.Acme, by.Actor, articles.Query{Q: c.q}, store.Page{})
		if err != nil || len(got) != c.want {
			t.Errorf("%s: search %q found %d, want %d (%v)", d.DB.Dialect, c.q, len(got), c.want, err)
		}
	}
}

// TestDialectTenantLock: LockTenant orders two transactions of one tenant:
// the second waits until the first ends.
func TestDialectTenantLock(t *testing.T) {
	d := storetest.New(t)
	ctx := context.Background()
	var first atomic.Bool
	locked := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_ = d.Acme.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
			if err := tx.LockTenant(ctx); err != nil {
				t.Error(err)
			}
			close(locked)
			time.Sleep(150 * time.Millisecond)
			first.Store(true)
			return nil
		})
	}()
	<-locked
	err := d.Acme.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if err := tx.LockTenant(ctx); err != nil {
			return err
		}
		if !first.Load() {
			t.Errorf("%s: the second transaction went past the lock while the first held it", d.DB.Dialect)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	wg.Wait()
}

// TestDialectExclusive: Exclusive never lets two holders of one name run
// at once (on PostgreSQL, through pg_advisory_lock across connections).
func TestDialectExclusive(t *testing.T) {
	d := storetest.New(t)
	ctx := context.Background()
	var inside, most atomic.Int32
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := d.DB.Exclusive(ctx, "probe", func(context.Context) error {
				n := inside.Add(1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				time.Sleep(20 * time.Millisecond)
				inside.Add(-1)
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if most.Load() != 1 {
		t.Errorf("%s: %d holders at once", d.DB.Dialect, most.Load())
	}
}
