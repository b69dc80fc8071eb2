package store

import (
	"context"
	"embed"
	"fmt"
	"hash/fnv"
	"io/fs"
	"sync"

	"github.com/uptrace/bun/migrate"
)

// The DDL is the one SQL written per dialect: migrations/ is SQLite's,
// migrations/postgres/ PostgreSQL's, with the same file names, version by
// version (a test holds the two lists together).
var (
	//go:embed migrations/*.sql
	sqliteMigrations embed.FS
	//go:embed migrations/postgres/*.sql
	postgresMigrations embed.FS
)

func (db *DB) migrations() (fs.FS, error) {
	if db.Dialect == Postgres {
		return fs.Sub(postgresMigrations, "migrations/postgres")
	}
	return fs.Sub(sqliteMigrations, "migrations")
}

// Migrate applies every migration not yet applied and returns their names.
// Each migration runs in its own transaction and is recorded only when it
// succeeded. Instances that start together migrate once: the first holds
// the "migrate" lock (Exclusive) and the others wait, then find nothing to do.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	var names []string
	err := db.Exclusive(ctx, "migrate", func(ctx context.Context) error {
		files, err := db.migrations()
		if err != nil {
			return err
		}
		ms := migrate.NewMigrations()
		if err := ms.Discover(files); err != nil {
			return fmt.Errorf("store: discover migrations: %w", err)
		}
		m := migrate.NewMigrator(db.W, ms, migrate.WithMarkAppliedOnSuccess(true))
		if err := m.Init(ctx); err != nil {
			return fmt.Errorf("store: init migrations: %w", err)
		}
		group, err := m.Migrate(ctx)
		if err != nil {
			return fmt.Errorf("store: migrate: %w", err)
		}
		for _, mig := range group.Migrations {
			names = append(names, mig.Name+"_"+mig.Comment)
		}
		return nil
	})
	return names, err
}

// Exclusive runs fn while holding the lock called name across every
// instance on this database: on PostgreSQL a session advisory lock
// (pg_advisory_lock) on a connection of its own, on SQLite a lock within
// this process. Migrating and seeding the demo take one, so instances
// that start at the same moment do each once.
func (db *DB) Exclusive(ctx context.Context, name string, fn func(ctx context.Context) error) error {
	if db.Dialect != Postgres {
		mu, _ := db.exclusive.LoadOrStore(name, new(sync.Mutex))
		mu.(*sync.Mutex).Lock()
		defer mu.(*sync.Mutex).Unlock()
		return fn(ctx)
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte("atrium:" + name))
	key := int64(h.Sum64())
	conn, err := db.W.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: lock %s: %w", name, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", key); err != nil {
		return fmt.Errorf("store: lock %s: %w", name, err)
	}
	defer func() {
		// A fresh context: the lock must go even when ctx was cancelled,
		// or the connection would go back to the pool still holding it.
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", key)
	}()
	return fn(ctx)
}
