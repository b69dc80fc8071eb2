-- A team's, company's or group's ID is never given to another one: the
-- audit log names deleted teams and companies by ID, and the next one
-- created must not inherit their history. SQLite's migration rebuilds
-- companies, teams and company_groups with AUTOINCREMENT (same columns,
-- constraints, IDs and *_name_ci indexes). On PostgreSQL their IDs are
-- identities since migration 001, never reused, so, as for users
-- (migration 080), there is nothing to rebuild: the statement below does
-- nothing and keeps the version in step with SQLite's.
SELECT 1;
