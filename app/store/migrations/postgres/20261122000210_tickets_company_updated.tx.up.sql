-- A company's tickets in the order of their last change: the list of a user
-- whose tickets are one company's (erin's, an external editor's) reads its
-- page by walking this index and stopping, where it sorted all of that
-- company's tickets for every page (docs/performance.md). The id is the
-- list's tie-break.
CREATE INDEX tickets_company_updated ON tickets(tenant_id, company_id, updated_at, id);

-- The assignee filter's choices ask, user by user, whether one ticket in the
-- reader's scope is theirs: with the company and board in the index, that
-- is answered without reading a ticket.
DROP INDEX tickets_assignee;
CREATE INDEX tickets_assignee ON tickets(tenant_id, assignee_id, company_id, board_id);
