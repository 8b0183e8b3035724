-- +goose Up
-- Conflicts declared by authors or reviewers, or added by chairs. Automatic
-- conflicts (same domain, same affiliation, authorship, co-authorship) are
-- derived from the data whenever they are needed, so they never go stale.
CREATE TABLE declared_conflicts (
    submission_id bigint      NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    user_id       bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    source        text        NOT NULL CHECK (source IN ('declared_by_author', 'declared_by_reviewer', 'added_by_chair')),
    note          text        NOT NULL DEFAULT '',
    created_by    bigint      NOT NULL REFERENCES users (id),
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (submission_id, user_id, source)
);
CREATE INDEX declared_conflicts_user ON declared_conflicts (user_id);

-- A chair setting a conflict aside (an automatic one that is wrong, say).
CREATE TABLE conflict_waivers (
    submission_id bigint      NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    user_id       bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    waived_by     bigint      NOT NULL REFERENCES users (id),
    reason        text        NOT NULL,
    waived_at     timestamptz NOT NULL,
    PRIMARY KEY (submission_id, user_id)
);

CREATE TABLE bids (
    submission_id bigint      NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    user_id       bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    bid           text        NOT NULL CHECK (bid IN ('eager', 'willing', 'pinch', 'not_willing')),
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (submission_id, user_id)
);

-- Scores uploaded by chairs (e.g. from another matching system).
CREATE TABLE external_affinity (
    submission_id bigint           NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    user_id       bigint           NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    score         double precision NOT NULL,
    PRIMARY KEY (submission_id, user_id)
);

-- Per-reviewer load limits overriding the venue's defaults.
CREATE TABLE reviewer_loads (
    venue_id bigint  NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
    user_id  bigint  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    min_load integer NOT NULL CHECK (min_load >= 0),
    max_load integer NOT NULL CHECK (max_load >= min_load),
    PRIMARY KEY (venue_id, user_id)
);

CREATE TABLE assignments (
    submission_id  bigint      NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    user_id        bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    source         text        NOT NULL CHECK (source IN ('auto', 'manual', 'import')),
    assigned_by    bigint      NOT NULL REFERENCES users (id),
    assigned_at    timestamptz NOT NULL,
    declined_at    timestamptz,
    decline_reason text        NOT NULL DEFAULT '',
    PRIMARY KEY (submission_id, user_id)
);
CREATE INDEX assignments_user ON assignments (user_id);

-- An automatic assignment: its parameters, progress and proposal. A run is
-- only a proposal until a chair commits it.
CREATE TABLE assignment_runs (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id     bigint           NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
    status       text             NOT NULL CHECK (status IN ('running', 'done', 'infeasible', 'failed', 'committed')),
    phase        text             NOT NULL DEFAULT '',
    progress     double precision NOT NULL DEFAULT 0,
    params       jsonb            NOT NULL,
    proposal     jsonb,
    explanation  text             NOT NULL DEFAULT '',
    started_by   bigint           NOT NULL REFERENCES users (id),
    started_at   timestamptz      NOT NULL,
    finished_at  timestamptz,
    committed_at timestamptz
);

-- +goose Down
DROP TABLE assignment_runs;
DROP TABLE assignments;
DROP TABLE reviewer_loads;
DROP TABLE external_affinity;
DROP TABLE bids;
DROP TABLE conflict_waivers;
DROP TABLE declared_conflicts;
