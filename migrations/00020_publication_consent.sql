-- +goose Up
-- The authors' word on making their paper public after the release: an
-- accepted paper's consent at camera-ready, or a rejected paper's request
-- where the venue allows it, and the licence they chose from the venue's.
-- No row, or consent false, and the paper stays private.
CREATE TABLE publication_consent (
    submission_id bigint      PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
    consent       boolean     NOT NULL,
    licence       text        NOT NULL,
    given_by      bigint      REFERENCES users (id) ON DELETE SET NULL,
    given_at      timestamptz NOT NULL
);

-- +goose Down
DROP TABLE publication_consent;
