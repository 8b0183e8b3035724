-- +goose Up
-- An author's answer to the reviews of their submission: one per
-- submission, a draft until submitted, editable until the response deadline.
CREATE TABLE author_responses (
    submission_id bigint      PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
    body          text        NOT NULL,
    status        text        NOT NULL CHECK (status IN ('draft', 'submitted')),
    updated_by    bigint      NOT NULL REFERENCES users (id),
    updated_at    timestamptz NOT NULL,
    submitted_at  timestamptz
);

-- +goose Down
DROP TABLE author_responses;
