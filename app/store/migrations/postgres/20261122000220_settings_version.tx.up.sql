-- A tenant's settings version: every change to the tables an instance keeps
-- in memory per tenant (the ticket settings, the branding images) bumps
-- it, in the same transaction, by trigger, so no write path can forget.
-- The request's tenant row carries it; a copy kept under an older version is
-- reloaded, whichever instance made the change (tenant.Cache).
ALTER TABLE tenants ADD COLUMN settings_version BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION bump_settings_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE tenants SET settings_version = settings_version + 1 WHERE id = OLD.tenant_id;
  ELSE
    UPDATE tenants SET settings_version = settings_version + 1 WHERE id = NEW.tenant_id;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER boards_settings AFTER INSERT OR UPDATE OR DELETE ON boards
  FOR EACH ROW EXECUTE FUNCTION bump_settings_version();

CREATE TRIGGER board_companies_settings AFTER INSERT OR UPDATE OR DELETE ON board_companies
  FOR EACH ROW EXECUTE FUNCTION bump_settings_version();

CREATE TRIGGER note_types_settings AFTER INSERT OR UPDATE OR DELETE ON note_types
  FOR EACH ROW EXECUTE FUNCTION bump_settings_version();

CREATE TRIGGER ticket_custom_fields_settings AFTER INSERT OR UPDATE OR DELETE ON ticket_custom_fields
  FOR EACH ROW EXECUTE FUNCTION bump_settings_version();

CREATE TRIGGER ticket_field_access_settings AFTER INSERT OR UPDATE OR DELETE ON ticket_field_access
  FOR EACH ROW EXECUTE FUNCTION bump_settings_version();

CREATE TRIGGER tenant_assets_settings AFTER INSERT OR UPDATE OR DELETE ON tenant_assets
  FOR EACH ROW EXECUTE FUNCTION bump_settings_version();
