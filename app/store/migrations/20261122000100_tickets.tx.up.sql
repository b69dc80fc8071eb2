-- Tickets (SPEC §7): boards and who may see them, note types and who may
-- read and add them, field access by kind, custom fields, the tickets with
-- their notes and watchers, and the search index.
--
-- Permissions are rows, not code: an admin edits them in Settings → Tickets
-- and the policy package reads them (policy.TicketRules). Members see every
-- board and read every note type; guests and clients have no tickets page;
-- so the rows name the external kinds only where that is all they can mean.

CREATE TABLE boards (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id     BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    position      INTEGER NOT NULL DEFAULT 0,
    -- The external kinds that may see the board, as a JSON array.
    kinds         TEXT NOT NULL DEFAULT '[]',
    -- For external users: every company (TRUE) or those in board_companies.
    all_companies BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id)
);
--bun:split
CREATE UNIQUE INDEX boards_name ON boards(tenant_id, lower(name));
--bun:split
CREATE TABLE board_companies (
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    board_id   BIGINT NOT NULL,
    company_id BIGINT NOT NULL,
    PRIMARY KEY (board_id, company_id),
    FOREIGN KEY (tenant_id, board_id) REFERENCES boards(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies(tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE TABLE note_types (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    position   INTEGER NOT NULL DEFAULT 0,
    -- The kinds that may read and add notes of this type, as JSON arrays.
    read_kinds TEXT NOT NULL DEFAULT '["member"]',
    add_kinds  TEXT NOT NULL DEFAULT '["member"]',
    UNIQUE (tenant_id, id)
);
--bun:split
CREATE UNIQUE INDEX note_types_name ON note_types(tenant_id, lower(name));
--bun:split
CREATE TABLE ticket_custom_fields (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    -- text, number, date or choice.
    kind      TEXT NOT NULL,
    -- The choices of a choice field, as a JSON array.
    choices   TEXT NOT NULL DEFAULT '[]',
    position  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, id)
);
--bun:split
CREATE UNIQUE INDEX ticket_custom_fields_name ON ticket_custom_fields(tenant_id, lower(name));
--bun:split
-- Field access by kind: hidden, read or edit. A missing row is the
-- policy's default for that field and kind.
CREATE TABLE ticket_field_access (
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    field     TEXT NOT NULL,
    kind      TEXT NOT NULL,
    access    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, field, kind)
);
--bun:split
CREATE TABLE tickets (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id    BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    number       BIGINT NOT NULL,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    board_id     BIGINT NOT NULL,
    -- NULL for the tenant's own work (an Internal Ops board, say).
    company_id   BIGINT,
    contact_id   BIGINT,
    status       TEXT NOT NULL,
    priority     TEXT NOT NULL,
    type         TEXT NOT NULL,
    assignee_id  BIGINT,
    due_on       TEXT,
    -- Minutes.
    time_spent   BIGINT NOT NULL DEFAULT 0,
    billing_code TEXT NOT NULL DEFAULT '',
    external_id  TEXT,
    created_by   BIGINT,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, number),
    FOREIGN KEY (tenant_id, board_id) REFERENCES boards(tenant_id, id),
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies(tenant_id, id),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES users(tenant_id, id),
    FOREIGN KEY (tenant_id, assignee_id) REFERENCES users(tenant_id, id)
);
--bun:split
CREATE UNIQUE INDEX tickets_external_id ON tickets(tenant_id, external_id) WHERE external_id IS NOT NULL;
--bun:split
-- A member's list: the tenant's tickets, newest change first.
CREATE INDEX tickets_updated ON tickets(tenant_id, updated_at, id);
--bun:split
-- An external user's list: their companies' tickets on the boards they see.
CREATE INDEX tickets_company ON tickets(tenant_id, company_id, board_id, updated_at);
--bun:split
-- Own tickets only: those where the user is the contact.
CREATE INDEX tickets_contact ON tickets(tenant_id, contact_id);
--bun:split
CREATE INDEX tickets_assignee ON tickets(tenant_id, assignee_id);
--bun:split
CREATE TABLE ticket_values (
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    ticket_id BIGINT NOT NULL,
    field_id  BIGINT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (ticket_id, field_id),
    FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, field_id) REFERENCES ticket_custom_fields(tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE TABLE ticket_watchers (
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    ticket_id  BIGINT NOT NULL,
    user_id    BIGINT NOT NULL,
    added_by   BIGINT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (ticket_id, user_id),
    FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id) ON DELETE CASCADE
);
--bun:split
-- Own tickets only: those the user watches.
CREATE INDEX ticket_watchers_user ON ticket_watchers(tenant_id, user_id, ticket_id);
--bun:split
CREATE TABLE ticket_notes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id    BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    ticket_id    BIGINT NOT NULL,
    note_type_id BIGINT NOT NULL,
    body         TEXT NOT NULL,
    author_id    BIGINT,
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, note_type_id) REFERENCES note_types(tenant_id, id),
    FOREIGN KEY (tenant_id, author_id) REFERENCES users(tenant_id, id)
);
--bun:split
CREATE INDEX ticket_notes_ticket ON ticket_notes(tenant_id, ticket_id, created_at);
--bun:split
-- The search index: one row per searchable text of a ticket, named by its
-- source ("title", "description", "field:billing_code", "custom" with the
-- custom field in ref_id, "note" with the note type in ref_id), so a search
-- can leave out every source the caller may not see. Written by the tickets
-- package in the transaction of the change. ticket_search is SQLite's
-- full-text index over it, kept in step by triggers; PostgreSQL indexes the
-- same table with a tsvector instead.
CREATE TABLE ticket_texts (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    ticket_id BIGINT NOT NULL,
    source    TEXT NOT NULL,
    ref_id    BIGINT NOT NULL DEFAULT 0,
    body      TEXT NOT NULL,
    FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets(tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX ticket_texts_ticket ON ticket_texts(tenant_id, ticket_id);
--bun:split
CREATE VIRTUAL TABLE ticket_search USING fts5(
    body,
    content = 'ticket_texts',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
--bun:split
CREATE TRIGGER ticket_texts_ai AFTER INSERT ON ticket_texts BEGIN
    INSERT INTO ticket_search (rowid, body) VALUES (new.id, new.body);
END;
--bun:split
CREATE TRIGGER ticket_texts_ad AFTER DELETE ON ticket_texts BEGIN
    INSERT INTO ticket_search (ticket_search, rowid, body) VALUES ('delete', old.id, old.body);
END;
--bun:split
CREATE TRIGGER ticket_texts_au AFTER UPDATE ON ticket_texts BEGIN
    INSERT INTO ticket_search (ticket_search, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO ticket_search (rowid, body) VALUES (new.id, new.body);
END;
--bun:split
ALTER TABLE users ADD COLUMN ticket_emails BOOLEAN NOT NULL DEFAULT TRUE;
--bun:split
-- Every tenant starts with the three note types of the help center and a
-- Service Desk board open to external users of every company.
INSERT INTO note_types (tenant_id, name, position, read_kinds, add_kinds)
SELECT id, 'Discussion', 1, '["member","external_editor","external_viewer"]', '["member","external_editor"]' FROM tenants;
--bun:split
INSERT INTO note_types (tenant_id, name, position, read_kinds, add_kinds)
SELECT id, 'Resolution', 2, '["member","external_editor","external_viewer"]', '["member"]' FROM tenants;
--bun:split
INSERT INTO note_types (tenant_id, name, position, read_kinds, add_kinds)
SELECT id, 'Internal', 3, '["member"]', '["member"]' FROM tenants;
--bun:split
INSERT INTO boards (tenant_id, name, position, kinds, all_companies, created_at)
SELECT id, 'Service Desk', 1, '["external_editor","external_viewer"]', TRUE, CURRENT_TIMESTAMP FROM tenants;
