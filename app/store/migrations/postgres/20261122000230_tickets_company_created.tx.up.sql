-- A company's tickets in the order they were opened, with what a report
-- counts of them: a report's "tickets opened in the period" reads this
-- index's range alone, where it tested every ticket of the company against
-- the period (docs/performance.md).
CREATE INDEX tickets_company_created ON tickets(tenant_id, company_id, created_at, board_id, status, priority);
