package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/store"
)

// EnvURL names the variable that runs the tests on PostgreSQL: the URL of
// a server where the tests may create and drop databases (scripts/pg-cluster.sh
// starts one). Without it every test runs on SQLite and needs nothing installed.
const EnvURL = "ATRIUM_TEST_DATABASE_URL"

// PostgresURL is the server the tests run on, "" for SQLite.
func PostgresURL() string { return os.Getenv(EnvURL) }

// OnPostgres reports whether the tests run on PostgreSQL.
func OnPostgres() bool { return PostgresURL() != "" }

// withDatabase is the server URL with its database path replaced by name.
func withDatabase(server, name string) (string, error) {
	u, err := url.Parse(server)
	if err != nil {
		return "", fmt.Errorf("storetest: %s: %w", EnvURL, err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

// randomName is prefix, the time and a random part: the time lets a later
// run drop what a killed run left behind (dropStale).
func randomName(prefix string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s%d_%s", prefix, time.Now().Unix(), hex.EncodeToString(b))
}

// staleAfter is the age past which a test database is a leftover: no test
// binary runs this long.
const staleAfter = 2 * time.Hour

// dropStale drops the test databases of runs that ended without dropping
// theirs: every template (a binary cannot drop its own at exit) and the
// databases of killed tests, once older than staleAfter.
func dropStale(ctx context.Context) {
	db, err := store.OpenPostgres(ctx, PostgresURL())
	if err != nil {
		return
	}
	defer db.Close()
	var names []string
	if err := db.R.NewRaw("SELECT datname FROM pg_database WHERE datname LIKE 'atrium_t%'").Scan(ctx, &names); err != nil {
		return
	}
	for _, n := range names {
		rest := strings.TrimPrefix(strings.TrimPrefix(n, "atrium_tpl_"), "atrium_t_")
		stamp, _, _ := strings.Cut(rest, "_")
		if sec, err := strconv.ParseInt(stamp, 10, 64); err == nil && time.Since(time.Unix(sec, 0)) > staleAfter {
			_, _ = db.W.ExecContext(ctx, "DROP DATABASE IF EXISTS "+n+" WITH (FORCE)")
		}
	}
}

// admin runs one statement on the server's maintenance database.
func admin(ctx context.Context, stmt string) error {
	db, err := store.OpenPostgres(ctx, PostgresURL())
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.W.ExecContext(ctx, stmt)
	return err
}

// A Template is a PostgreSQL database built once per test binary (by
// build, on a fresh database) from which each test copies its own
// database: CREATE DATABASE … TEMPLATE is far faster than migrating and
// seeding again.
type Template struct {
	Build func(ctx context.Context, db *store.DB) error
	once  sync.Once
	name  string
	err   error
}

func (tp *Template) make(ctx context.Context) (string, error) {
	tp.once.Do(func() {
		dropStale(ctx)
		tp.name = randomName("atrium_tpl_")
		if tp.err = admin(ctx, "CREATE DATABASE "+tp.name); tp.err != nil {
			return
		}
		u, err := withDatabase(PostgresURL(), tp.name)
		if err != nil {
			tp.err = err
			return
		}
		db, err := store.OpenPostgres(ctx, u)
		if err != nil {
			tp.err = err
			return
		}
		// No connection may stay on a template while it is copied.
		defer db.Close()
		tp.err = tp.Build(ctx, db)
	})
	return tp.name, tp.err
}

// Fresh creates a database copied from tp for test t and returns its URL;
// it is dropped when the test ends (after the test's own cleanups, so
// close the handles first with t.Cleanup registered after this call).
func (tp *Template) Fresh(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	tpl, err := tp.make(ctx)
	if err != nil {
		t.Fatalf("storetest: template database: %v", err)
	}
	name := randomName("atrium_t_")
	if err := admin(ctx, "CREATE DATABASE "+name+" TEMPLATE "+tpl); err != nil {
		t.Fatalf("storetest: create database: %v", err)
	}
	t.Cleanup(func() {
		if err := admin(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("storetest: drop database %s: %v", name, err)
		}
	})
	u, err := withDatabase(PostgresURL(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// empty is a template with nothing in it.
var empty = Template{Build: func(context.Context, *store.DB) error { return nil }}

// EmptyPostgres creates an empty PostgreSQL database for test t (dropped
// when it ends) and returns its URL; the test is skipped on SQLite.
func EmptyPostgres(t testing.TB) string {
	t.Helper()
	if !OnPostgres() {
		t.Skip("needs PostgreSQL: set " + EnvURL + " (scripts/pg-cluster.sh starts a server)")
	}
	return empty.Fresh(t)
}
