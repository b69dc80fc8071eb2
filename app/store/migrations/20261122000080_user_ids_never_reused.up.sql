-- A user's ID is never given to another user. SQLite reuses the highest
-- rowid once its row is deleted (a revoked invitation deletes its invited
-- user), and the audit log, invitation records and links would then name
-- the next person invited. AUTOINCREMENT forbids the reuse; adding it means
-- rebuilding the table, SQLite's documented way: foreign keys off for the
-- connection, a new table, copy, drop, rename, check, foreign keys on. IDs
-- stay as they are, so every reference to a user still holds.
PRAGMA foreign_keys = OFF;
--bun:split
BEGIN IMMEDIATE;
--bun:split
CREATE TABLE users_rebuilt (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id        BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    email            TEXT NOT NULL,
    name             TEXT NOT NULL DEFAULT '',
    kind             TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'invited',
    password_hash    TEXT NOT NULL DEFAULT '',
    test_user        BOOLEAN NOT NULL DEFAULT FALSE,
    own_tickets_only BOOLEAN NOT NULL DEFAULT FALSE,
    manager_id       BIGINT,
    hidden_pages     TEXT NOT NULL DEFAULT '[]',
    title            TEXT NOT NULL DEFAULT '',
    phone            TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    deactivated_at   TIMESTAMP,
    UNIQUE (tenant_id, email),
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, manager_id) REFERENCES users(tenant_id, id)
);
--bun:split
INSERT INTO users_rebuilt (id, tenant_id, email, name, kind, status, password_hash, test_user, own_tickets_only,
    manager_id, hidden_pages, title, phone, created_at, updated_at, deactivated_at)
SELECT id, tenant_id, email, name, kind, status, password_hash, test_user, own_tickets_only,
    manager_id, hidden_pages, title, phone, created_at, updated_at, deactivated_at
FROM users;
--bun:split
DROP TABLE users;
--bun:split
ALTER TABLE users_rebuilt RENAME TO users;
--bun:split
CREATE UNIQUE INDEX users_email_ci ON users(tenant_id, lower(email));
--bun:split
COMMIT;
--bun:split
PRAGMA foreign_keys = ON;
