-- The record of each invitation, one per link sent (a resend is a new
-- one). It outlives the invited user, who is removed when the invitation
-- is revoked, so an invitation's state can still be answered: queued,
-- sent, failed (from its outbox message), accepted, revoked or expired.
-- token_id is its link's row in user_tokens, gone with the user on
-- revocation; records of earlier invitations keep their token's id as theirs.

CREATE TABLE invitations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    token_id    BIGINT NOT NULL,
    user_id     BIGINT NOT NULL,
    email       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    message_id  BIGINT,
    created_by  BIGINT,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    revoked_at  TIMESTAMP,
    UNIQUE (tenant_id, id)
);
--bun:split
CREATE INDEX invitations_user ON invitations(tenant_id, user_id);
--bun:split
CREATE INDEX invitations_token ON invitations(tenant_id, token_id);
--bun:split
-- Invitations sent before this migration: the newest link of a user who
-- is no longer invited was accepted; an earlier used one was replaced.
INSERT INTO invitations (id, tenant_id, token_id, user_id, email, kind, message_id, created_by, created_at, expires_at, accepted_at, revoked_at)
SELECT ut.id, ut.tenant_id, ut.id, ut.user_id, u.email, u.kind, ut.message_id, ut.created_by, ut.created_at, ut.expires_at,
       CASE WHEN ut.used_at IS NOT NULL AND u.status <> 'invited'
                 AND ut.id = (SELECT MAX(l.id) FROM user_tokens AS l WHERE l.user_id = ut.user_id AND l.purpose = 'invite')
            THEN ut.used_at END,
       CASE WHEN ut.revoked_at IS NOT NULL THEN ut.revoked_at
            WHEN ut.used_at IS NOT NULL AND NOT (u.status <> 'invited'
                 AND ut.id = (SELECT MAX(l.id) FROM user_tokens AS l WHERE l.user_id = ut.user_id AND l.purpose = 'invite'))
            THEN ut.used_at END
FROM user_tokens AS ut
JOIN users AS u ON u.id = ut.user_id AND u.tenant_id = ut.tenant_id
WHERE ut.purpose = 'invite';
