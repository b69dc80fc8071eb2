-- API tokens (SPEC §12): personal tokens a user makes for their own
-- scripts, and integration tokens an admin makes for another system, with
-- explicit scopes. Only a SHA-256 hash of the secret is stored. user_id is
-- the owner of a personal token and the creator of an integration token;
-- either acts with that user's rights and dies with them.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id    BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('personal', 'integration')),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    scopes       TEXT NOT NULL DEFAULT '[]',
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX api_tokens_user ON api_tokens(tenant_id, user_id);
