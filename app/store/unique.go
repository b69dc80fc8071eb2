package store

import (
	"errors"
	"strings"
)

// SQLite's extended result codes for a broken uniqueness rule
// (sqlite3.SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY).
const (
	sqliteConstraintUnique     = 2067
	sqliteConstraintPrimaryKey = 1555
)

// pgUniqueViolation is PostgreSQL's SQLSTATE for unique_violation.
const pgUniqueViolation = "23505"

// IsUniqueViolation reports whether err (or an error it wraps) is the
// database refusing a row that breaks a unique constraint or index: SQLite's
// UNIQUE constraint failure (modernc or mattn) or PostgreSQL's SQLSTATE
// 23505 (pgx's *pgconn.PgError, lib/pq, or their text). Domain code maps it
// to a field message: the constraint, not a check before the insert, is
// what keeps two concurrent writers from storing the same name.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		if c := coded.Code(); c == sqliteConstraintUnique || c == sqliteConstraintPrimaryKey {
			return true
		}
	}
	var pg interface{ SQLState() string }
	if errors.As(err, &pg) && pg.SQLState() == pgUniqueViolation {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") ||
		strings.Contains(msg, "SQLSTATE "+pgUniqueViolation) ||
		strings.Contains(msg, "(SQLSTATE="+pgUniqueViolation+")")
}
