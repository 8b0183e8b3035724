-- +goose Up
-- The current decision of each submission; every decision and change is
-- also in decision_history, with whether it was made by the deadline.
CREATE TABLE decisions (
    submission_id bigint      PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
    category      text        NOT NULL,
    note          text        NOT NULL DEFAULT '',
    decided_by    bigint      NOT NULL REFERENCES users (id),
    decided_at    timestamptz NOT NULL,
    on_time       boolean     NOT NULL
);

CREATE TABLE decision_history (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    submission_id bigint      NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    category      text        NOT NULL,
    note          text        NOT NULL DEFAULT '',
    decided_by    bigint      NOT NULL REFERENCES users (id),
    decided_at    timestamptz NOT NULL,
    on_time       boolean     NOT NULL
);
CREATE INDEX decision_history_submission ON decision_history (submission_id, decided_at);

-- Decisions are released when release_at has come: a scheduled release
-- needs no job to "fire", the clock decides. Mail goes out once, by the
-- outbox's dedupe keys, whenever a worker notices the release is due.
CREATE TABLE releases (
    venue_id      bigint      PRIMARY KEY REFERENCES venues (id) ON DELETE CASCADE,
    release_at    timestamptz NOT NULL,
    created_by    bigint      NOT NULL REFERENCES users (id),
    created_at    timestamptz NOT NULL,
    mailed_at     timestamptz
);

CREATE TABLE camera_ready (
    submission_id bigint      PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
    pdf_sha       text,
    pdf_size      bigint,
    report        jsonb,
    uploaded_at   timestamptz,
    final_authors jsonb,
    confirmed_at  timestamptz,
    updated_at    timestamptz NOT NULL
);

-- Where each accepted paper is presented.
CREATE TABLE programme (
    submission_id bigint  PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
    venue_id      bigint  NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
    spotlight     integer,          -- position in the spotlight talks, 1-based
    poster_session integer NOT NULL CHECK (poster_session IN (1, 2))
);

-- +goose Down
DROP TABLE programme;
DROP TABLE camera_ready;
DROP TABLE releases;
DROP TABLE decision_history;
DROP TABLE decisions;
