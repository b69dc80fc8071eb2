package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/uptrace/bun"
)

// Prepared reads. Bun writes a query's arguments into its SQL text, so
// SQLite compiles every statement afresh: the session lookup of every
// request took 93 µs that way and 29 µs as a statement compiled once and
// run again with new arguments (modernc, this 2-core machine;
// docs/performance.md). The reads of every request (the tenant, the
// session and user, the user's rights) are built once with numbered
// placeholders (?1, ?2, …) in place of their arguments, and each SQLite
// connection keeps their compiled statements.
//
// The arguments travel in the context of the query's Scan: the connection
// (preparingConn) takes them for the first statement run with that
// context, when its text has the placeholders. On PostgreSQL the query is
// built with the arguments themselves (pgx keeps its own statements).

// preparedArgs are the arguments of one prepared read.
type preparedArgs struct {
	args []driver.NamedValue
	used atomic.Bool
}

type preparedKey struct{}

// Prepare starts a prepared read with args: it answers the context to scan
// the query with, and arg(i), what to write in the query for args[i]. Only
// the query's own Scan may run with that context: a relation loaded by a
// second statement, for one, would not get the arguments.
func (db *DB) Prepare(ctx context.Context, args ...any) (context.Context, func(i int) any) {
	if db.Dialect != SQLite {
		return ctx, func(i int) any { return args[i] }
	}
	pa := &preparedArgs{args: make([]driver.NamedValue, len(args))}
	for i, a := range args {
		pa.args[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return context.WithValue(ctx, preparedKey{}, pa), func(i int) any { return bun.Safe("?" + strconv.Itoa(i+1)) }
}

// PreparedSelect is Select(model) as a prepared read with args (see
// DB.Prepare): the tenant is the first argument, args the others, arg(i)
// stands for args[i].
func (s *Scoped) PreparedSelect(ctx context.Context, model any, args ...any) (context.Context, *bun.SelectQuery, func(i int) any) {
	all := append([]any{s.tenantID}, args...)
	ctx, arg := s.db.Prepare(ctx, all...)
	q := s.r.NewSelect().Model(model)
	if !ownedModel(model) {
		return ctx, q.Err(fmt.Errorf("select %T: %w", model, ErrNotTenantOwned)), arg
	}
	return ctx, q.Where("?TableAlias.tenant_id = ?", arg(0)), func(i int) any { return arg(i + 1) }
}

// PreparedRaw is RawRead as a prepared read: query is written with Bun's
// ? for each of args, in order, and must bind tenant_id = TenantID() itself
// for every tenant table it reads.
func (s *Scoped) PreparedRaw(ctx context.Context, query string, args ...any) (context.Context, *bun.RawQuery) {
	ctx, arg := s.db.Prepare(ctx, args...)
	ph := make([]any, len(args))
	for i := range args {
		ph[i] = arg(i)
	}
	return ctx, s.r.NewRaw(query, ph...)
}

// maxPrepared bounds the statements a connection keeps: the prepared reads
// are a few call sites, not one per request.
const maxPrepared = 64

// preparingConnector opens SQLite connections that keep the compiled
// statements of prepared reads.
type preparingConnector struct {
	drv driver.Driver
	dsn string
}

func (c *preparingConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &preparingConn{Conn: conn, stmts: map[string]driver.Stmt{}}, nil
}

func (c *preparingConnector) Driver() driver.Driver { return c.drv }

// preparingConn is a driver connection that runs a prepared read's
// statement from its cache, and passes everything else to the driver.
type preparingConn struct {
	driver.Conn
	stmts map[string]driver.Stmt
}

var errNoContextQuery = errors.New("store: the SQLite driver does not run queries with a context")

func (c *preparingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if pa, ok := ctx.Value(preparedKey{}).(*preparedArgs); ok && len(args) == 0 && strings.Contains(query, "?1") && pa.used.CompareAndSwap(false, true) {
		st, err := c.stmt(ctx, query)
		if err != nil {
			return nil, err
		}
		sq, ok := st.(driver.StmtQueryContext)
		if !ok {
			return nil, errNoContextQuery
		}
		return sq.QueryContext(ctx, pa.args)
	}
	q, ok := c.Conn.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	return q.QueryContext(ctx, query, args)
}

// stmt is query's compiled statement, compiled on first use.
func (c *preparingConn) stmt(ctx context.Context, query string) (driver.Stmt, error) {
	if st, ok := c.stmts[query]; ok {
		return st, nil
	}
	if len(c.stmts) >= maxPrepared {
		for q, st := range c.stmts {
			st.Close()
			delete(c.stmts, q)
			break
		}
	}
	p, ok := c.Conn.(driver.ConnPrepareContext)
	if !ok {
		return nil, errNoContextQuery
	}
	st, err := p.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = st
	return st, nil
}

func (c *preparingConn) Close() error {
	for _, st := range c.stmts {
		st.Close()
	}
	return c.Conn.Close()
}

// The driver's other abilities, passed through.

func (c *preparingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	e, ok := c.Conn.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	return e.ExecContext(ctx, query, args)
}

func (c *preparingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, query)
	}
	return c.Conn.Prepare(query)
}

func (c *preparingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	return c.Conn.Begin() //nolint:staticcheck // the driver has nothing else
}

func (c *preparingConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *preparingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *preparingConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *preparingConn) CheckNamedValue(nv *driver.NamedValue) error {
	if n, ok := c.Conn.(driver.NamedValueChecker); ok {
		return n.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}
