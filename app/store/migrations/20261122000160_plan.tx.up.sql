-- Strategy and Plan (SPEC §5 page `plan`): each client company's roadmap.
-- A goal says where the company wants to be; an initiative is the work
-- that gets it there, in a quarter ('2026-Q4'), with a status, a budget
-- estimate in cents and an owner at the MSP (a member). Goals may carry a
-- quarter too. Comments are the conversation on an item between the
-- client's editors and the MSP.
--
-- Deleting a company deletes its plan; deleting an item deletes its
-- comments. Owners and authors are active users, and active users are
-- never deleted (only invited ones are), so their references need no
-- ON DELETE action.
CREATE TABLE plan_items (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    company_id      BIGINT NOT NULL,
    -- goal or initiative.
    kind            TEXT NOT NULL,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    -- YYYY-Qn, or '' (goals only).
    quarter         TEXT NOT NULL DEFAULT '',
    -- planned, in_progress, done or on_hold.
    status          TEXT NOT NULL DEFAULT 'planned',
    budget_estimate BIGINT,
    owner_id        BIGINT,
    position        INTEGER NOT NULL DEFAULT 0,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, owner_id) REFERENCES users(tenant_id, id)
);
--bun:split
-- A company's plan: its goals, then its initiatives by quarter.
CREATE INDEX plan_items_company ON plan_items(tenant_id, company_id, kind, quarter, position, id);
--bun:split
CREATE TABLE plan_comments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    item_id     BIGINT NOT NULL,
    author_id   BIGINT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES plan_items(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, author_id) REFERENCES users(tenant_id, id)
);
--bun:split
CREATE INDEX plan_comments_item ON plan_comments(tenant_id, item_id, id);
