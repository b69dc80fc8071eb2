-- Company contacts (SPEC §5 page `contacts`, §12 resource `contacts`): a
-- client company's address book. A contact is a person at the company;
-- user_id links the portal user who is that person, when they have an
-- account (a ticket's contact, SPEC §7, is always such a user).
--
-- Deleting a company deletes its contacts with it: they are the company's
-- own address book, and people.DeleteCompany already refuses while users
-- are assigned to the company or tickets belong to it. A linked user is an
-- active user, and active users are never deleted (only invited ones
-- are), so user_id needs no ON DELETE action.
CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    company_id  BIGINT NOT NULL,
    user_id     BIGINT,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    -- The contact's ID in a PSA, for sync by upsert.
    external_id TEXT,
    created_by  BIGINT,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id)
);
--bun:split
CREATE UNIQUE INDEX contacts_external_id ON contacts(tenant_id, external_id) WHERE external_id IS NOT NULL;
--bun:split
-- An external user's list: their companies' contacts by name.
CREATE INDEX contacts_company_name ON contacts(tenant_id, company_id, name, id);
--bun:split
-- A member's list: the tenant's contacts by name.
CREATE INDEX contacts_name ON contacts(tenant_id, name, id);
--bun:split
CREATE INDEX contacts_user ON contacts(tenant_id, user_id) WHERE user_id IS NOT NULL;
