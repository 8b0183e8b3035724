-- +goose Up
-- One review per reviewer and submission; every save is also kept as a
-- version, so edits after submission are visible to chairs.
CREATE TABLE reviews (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    submission_id bigint      NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    reviewer_id   bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- "Reviewer 2": stable for this submission, meaningless across submissions.
    pseudonym     integer     NOT NULL,
    status        text        NOT NULL CHECK (status IN ('draft', 'submitted')),
    fields        jsonb       NOT NULL,
    version       integer     NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    submitted_at  timestamptz,
    UNIQUE (submission_id, reviewer_id),
    UNIQUE (submission_id, pseudonym)
);
CREATE INDEX reviews_reviewer ON reviews (reviewer_id);

CREATE TABLE review_versions (
    review_id     bigint      NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    version       integer     NOT NULL,
    status        text        NOT NULL,
    fields        jsonb       NOT NULL,
    saved_at      timestamptz NOT NULL,
    -- saved after the review had been submitted once
    edited_after_submit boolean NOT NULL,
    -- allowed only by an extension
    extended      boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (review_id, version)
);

-- Discussion among a submission's reviewers and the chairs, and chair-only notes.
CREATE TABLE comments (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    submission_id bigint      NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    author_id     bigint      NOT NULL REFERENCES users (id),
    kind          text        NOT NULL CHECK (kind IN ('discussion', 'chair_note')),
    body          text        NOT NULL CHECK (body <> ''),
    created_at    timestamptz NOT NULL
);
CREATE INDEX comments_submission ON comments (submission_id, created_at);

-- +goose Down
DROP TABLE comments;
DROP TABLE review_versions;
DROP TABLE reviews;
