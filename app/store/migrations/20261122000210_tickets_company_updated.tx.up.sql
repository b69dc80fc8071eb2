-- A company's tickets in the order of their last change: the list of a user
-- whose tickets are one company's (erin's, an external editor's) reads its
-- page by walking this index and stopping, where it sorted all 15,000 of
-- that company's tickets (of 200,000) for every page: 11 ms to 0.3 ms
-- (docs/performance.md). SQLite appends the rowid, which is the list's
-- tie-break.
CREATE INDEX tickets_company_updated ON tickets(tenant_id, company_id, updated_at);

-- The assignee filter's choices ask, user by user, whether one ticket in the
-- reader's scope is theirs: with the company and board in the index, that
-- is answered without reading a ticket, even for a member with thousands of
-- tickets of other companies.
DROP INDEX tickets_assignee;
CREATE INDEX tickets_assignee ON tickets(tenant_id, assignee_id, company_id, board_id);
