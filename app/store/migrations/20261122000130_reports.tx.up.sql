-- Reports (SPEC §8): a report belongs to a company and a period and has
-- ordered parts. Members write them; external users of the company read
-- the published ones. A part marked internal_only is read by members only.
--
-- A part's body is markdown for text parts and JSON for metrics rows
-- ([{label, value, target}]) and rocks rows ([{title, owner, status}]);
-- ticket summary and chart parts hold nothing: they are computed from the
-- company's tickets in the period when the report is read.

CREATE TABLE reports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id    BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    company_id   BIGINT NOT NULL,
    title        TEXT NOT NULL,
    -- YYYY-MM-DD, both days included.
    period_start TEXT NOT NULL,
    period_end   TEXT NOT NULL,
    -- draft or published.
    status       TEXT NOT NULL DEFAULT 'draft',
    created_by   BIGINT,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies(tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, created_by) REFERENCES users(tenant_id, id)
);
--bun:split
-- An external user's list: their companies' reports, newest period first.
CREATE INDEX reports_company ON reports(tenant_id, company_id, period_end);
--bun:split
-- A member's list: every report of the tenant, newest period first.
CREATE INDEX reports_period ON reports(tenant_id, period_end, id);
--bun:split
CREATE TABLE report_parts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id     BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    report_id     BIGINT NOT NULL,
    position      INTEGER NOT NULL,
    -- text, metrics, ticket_summary, rocks or chart.
    kind          TEXT NOT NULL,
    title         TEXT NOT NULL DEFAULT '',
    internal_only BOOLEAN NOT NULL DEFAULT FALSE,
    body          TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, report_id) REFERENCES reports(tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX report_parts_report ON report_parts(tenant_id, report_id, position);
