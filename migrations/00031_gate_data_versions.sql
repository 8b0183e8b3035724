-- +goose Up
-- The chairs' phase overrides and the extensions they grant are what a
-- venue's deadline gates read besides its settings. Pages cache them per
-- venue under the venue's data version (venue_data_versions, migration
-- 00022), so a write to either bumps it in the writing transaction, like
-- every other table those caches read: an override set or an extension
-- granted through any replica shows on the next read on every replica.
-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['phase_overrides', 'extensions']
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION venue_data_changed_by_venue()', t || '_data_version_ins', t);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION venue_data_changed_by_venue()', t || '_data_version_upd', t);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION venue_data_changed_by_venue()', t || '_data_version_del', t);
    END LOOP;
END $$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['phase_overrides', 'extensions']
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_data_version_ins', t);
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_data_version_upd', t);
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_data_version_del', t);
    END LOOP;
END $$;
-- +goose StatementEnd
