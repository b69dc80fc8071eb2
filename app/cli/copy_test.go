package cli_test

import (
	"bytes"
	"context"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/cli"
	"github.com/atrium-portal/atrium/app/demo"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/secret"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/store/storetest"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/tickets"
)

// TestCopyArguments: copy needs --to with a postgres:// URL and a SQLite
// database to copy, and says so; none of it needs PostgreSQL.
func TestCopyArguments(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"copy"}, "--to is required"},
		{[]string{"copy", "--to", ""}, "--to is required"},
		{[]string{"copy", "--to", "mysql://root@localhost/atrium"}, "must be a postgres://"},
		{[]string{"copy", "--to", filepath.Join(dir, "other.db")}, "must be a postgres://"},
		// The source is checked before anything connects to the target.
		{[]string{"copy", "--to", "postgres://nobody@127.0.0.1:1/none"}, "no SQLite database at " + filepath.Join(dir, "atrium.db")},
	} {
		r := run(t, dir, tc.args...)
		if r.err == nil || !strings.Contains(r.err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.args, r.err, tc.want)
		}
	}
	if r := run(t, dir, "migrate"); r.err != nil {
		t.Fatal(r.err)
	}
	// A configured database_url does not make PostgreSQL the source.
	var out, errOut bytes.Buffer
	err := cli.Run(context.Background(), cli.Env{
		Args:    []string{"atrium", "copy", "--data-dir", t.TempDir(), "--to", "postgres://nobody@127.0.0.1:1/none"},
		Environ: []string{"ATRIUM_DATABASE_URL=postgres://nobody@127.0.0.1:1/x"}, Stdout: &out, Stderr: &errOut,
	})
	if err == nil || !strings.Contains(err.Error(), "no SQLite database") {
		t.Errorf("with ATRIUM_DATABASE_URL set: %v", err)
	}
}

// seedSQLite makes a data directory with the migrated demo, plus what
// the demo lacks and a copy must get right: a manager with a higher ID
// than their report, binary data, a time written by CURRENT_TIMESTAMP,
// a sealed SMTP password and a deleted company above the highest ID.
func seedSQLite(t *testing.T) (dir string, deletedCompany int64) {
	t.Helper()
	ctx := context.Background()
	dir = t.TempDir()
	db, err := store.Open(ctx, filepath.Join(dir, "atrium.db"), store.Modernc)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := demo.Seed(ctx, db, tenant.NewStore(db)); err != nil {
		t.Fatal(err)
	}
	acme, err := tenant.NewStore(db).BySlug(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	box, err := secret.Load("", dir) // generated into the data dir, as serve does
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := box.Seal("smtp-secret")
	if err != nil {
		t.Fatal(err)
	}
	w := db.W
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{"UPDATE users SET manager_id = (SELECT MAX(id) FROM users AS m WHERE m.tenant_id = users.tenant_id) WHERE tenant_id = ? AND email = 'ada@acme.test'", []any{acme.ID}},
		{"INSERT INTO tenant_assets (tenant_id, kind, content_type, data, etag, updated_at) VALUES (?, 'logo', 'image/png', ?, 'e1', ?)",
			[]any{acme.ID, []byte{0x89, 'P', 'N', 'G', 0, 0xff, 0xfe}, time.Now()}},
		{"INSERT INTO login_limits (key, failures, window_start) VALUES ('addr:192.0.2.1', 3, CURRENT_TIMESTAMP)", nil},
		{"UPDATE tenants SET smtp_host = 'smtp.acme.example', smtp_password = ? WHERE id = ?", []any{sealed, acme.ID}},
		{"INSERT INTO companies (tenant_id, name, created_at) VALUES (?, 'Gone Inc', ?)", []any{acme.ID, time.Now()}},
	} {
		if _, err := w.ExecContext(ctx, q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	if err := w.QueryRowContext(ctx, "SELECT MAX(id) FROM companies").Scan(&deletedCompany); err != nil {
		t.Fatal(err)
	}
	if _, err := w.ExecContext(ctx, "DELETE FROM companies WHERE id = ?", deletedCompany); err != nil {
		t.Fatal(err)
	}
	return dir, deletedCompany
}

// appTables are the SQLite tables the copy copies.
func appTables(t *testing.T, db *store.DB) []string {
	t.Helper()
	var names []string
	err := db.R.NewRaw("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'bun_%' ORDER BY name").Scan(context.Background(), &names)
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func counts(t *testing.T, db *store.DB, tables []string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, name := range tables {
		var n int
		if err := db.R.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM "`+name+`"`).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", name, err)
		}
		out[name] = n
	}
	return out
}

func TestCopyToPostgres(t *testing.T) {
	url := storetest.EmptyPostgres(t)
	ctx := context.Background()
	// Two rows per INSERT: a row pointing at a later one of its table
	// (ada's manager) is then in another statement, as in a large database,
	// where PostgreSQL checks the key before the later row is there.
	t.Cleanup(cli.SetCopyBatchRows(2))
	dir, deletedCompany := seedSQLite(t)

	src, err := store.Open(ctx, filepath.Join(dir, "atrium.db"), store.Modernc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	tables := appTables(t, src)
	if slices.ContainsFunc(tables, func(s string) bool { return strings.Contains(s, "_search") }) || !slices.Contains(tables, "ticket_texts") {
		t.Fatalf("tables: %v", tables)
	}
	want := counts(t, src, tables)

	// A value PostgreSQL cannot take, in a table copied late: the copy
	// fails, names it, and leaves every table of the target empty.
	if _, err := src.W.ExecContext(ctx, "UPDATE report_parts SET internal_only = 7 WHERE id = (SELECT MIN(id) FROM report_parts)"); err != nil {
		t.Fatal(err)
	}
	r := run(t, dir, "copy", "--to", url)
	if r.err == nil || !strings.Contains(r.err.Error(), "report_parts.internal_only") {
		t.Fatalf("copy with a bad boolean: %v", r.err)
	}
	pg, err := store.OpenPostgres(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	for name, n := range counts(t, pg, tables) {
		if n != 0 {
			t.Errorf("after a failed copy %s has %d rows", name, n)
		}
	}
	if _, err := src.W.ExecContext(ctx, "UPDATE report_parts SET internal_only = 1 WHERE internal_only = 7"); err != nil {
		t.Fatal(err)
	}

	r = run(t, dir, "copy", "--to", url)
	if r.err != nil {
		t.Fatalf("copy: %v\n%s", r.err, r.out)
	}
	if got := counts(t, pg, tables); !maps.Equal(got, want) {
		t.Errorf("counts:\n got %v\nwant %v", got, want)
	}
	if !strings.Contains(r.out, "users ") || !strings.Contains(r.out, "the counts match") || strings.Contains(r.out, "MISMATCH") {
		t.Errorf("output:\n%s", r.out)
	}
	keyFile := filepath.Join(dir, "secret.key")
	if !strings.Contains(r.out, "--database-url") || !strings.Contains(r.out, `ATRIUM_SECRET_KEY="$(cat `+keyFile+`)"`) {
		t.Errorf("the closing message does not say how to switch:\n%s", r.out)
	}

	// The demo works on PostgreSQL: sign-in, people, search, branding.
	acme, err := tenant.NewStore(pg).BySlug(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if hosts := acme.HostNames(); !slices.Contains(hosts, "acme.localhost") {
		t.Errorf("acme's hosts: %v", hosts)
	}
	db := pg.Tenant(acme.ID)
	ada, err := people.UserByEmail(ctx, db, "ada@acme.test")
	if err != nil {
		t.Fatal(err)
	}
	if !auth.CheckPassword(ada.PasswordHash, demo.Password) {
		t.Error("ada's demo password does not check on PostgreSQL")
	}
	srcAda, err := people.UserByEmail(ctx, src.Tenant(acme.ID), "ada@acme.test")
	if err != nil {
		t.Fatal(err)
	}
	if ada.ID != srcAda.ID || ada.ManagerID == nil || srcAda.ManagerID == nil || *ada.ManagerID != *srcAda.ManagerID || *ada.ManagerID <= ada.ID {
		t.Errorf("ada's manager: %v, was %v", ada.ManagerID, srcAda.ManagerID)
	}
	if !ada.CreatedAt.Equal(srcAda.CreatedAt) || ada.CreatedAt.Nanosecond() == 0 || len(ada.Capabilities) != len(srcAda.Capabilities) || len(ada.Capabilities) == 0 {
		t.Errorf("ada: created %v (was %v), capabilities %v (were %v)", ada.CreatedAt, srcAda.CreatedAt, ada.Capabilities, srcAda.Capabilities)
	}
	cfg, err := tickets.LoadConfig(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	vs, _, err := tickets.List(ctx, db, ada.Actor(), cfg, tickets.Query{Q: "VPN"}, store.Page{Limit: 50})
	if err != nil || len(vs) != 1 || vs[0].Title != "VPN drops every hour" {
		t.Errorf("search VPN on PostgreSQL: %d tickets, %v", len(vs), err)
	}
	var logo []byte
	var limitWindow time.Time
	var sealed string
	if err := pg.R.QueryRowContext(ctx, "SELECT data FROM tenant_assets WHERE tenant_id = ? AND kind = 'logo'", acme.ID).Scan(&logo); err != nil ||
		!bytes.Equal(logo, []byte{0x89, 'P', 'N', 'G', 0, 0xff, 0xfe}) {
		t.Errorf("logo: %x %v", logo, err)
	}
	if err := pg.R.QueryRowContext(ctx, "SELECT window_start FROM login_limits WHERE key = 'addr:192.0.2.1'").Scan(&limitWindow); err != nil ||
		time.Since(limitWindow).Abs() > time.Hour {
		t.Errorf("login limit window (CURRENT_TIMESTAMP, read as UTC): %v %v", limitWindow, err)
	}
	if err := pg.R.QueryRowContext(ctx, "SELECT smtp_password FROM tenants WHERE id = ?", acme.ID).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	if box, err := secret.Load("", dir); err != nil {
		t.Fatal(err)
	} else if pw, err := box.Open(sealed); err != nil || pw != "smtp-secret" {
		t.Errorf("the SMTP password with the data dir's key: %q %v", pw, err)
	}

	// A second copy into the now full database is refused and changes nothing.
	r = run(t, dir, "copy", "--to", url)
	if r.err == nil || !strings.Contains(r.err.Error(), "not empty") || !strings.Contains(r.err.Error(), "users has") {
		t.Errorf("second copy: %v", r.err)
	}
	if got := counts(t, pg, tables); !maps.Equal(got, want) {
		t.Errorf("counts after the refused copy: %v", got)
	}

	// New rows get fresh IDs: past every copied one, and past the company
	// deleted in SQLite, whose ID is never given again.
	name := "Fresh Co"
	c, err := people.SaveCompany(ctx, db, people.By{Actor: ada.Actor(), Who: audit.Who{ActorID: ada.ID}}, 0, people.CompanyInput{Name: &name})
	if err != nil {
		t.Fatalf("a new company on PostgreSQL: %v", err)
	}
	if c.ID <= deletedCompany {
		t.Errorf("the new company has ID %d; %d was deleted in SQLite", c.ID, deletedCompany)
	}
}

// TestCopyRefusesForeignTables: a database that holds someone else's
// tables is refused before anything is added to it.
func TestCopyRefusesForeignTables(t *testing.T) {
	url := storetest.EmptyPostgres(t)
	ctx := context.Background()
	pg, err := store.OpenPostgres(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	if _, err := pg.W.ExecContext(ctx, "CREATE TABLE invoices (id BIGINT)"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if r := run(t, dir, "migrate"); r.err != nil {
		t.Fatal(r.err)
	}
	r := run(t, dir, "copy", "--to", url)
	if r.err == nil || !strings.Contains(r.err.Error(), "not Atrium's (invoices)") {
		t.Errorf("copy into a database with other tables: %v", r.err)
	}
	var n int
	if err := pg.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()").Scan(&n); err != nil || n != 1 {
		t.Errorf("the refused database has %d tables (%v)", n, err)
	}
}
