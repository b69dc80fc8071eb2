-- Workboards, their cards and tasks (SPEC §6, page workboards). A
-- workboard and each card have a security level and members; who sees
-- what is the policy's (policy.WorkboardsScope, policy.CanSeeCard).

CREATE TABLE workboards (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    security    TEXT NOT NULL CHECK (security IN ('open', 'restricted', 'top_secret')),
    created_by  BIGINT,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users(tenant_id, id)
);
--bun:split
CREATE TABLE workboard_members (
    tenant_id    BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    workboard_id BIGINT NOT NULL,
    user_id      BIGINT NOT NULL,
    PRIMARY KEY (workboard_id, user_id),
    FOREIGN KEY (tenant_id, workboard_id) REFERENCES workboards(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id)
);
--bun:split
CREATE INDEX workboard_members_user ON workboard_members(tenant_id, user_id, workboard_id);
--bun:split
CREATE TABLE cards (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id    BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    workboard_id BIGINT NOT NULL,
    title        TEXT NOT NULL,
    -- The summary tab: markdown, rendered and sanitised when shown.
    summary      TEXT NOT NULL DEFAULT '',
    security     TEXT NOT NULL CHECK (security IN ('open', 'restricted', 'top_secret')),
    status       TEXT NOT NULL DEFAULT 'not_started' CHECK (status IN ('not_started', 'in_progress', 'done')),
    created_by   BIGINT,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, workboard_id) REFERENCES workboards(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, created_by) REFERENCES users(tenant_id, id)
);
--bun:split
CREATE INDEX cards_workboard ON cards(tenant_id, workboard_id, id);
--bun:split
CREATE TABLE card_members (
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    card_id   BIGINT NOT NULL,
    user_id   BIGINT NOT NULL,
    PRIMARY KEY (card_id, user_id),
    FOREIGN KEY (tenant_id, card_id) REFERENCES cards(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id)
);
--bun:split
CREATE INDEX card_members_user ON card_members(tenant_id, user_id, card_id);
--bun:split
CREATE TABLE tasks (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id    BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    workboard_id BIGINT NOT NULL,
    -- The card it belongs to, if any; a task of a card is seen with the card.
    card_id      BIGINT,
    title        TEXT NOT NULL,
    assignee_id  BIGINT,
    due_on       TEXT,
    status       TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'doing', 'done')),
    created_by   BIGINT,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, workboard_id) REFERENCES workboards(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, card_id) REFERENCES cards(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, assignee_id) REFERENCES users(tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users(tenant_id, id)
);
--bun:split
CREATE INDEX tasks_workboard ON tasks(tenant_id, workboard_id, status, id);
--bun:split
CREATE INDEX tasks_assignee ON tasks(tenant_id, assignee_id, due_on);
