-- A team's, company's or group's ID is never given to another one: the
-- audit log names deleted teams and companies by ID, and the next one
-- created must not inherit their history. As for users (migration 080),
-- the tables are rebuilt with AUTOINCREMENT, IDs unchanged, with foreign
-- keys off for the connection while the tables are swapped.
PRAGMA foreign_keys = OFF;
--bun:split
BEGIN IMMEDIATE;
--bun:split
CREATE TABLE companies_rebuilt (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    domain     TEXT NOT NULL DEFAULT '',
    notes      TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, id)
);
--bun:split
INSERT INTO companies_rebuilt (id, tenant_id, name, domain, notes, created_at)
SELECT id, tenant_id, name, domain, notes, created_at FROM companies;
--bun:split
DROP TABLE companies;
--bun:split
ALTER TABLE companies_rebuilt RENAME TO companies;
--bun:split
CREATE UNIQUE INDEX companies_name_ci ON companies(tenant_id, lower(name));
--bun:split
CREATE TABLE teams_rebuilt (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    company_id BIGINT,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies(tenant_id, id)
);
--bun:split
INSERT INTO teams_rebuilt (id, tenant_id, name, kind, company_id, created_at)
SELECT id, tenant_id, name, kind, company_id, created_at FROM teams;
--bun:split
DROP TABLE teams;
--bun:split
ALTER TABLE teams_rebuilt RENAME TO teams;
--bun:split
CREATE UNIQUE INDEX teams_name_ci ON teams(tenant_id, lower(name));
--bun:split
CREATE TABLE company_groups_rebuilt (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, id)
);
--bun:split
INSERT INTO company_groups_rebuilt (id, tenant_id, name) SELECT id, tenant_id, name FROM company_groups;
--bun:split
DROP TABLE company_groups;
--bun:split
ALTER TABLE company_groups_rebuilt RENAME TO company_groups;
--bun:split
CREATE UNIQUE INDEX company_groups_name_ci ON company_groups(tenant_id, lower(name));
--bun:split
COMMIT;
--bun:split
PRAGMA foreign_keys = ON;
