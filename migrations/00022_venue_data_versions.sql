-- +goose Up
-- A venue's data version: a number every committed write to the data its
-- pages derive things from (submissions and their authors, roles, the
-- profiles of those with a role, conflicts, waivers, bids, affinity, loads,
-- assignments, reviews, decisions and the release) makes larger. Each
-- replica caches what it derives (a venue's conflicts, say) under the
-- version it read before reading the data, and reads the version again on
-- every request: equal means nothing was committed since, so a cached
-- result is never stale, on any replica.
--
-- The bump is an upsert of the venue's row, which holds the row's lock to
-- the end of the writing transaction: versions follow commit order, so a
-- write committed after a reader took its version always shows as a new
-- version. A transaction bumps a venue once (xid), however many statements
-- it runs. Triggers do it, so no write path can forget it.
CREATE TABLE venue_data_versions (
    venue_id bigint PRIMARY KEY,
    version  bigint NOT NULL,
    xid      xid8   NOT NULL
);

-- +goose StatementBegin
CREATE FUNCTION bump_venue_data_versions(venues bigint[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO venue_data_versions AS d (venue_id, version, xid)
    SELECT DISTINCT v, 1, pg_current_xact_id() FROM unnest(venues) AS v WHERE v IS NOT NULL
    ORDER BY 1
    ON CONFLICT (venue_id) DO UPDATE SET version = d.version + 1, xid = excluded.xid
    WHERE d.xid <> excluded.xid;
$$;
-- +goose StatementEnd

-- Tables with a venue_id.
-- +goose StatementBegin
CREATE FUNCTION venue_data_changed_by_venue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM bump_venue_data_versions(ARRAY(SELECT venue_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM bump_venue_data_versions(ARRAY(SELECT venue_id FROM old_rows));
    ELSE
        PERFORM bump_venue_data_versions(ARRAY(SELECT venue_id FROM new_rows UNION SELECT venue_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- Tables with a submission_id. A row deleted with its submission finds no
-- venue here; the submission's own trigger counts that change.
-- +goose StatementBegin
CREATE FUNCTION venue_data_changed_by_submission() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM bump_venue_data_versions(ARRAY(SELECT s.venue_id FROM submissions s WHERE s.id IN (SELECT submission_id FROM new_rows)));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM bump_venue_data_versions(ARRAY(SELECT s.venue_id FROM submissions s WHERE s.id IN (SELECT submission_id FROM old_rows)));
    ELSE
        PERFORM bump_venue_data_versions(ARRAY(SELECT s.venue_id FROM submissions s WHERE s.id IN
            (SELECT submission_id FROM new_rows UNION SELECT submission_id FROM old_rows)));
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- A reviewer's or chair's name, email, affiliation, keywords or verified
-- address: every venue they have a role in (conflicts and affinity read
-- them, a reviewer's pages check the address).
-- +goose StatementBegin
CREATE FUNCTION venue_data_changed_by_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_venue_data_versions(ARRAY(
        SELECT r.venue_id FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN venue_roles r ON r.user_id = n.id
        WHERE (n.email, n.name, n.affiliation, n.keywords, n.email_verified_at)
            IS DISTINCT FROM (o.email, o.name, o.affiliation, o.keywords, o.email_verified_at)));
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
DECLARE
    t text;
    f text;
BEGIN
    FOR t, f IN VALUES
        ('submissions', 'venue_data_changed_by_venue'), ('venue_roles', 'venue_data_changed_by_venue'),
        ('reviewer_loads', 'venue_data_changed_by_venue'), ('releases', 'venue_data_changed_by_venue'),
        ('submission_authors', 'venue_data_changed_by_submission'), ('declared_conflicts', 'venue_data_changed_by_submission'),
        ('conflict_waivers', 'venue_data_changed_by_submission'), ('bids', 'venue_data_changed_by_submission'),
        ('external_affinity', 'venue_data_changed_by_submission'), ('assignments', 'venue_data_changed_by_submission'),
        ('reviews', 'venue_data_changed_by_submission'), ('decisions', 'venue_data_changed_by_submission')
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION %I()', t || '_data_version_ins', t, f);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION %I()', t || '_data_version_upd', t, f);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION %I()', t || '_data_version_del', t, f);
    END LOOP;
END $$;
-- +goose StatementEnd

CREATE TRIGGER users_data_version_upd AFTER UPDATE ON users REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION venue_data_changed_by_user();

-- +goose Down
-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['submissions', 'venue_roles', 'reviewer_loads', 'releases', 'submission_authors', 'declared_conflicts',
        'conflict_waivers', 'bids', 'external_affinity', 'assignments', 'reviews', 'decisions']
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_data_version_ins', t);
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_data_version_upd', t);
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_data_version_del', t);
    END LOOP;
END $$;
-- +goose StatementEnd
DROP TRIGGER users_data_version_upd ON users;
DROP FUNCTION venue_data_changed_by_user();
DROP FUNCTION venue_data_changed_by_submission();
DROP FUNCTION venue_data_changed_by_venue();
DROP FUNCTION bump_venue_data_versions(bigint[]);
DROP TABLE venue_data_versions;
