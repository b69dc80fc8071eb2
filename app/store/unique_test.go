package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/store"
)

type pgError struct{ state string }

func (e pgError) Error() string    { return "ERROR: duplicate key (SQLSTATE " + e.state + ")" }
func (e pgError) SQLState() string { return e.state }

type stateOnly struct{ state string }

func (e stateOnly) Error() string    { return "refused" }
func (e stateOnly) SQLState() string { return e.state }

func migrated(t *testing.T) *store.DB {
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

// TestIsUniqueViolation recognises SQLite's and PostgreSQL's refusals and nothing else.
func TestIsUniqueViolation(t *testing.T) {
	ctx := context.Background()
	db := migrated(t)
	exec := func(q string) error { _, err := db.W.ExecContext(ctx, q); return err }
	if err := exec("INSERT INTO tenants (id, slug, name, app_name, created_at, updated_at) VALUES (1, 'acme', 'Acme', 'Acme', '2026-01-01', '2026-01-01')"); err != nil {
		t.Fatal(err)
	}
	dup := exec("INSERT INTO tenants (id, slug, name, app_name, created_at, updated_at) VALUES (2, 'acme', 'Acme', 'Acme', '2026-01-01', '2026-01-01')")
	notNull := exec("INSERT INTO tenants (id, slug, name, app_name, created_at, updated_at) VALUES (3, NULL, 'Acme', 'Acme', '2026-01-01', '2026-01-01')")
	for _, tt := range []struct {
		name string
		err  error
		want bool
	}{
		{"sqlite unique", dup, true},
		{"sqlite unique wrapped", fmt.Errorf("people: save: %w", dup), true},
		{"sqlite not null", notNull, false},
		{"postgres by interface", fmt.Errorf("x: %w", stateOnly{"23505"}), true},
		{"postgres by text", errors.New(`ERROR: duplicate key value violates unique constraint "teams_name_ci" (SQLSTATE 23505)`), true},
		{"postgres other state", pgError{"23503"}, false},
		{"nil", nil, false},
		{"other", errors.New("disk full"), false},
	} {
		if got := store.IsUniqueViolation(tt.err); got != tt.want {
			t.Errorf("%s: IsUniqueViolation(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}

// TestNamesUniqueIgnoringCase: the database itself refuses a second team,
// company, group or user address differing only in case, whatever code
// inserts it and however many writers there are.
func TestNamesUniqueIgnoringCase(t *testing.T) {
	ctx := context.Background()
	db := migrated(t)
	exec := func(q string) error { _, err := db.W.ExecContext(ctx, q); return err }
	for _, q := range []string{
		"INSERT INTO tenants (id, slug, name, app_name, created_at, updated_at) VALUES (1, 'acme', 'Acme', 'Acme', '2026-01-01', '2026-01-01'), (2, 'nw', 'NW', 'NW', '2026-01-01', '2026-01-01')",
		"INSERT INTO teams (tenant_id, name, kind, created_at) VALUES (1, 'Sales', 'function', '2026-01-01')",
		"INSERT INTO companies (tenant_id, name, domain, notes, created_at) VALUES (1, 'Globex', '', '', '2026-01-01')",
		"INSERT INTO company_groups (tenant_id, name) VALUES (1, 'Managed')",
		"INSERT INTO users (tenant_id, email, kind, status, created_at, updated_at) VALUES (1, 'ann@x.test', 'member', 'active', '2026-01-01', '2026-01-01')",
		// Another tenant may use the same names.
		"INSERT INTO teams (tenant_id, name, kind, created_at) VALUES (2, 'SALES', 'function', '2026-01-01')",
	} {
		if err := exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, q := range []string{
		"INSERT INTO teams (tenant_id, name, kind, created_at) VALUES (1, 'SALES', 'function', '2026-01-01')",
		"INSERT INTO companies (tenant_id, name, domain, notes, created_at) VALUES (1, 'globex', '', '', '2026-01-01')",
		"INSERT INTO company_groups (tenant_id, name) VALUES (1, 'MANAGED')",
		"INSERT INTO users (tenant_id, email, kind, status, created_at, updated_at) VALUES (1, 'Ann@X.test', 'member', 'active', '2026-01-01', '2026-01-01')",
	} {
		if err := exec(q); !store.IsUniqueViolation(err) {
			t.Errorf("%s: %v, want a unique violation", q, err)
		}
	}
}

// TestCaseDuplicatesStopTheMigration: a database holding two team names
// that differ only in case cannot take the new index; the migration stops
// with a message that says so, and applies once they are renamed.
func TestCaseDuplicatesStopTheMigration(t *testing.T) {
	ctx := context.Background()
	db := migrated(t)
	for _, q := range []string{
		"DROP INDEX teams_name_ci", "DROP INDEX companies_name_ci", "DROP INDEX company_groups_name_ci", "DROP INDEX users_email_ci",
		"DELETE FROM bun_migrations WHERE name = '20261122000050'",
		"INSERT INTO tenants (id, slug, name, app_name, created_at, updated_at) VALUES (1, 'acme', 'Acme', 'Acme', '2026-01-01', '2026-01-01')",
		"INSERT INTO teams (id, tenant_id, name, kind, created_at) VALUES (1, 1, 'Sales', 'function', '2026-01-01'), (2, 1, 'sales', 'function', '2026-01-01')",
	} {
		if _, err := db.W.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	_, err := db.Migrate(ctx)
	if err == nil || !strings.Contains(err.Error(), "differ only in case") {
		t.Fatalf("migration over case duplicates: %v", err)
	}
	if _, err := db.W.ExecContext(ctx, "UPDATE teams SET name = 'Sales EMEA' WHERE id = 2"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migration after renaming: %v", err)
	}
}
