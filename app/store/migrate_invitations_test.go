package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/atrium-portal/atrium/app/store"
)

// TestInvitationRecordsBackfill: invitations sent before the invitations
// table existed get their records: open, accepted, or replaced by a resend.
func TestInvitationRecordsBackfill(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "atrium.db"), store.Modernc)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	// Back to the schema before the migration, with data of that time.
	for _, q := range []string{
		"DROP TABLE invitations",
		"DELETE FROM bun_migrations WHERE name = '20261122000030'",
		"INSERT INTO tenants (id, slug, name, app_name, created_at, updated_at) VALUES (1, 'acme', 'Acme', 'Acme', '2026-01-01', '2026-01-01')",
		"INSERT INTO users (id, tenant_id, email, kind, status, created_at, updated_at) VALUES (10, 1, 'open@x.test', 'member', 'invited', '2026-01-01', '2026-01-01'), (11, 1, 'done@x.test', 'member', 'active', '2026-01-01', '2026-01-01')",
		"INSERT INTO user_tokens (id, tenant_id, user_id, purpose, token_hash, created_at, expires_at, used_at) VALUES " +
			"(100, 1, 10, 'invite', 'h1', '2026-01-01', '2026-01-08', NULL), " +
			"(101, 1, 11, 'invite', 'h2', '2026-01-01', '2026-01-08', '2026-01-02'), " +
			"(102, 1, 11, 'invite', 'h3', '2026-01-02', '2026-01-09', '2026-01-03'), " +
			"(103, 1, 11, 'reset', 'h4', '2026-01-04', '2026-01-04', NULL)",
	} {
		if _, err := db.W.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := db.R.QueryContext(ctx, "SELECT id, token_id, email, accepted_at IS NOT NULL, revoked_at IS NOT NULL FROM invitations ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type rec struct {
		id, token         int64
		email             string
		accepted, revoked bool
	}
	var got []rec
	for rows.Next() {
		var r rec
		if err := rows.Scan(&r.id, &r.token, &r.email, &r.accepted, &r.revoked); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	want := []rec{{100, 100, "open@x.test", false, false}, {101, 101, "done@x.test", false, true}, {102, 102, "done@x.test", true, false}}
	if len(got) != len(want) {
		t.Fatalf("records %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("record %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
