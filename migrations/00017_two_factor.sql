-- +goose Up
-- Two-factor sign-in (RFC 6238). A row with enabled_at NULL is an
-- enrollment the person has not yet confirmed with a code; only a confirmed
-- one asks for a code at sign-in. last_step is the time step of the last
-- code accepted: a code of that step or an earlier one is refused, so an
-- observed code cannot be replayed. The secret is never shown again once
-- confirmed.
CREATE TABLE two_factor (
    user_id    bigint      PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret     bytea       NOT NULL,
    last_step  bigint      NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL,
    enabled_at timestamptz
);

-- Single-use recovery codes, stored as SHA-256 (they are random, 80 bits).
CREATE TABLE two_factor_recovery (
    user_id   bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash bytea       NOT NULL,
    used_at   timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

-- +goose Down
DROP TABLE two_factor_recovery;
DROP TABLE two_factor;
