package cli_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"path/filepath"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/cli"
	"github.com/atrium-portal/atrium/app/demo"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/store/storetest"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/tickets"
)

// TestDemoSynthetic: `demo --synthetic` adds the data around the demo, erin
// sees a share of Globex's tickets through the tickets package, a second run
// with the same seed adds nothing, search finds a synthetic ticket by a word
// of its title, and the demo logins still verify.
func TestDemoSynthetic(t *testing.T) {
	dir := t.TempDir()
	testDemoSynthetic(t, dir, nil, nil, func(ctx context.Context) (*store.DB, error) {
		return store.Open(ctx, filepath.Join(dir, "atrium.db"), store.Modernc)
	})
}

func TestDemoSyntheticPostgres(t *testing.T) {
	url := storetest.EmptyPostgres(t)
	key := []string{"ATRIUM_SECRET_KEY=" + base64.StdEncoding.EncodeToString(make([]byte, 32))}
	testDemoSynthetic(t, t.TempDir(), []string{"--database-url", url}, key, func(ctx context.Context) (*store.DB, error) {
		return store.OpenPostgres(ctx, url)
	})
}

// runIn is run with environment variables.
func runIn(t *testing.T, environ []string, dir string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	err := cli.Run(context.Background(), cli.Env{
		Args: append([]string{"atrium"}, append(args, "--data-dir", dir)...), Environ: environ, Stdout: &out, Stderr: &errOut,
	})
	return result{out.String(), errOut.String(), err}
}

func testDemoSynthetic(t *testing.T, dir string, extra, environ []string, open func(context.Context) (*store.DB, error)) {
	const count = 2000
	args := append([]string{"demo", "--synthetic", "--tickets", "2000", "--companies", "8", "--tenants", "1", "--seed", "7"}, extra...)
	r := runIn(t, environ, dir, args...)
	if r.err != nil {
		t.Fatalf("demo --synthetic: %v\n%s%s", r.err, r.out, r.errOut)
	}
	if !strings.Contains(r.out, "acme: 2000/2000 tickets") || !strings.Contains(r.out, " 2000") {
		t.Errorf("progress: %q", r.out)
	}
	ctx := context.Background()
	db, err := open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tenants := tenant.NewStore(db)
	acme, err := tenants.BySlug(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	tx := db.Tenant(acme.ID)
	n, err := tx.Select((*tickets.Ticket)(nil)).Count(ctx)
	if err != nil || n < count {
		t.Fatalf("acme has %d tickets (%v), want at least %d", n, err, count)
	}

	// erin sees Globex tickets, some of them with her as the contact.
	erin, err := people.UserByEmail(ctx, tx, "erin@globex.test")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := tickets.LoadConfig(ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	seen, cursor, mine := 0, "", 0
	for {
		vs, next, err := tickets.List(ctx, tx, erin.Actor(), cfg, tickets.Query{}, store.Page{Limit: store.MaxLimit, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			if v.Company.Name != "Globex Corporation" {
				t.Fatalf("erin sees a ticket of %q", v.Company.Name)
			}
			if v.Contact != nil && v.Contact.ID == erin.ID {
				mine++
			}
		}
		seen += len(vs)
		if next == "" {
			break
		}
		cursor = next
	}
	if seen < count/40 || mine < count/400 {
		t.Errorf("erin sees %d tickets, %d as contact; want at least %d and %d", seen, mine, count/40, count/400)
	}
	t.Logf("erin sees %d of %d tickets, %d with her as contact", seen, n, mine)
	if c, err := tickets.Count(ctx, tx, erin.Actor(), cfg, tickets.Query{}); err != nil || c != seen {
		t.Errorf("erin's count %d (%v), list %d", c, err, seen)
	}

	// Search finds a synthetic ticket by a word of its title.
	var one tickets.Ticket
	if err := tx.Select(&one).Where("t.external_id = ?", "synth-7-7").Scan(ctx); err != nil {
		t.Fatal(err)
	}
	ada, err := people.UserByEmail(ctx, tx, "ada@acme.test")
	if err != nil {
		t.Fatal(err)
	}
	words := strings.Fields(one.Title)
	word := words[len(words)-1]
	q := tickets.Query{Q: word, CompanyID: one.CompanyID, BoardID: one.BoardID}
	found := false
	for cursor := ""; !found; {
		vs, next, err := tickets.List(ctx, tx, ada.Actor(), cfg, q, store.Page{Limit: store.MaxLimit, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			found = found || v.ID == one.ID
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if !found {
		t.Errorf("searching %q does not find %q", word, one.Title)
	}

	// The same seed again adds nothing.
	r = runIn(t, environ, dir, args...)
	if r.err != nil || !strings.Contains(r.out, "Added 0 tenants, 0 companies, 0 users, 0 teams, 0 boards, 0 reports, 0 tickets and 0 notes") {
		t.Errorf("second run: %v %q", r.err, r.out)
	}
	if n2, err := tx.Select((*tickets.Ticket)(nil)).Count(ctx); err != nil || n2 != n {
		t.Errorf("tickets after the second run: %d (%v), want %d", n2, err, n)
	}

	// The demo logins still verify.
	for _, slug := range []string{"acme", "northwind"} {
		tn, err := tenants.BySlug(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range demo.Logins() {
			if l.Host != tn.HostNames()[0] {
				continue
			}
			u, err := people.UserByEmail(ctx, db.Tenant(tn.ID), l.Email)
			if err != nil || !auth.CheckPassword(u.PasswordHash, l.Password) {
				t.Errorf("%s %s: %v", slug, l.Email, err)
			}
		}
	}
}
