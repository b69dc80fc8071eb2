package store_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// migrationNames lists the migration files (*.sql) directly in dir, sorted.
func migrationNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names
}

// TestPostgresMigrationsMatchSQLite: every SQLite migration has a
// PostgreSQL migration of the same file name (version, comment, .tx. or
// not) and the other way round, so both dialects reach the same schema
// version by version. No database is needed.
func TestPostgresMigrationsMatchSQLite(t *testing.T) {
	sqlite := migrationNames(t, "migrations")
	postgres := migrationNames(t, filepath.Join("migrations", "postgres"))
	if len(sqlite) == 0 {
		t.Fatal("no SQLite migrations in migrations/")
	}
	for _, name := range sqlite {
		if !slices.Contains(postgres, name) {
			t.Errorf("migrations/%s has no PostgreSQL counterpart migrations/postgres/%s", name, name)
		}
	}
	for _, name := range postgres {
		if !slices.Contains(sqlite, name) {
			t.Errorf("migrations/postgres/%s has no SQLite counterpart migrations/%s", name, name)
		}
	}
}
