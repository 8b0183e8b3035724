-- +goose Up
-- Personal API tokens: a person's long-lived secrets for scripts, kept as
-- SHA-256 hashes. Scopes limit what a token may do (see account.TokenScope);
-- every token expires, at most a year after it was made. Last use is
-- written at most once a minute.
CREATE TABLE api_tokens (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text        NOT NULL,
    token_hash   bytea       NOT NULL UNIQUE,
    scopes       text[]      NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    last_used_at timestamptz,
    last_used_address text   NOT NULL DEFAULT ''
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- +goose Down
DROP TABLE api_tokens;
