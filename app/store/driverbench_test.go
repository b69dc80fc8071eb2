//go:build driverbench

// Benchmarks comparing the two SQLite drivers on Atrium's own hot paths. The
// build tag keeps cgo (which mattn/go-sqlite3 needs) out of `go test ./...`.
// docs/sqlite-driver.md has the commands and the figures.
//
//	go test -tags driverbench -run '^$' -bench . -benchmem -count 6 ./app/store/
package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// mattnDriver is store.Modernc's configuration in mattn/go-sqlite3's DSN keys
// (README of v1.14.53, "Connection String"): _busy_timeout, _foreign_keys,
// _journal_mode, _synchronous, _txlock and _query_only. store.Open reads the
// pragmas back, so a key mattn did not apply fails the benchmark's setup.
var mattnDriver = store.Driver{Name: "sqlite3", DSN: func(path string, readOnly bool) string {
	q := "_busy_timeout=10000&_foreign_keys=on&_journal_mode=WAL&_synchronous=NORMAL"
	if readOnly {
		q += "&_query_only=1"
	} else {
		q += "&_txlock=immediate"
	}
	return "file:" + path + "?" + q
}}

var benchDrivers = []struct {
	name   string
	driver store.Driver
}{
	{"modernc", store.Modernc},
	{"mattn", mattnDriver},
}

const (
	benchUsers           = 200
	benchSessionsPerUser = 10 // 2,000 sessions
)

// benchFixture is one seeded database: a tenant with 200 users (150 members
// holding capabilities, 50 external users with module settings) and 2,000
// live sessions.
type benchFixture struct {
	db       *store.DB
	s        *store.Scoped
	tenantID int64
	emails   []string
	userIDs  []int64
	tokens   []string
	sessions auth.Sessions
}

func seedBench(b *testing.B, d store.Driver) *benchFixture {
	b.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), d)
	if err != nil {
		b.Fatalf("open with %s: %v", d.Name, err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	tn := newTenant(b, db, "bench")
	// A fixed clock a second after seeding: lookups never find a session
	// idle long enough to be touched, so the lookup benchmark measures the
	// read every request does, not the once-a-minute write.
	now := time.Now().UTC()
	f := &benchFixture{
		db: db, s: db.Tenant(tn.ID), tenantID: tn.ID,
		sessions: auth.Sessions{Idle: 8 * time.Hour, Absolute: 30 * 24 * time.Hour, Now: func() time.Time { return now.Add(time.Second) }},
	}
	allCaps := policy.Capabilities
	err = f.s.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		for i := range benchUsers {
			n := people.NewUser{
				Email: fmt.Sprintf("user%03d@example.com", i), Name: fmt.Sprintf("User %03d", i),
				Status: people.Active, PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
			}
			if i%4 == 3 {
				n.Kind = policy.ExternalViewer
			} else {
				n.Kind = policy.Member
				n.Capabilities = allCaps[i%3 : i%3+1+i%3] // 1 to 3 capabilities
			}
			u, err := people.CreateUser(ctx, tx, n)
			if err != nil {
				return err
			}
			if n.Kind == policy.ExternalViewer {
				mods := []people.UserModule{
					{UserID: u.ID, Page: policy.PageTickets, Show: true, Label: "Support"},
					{UserID: u.ID, Page: policy.PageReports, Show: true},
					{UserID: u.ID, Page: policy.PageContacts, Show: false},
					{UserID: u.ID, Page: policy.PagePlan, Show: true, Label: "Roadmap"},
				}
				if _, err := tx.Insert(&mods).Exec(ctx); err != nil {
					return err
				}
			}
			f.emails = append(f.emails, u.Email)
			f.userIDs = append(f.userIDs, u.ID)
		}
		for i := range benchUsers * benchSessionsPerUser {
			tok, _, err := f.sessions.Create(ctx, tx, f.userIDs[i%benchUsers], fmt.Sprintf("198.51.100.%d", i%250),
				"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36")
			if err != nil {
				return err
			}
			f.tokens = append(f.tokens, tok)
		}
		return nil
	})
	if err != nil {
		b.Fatalf("seed with %s: %v", d.Name, err)
	}
	// Start every sub-benchmark from a checkpointed WAL, as a running server would be.
	if _, err := db.W.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		b.Fatal(err)
	}
	return f
}

// eachDriver seeds a database per driver and runs fn as the sub-benchmark
// BenchmarkX/modernc or BenchmarkX/mattn.
func eachDriver(b *testing.B, fn func(b *testing.B, f *benchFixture)) {
	for _, d := range benchDrivers {
		f := seedBench(b, d.driver)
		b.Run(d.name, func(b *testing.B) {
			b.ReportAllocs()
			fn(b, f)
		})
	}
}

// BenchmarkSessionLookup is the read every signed-in request does.
func BenchmarkSessionLookup(b *testing.B) {
	eachDriver(b, func(b *testing.B, f *benchFixture) {
		ctx := context.Background()
		i := 0
		for b.Loop() {
			if _, err := f.sessions.Lookup(ctx, f.s, f.tokens[i%len(f.tokens)]); err != nil {
				b.Fatal(err)
			}
			i += 7919 // a prime stride: no two neighbouring lookups hit the same page
		}
	})
}

// BenchmarkUserByEmail loads a user with capabilities and modules (sign-in,
// and every request's actor): three queries, one with two has-many relations.
func BenchmarkUserByEmail(b *testing.B) {
	eachDriver(b, func(b *testing.B, f *benchFixture) {
		ctx := context.Background()
		i := 0
		for b.Loop() {
			u, err := people.UserByEmail(ctx, f.s, f.emails[i%len(f.emails)])
			if err != nil {
				b.Fatal(err)
			}
			if len(u.Capabilities)+len(u.Modules) == 0 {
				b.Fatalf("user %s loaded without capabilities or modules", u.Email)
			}
			i += 13
		}
	})
}

// BenchmarkSessionCreate is the write at every sign-in: one INSERT in autocommit.
func BenchmarkSessionCreate(b *testing.B) {
	eachDriver(b, func(b *testing.B, f *benchFixture) {
		ctx := context.Background()
		i := 0
		for b.Loop() {
			if _, _, err := f.sessions.Create(ctx, f.s, f.userIDs[i%len(f.userIDs)], "203.0.113.7", "Mozilla/5.0 bench"); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkLoginFail counts a failed sign-in: one BEGIN IMMEDIATE
// transaction with two counting upserts (INSERT … ON CONFLICT … RETURNING).
func BenchmarkLoginFail(b *testing.B) {
	eachDriver(b, func(b *testing.B, f *benchFixture) {
		ctx := context.Background()
		lim := &auth.Limiter{DB: f.db, PerAddress: 1 << 30, PerAccount: 1 << 30, Window: 15 * time.Minute}
		keys := make([][2]string, 1000)
		for i := range keys {
			keys[i] = [2]string{
				auth.AddressKey(fmt.Sprintf("192.0.2.%d", i%200)),
				auth.AccountKey(f.tenantID, f.emails[i%len(f.emails)]),
			}
		}
		i := 0
		for b.Loop() {
			k := keys[i%len(keys)]
			if _, err := lim.Reserve(ctx, k[0], k[1]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkMixedParallel is concurrent traffic: 8×GOMAXPROCS goroutines (16
// on a 2-CPU machine), 90% session lookups through the reader pool and 10%
// session creates queued on the single writer. ns/op is wall time per operation.
func BenchmarkMixedParallel(b *testing.B) {
	eachDriver(b, func(b *testing.B, f *benchFixture) {
		ctx := context.Background()
		b.SetParallelism(8)
		b.RunParallel(func(pb *testing.PB) {
			r := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
			for pb.Next() {
				if r.IntN(10) == 0 {
					if _, _, err := f.sessions.Create(ctx, f.s, f.userIDs[r.IntN(len(f.userIDs))], "203.0.113.9", "Mozilla/5.0 bench"); err != nil {
						b.Error(err)
						return
					}
					continue
				}
				if _, err := f.sessions.Lookup(ctx, f.s, f.tokens[r.IntN(len(f.tokens))]); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
