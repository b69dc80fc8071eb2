package store

import (
	"context"
	"embed"
	"fmt"

	"github.com/uptrace/bun/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrate applies every migration not yet applied and returns their names.
// Each migration runs in its own transaction and is recorded only when it succeeded.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	ms := migrate.NewMigrations()
	if err := ms.Discover(migrationFiles); err != nil {
		return nil, fmt.Errorf("store: discover migrations: %w", err)
	}
	m := migrate.NewMigrator(db.W, ms, migrate.WithMarkAppliedOnSuccess(true))
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("store: init migrations: %w", err)
	}
	group, err := m.Migrate(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	var names []string
	for _, mig := range group.Migrations {
		names = append(names, mig.Name+"_"+mig.Comment)
	}
	return names, nil
}
