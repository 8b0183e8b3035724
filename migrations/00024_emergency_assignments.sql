-- +goose Up
-- An emergency assignment fills a review that fell through (a reviewer
-- declined, was found conflicted, or missed the deadline) from the
-- venue's emergency reviewers, with a deadline of its own, usually
-- shorter than the venue's.
ALTER TABLE assignments
    ADD COLUMN emergency boolean     NOT NULL DEFAULT false,
    ADD COLUMN due_at    timestamptz;

-- +goose Down
ALTER TABLE assignments DROP COLUMN due_at, DROP COLUMN emergency;
