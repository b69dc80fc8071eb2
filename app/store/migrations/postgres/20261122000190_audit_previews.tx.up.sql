-- The audit log's "Previewed by" filter and its choices: the writes made
-- during a preview name the admin in impersonator_id; the admin's own
-- preview.start and preview.end records are found by action and actor.
-- Filtering by action (an action or a prefix) uses the second index too.
CREATE INDEX audit_log_impersonator ON audit_log(tenant_id, impersonator_id) WHERE impersonator_id IS NOT NULL;
--bun:split
CREATE INDEX audit_log_action ON audit_log(tenant_id, action, actor_id);
