package cli

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/atrium-portal/atrium/app/config"
	"github.com/atrium-portal/atrium/app/store"
)

// copyCmd moves a deployment from SQLite to PostgreSQL: it copies every
// row of the data directory's SQLite database into a new, empty
// PostgreSQL database, in one transaction, and checks the row counts.
func copyCmd(ctx context.Context, env Env, args []string) error {
	fs := flagSet(env, "copy", "copy --to postgres://… [--config FILE] [--data-dir DIR]")
	var cf configFlags
	fs.StringVar(&cf.path, "config", "", "TOML config file (see config.example.toml)")
	fs.StringVar(&cf.dataDir, "data-dir", "", "directory of the SQLite database to copy (default ./data)")
	to := fs.String("to", "", "postgres://user:password@host:port/database: the new, empty PostgreSQL database to copy into")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("copy: --to is required: the postgres://… URL of a new, empty PostgreSQL database")
	}
	if !store.IsPostgres(*to) {
		return errors.New("copy: --to must be a postgres:// (or postgresql://) URL; the source is always the SQLite database of the data directory")
	}
	// The source is the SQLite file of the data directory even when the
	// config already names the PostgreSQL database to move to.
	cf.sqliteOnly = true
	cfg, err := cf.load(env, fs)
	if err != nil {
		return err
	}
	path := cfg.DatabasePath()
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("copy: there is no SQLite database at %s: point --data-dir (or data_dir) at the deployment's data directory", path)
	} else if err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	src, err := store.Open(ctx, path, store.Modernc)
	if err != nil {
		return err
	}
	defer src.Close()
	// Both sides must be at the schema of this binary.
	applied, err := src.Migrate(ctx)
	if err != nil {
		return fmt.Errorf("copy: migrate the SQLite database: %w", err)
	}
	for _, m := range applied {
		fmt.Fprintln(env.Stdout, "applied to SQLite:", m)
	}
	dst, err := store.OpenPostgres(ctx, *to)
	if err != nil {
		return err
	}
	defer dst.Close()
	// A database of something else, or with Atrium's rows in it, is
	// refused before the migrations add anything to it.
	if err := checkTarget(ctx, dst.W.DB); err != nil {
		return err
	}
	if applied, err = dst.Migrate(ctx); err != nil {
		return fmt.Errorf("copy: migrate the PostgreSQL database: %w", err)
	}
	if len(applied) > 0 {
		fmt.Fprintf(env.Stdout, "PostgreSQL: applied %d migrations.\n", len(applied))
	}
	var counts []tableCount
	err = dst.Exclusive(ctx, "copy", func(ctx context.Context) error {
		counts, err = copyDatabase(ctx, src, dst)
		return err
	})
	if len(counts) > 0 {
		printCounts(env.Stdout, counts)
	}
	if err != nil {
		return err
	}
	printSwitch(env.Stdout, cfg, *to, counts)
	return nil
}

// printSwitch is the closing message: how to start on PostgreSQL, with
// the secret key that sealed the copied SMTP passwords.
func printSwitch(w io.Writer, cfg config.Config, to string, counts []tableCount) {
	rows := 0
	for _, c := range counts {
		rows += c.source
	}
	shown := to
	if u, err := url.Parse(to); err == nil {
		shown = u.Redacted()
	}
	fmt.Fprintf(w, "\nCopied %s of %s into PostgreSQL; the counts match.\n\n", plural(rows, "row"), plural(len(counts), "table"))
	fmt.Fprintln(w, "To switch, keep the server stopped and start every instance on PostgreSQL:")
	fmt.Fprintf(w, "  atrium serve --database-url '%s'   (or ATRIUM_DATABASE_URL, or database_url in the config)\n", shown)
	keyFile := filepath.Join(cfg.DataDir, "secret.key")
	switch _, err := os.Stat(keyFile); {
	case cfg.SecretKey != "":
		fmt.Fprintln(w, "with the secret_key (ATRIUM_SECRET_KEY) this deployment is configured with: the tenants'")
		fmt.Fprintln(w, "SMTP passwords were copied sealed with it, and every instance must use that same key.")
	case err == nil:
		fmt.Fprintf(w, "with this deployment's secret key, generated into %s:\n", keyFile)
		fmt.Fprintf(w, "  ATRIUM_SECRET_KEY=\"$(cat %s)\"\n", keyFile)
		fmt.Fprintln(w, "The tenants' SMTP passwords were copied sealed with it: every instance must use that same key")
		fmt.Fprintln(w, "(a new one could not open them).")
	default:
		fmt.Fprintf(w, "with a secret key (ATRIUM_SECRET_KEY), the same on every instance. There is none in %s,\n", cfg.DataDir)
		fmt.Fprintln(w, "so no secret was sealed yet; make one with: head -c 32 /dev/urandom | base64")
	}
	fmt.Fprintf(w, "\nThe copy left the SQLite database %s as it was: keep it as the backup until you are satisfied.\n", cfg.DatabasePath())
}

func printCounts(w io.Writer, counts []tableCount) {
	width := len("table")
	for _, c := range counts {
		width = max(width, len(c.table))
	}
	fmt.Fprintf(w, "%-*s %10s %10s\n", width, "table", "sqlite", "postgres")
	for _, c := range counts {
		mark := ""
		if c.source != c.target {
			mark = "  MISMATCH"
		}
		fmt.Fprintf(w, "%-*s %10d %10d%s\n", width, c.table, c.source, c.target, mark)
	}
}

// tableCount is one copied table's rows on both sides.
type tableCount struct {
	table          string
	source, target int
}

// A copyTable is what the copy knows of one application table.
type copyTable struct {
	name string
	// columns are the ones copied: the SQLite table's, in its order.
	columns []string
	// pgTypes are the PostgreSQL data types of columns.
	pgTypes []string
	// pk are the primary key's columns (SQLite's), for ordering and updates.
	pk []string
	// deps are the other tables its foreign keys point at.
	deps []string
	// selfRef are its nullable columns in foreign keys to itself: copied
	// as NULL first and set by a second pass once every row is there.
	selfRef []string
	// serial are its columns with an identity (or serial) sequence.
	serial []string
	// sqliteSeq is SQLite's AUTOINCREMENT high-water mark (sqlite_sequence).
	sqliteSeq int64
}

// notCopied are the tables each database keeps for itself.
func notCopied(name string) bool {
	return strings.HasPrefix(name, "sqlite_") || name == "bun_migrations" || name == "bun_migration_locks"
}

// copyDatabase copies every application table of src (SQLite) into dst
// (PostgreSQL) in one transaction on each side, and returns the counts.
// It holds SQLite's write lock throughout, so nothing written meanwhile
// can be missed; a failure leaves PostgreSQL as it was.
func copyDatabase(ctx context.Context, src, dst *store.DB) ([]tableCount, error) {
	stx, err := src.W.DB.BeginTx(ctx, nil) // BEGIN IMMEDIATE: the write lock
	if err != nil {
		return nil, fmt.Errorf("copy: lock the SQLite database (is a server still running on it?): %w", err)
	}
	defer stx.Rollback()
	tables, err := planCopy(ctx, stx, dst.W.DB)
	if err != nil {
		return nil, err
	}
	if err := checkForeignKeys(ctx, stx); err != nil {
		return nil, err
	}
	ptx, err := dst.W.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	defer ptx.Rollback()
	if err := checkEmpty(ctx, ptx); err != nil {
		return nil, err
	}
	for _, t := range tables {
		if err := copyRows(ctx, stx, ptx, t); err != nil {
			return nil, err
		}
	}
	for _, t := range tables {
		for _, col := range t.serial {
			// An explicit ID does not move an identity on: start it after
			// the highest ID copied, or after SQLite's AUTOINCREMENT mark
			// when that is higher, so that an ID of a deleted row is never
			// handed out again (migrations 080 and 090).
			q := fmt.Sprintf("SELECT setval(pg_get_serial_sequence($1, $2), GREATEST(COALESCE(MAX(%s), 0), $3::bigint) + 1, false) FROM %s",
				quote(col), quote(t.name))
			if _, err := ptx.ExecContext(ctx, q, quote(t.name), col, t.sqliteSeq); err != nil {
				return nil, fmt.Errorf("copy: set the next ID of %s: %w", t.name, pgDetail(err))
			}
		}
	}
	var counts []tableCount
	mismatch := false
	for _, t := range tables {
		c := tableCount{table: t.name}
		if err := stx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+quote(t.name)).Scan(&c.source); err != nil {
			return nil, fmt.Errorf("copy: count %s in SQLite: %w", t.name, err)
		}
		if err := ptx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+quote(t.name)).Scan(&c.target); err != nil {
			return nil, fmt.Errorf("copy: count %s in PostgreSQL: %w", t.name, err)
		}
		mismatch = mismatch || c.source != c.target
		counts = append(counts, c)
	}
	if mismatch {
		return counts, errors.New("copy: the row counts differ (see MISMATCH above); nothing was committed to PostgreSQL")
	}
	if err := ptx.Commit(); err != nil {
		return nil, fmt.Errorf("copy: commit: %w", pgDetail(err))
	}
	return counts, nil
}

// planCopy reads both schemas, checks that they hold the same tables and
// columns, and returns the tables in an order where every table comes
// after the tables its foreign keys point at.
func planCopy(ctx context.Context, stx *sql.Tx, pg *sql.DB) ([]*copyTable, error) {
	if err := sameMigrations(ctx, stx, pg); err != nil {
		return nil, err
	}
	// SQLite's tables: FTS5 indexes are "virtual" and their storage
	// "shadow" tables; PostgreSQL's tsvector columns replace them.
	names, err := queryStrings(ctx, stx, "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("copy: list the SQLite tables: %w", err)
	}
	seqs := map[string]int64{}
	if slices.Contains(names, "sqlite_sequence") {
		rows, err := stx.QueryContext(ctx, "SELECT name, seq FROM sqlite_sequence")
		if err != nil {
			return nil, fmt.Errorf("copy: %w", err)
		}
		for rows.Next() {
			var n string
			var s int64
			if err := rows.Scan(&n, &s); err != nil {
				rows.Close()
				return nil, fmt.Errorf("copy: %w", err)
			}
			seqs[n] = s
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("copy: %w", err)
		}
	}
	names = slices.DeleteFunc(names, notCopied)

	pgNames, err := queryStrings(ctx, pg, pgTables)
	if err != nil {
		return nil, fmt.Errorf("copy: list the PostgreSQL tables: %w", err)
	}
	pgNames = slices.DeleteFunc(pgNames, notCopied)
	if onlySQLite, onlyPG := difference(names, pgNames), difference(pgNames, names); len(onlySQLite)+len(onlyPG) > 0 {
		return nil, fmt.Errorf("copy: the two schemas differ: tables only in SQLite: %v; only in PostgreSQL: %v", onlySQLite, onlyPG)
	}
	type pgColumn struct {
		dataType            string
		nullable, generated bool
		serial              bool
	}
	pgCols := map[string]map[string]pgColumn{}
	rows, err := pg.QueryContext(ctx, `SELECT table_name, column_name, data_type, is_nullable = 'YES', is_generated = 'ALWAYS',
		is_identity = 'YES' OR COALESCE(column_default, '') LIKE 'nextval(%'
		FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`)
	if err != nil {
		return nil, fmt.Errorf("copy: read the PostgreSQL columns: %w", err)
	}
	for rows.Next() {
		var table, col string
		var c pgColumn
		if err := rows.Scan(&table, &col, &c.dataType, &c.nullable, &c.generated, &c.serial); err != nil {
			rows.Close()
			return nil, fmt.Errorf("copy: %w", err)
		}
		if pgCols[table] == nil {
			pgCols[table] = map[string]pgColumn{}
		}
		pgCols[table][col] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}

	byName := map[string]*copyTable{}
	for _, name := range names {
		t := &copyTable{name: name, sqliteSeq: seqs[name]}
		byName[name] = t
		type pkCol struct {
			name string
			pos  int
		}
		var pks []pkCol
		rows, err := stx.QueryContext(ctx, "SELECT name, pk FROM pragma_table_info(?) ORDER BY cid", name)
		if err != nil {
			return nil, fmt.Errorf("copy: read the columns of %s: %w", name, err)
		}
		for rows.Next() {
			var col string
			var pk int
			if err := rows.Scan(&col, &pk); err != nil {
				rows.Close()
				return nil, fmt.Errorf("copy: %w", err)
			}
			t.columns = append(t.columns, col)
			if pk > 0 {
				pks = append(pks, pkCol{col, pk})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("copy: %w", err)
		}
		slices.SortFunc(pks, func(a, b pkCol) int { return a.pos - b.pos })
		for _, p := range pks {
			t.pk = append(t.pk, p.name)
		}
		var missing, extra []string
		for _, col := range t.columns {
			c, ok := pgCols[name][col]
			if !ok || c.generated {
				missing = append(missing, col)
				continue
			}
			t.pgTypes = append(t.pgTypes, c.dataType)
			if c.serial {
				t.serial = append(t.serial, col)
			}
		}
		for col, c := range pgCols[name] {
			// A generated column (a tsvector) is PostgreSQL's own.
			if !c.generated && !slices.Contains(t.columns, col) {
				extra = append(extra, col)
			}
		}
		if len(missing)+len(extra) > 0 {
			slices.Sort(extra)
			return nil, fmt.Errorf("copy: the two schemas differ: columns of %s only in SQLite: %v; only in PostgreSQL: %v", name, missing, extra)
		}

		// Foreign keys, as SQLite declares them: one row per column.
		fks := map[int]struct {
			table string
			cols  []string
		}{}
		rows, err = stx.QueryContext(ctx, `SELECT id, "table", "from" FROM pragma_foreign_key_list(?) ORDER BY id, seq`, name)
		if err != nil {
			return nil, fmt.Errorf("copy: read the foreign keys of %s: %w", name, err)
		}
		for rows.Next() {
			var id int
			var parent, col string
			if err := rows.Scan(&id, &parent, &col); err != nil {
				rows.Close()
				return nil, fmt.Errorf("copy: %w", err)
			}
			fk := fks[id]
			fk.table = parent
			fk.cols = append(fk.cols, col)
			fks[id] = fk
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("copy: %w", err)
		}
		for _, fk := range fks {
			if !strings.EqualFold(fk.table, name) {
				if !slices.Contains(t.deps, fk.table) {
					t.deps = append(t.deps, fk.table)
				}
				continue
			}
			// A key to the table itself (users.manager_id): a row may point
			// at one copied after it. NULL in any column of the key
			// satisfies it, so the nullable ones are copied NULL and set
			// once every row is in.
			n := 0
			for _, col := range fk.cols {
				if pgCols[name][col].nullable {
					n++
					if !slices.Contains(t.selfRef, col) {
						t.selfRef = append(t.selfRef, col)
					}
				}
			}
			if n == 0 || len(t.pk) == 0 {
				return nil, fmt.Errorf("copy: %s has a foreign key to itself on %v with no nullable column or no primary key; it cannot be copied row by row", name, fk.cols)
			}
		}
	}
	return orderTables(names, byName)
}

// orderTables sorts tables so that each comes after those it depends on:
// each step takes the first table by name whose dependencies are done, so
// the order is the same every time.
func orderTables(names []string, byName map[string]*copyTable) ([]*copyTable, error) {
	done := map[string]bool{}
	var out []*copyTable
	for len(out) < len(names) {
		progress := false
		for _, name := range names {
			if done[name] {
				continue
			}
			t := byName[name]
			ready := true
			for _, d := range t.deps {
				if _, known := byName[d]; !known {
					return nil, fmt.Errorf("copy: %s has a foreign key to %s, which is not a table that is copied", name, d)
				}
				ready = ready && done[d]
			}
			if ready {
				done[name] = true
				out = append(out, t)
				progress = true
				break
			}
		}
		if !progress {
			var left []string
			for _, name := range names {
				if !done[name] {
					left = append(left, name)
				}
			}
			return nil, fmt.Errorf("copy: the foreign keys between %v form a cycle; no order of tables satisfies them", left)
		}
	}
	return out, nil
}

// sameMigrations refuses two databases at different schema versions.
func sameMigrations(ctx context.Context, stx *sql.Tx, pg *sql.DB) error {
	const q = "SELECT name FROM bun_migrations ORDER BY name"
	a, err := queryStrings(ctx, stx, q)
	if err != nil {
		return fmt.Errorf("copy: read the SQLite migrations: %w", err)
	}
	b, err := queryStrings(ctx, pg, q)
	if err != nil {
		return fmt.Errorf("copy: read the PostgreSQL migrations: %w", err)
	}
	if !slices.Equal(a, b) {
		return fmt.Errorf("copy: the databases are at different schema versions: SQLite has migrations %v, PostgreSQL has %v; copy with the atrium that migrated the PostgreSQL database",
			difference(a, b), difference(b, a))
	}
	return nil
}

// checkForeignKeys refuses a SQLite database with rows whose foreign keys
// point at nothing (possible where SQLite ran with foreign keys off), with
// a message rather than PostgreSQL's refusal halfway through the copy.
func checkForeignKeys(ctx context.Context, stx *sql.Tx) error {
	rows, err := stx.QueryContext(ctx, "SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")
	if err != nil {
		return fmt.Errorf("copy: check the SQLite foreign keys: %w", err)
	}
	defer rows.Close()
	var bad []string
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		if err := rows.Scan(&table, &rowid, &parent); err != nil {
			return fmt.Errorf("copy: %w", err)
		}
		if len(bad) < 5 {
			bad = append(bad, fmt.Sprintf("%s row %d → %s", table, rowid.Int64, parent))
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	if len(bad) > 0 {
		return fmt.Errorf("copy: the SQLite database has rows pointing at rows that do not exist, which PostgreSQL would refuse (PRAGMA foreign_key_check lists them): %s", strings.Join(bad, "; "))
	}
	return nil
}

// checkTarget refuses a PostgreSQL database that holds tables but not
// Atrium's migrations, or rows in any of Atrium's tables.
func checkTarget(ctx context.Context, pg *sql.DB) error {
	names, err := queryStrings(ctx, pg, pgTables)
	if err != nil {
		return fmt.Errorf("copy: list the PostgreSQL tables: %w", err)
	}
	if len(names) > 0 && !slices.Contains(names, "bun_migrations") {
		if len(names) > 5 {
			names = append(names[:5], "…")
		}
		return fmt.Errorf("copy: the PostgreSQL database holds tables that are not Atrium's (%s); copy into a new, empty database", strings.Join(names, ", "))
	}
	return checkEmpty(ctx, pg)
}

// pgTables lists the tables of the PostgreSQL database.
const pgTables = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"

type queryRower interface {
	querier
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// checkEmpty refuses a target with rows in any application table.
func checkEmpty(ctx context.Context, ptx queryRower) error {
	names, err := queryStrings(ctx, ptx, pgTables)
	if err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	var full []string
	for _, name := range slices.DeleteFunc(names, notCopied) {
		var n int
		if err := ptx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+quote(name)).Scan(&n); err != nil {
			return fmt.Errorf("copy: count %s in PostgreSQL: %w", name, err)
		}
		if n > 0 {
			full = append(full, fmt.Sprintf("%s has %s", name, plural(n, "row")))
		}
	}
	if len(full) > 0 {
		return fmt.Errorf("copy: the PostgreSQL database is not empty (%s); copy only into a new, empty database", strings.Join(full, ", "))
	}
	return nil
}

// maxParams stays under PostgreSQL's 65535 parameters of one statement.
const maxParams = 60000

// copyBatchRows is the most rows of one INSERT (tests make it small).
var copyBatchRows = 500

// copyRows copies table t in batches of multi-row INSERTs, then sets its
// references to itself.
func copyRows(ctx context.Context, stx, ptx *sql.Tx, t *copyTable) error {
	cols := make([]string, len(t.columns))
	for i, c := range t.columns {
		cols[i] = quote(c)
	}
	q := "SELECT " + strings.Join(cols, ", ") + " FROM " + quote(t.name)
	if len(t.pk) > 0 {
		pk := make([]string, len(t.pk))
		for i, c := range t.pk {
			pk[i] = quote(c)
		}
		q += " ORDER BY " + strings.Join(pk, ", ")
	}
	rows, err := stx.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("copy: read %s: %w", t.name, err)
	}
	defer rows.Close()

	insert := "INSERT INTO " + quote(t.name) + " (" + strings.Join(cols, ", ") + ")"
	if len(t.serial) > 0 {
		insert += " OVERRIDING SYSTEM VALUE"
	}
	insert += " VALUES "
	perBatch := max(1, min(copyBatchRows, maxParams/len(cols)))
	var args []any
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		var b strings.Builder
		b.WriteString(insert)
		for r := range n {
			if r > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for c := range cols {
				if c > 0 {
					b.WriteString(", ")
				}
				b.WriteString("$" + strconv.Itoa(r*len(cols)+c+1))
			}
			b.WriteByte(')')
		}
		if _, err := ptx.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("copy: insert into %s: %w", t.name, pgDetail(err))
		}
		args, n = args[:0], 0
		return nil
	}

	selfIdx := make([]int, len(t.selfRef))
	for i, c := range t.selfRef {
		selfIdx[i] = slices.Index(t.columns, c)
	}
	pkIdx := make([]int, len(t.pk))
	for i, c := range t.pk {
		pkIdx[i] = slices.Index(t.columns, c)
	}
	// later are the self-references to set after the rows: the values of
	// selfRef, then of pk.
	var later [][]any

	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("copy: read %s: %w", t.name, err)
		}
		row := make([]any, len(cols))
		for i, v := range vals {
			cv, err := convertValue(t.pgTypes[i], v)
			if err != nil {
				return fmt.Errorf("copy: %s.%s of the row %v: %w", t.name, t.columns[i], rowKey(t, vals), err)
			}
			row[i] = cv
		}
		if len(selfIdx) > 0 {
			set := false
			for _, i := range selfIdx {
				set = set || row[i] != nil
			}
			if set {
				upd := make([]any, 0, len(selfIdx)+len(pkIdx))
				for _, i := range selfIdx {
					upd = append(upd, row[i])
					row[i] = nil
				}
				for _, i := range pkIdx {
					upd = append(upd, row[i])
				}
				later = append(later, upd)
			}
		}
		args = append(args, row...)
		n++
		if n == perBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("copy: read %s: %w", t.name, err)
	}
	if err := flush(); err != nil {
		return err
	}
	if len(later) == 0 {
		return nil
	}
	var set, where []string
	for i, c := range t.selfRef {
		set = append(set, fmt.Sprintf("%s = $%d", quote(c), i+1))
	}
	for i, c := range t.pk {
		where = append(where, fmt.Sprintf("%s = $%d", quote(c), len(t.selfRef)+i+1))
	}
	upd := "UPDATE " + quote(t.name) + " SET " + strings.Join(set, ", ") + " WHERE " + strings.Join(where, " AND ")
	for _, a := range later {
		if _, err := ptx.ExecContext(ctx, upd, a...); err != nil {
			return fmt.Errorf("copy: set %v of %s %v: %w", t.selfRef, t.name, a[len(t.selfRef):], pgDetail(err))
		}
	}
	return nil
}

// rowKey names a row in an error: its primary key, or its first column.
func rowKey(t *copyTable, vals []any) string {
	var parts []string
	for _, c := range t.pk {
		parts = append(parts, fmt.Sprintf("%s=%v", c, vals[slices.Index(t.columns, c)]))
	}
	if len(parts) == 0 {
		parts = append(parts, fmt.Sprintf("%s=%v", t.columns[0], vals[0]))
	}
	return strings.Join(parts, ", ")
}

// sqliteTimeFormats are the ways a time is written in Atrium's SQLite
// databases: Bun's sqlite dialect ("2026-11-22 02:30:38.059932+00:00"),
// CURRENT_TIMESTAMP in migrations ("2026-11-22 02:30:38"), a time.Time
// handed to the driver directly (time.Time.String), and ISO 8601. The
// driver parses most of them itself for columns declared TIMESTAMP; these
// catch what it hands over as text.
var sqliteTimeFormats = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999 -0700 MST",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
}

func parseSQLiteTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, " m="); i > 0 { // time.Time.String's monotonic clock
		s = s[:i]
	}
	for _, f := range sqliteTimeFormats {
		if t, err := time.Parse(f, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time Atrium writes", s)
}

// convertValue turns what the SQLite driver read (nil, int64, float64,
// string, []byte or time.Time) into a value for a PostgreSQL column of
// type pgType (information_schema's data_type).
func convertValue(pgType string, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch pgType {
	case "boolean":
		// SQLite has no booleans: TRUE and FALSE are stored as 1 and 0.
		switch x := v.(type) {
		case int64:
			if x == 0 || x == 1 {
				return x == 1, nil
			}
		case bool:
			return x, nil
		case string, []byte:
			if b, err := strconv.ParseBool(strings.TrimSpace(toString(x))); err == nil {
				return b, nil
			}
		}
		return nil, fmt.Errorf("%v (%T) is not a boolean", v, v)
	case "timestamp with time zone", "timestamp without time zone", "date":
		// SQLite has no time type: times are text.
		var t time.Time
		switch x := v.(type) {
		case time.Time:
			t = x.UTC()
		case string, []byte:
			var err error
			if t, err = parseSQLiteTime(toString(x)); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("%v (%T) is not a time", v, v)
		}
		if pgType == "date" {
			return t.Format(time.DateOnly), nil
		}
		return t, nil
	case "bytea":
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		}
		return nil, fmt.Errorf("%T is not bytes", v)
	case "smallint", "integer", "bigint":
		switch x := v.(type) {
		case int64:
			return x, nil
		case float64:
			if x == float64(int64(x)) {
				return int64(x), nil
			}
		case string, []byte:
			if n, err := strconv.ParseInt(strings.TrimSpace(toString(x)), 10, 64); err == nil {
				return n, nil
			}
		}
		return nil, fmt.Errorf("%v (%T) is not an integer", v, v)
	case "text", "character varying", "character", "json", "jsonb":
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		case int64:
			return strconv.FormatInt(x, 10), nil
		case float64:
			return strconv.FormatFloat(x, 'g', -1, 64), nil
		case time.Time:
			return x.UTC().Format("2006-01-02 15:04:05.999999-07:00"), nil
		}
		return nil, fmt.Errorf("%T is not text", v)
	}
	if x, ok := v.([]byte); ok {
		return string(x), nil
	}
	return v, nil
}

func toString(v any) string {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return v.(string)
}

// pgDetail adds PostgreSQL's detail ("Key (…)=(…) already exists.") to err.
func pgDetail(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Detail != "" {
		return fmt.Errorf("%w: %s", err, pe.Detail)
	}
	return err
}

// quote is an identifier in double quotes, for both databases.
func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func queryStrings(ctx context.Context, db querier, q string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// difference is what of a is not in b.
func difference(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}
