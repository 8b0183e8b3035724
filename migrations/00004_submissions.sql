-- +goose Up
-- A submission's live state. Every change that counts (an accepted upload, a
-- metadata edit, a restore) also writes a full snapshot to
-- submission_revisions in the same transaction, so history is complete.
CREATE TABLE submissions (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id          bigint      NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
    number            integer     NOT NULL,
    track             text        NOT NULL,
    title             text        NOT NULL,
    abstract          text        NOT NULL,
    keywords          text[]      NOT NULL DEFAULT '{}',
    declaration_at    timestamptz NOT NULL,
    created_by        bigint      NOT NULL REFERENCES users (id),
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    withdrawn_at      timestamptz,
    withdrawn_by      bigint      REFERENCES users (id),
    revision          integer     NOT NULL DEFAULT 0,
    -- the current files; null until the first accepted upload
    pdf_sha           text,
    pdf_size          bigint,
    anon_sha          text,
    report            jsonb,
    verdict           text        NOT NULL DEFAULT '',
    body_pages        integer     NOT NULL DEFAULT 0,
    leak_count        integer     NOT NULL DEFAULT 0,
    late              boolean     NOT NULL DEFAULT false,
    supp_sha          text,
    supp_size         bigint,
    supp_anon_sha     text,
    supp_type         text        NOT NULL DEFAULT '',
    waived_by         bigint      REFERENCES users (id),
    waived_at         timestamptz,
    waive_reason      text        NOT NULL DEFAULT '',
    UNIQUE (venue_id, number)
);

-- Per-venue public numbers (#1, #2, ...) handed out without gaps under concurrency.
CREATE TABLE submission_counters (
    venue_id bigint  PRIMARY KEY REFERENCES venues (id) ON DELETE CASCADE,
    last     integer NOT NULL
);

CREATE TABLE submission_authors (
    submission_id bigint  NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    position      integer NOT NULL,
    name          text    NOT NULL,
    email         text    NOT NULL,
    affiliation   text    NOT NULL DEFAULT '',
    PRIMARY KEY (submission_id, position)
);
CREATE INDEX submission_authors_email ON submission_authors (lower(email));

CREATE TABLE submission_revisions (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    submission_id bigint      NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    seq           integer     NOT NULL,
    kind          text        NOT NULL CHECK (kind IN ('created', 'metadata', 'pdf', 'supplementary', 'restore', 'withdraw', 'reinstate', 'waive')),
    snapshot      jsonb       NOT NULL,
    created_by    bigint      NOT NULL REFERENCES users (id),
    created_at    timestamptz NOT NULL,
    late          boolean     NOT NULL DEFAULT false,
    UNIQUE (submission_id, seq)
);

-- A client retrying a create or an upload with the same Idempotency-Key gets
-- the first answer back instead of a duplicate.
CREATE TABLE idempotency_keys (
    user_id     bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key         text        NOT NULL,
    scope       text        NOT NULL,
    status      integer     NOT NULL,
    body        bytea       NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (user_id, key)
);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE submission_revisions;
DROP TABLE submission_authors;
DROP TABLE submission_counters;
DROP TABLE submissions;
