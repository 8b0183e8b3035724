-- +goose Up
-- Which OpenReview note became which Quire row, per venue: importing the
-- same export again updates those rows instead of adding new ones, and an
-- export gives the notes their ids back. note is the note as it was read
-- (ids, invitations, signatures, dates, the authors' profile ids), which
-- Quire has no place for otherwise.
CREATE TABLE openreview_notes (
    venue_id      bigint      NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
    note_id       text        NOT NULL,
    kind          text        NOT NULL CHECK (kind IN ('submission', 'review', 'meta_review', 'decision')),
    submission_id bigint      NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    -- the reviewer of a review note
    reviewer_id   bigint      REFERENCES users (id) ON DELETE CASCADE,
    -- OpenReview's number of the submission
    number        integer     NOT NULL DEFAULT 0,
    note          jsonb       NOT NULL,
    imported_at   timestamptz NOT NULL,
    PRIMARY KEY (venue_id, note_id)
);
CREATE INDEX openreview_notes_submission ON openreview_notes (submission_id);

-- +goose Down
DROP TABLE openreview_notes;
