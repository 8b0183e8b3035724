-- +goose Up
-- OpenReview's official and public comments come in as Quire comments:
-- the map remembers which note became which comment, so importing the
-- same notes again updates the comment instead of adding a second one,
-- and an export gives the note its id, readers and signatures back.
ALTER TABLE openreview_notes DROP CONSTRAINT openreview_notes_kind_check;
ALTER TABLE openreview_notes ADD CONSTRAINT openreview_notes_kind_check
    CHECK (kind IN ('submission', 'review', 'meta_review', 'decision', 'comment'));
-- the comment a comment note became
ALTER TABLE openreview_notes ADD COLUMN comment_id bigint REFERENCES comments (id) ON DELETE CASCADE;
CREATE INDEX openreview_notes_comment ON openreview_notes (comment_id) WHERE comment_id IS NOT NULL;

-- +goose Down
DELETE FROM openreview_notes WHERE kind = 'comment';
ALTER TABLE openreview_notes DROP COLUMN comment_id;
ALTER TABLE openreview_notes DROP CONSTRAINT openreview_notes_kind_check;
ALTER TABLE openreview_notes ADD CONSTRAINT openreview_notes_kind_check
    CHECK (kind IN ('submission', 'review', 'meta_review', 'decision'));
