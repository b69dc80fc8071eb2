-- A tenant's settings version: every change to the tables an instance keeps
-- in memory per tenant (the ticket settings, the branding images) bumps
-- it, in the same transaction, by trigger, so no write path can forget.
-- The request's tenant row carries it; a copy kept under an older version is
-- reloaded, whichever instance made the change (tenant.Cache).
ALTER TABLE tenants ADD COLUMN settings_version INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER boards_insert_settings AFTER INSERT ON boards BEGIN
  UPDATE tenants SET settings_version = settings_version + 1 WHERE id = NEW.tenant_id;
END;

CREATE TRIGGER boards_update_settings AFTER UPDATE ON boards BEGIN
  UPDATE tenants SET settings_version = settings_version + 1 WHERE id = NEW.tenant_id;
END;

CREATE TRIGGER boards_delete_settings AFTER DELETE ON boards BEGIN
  UPDATE tenants SET settings_version = settings_version + 1 WHERE id = OLD.tenant_id;
END;

CREATE TRIGGER board_companies_insert_settings AFTER INSERT ON board_companies BEGIN
  UPDATE tenants SET settings_version = settings_version + 1 WHERE id = NEW.tenant_id;
END;

CREATE TRIGGER board_companies_update_settings AFTER UPDATE ON board_companies BEGIN
  UPDATE tenants SET settings_version = settings_version + 1 WHERE id = NEW.tenant_id;
END;

CREATE TRIGGER board_companies_delete_settings AFTER DELETE ON board_companies BEGIN
  UPDATE tenants SET settings_version = settings_version + 1 WHERE id = OLD.tenant_id;
END;

CREATE TRIGGER note_types_insert_settings AFTER INSERT ON note_types BEGIN
  UPDATE tenants SET settings_version = settings_version + 1 WHERE id = NEW.tenant_id;
END;

CREATE TRIGGER note_types_update_settings AFTER UPDATE ON note_types BEGIN
  UPDATE tenants SET settings_version = settings_version + 1 WHERE id = NEW.tenant_id;
END;

CREATE TRIGGER note_types_delete_settings AFTER DELETE ON note_types BEGIN
  UPDATE tenants SET settings_version = settings_version + 1 WHERE id = OLD.tenant_id;
END;

CREATE TRIGGER ticket_custom_fields_insert_settings AFTER INSERT ON ticket_custom_fields BEGIN
  UPDATE tenants SET settings_version = settings_version + 1 WHERE id = NEW.tenant_id;
END;

CREATE TRIGGER ticket_custom_fields_update_settings AFTER UPDATE ON ticket_custom_fields BEGIN
  UPDATE tenants SET settings_version = settings_version + 1 WHERE id = NEW.tenant_id;
END;

CREATE TRIGGER ticket_custom_fields_delete_settings AFTER DELETE ON ticket_custom_fields BEGIN
  UPDATE tenants SET settings_version = settings_version + 1 WHERE id = OLD.tenant_id;
END;

CREATE TRIGGER ticket_field_access_insert_settings AFTER INSERT ON ticket_field_access BEGIN
  UPDATE tenants SET settings_version = settings_version + 1 WHERE id = NEW.tenant_id;
END;

CREATE TRIGGER ticket_field_access_update_settings AFTER UPDATE ON ticket_field_access BEGIN
  UPDATE tenants SET settings_version = settings_version + 1 WHERE id = NEW.tenant_id;
END;

CREATE TRIGGER ticket_field_access_delete_settings AFTER DELETE ON ticket_field_access BEGIN
  UPDATE tenants SET settings_version = settings_version + 1 WHERE id = OLD.tenant_id;
END;

CREATE TRIGGER tenant_assets_insert_settings AFTER INSERT ON tenant_assets BEGIN
  UPDATE tenants SET settings_version = settings_version + 1 WHERE id = NEW.tenant_id;
END;

CREATE TRIGGER tenant_assets_update_settings AFTER UPDATE ON tenant_assets BEGIN
  UPDATE tenants SET settings_version = settings_version + 1 WHERE id = NEW.tenant_id;
END;

CREATE TRIGGER tenant_assets_delete_settings AFTER DELETE ON tenant_assets BEGIN
  UPDATE tenants SET settings_version = settings_version + 1 WHERE id = OLD.tenant_id;
END;
