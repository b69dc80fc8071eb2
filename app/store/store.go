// Package store opens Atrium's database and hands out tenant-bound handles.
//
// Two databases are supported with one set of domain code: SQLite, a file
// in the data directory (the default), and PostgreSQL, for several
// instances behind a load balancer. What differs between them (DDL,
// full-text search, locks, snapshots) lives in this package.
//
// SQLite allows one writer at a time. To keep writes from ever failing with
// SQLITE_BUSY under concurrent requests, the store keeps two Bun handles over
// the same file: a writer with exactly one connection whose transactions
// start with BEGIN IMMEDIATE, and a pool of read-only readers. WAL lets the
// readers run while the writer writes.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"

	// modernc.org/sqlite is the driver Atrium ships with: pure Go, so the
	// release binary builds with CGO_ENABLED=0. docs/sqlite-driver.md has the
	// measurements against mattn/go-sqlite3 that decided it.
	_ "modernc.org/sqlite"
)

// Driver names a database/sql SQLite driver and knows its DSN syntax.
type Driver struct {
	// Name is the name the driver registered with database/sql.
	Name string
	// DSN builds the connection string for path; readOnly connections refuse writes.
	DSN func(path string, readOnly bool) string
}

// busyTimeoutMS is how long a connection waits for a lock before giving up.
const busyTimeoutMS = 10000

// Modernc is the pure-Go driver, the default.
var Modernc = Driver{Name: "sqlite", DSN: func(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	// NORMAL in WAL mode survives a crash of the process; only a power loss
	// may drop the last commits. The fsync per commit of FULL costs more than
	// a self-hosted portal gains from it.
	q.Add("_pragma", "synchronous(NORMAL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}}

// Dialect is which database a DB talks to.
type Dialect uint8

// The dialects.
const (
	SQLite Dialect = iota
	Postgres
)

func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// DB is the opened database. On SQLite: one writer connection and a reader
// pool over the file. On PostgreSQL, one pool that is both: the server
// runs writers side by side.
type DB struct {
	// W is the handle that writes. On SQLite it has one connection, so
	// writes queue in Go instead of failing in SQLite.
	W *bun.DB
	// R is the read-only pool (on PostgreSQL, the same pool as W).
	R *bun.DB
	// Dialect says which database this is.
	Dialect Dialect
	// exclusive holds Exclusive's locks on SQLite, whose file belongs to
	// one process: name → *sync.Mutex.
	exclusive sync.Map
}

// IsPostgres reports whether a database URL names a PostgreSQL server.
func IsPostgres(url string) bool {
	u := strings.ToLower(url)
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
}

// poolSize is the PostgreSQL pool of one instance: enough for the
// requests one 2-core machine serves at once, and small enough that a few
// instances stay under the server's max_connections (100 by default).
const poolSize = 20

// OpenPostgres connects to the PostgreSQL database at url
// (postgres://user:password@host:port/database?sslmode=…) through pgx and
// checks that it answers. It does not migrate.
func OpenPostgres(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		// pgx's message can quote the URL, password and all: say less.
		return nil, errors.New("store: the database URL is not a valid postgres:// URL")
	}
	sqldb := stdlib.OpenDB(*cfg)
	sqldb.SetMaxOpenConns(poolSize)
	sqldb.SetMaxIdleConns(poolSize)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	// A tsvector column (articles.search) is the index's, not the model's:
	// a "t.*" select must not fail on it.
	db := bun.NewDB(sqldb, pgdialect.New(), bun.WithDiscardUnknownColumns())
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: connect to PostgreSQL at %s:%d: %w", cfg.Host, cfg.Port, err)
	}
	return &DB{W: db, R: db, Dialect: Postgres}, nil
}

// Open opens (and creates) the SQLite file at path with driver, checks the
// pragmas on both handles, and returns the store. It does not migrate.
func Open(ctx context.Context, path string, driver Driver) (*DB, error) {
	w, err := openPreparing(driver, driver.DSN(path, false))
	if err != nil {
		return nil, fmt.Errorf("store: open writer: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err := openPreparing(driver, driver.DSN(path, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open readers: %w", err)
	}
	n := max(4, runtime.NumCPU()*2)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxIdleTime(5 * time.Minute)

	db := &DB{W: bun.NewDB(w, sqlitedialect.New()), R: bun.NewDB(r, sqlitedialect.New()), Dialect: SQLite}
	// The writer must exist first: it creates the file and switches it to WAL.
	if err := checkPragmas(ctx, db.W, false); err != nil {
		db.Close()
		return nil, err
	}
	if err := checkPragmas(ctx, db.R, true); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// openPreparing opens a pool of driver's connections to dsn that keep the
// statements of prepared reads (prepared.go).
func openPreparing(driver Driver, dsn string) (*sql.DB, error) {
	probe, err := sql.Open(driver.Name, dsn)
	if err != nil {
		return nil, err
	}
	drv := probe.Driver()
	probe.Close()
	return sql.OpenDB(&preparingConnector{drv: drv, dsn: dsn}), nil
}

// checkPragmas reads the settings back from a pooled connection and refuses
// to start when the DSN did not take effect (drivers ignore keys they do not know).
func checkPragmas(ctx context.Context, db *bun.DB, readOnly bool) error {
	var journal string
	var fk, busy, queryOnly int
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&journal); err != nil {
		return fmt.Errorf("store: read journal_mode: %w", err)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
		return fmt.Errorf("store: read foreign_keys: %w", err)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
		return fmt.Errorf("store: read busy_timeout: %w", err)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA query_only").Scan(&queryOnly); err != nil {
		return fmt.Errorf("store: read query_only: %w", err)
	}
	switch {
	case journal != "wal":
		return fmt.Errorf("store: journal_mode is %q, want wal", journal)
	case fk != 1:
		return errors.New("store: foreign_keys is off")
	case busy < 1000:
		return fmt.Errorf("store: busy_timeout is %d ms", busy)
	case readOnly != (queryOnly == 1):
		return fmt.Errorf("store: query_only is %d on a handle with readOnly=%v", queryOnly, readOnly)
	}
	return nil
}

// Close closes both handles.
func (db *DB) Close() error {
	if db.R == db.W {
		return db.W.Close()
	}
	return errors.Join(db.R.Close(), db.W.Close())
}

// Ping checks that the database answers; /readyz uses it.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.R.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Tenant returns a handle whose every query is bound to tenant id.
func (db *DB) Tenant(id int64) *Scoped {
	return &Scoped{db: db, tenantID: id, r: db.R, w: db.W}
}

// Tx runs fn in one write transaction (on SQLite BEGIN IMMEDIATE, on the writer).
// Platform-level code (tenants, the demo seed) uses it; tenant data goes
// through Scoped.Tx.
func (db *DB) Tx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	return db.W.RunInTx(ctx, nil, fn)
}

// ErrNoSnapshot is Snapshot on PostgreSQL, whose backups are pg_dump's.
var ErrNoSnapshot = errors.New("store: snapshots are for SQLite; back up PostgreSQL with pg_dump")

// Snapshot writes a consistent copy of the live SQLite database to path.
func (db *DB) Snapshot(ctx context.Context, path string) error {
	if db.Dialect == Postgres {
		return ErrNoSnapshot
	}
	if _, err := db.W.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("store: snapshot to %s: %w", path, err)
	}
	return nil
}
