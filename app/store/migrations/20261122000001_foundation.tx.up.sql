-- Foundation: tenants, people (kinds, capabilities, companies, teams,
-- modules), sessions, one-time tokens and the login limiter.
-- Every table that holds a tenant's data carries tenant_id.
-- DDL is the one place where SQL is written per dialect: this folder is
-- SQLite's; PostgreSQL gets its own folder with the same versions.

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
    manager_id       BIGINT REFERENCES users(id) ON DELETE SET NULL,
    hidden_pages     TEXT NOT NULL DEFAULT '[]',
    title            TEXT NOT NULL DEFAULT '',
    phone            TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    deactivated_at   TIMESTAMP,
    UNIQUE (tenant_id, email)
);
--bun:split
CREATE TABLE user_capabilities (
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    capability TEXT NOT NULL,
    PRIMARY KEY (user_id, capability)
);
--bun:split
CREATE TABLE user_modules (
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id   BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    page      TEXT NOT NULL,
    show      BOOLEAN NOT NULL DEFAULT FALSE,
    label     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, page)
);
--bun:split
CREATE TABLE companies (
    id         INTEGER PRIMARY KEY,
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    domain     TEXT NOT NULL DEFAULT '',
    notes      TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, name)
);
--bun:split
CREATE TABLE company_groups (
    id        INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    UNIQUE (tenant_id, name)
);
--bun:split
CREATE TABLE company_group_members (
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    group_id   BIGINT NOT NULL REFERENCES company_groups(id) ON DELETE CASCADE,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, company_id)
);
--bun:split
CREATE TABLE user_companies (
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, company_id)
);
--bun:split
CREATE TABLE teams (
    id         INTEGER PRIMARY KEY,
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    company_id BIGINT REFERENCES companies(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, name)
);
--bun:split
CREATE TABLE team_members (
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    team_id   BIGINT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    user_id   BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role      TEXT NOT NULL DEFAULT 'member',
    PRIMARY KEY (team_id, user_id)
);
--bun:split
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    tenant_id    BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,
    csrf_token   TEXT NOT NULL,
    address      TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL
);
--bun:split
CREATE INDEX sessions_user ON sessions(tenant_id, user_id);
--bun:split
CREATE TABLE user_tokens (
    id         INTEGER PRIMARY KEY,
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
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
