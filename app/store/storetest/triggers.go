package storetest

import (
	"context"
	"testing"

	"github.com/atrium-portal/atrium/app/store"
)

// FailWrites makes every op ("INSERT", "UPDATE" or "DELETE") on table fail
// with message, as a database that refuses would: tests use it to prove a
// change and its audit record commit together or not at all. It is a
// trigger in the dialect of db.
func FailWrites(t testing.TB, db *store.DB, op, table, message string) {
	t.Helper()
	trigger(t, db, "fail_"+table, op, table, "RAISE EXCEPTION '"+message+"';", "SELECT RAISE(ABORT, '"+message+"');")
}

// SkipWrites makes every op on table change nothing and report no error,
// as when another writer took the row first.
func SkipWrites(t testing.TB, db *store.DB, op, table string) {
	t.Helper()
	trigger(t, db, "skip_"+table, op, table, "RETURN NULL;", "SELECT RAISE(IGNORE);")
}

func trigger(t testing.TB, db *store.DB, name, op, table, plpgsql, sqlite string) {
	t.Helper()
	ctx := context.Background()
	stmts := []string{"CREATE TRIGGER " + name + " BEFORE " + op + " ON " + table + " BEGIN " + sqlite + " END"}
	if db.Dialect == store.Postgres {
		stmts = []string{
			"CREATE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " + plpgsql + " END $$",
			"CREATE TRIGGER " + name + " BEFORE " + op + " ON " + table + " FOR EACH ROW EXECUTE FUNCTION " + name + "()",
		}
	}
	for _, s := range stmts {
		if _, err := db.W.ExecContext(ctx, s); err != nil {
			t.Fatalf("storetest: %s: %v", s, err)
		}
	}
}
