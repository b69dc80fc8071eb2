-- Strategy (SPEC §5–6): the vision, why and direction documents with every
-- version kept, the company headlines, and the roles chart's seats.
--
-- A document is never changed in place: each save adds a version, numbered
-- 1, 2, 3… per document, and the highest number is the current text. A
-- version's sections are a JSON object of section key → markdown (the
-- vision's six sections; why and direction have one, "body"), rendered
-- and sanitised when shown (app/markdown).
--
-- Who reads and writes these is the policy's (app/policy/strategy.go).
-- Authors are users, and users who wrote anything are never deleted (only
-- invited ones are), so their references need no ON DELETE action; a
-- deactivated author stays named.
CREATE TABLE strategy_versions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    doc        TEXT NOT NULL CHECK (doc IN ('vision', 'why', 'direction')),
    number     INTEGER NOT NULL,
    sections   TEXT NOT NULL DEFAULT '{}',
    created_by BIGINT,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    -- Two saves from the same version: the second one fails here.
    UNIQUE (tenant_id, doc, number),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users(tenant_id, id)
);
--bun:split
CREATE TABLE headlines (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    -- Markdown, optional.
    body       TEXT NOT NULL DEFAULT '',
    created_by BIGINT,
    updated_by BIGINT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users(tenant_id, id),
    FOREIGN KEY (tenant_id, updated_by) REFERENCES users(tenant_id, id)
);
--bun:split
-- The list: newest first.
CREATE INDEX headlines_created ON headlines(tenant_id, created_at, id);
--bun:split
-- A seat of the roles chart: a title, its roles (one per line) and, but for
-- the top seats, the seat it reports to. Removing a seat moves its seats up
-- to its own parent first, in the same transaction.
CREATE TABLE seats (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    parent_id  BIGINT,
    title      TEXT NOT NULL,
    roles      TEXT NOT NULL DEFAULT '',
    position   INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, parent_id) REFERENCES seats(tenant_id, id)
);
--bun:split
CREATE INDEX seats_parent ON seats(tenant_id, parent_id);
--bun:split
-- The people in a seat: members of the tenant.
CREATE TABLE seat_people (
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    seat_id   BIGINT NOT NULL,
    user_id   BIGINT NOT NULL,
    position  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (seat_id, user_id),
    FOREIGN KEY (tenant_id, seat_id) REFERENCES seats(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX seat_people_user ON seat_people(tenant_id, user_id);
