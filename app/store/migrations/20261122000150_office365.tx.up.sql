-- Office 365 per company (SPEC §5, page office365): the Microsoft 365
-- licences (SKUs) a company holds, its users, and which user holds which
-- licence. Assigned counts are computed from the assignments; nothing
-- stores them twice. Every foreign key carries the tenant, and an
-- assignment carries the company as well, so a user can only hold a
-- licence of their own company.
CREATE TABLE m365_licences (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    company_id BIGINT NOT NULL,
    -- Microsoft's SKU part number, e.g. O365_BUSINESS_PREMIUM.
    sku        TEXT NOT NULL,
    -- The friendly name, e.g. "Microsoft 365 Business Premium".
    name       TEXT NOT NULL,
    total      INTEGER NOT NULL CHECK (total >= 0),
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, company_id, id),
    UNIQUE (tenant_id, company_id, sku),
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies(tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE TABLE m365_users (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id    BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    company_id   BIGINT NOT NULL,
    -- The user principal name, stored lower-case.
    email        TEXT NOT NULL,
    display_name TEXT NOT NULL,
    mfa          TEXT NOT NULL DEFAULT 'unknown' CHECK (mfa IN ('enabled', 'enforced', 'disabled', 'unknown')),
    last_sign_in TIMESTAMP,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, company_id, id),
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies(tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE UNIQUE INDEX m365_users_email ON m365_users(tenant_id, company_id, lower(email));
--bun:split
CREATE TABLE m365_assignments (
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    company_id BIGINT NOT NULL,
    user_id    BIGINT NOT NULL,
    licence_id BIGINT NOT NULL,
    PRIMARY KEY (user_id, licence_id),
    FOREIGN KEY (tenant_id, company_id, user_id) REFERENCES m365_users(tenant_id, company_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, company_id, licence_id) REFERENCES m365_licences(tenant_id, company_id, id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX m365_assignments_licence ON m365_assignments(licence_id);
