-- +goose Up
-- A chair's meta-review of a submission: a recommendation (one of the
-- venue's decision categories) and the reasoning; authors see it with the
-- decision when the venue says so.
CREATE TABLE meta_reviews (
    submission_id  bigint      PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
    recommendation text        NOT NULL,
    body           text        NOT NULL,
    written_by     bigint      NOT NULL REFERENCES users (id),
    updated_at     timestamptz NOT NULL
);

-- +goose Down
DROP TABLE meta_reviews;
