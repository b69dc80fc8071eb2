package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"github.com/uptrace/bun"
)

// ErrNotTenantOwned is returned by a scoped query on a model that does not
// embed TenantOwned: such a query cannot be narrowed to a tenant, so it fails
// instead of running unscoped.
var ErrNotTenantOwned = errors.New("store: model is not tenant-owned")

// TenantOwned is embedded by every model that holds a tenant's data. The
// scoped handle reads and writes its tenant_id; code outside this package
// never sets it.
type TenantOwned struct {
	TenantID int64 `bun:"tenant_id,notnull" json:"-"`
}

func (t *TenantOwned) setTenant(id int64) { t.TenantID = id }

type tenantOwner interface{ setTenant(int64) }

// Scoped is a tenant-bound handle: every query it builds carries
// "tenant_id = ?" (selects, updates, deletes) or sets tenant_id (inserts).
// Domain packages receive a *Scoped and never a raw *bun.DB, so a query that
// forgets the tenant cannot be written with it.
type Scoped struct {
	db       *DB
	tenantID int64
	r, w     bun.IDB
}

// TenantID is the tenant this handle is bound to.
func (s *Scoped) TenantID() int64 { return s.tenantID }

// RawRead is a hand-written read on this handle's connection (in a
// transaction, the transaction's), for a statement the query builder
// cannot say in one go. The statement must bind tenant_id = TenantID()
// itself for every tenant table it reads.
func (s *Scoped) RawRead(query string, args ...any) *bun.RawQuery { return s.r.NewRaw(query, args...) }

// Dialect is the database this handle talks to.
func (s *Scoped) Dialect() Dialect { return s.db.Dialect }

// Unindexed writes column expression expr so that SQLite's planner does
// not take it from an index (+expr), to steer it to the index of a
// narrower condition; PostgreSQL plans from statistics and gets expr as
// it is.
func (s *Scoped) Unindexed(expr string) string {
	if s.db.Dialect == Postgres {
		return expr
	}
	return "+" + expr
}

// IndexedBy is table (with its alias) read through index on SQLite, where
// its planner, without statistics, would pick a worse one; PostgreSQL
// plans from statistics and gets table as it is. For ModelTableExpr.
func (s *Scoped) IndexedBy(table, index string) string {
	if s.db.Dialect == Postgres {
		return table
	}
	return table + " INDEXED BY " + index
}

// Select starts a query on model, narrowed to the tenant. Reads go to the
// reader pool, or to the transaction inside Tx.
func (s *Scoped) Select(model any) *bun.SelectQuery {
	q := s.r.NewSelect().Model(model)
	if !ownedModel(model) {
		return q.Err(fmt.Errorf("select %T: %w", model, ErrNotTenantOwned))
	}
	return q.Where("?TableAlias.tenant_id = ?", s.tenantID)
}

// Insert inserts model (a pointer to a struct or a slice) with tenant_id set.
func (s *Scoped) Insert(model any) *bun.InsertQuery {
	q := s.w.NewInsert().Model(model)
	if err := stampTenant(model, s.tenantID); err != nil {
		return q.Err(err)
	}
	return q
}

// Update starts an update of model narrowed to the tenant. A model value's
// tenant_id is stamped with the handle's first, so writing the model back
// can never move the row to another tenant.
func (s *Scoped) Update(model any) *bun.UpdateQuery {
	q := s.w.NewUpdate().Model(model)
	if !ownedModel(model) {
		return q.Err(fmt.Errorf("update %T: %w", model, ErrNotTenantOwned))
	}
	if v := reflect.ValueOf(model); v.Kind() == reflect.Pointer && !v.IsNil() {
		if err := stampTenant(model, s.tenantID); err != nil {
			return q.Err(err)
		}
	}
	return q.Where("?TableAlias.tenant_id = ?", s.tenantID)
}

// Delete starts a delete of model narrowed to the tenant.
func (s *Scoped) Delete(model any) *bun.DeleteQuery {
	q := s.w.NewDelete().Model(model)
	if !ownedModel(model) {
		return q.Err(fmt.Errorf("delete %T: %w", model, ErrNotTenantOwned))
	}
	return q.Where("?TableAlias.tenant_id = ?", s.tenantID)
}

// Tx runs fn in one write transaction; the handle fn receives reads and
// writes inside it and is still bound to the same tenant.
func (s *Scoped) Tx(ctx context.Context, fn func(ctx context.Context, tx *Scoped) error) error {
	if _, inTx := s.w.(bun.Tx); inTx {
		return fn(ctx, s)
	}
	return s.db.W.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return fn(ctx, &Scoped{db: s.db, tenantID: s.tenantID, r: tx, w: tx})
	})
}

var ownerType = reflect.TypeOf((*tenantOwner)(nil)).Elem()

// ownedModel reports whether model (a struct pointer, a slice pointer or a
// typed nil) has a tenant_id that this package controls.
func ownedModel(model any) bool {
	t := reflect.TypeOf(model)
	for t != nil && (t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice) {
		if t.Implements(ownerType) {
			return true
		}
		t = t.Elem()
	}
	return t != nil && reflect.PointerTo(t).Implements(ownerType)
}

// stampTenant sets tenant_id on a struct pointer or on every element of a slice.
func stampTenant(model any, id int64) error {
	if o, ok := model.(tenantOwner); ok {
		o.setTenant(id)
		return nil
	}
	v := reflect.ValueOf(model)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Slice {
		return fmt.Errorf("insert %T: %w", model, ErrNotTenantOwned)
	}
	for i := 0; i < v.Len(); i++ {
		e := v.Index(i)
		if e.Kind() != reflect.Pointer {
			e = e.Addr()
		}
		o, ok := e.Interface().(tenantOwner)
		if !ok {
			return fmt.Errorf("insert %T: %w", model, ErrNotTenantOwned)
		}
		o.setTenant(id)
	}
	return nil
}

// LockTenant takes the write lock on the tenant's own row until the
// transaction ends, so that rules spanning many rows of the tenant (the
// last active super admin) hold under concurrent changes: two
// transactions that both lock wait for each other. On SQLite the writer
// already runs one transaction at a time and this costs one no-op update;
// on PostgreSQL it is a row lock. Call it inside Tx, before reading.
func (s *Scoped) LockTenant(ctx context.Context) error {
	if _, inTx := s.w.(bun.Tx); !inTx {
		return errors.New("store: LockTenant outside a transaction")
	}
	if _, err := s.w.NewRaw("UPDATE tenants SET updated_at = updated_at WHERE id = ?", s.tenantID).Exec(ctx); err != nil {
		return fmt.Errorf("store: lock tenant %d: %w", s.tenantID, err)
	}
	return nil
}

// InTx returns a handle bound to tenant id that reads and writes inside tx.
// Platform code whose own transaction also writes the tenant's rows (a
// settings change and its audit record) uses it.
func (db *DB) InTx(tx bun.Tx, id int64) *Scoped {
	return &Scoped{db: db, tenantID: id, r: tx, w: tx}
}
