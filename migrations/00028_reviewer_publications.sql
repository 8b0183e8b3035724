-- +goose Up
-- The publications a reviewer gives as their expertise (from BibTeX, an
-- ORCID works export or DBLP's XML): the affinity of every venue they
-- review for reads them with their keywords.
CREATE TABLE reviewer_publications (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id  bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title    text        NOT NULL,
    abstract text        NOT NULL DEFAULT '',
    year     integer,
    venue    text        NOT NULL DEFAULT '',
    source   text        NOT NULL CHECK (source IN ('bibtex', 'orcid', 'dblp')),
    added_at timestamptz NOT NULL
);
CREATE INDEX reviewer_publications_user ON reviewer_publications (user_id);
CREATE UNIQUE INDEX reviewer_publications_title ON reviewer_publications (user_id, lower(title));

-- A change is a change of every venue the person has a role in: their
-- affinity there is derived from it (see venue_data_versions).
-- +goose StatementBegin
CREATE FUNCTION venue_data_changed_by_publication() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM bump_venue_data_versions(ARRAY(SELECT r.venue_id FROM venue_roles r WHERE r.user_id IN (SELECT user_id FROM new_rows)));
    ELSE
        PERFORM bump_venue_data_versions(ARRAY(SELECT r.venue_id FROM venue_roles r WHERE r.user_id IN (SELECT user_id FROM old_rows)));
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER reviewer_publications_data_version_ins AFTER INSERT ON reviewer_publications
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION venue_data_changed_by_publication();
CREATE TRIGGER reviewer_publications_data_version_del AFTER DELETE ON reviewer_publications
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION venue_data_changed_by_publication();

-- +goose Down
DROP TABLE reviewer_publications;
DROP FUNCTION venue_data_changed_by_publication();
