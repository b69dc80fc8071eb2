-- Foundation: tenants, people (kinds, capabilities, companies, teams,
-- modules), sessions, one-time tokens and the login limiter.
-- Every table that holds a tenant's data carries tenant_id.
-- DDL is the one place where SQL is written per dialect: this folder is
-- SQLite's; PostgreSQL gets its own folder with the same versions.
-- A row that points at another tenant-owned row does so with a composite
-- key (tenant_id, x_id) → (tenant_id, id), so the database itself refuses a
-- link from one tenant's row to another tenant's.

CREATE TABLE tenants (
    id                INTEGER PRIMARY KEY,
    slug              TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    app_name          TEXT NOT NULL,
    primary_color     TEXT NOT NULL DEFAULT '#0F766E',
    accent_color      TEXT NOT NULL DEFAULT '#F59E0B',
    why_enabled       BOOLEAN NOT NULL DEFAULT TRUE,
    direction_enabled BOOLEAN NOT NULL DEFAULT TRUE,
    smtp_host         TEXT NOT NULL DEFAULT '',
    smtp_port         INTEGER NOT NULL DEFAULT 587,
    smtp_username     TEXT NOT NULL DEFAULT '',
    smtp_password     TEXT NOT NULL DEFAULT '',
    smtp_tls          TEXT NOT NULL DEFAULT 'starttls',
    mail_from_name    TEXT NOT NULL DEFAULT '',
    mail_from_address TEXT NOT NULL DEFAULT '',
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
--bun:split
CREATE TABLE tenant_hosts (
    id         INTEGER PRIMARY KEY,
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    hostname   TEXT NOT NULL UNIQUE,
    is_primary BOOLEAN NOT NULL DEFAULT FALSE
);
--bun:split
CREATE INDEX tenant_hosts_tenant ON tenant_hosts(tenant_id);
--bun:split
CREATE TABLE tenant_assets (
    id           INTEGER PRIMARY KEY,
    tenant_id    BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    data         BLOB NOT NULL,
    etag         TEXT NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, kind)
);
--bun:split
CREATE TABLE users (
    id               INTEGER PRIMARY KEY,
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
CREATE TABLE user_capabilities (
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL,
    capability TEXT NOT NULL,
    PRIMARY KEY (user_id, capability),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE TABLE user_modules (
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id   BIGINT NOT NULL,
    page      TEXT NOT NULL,
    show      BOOLEAN NOT NULL DEFAULT FALSE,
    label     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, page),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE TABLE companies (
    id         INTEGER PRIMARY KEY,
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    domain     TEXT NOT NULL DEFAULT '',
    notes      TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, id)
);
--bun:split
CREATE TABLE company_groups (
    id        INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, id)
);
--bun:split
CREATE TABLE company_group_members (
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    group_id   BIGINT NOT NULL,
    company_id BIGINT NOT NULL,
    PRIMARY KEY (group_id, company_id),
    FOREIGN KEY (tenant_id, group_id) REFERENCES company_groups(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies(tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE TABLE user_companies (
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL,
    company_id BIGINT NOT NULL,
    PRIMARY KEY (user_id, company_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies(tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE TABLE teams (
    id         INTEGER PRIMARY KEY,
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
CREATE TABLE team_members (
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    team_id   BIGINT NOT NULL,
    user_id   BIGINT NOT NULL,
    role      TEXT NOT NULL DEFAULT 'member',
    PRIMARY KEY (team_id, user_id),
    FOREIGN KEY (tenant_id, team_id) REFERENCES teams(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    tenant_id    BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    csrf_token   TEXT NOT NULL,
    address      TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX sessions_user ON sessions(tenant_id, user_id);
--bun:split
CREATE TABLE user_tokens (
    id         INTEGER PRIMARY KEY,
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL,
    purpose    TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX user_tokens_user ON user_tokens(tenant_id, user_id);
--bun:split
-- The login limiter's counters. Keys name an address ("addr:IP") or an
-- account ("acct:TENANT_ID:EMAIL"); a database table keeps them across
-- restarts and shared by every instance.
CREATE TABLE login_limits (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL DEFAULT 0,
    window_start TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);
