-- People administration: the audit log, the email outbox, and invitation
-- bookkeeping on one-time tokens.

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    tenant_id       BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    at              TIMESTAMP NOT NULL,
    actor_id        BIGINT,
    impersonator_id BIGINT,
    action          TEXT NOT NULL,
    object_type     TEXT NOT NULL DEFAULT '',
    object_id       BIGINT,
    address         TEXT NOT NULL DEFAULT '',
    summary         TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (tenant_id, actor_id) REFERENCES users(tenant_id, id),
    FOREIGN KEY (tenant_id, impersonator_id) REFERENCES users(tenant_id, id)
);
--bun:split
CREATE INDEX audit_log_tenant ON audit_log(tenant_id, id);
--bun:split
-- Each email is written here in the same transaction as the action that
-- causes it; a worker delivers it. status: queued, sending, sent, failed.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    tenant_id       BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'queued',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_until   TIMESTAMP,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP,
    UNIQUE (tenant_id, id)
);
--bun:split
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
--bun:split
-- SQLite cannot add a composite foreign key to an existing table; the
-- scoped handle writes these two columns, always within one tenant.
ALTER TABLE user_tokens ADD COLUMN message_id BIGINT;
--bun:split
ALTER TABLE user_tokens ADD COLUMN revoked_at TIMESTAMP;
--bun:split
ALTER TABLE user_tokens ADD COLUMN created_by BIGINT;
