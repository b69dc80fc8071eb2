-- A preview as another user (SPEC §9) lives on the principal's session:
-- whom it previews, since when (it ends after 30 minutes), and the path
-- to go back to when it ends. NULL is no preview.
ALTER TABLE sessions ADD COLUMN preview_user_id BIGINT NULL;
--bun:split
ALTER TABLE sessions ADD COLUMN preview_started_at TIMESTAMPTZ NULL;
--bun:split
ALTER TABLE sessions ADD COLUMN preview_return TEXT NOT NULL DEFAULT '';
