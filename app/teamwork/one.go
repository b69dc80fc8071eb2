package teamwork

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
)

// The single-object reads and deletes every kind of team work shares.

// loadOne reads row id of t's table through a's scope, else ErrNotFound.
func loadOne[T any](ctx context.Context, db *store.Scoped, a policy.Actor, t table, id int64) (*T, error) {
	var rows []T
	if err := scoped(db, &rows, policy.TeamWork(a), t).Where("?.id = ?", bun.Ident(t.alias), id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("teamwork: load %s %d: %w", t.name, id, err)
	}
	if len(rows) == 0 {
		return nil, ErrNotFound
	}
	return &rows[0], nil
}

// viewOne is the view of row (read with err), built as a list builds its
// views.
func viewOne[T, V any](row *T, err error, views func([]T) ([]V, error)) (*V, error) {
	if err != nil {
		return nil, err
	}
	vs, err := views([]T{*row})
	if err != nil {
		return nil, err
	}
	return &vs[0], nil
}

// deleteOne removes row id of t's table, from every team it shows in,
// when by.Actor may change it (facts), and records it under action.
func deleteOne[T any](ctx context.Context, db *store.Scoped, by By, t table, id int64, action audit.Action,
	facts func(ctx context.Context, tx *store.Scoped, row *T) (policy.TeamWorkFacts, error), title func(*T) string) error {
	return db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		row, err := loadOne[T](ctx, tx, by.Actor, t, id)
		if err != nil {
			return err
		}
		f, err := facts(ctx, tx, row)
		if err != nil {
			return err
		}
		if !policy.CanEditTeamWork(by.Actor, f) {
			return ErrForbidden
		}
		if _, err := tx.Delete((*T)(nil)).Where("?.id = ?", bun.Ident(t.alias), id).Exec(ctx); err != nil {
			return fmt.Errorf("teamwork: delete %s %d: %w", t.name, id, err)
		}
		return audit.Record(ctx, tx, by.Who, action, t.name, id, "Deleted "+title(row))
	})
}

// plainFacts are the facts of an object that lives in one team.
func plainFacts[T interface{ facts() policy.TeamWorkFacts }](_ context.Context, _ *store.Scoped, row T) (policy.TeamWorkFacts, error) {
	return row.facts(), nil
}
