package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/atrium-portal/atrium/app/cli"
	"github.com/atrium-portal/atrium/app/store"

	_ "modernc.org/sqlite"
)

type result struct {
	out, errOut string
	err         error
}

func run(t *testing.T, dataDir string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	full := append([]string{"atrium"}, args...)
	if dataDir != "" && len(args) > 0 && args[0] != "version" {
		full = append(full, "--data-dir", dataDir)
	}
	err := cli.Run(context.Background(), cli.Env{
		Args: full, Stdout: &out, Stderr: &errOut,
		Static: os.DirFS("../../ui/static"), Build: cli.Build{Version: "1.2.3", Commit: "abc1234", Date: "2026-11-22"},
	})
	return result{out.String(), errOut.String(), err}
}

func TestHelpOnEveryCommand(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"serve", "--help"}, {"migrate", "--help"}, {"tenant", "--help"},
		{"tenant", "create", "--help"}, {"tenant", "update", "--help"}, {"tenant", "list", "--help"},
		{"user", "--help"}, {"user", "create", "--help"}, {"demo", "--help"}, {"backup", "--help"}, {"bench", "--help"}, {"copy", "--help"}, {"version", "--help"},
	} {
		r := run(t, "", args...)
		if (r.err != nil && !cli.IsHelp(r.err)) || !strings.Contains(r.out, "Usage") {
			t.Errorf("%v: err=%v out=%q", args, r.err, r.out)
		}
	}
	if r := run(t, "", "frobnicate"); !errors.Is(r.err, cli.ErrUsage) {
		t.Errorf("unknown command: %v", r.err)
	}
}

func TestVersion(t *testing.T) {
	r := run(t, "", "version")
	if r.err != nil || !strings.Contains(r.out, "1.2.3") || !strings.Contains(r.out, "abc1234") || !strings.Contains(r.out, "2026-11-22") {
		t.Errorf("version: %v %q", r.err, r.out)
	}
}

func TestTenantsAndUsers(t *testing.T) {
	dir := t.TempDir()
	if r := run(t, dir, "migrate"); r.err != nil || !strings.Contains(r.out, "applied") {
		t.Fatalf("migrate: %v %q", r.err, r.out)
	}
	if r := run(t, dir, "migrate"); r.err != nil || !strings.Contains(r.out, "up to date") {
		t.Fatalf("second migrate: %v %q", r.err, r.out)
	}
	r := run(t, dir, "tenant", "create", "--slug", "globex", "--name", "Globex IT", "--host", "Portal.Globex.Example:443", "--host", "globex.example")
	if r.err != nil {
		t.Fatalf("create: %v", r.err)
	}
	if db, err := sql.Open("sqlite", filepath.Join(dir, "atrium.db")); err != nil {
		t.Fatal(err)
	} else {
		var boards, types int
		err := db.QueryRow(`SELECT (SELECT COUNT(*) FROM boards b JOIN tenants tn ON tn.id = b.tenant_id WHERE tn.slug = 'globex' AND b.name = 'Service Desk'),
			(SELECT COUNT(*) FROM note_types nt JOIN tenants tn ON tn.id = nt.tenant_id WHERE tn.slug = 'globex')`).Scan(&boards, &types)
		db.Close()
		if err != nil || boards != 1 || types != 3 {
			t.Errorf("a new tenant's ticket defaults: %d boards, %d note types (%v)", boards, types, err)
		}
	}
	if r := run(t, dir, "tenant", "create", "--slug", "other", "--name", "Other", "--host", "globex.example"); r.err == nil || !strings.Contains(r.err.Error(), "another tenant") {
		t.Errorf("a taken host was accepted: %v", r.err)
	}
	if r := run(t, dir, "tenant", "update", "--slug", "globex", "--app-name", "Globex Hub", "--primary-color", "#123456"); r.err != nil {
		t.Fatalf("update: %v", r.err)
	}
	if r := run(t, dir, "tenant", "update", "--slug", "globex", "--primary-color", "#FFFFF0"); r.err == nil {
		t.Error("an unreadable primary colour was accepted")
	}
	r = run(t, dir, "tenant", "list")
	if r.err != nil || !strings.Contains(r.out, "Globex Hub") || !strings.Contains(r.out, "portal.globex.example,globex.example") {
		t.Errorf("list: %v %q", r.err, r.out)
	}
	r = run(t, dir, "user", "create", "--tenant", "globex", "--email", "Boss@Globex.Example", "--kind", "member", "--capability", "super_admin")
	if r.err != nil {
		t.Fatalf("user create: %v", r.err)
	}
	if !regexp.MustCompile(`https://portal\.globex\.example/invite/[A-Za-z0-9_-]{40,}`).MatchString(r.out) {
		t.Errorf("link not on the primary host: %q", r.out)
	}
	if r := run(t, dir, "user", "create", "--tenant", "globex", "--email", "guest@x.example", "--kind", "guest", "--capability", "admin"); r.err == nil {
		t.Error("a guest was given a capability")
	}
	if r := run(t, dir, "user", "create", "--tenant", "nope", "--email", "a@b.example"); r.err == nil {
		t.Error("an unknown tenant was accepted")
	}
	out := filepath.Join(t.TempDir(), "snap.db")
	if r := run(t, dir, "backup", "--out", out); r.err != nil {
		t.Fatalf("backup: %v", r.err)
	}
	if st, err := os.Stat(out); err != nil || st.Size() == 0 {
		t.Errorf("backup file: %v", err)
	}
}

// TestServeStopsCleanly starts the demo, waits for it, stops it like
// SIGTERM would and checks that it returns without error.
func TestServeStopsCleanly(t *testing.T) {
	dir := t.TempDir()
	ready := make(chan string, 1)
	stop := make(chan struct{})
	done := make(chan error, 1)
	var out bytes.Buffer
	go func() {
		done <- cli.Run(context.Background(), cli.Env{
			Args:   []string{"atrium", "serve", "--demo", "--addr", "127.0.0.1:0", "--data-dir", dir},
			Stdout: &out, Stderr: &bytes.Buffer{}, Static: os.DirFS("../../ui/static"),
			Ready: func(addr string) { ready <- addr }, Stop: stop,
		})
	}()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("serve ended early: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not become ready")
	}
	close(stop)
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if !strings.Contains(out.String(), "ada@acme.test") || !strings.Contains(out.String(), "http://acme.localhost:") {
		t.Errorf("demo start-up message:\n%s", out.String())
	}
}

// TestBackupDoesNotMigrate: the snapshot is the database as it was, and
// the live database is left as it was too.
func TestBackupDoesNotMigrate(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dir, "atrium.db"), store.Modernc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.W.ExecContext(ctx, "CREATE TABLE old_schema (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out := filepath.Join(t.TempDir(), "snap.db")
	if r := run(t, dir, "backup", "--out", out); r.err != nil {
		t.Fatalf("backup: %v", r.err)
	}
	tables := func(path string) string {
		t.Helper()
		db, err := store.Open(ctx, path, store.Modernc)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var names []string
		if err := db.R.NewSelect().Table("sqlite_master").Column("name").Where("type = 'table'").Order("name").Scan(ctx, &names); err != nil {
			t.Fatal(err)
		}
		return strings.Join(names, ",")
	}
	if got := tables(out); got != "old_schema" {
		t.Errorf("snapshot tables: %s", got)
	}
	if got := tables(filepath.Join(dir, "atrium.db")); got != "old_schema" {
		t.Errorf("live tables after backup: %s", got)
	}
	if r := run(t, t.TempDir(), "backup", "--out", filepath.Join(t.TempDir(), "none.db")); r.err == nil {
		t.Error("a backup of a missing database succeeded")
	}
}

// TestTenantRefusesLineBreaks: the operator's command line checks names
// like the settings pages do: no CR/LF that could reach an email header.
func TestTenantRefusesLineBreaks(t *testing.T) {
	dir := t.TempDir()
	if r := run(t, dir, "tenant", "create", "--slug", "evil", "--name", "Evil", "--app-name", "Evil\r\nBcc: victim@example.com", "--host", "evil.example"); r.err == nil || !strings.Contains(r.err.Error(), "app_name") {
		t.Errorf("create with a line break in the app name: %v", r.err)
	}
	if r := run(t, dir, "tenant", "create", "--slug", "globex", "--name", "Globex", "--host", "globex.example"); r.err != nil {
		t.Fatal(r.err)
	}
	for _, args := range [][]string{
		{"--app-name", "Globex\nHub"},
		{"--mail-from-name", "Desk\r\nBcc: victim@example.com"},
		{"--mail-from-address", "desk@globex.example\r\nBcc: victim@example.com"},
		{"--app-name", strings.Repeat("g", 61)},
	} {
		full := append([]string{"tenant", "update", "--slug", "globex"}, args...)
		if r := run(t, dir, full...); r.err == nil {
			t.Errorf("update %v was accepted", args)
		}
	}
	if r := run(t, dir, "tenant", "list"); strings.Contains(r.out, "Bcc") || strings.Contains(r.out, "Hub") {
		t.Errorf("a refused value was stored:\n%s", r.out)
	}
}
