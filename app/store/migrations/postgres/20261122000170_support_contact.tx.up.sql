-- The MSP's contact card on external users' home page (SPEC §5, home):
-- how a client reaches support. Free text, edited with the branding.
ALTER TABLE tenants ADD COLUMN support_email TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE tenants ADD COLUMN support_phone TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE tenants ADD COLUMN support_hours TEXT NOT NULL DEFAULT '';
--bun:split
-- The company an external user chose in the company switcher for this
-- session; NULL is all of their companies. A company that is no longer
-- theirs is ignored when the request's actor is built.
ALTER TABLE sessions ADD COLUMN company_id BIGINT NULL;
