// Package storetest gives tests of domain packages a fresh, migrated
// database with one tenant, "acme", copied from a template made once per
// test binary (copying is much faster than migrating again): a SQLite file,
// or with ATRIUM_TEST_DATABASE_URL set, a PostgreSQL database.
package storetest

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tenant"
)

// DB is one fresh database: the store, the tenant "acme" and a handle bound
// to it. Every test, and every table row, builds its own.
type DB struct {
	DB     *store.DB
	Tenant *tenant.Tenant
	Acme   *store.Scoped
}

// template holds the bytes of the migrated database with "acme". It is the
// only state the package keeps, built once and never changed.
var template struct {
	once sync.Once
	data []byte
	err  error
}

func templateData(t testing.TB) []byte {
	t.Helper()
	template.once.Do(func() {
		ctx := context.Background()
		dir, err := os.MkdirTemp("", "atrium-storetest-")
		if err != nil {
			template.err = err
			return
		}
		defer os.RemoveAll(dir)
		db, err := store.Open(ctx, filepath.Join(dir, "live.db"), store.Modernc)
		if err != nil {
			template.err = err
			return
		}
		defer db.Close()
		if _, err := db.Migrate(ctx); err != nil {
			template.err = err
			return
		}
		slug, name, hosts := "acme", "Tenant acme", []string{"acme.example.test"}
		if _, err := tenant.NewStore(db).Create(ctx, tenant.Patch{Slug: &slug, Name: &name, Hosts: &hosts}); err != nil {
			template.err = err
			return
		}
		snap := filepath.Join(dir, "template.db")
		if template.err = db.Snapshot(ctx, snap); template.err != nil {
			return
		}
		template.data, template.err = os.ReadFile(snap)
	})
	if template.err != nil {
		t.Fatal(template.err)
	}
	return template.data
}

// migrated is the PostgreSQL template of New: migrated, with "acme".
var migrated = Template{Build: func(ctx context.Context, db *store.DB) error {
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	slug, name, hosts := "acme", "Tenant acme", []string{"acme.example.test"}
	_, err := tenant.NewStore(db).Create(ctx, tenant.Patch{Slug: &slug, Name: &name, Hosts: &hosts})
	return err
}}

// New opens a fresh copy of the template in t's temporary directory; it is
// closed when the test ends.
func New(t testing.TB) *DB {
	t.Helper()
	ctx := context.Background()
	var db *store.DB
	var err error
	if OnPostgres() {
		db, err = store.OpenPostgres(ctx, migrated.Fresh(t))
	} else {
		path := filepath.Join(t.TempDir(), "atrium.db")
		if err := os.WriteFile(path, templateData(t), 0o600); err != nil {
			t.Fatal(err)
		}
		db, err = store.Open(ctx, path, store.Modernc)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	tn, err := tenant.NewStore(db).BySlug(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	return &DB{DB: db, Tenant: tn, Acme: db.Tenant(tn.ID)}
}

// NewTenant creates another tenant, slug, in the same database.
func (d *DB) NewTenant(t testing.TB, slug string) *tenant.Tenant {
	t.Helper()
	name, hosts := "Tenant "+slug, []string{slug + ".example.test"}
	tn, err := tenant.NewStore(d.DB).Create(context.Background(), tenant.Patch{Slug: &slug, Name: &name, Hosts: &hosts})
	if err != nil {
		t.Fatal(err)
	}
	return tn
}
