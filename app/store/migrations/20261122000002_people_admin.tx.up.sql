-- People administration: the audit log, the email outbox, and invitation
-- bookkeeping on one-time tokens.

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    tenant_id       BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    at              TIMESTAMP NOT NULL,
    actor_id        BIGINT REFERENCES users(id) ON DELETE SET NULL,
    impersonator_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    action          TEXT NOT NULL,
    object_type     TEXT NOT NULL DEFAULT '',
    object_id       BIGINT,
    address         TEXT NOT NULL DEFAULT '',
    summary         TEXT NOT NULL DEFAULT ''
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
    sent_at         TIMESTAMP
);
--bun:split
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
--bun:split
ALTER TABLE user_tokens ADD COLUMN message_id BIGINT REFERENCES outbox(id) ON DELETE SET NULL;
--bun:split
ALTER TABLE user_tokens ADD COLUMN revoked_at TIMESTAMP;
--bun:split
ALTER TABLE user_tokens ADD COLUMN created_by BIGINT REFERENCES users(id) ON DELETE SET NULL;
