-- +goose Up
-- Accounts and the tokens that belong to them. Emails are unique regardless
-- of case; secrets are stored only as hashes.
CREATE TABLE users (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email             text        NOT NULL CHECK (email <> ''),
    name              text        NOT NULL CHECK (name <> ''),
    affiliation       text        NOT NULL DEFAULT '',
    orcid             text,
    keywords          text[]      NOT NULL DEFAULT '{}',
    password_hash     text        NOT NULL,
    email_verified_at timestamptz,
    is_admin          boolean     NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- Refresh tokens rotate on every use; all tokens descended from one login
-- share a family, so reuse of an old one revokes the family.
CREATE TABLE refresh_tokens (
    token_hash  bytea       PRIMARY KEY,
    user_id     bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family      uuid        NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family);

-- Single-use emailed tokens: email verification and password reset.
CREATE TABLE email_tokens (
    token_hash  bytea       PRIMARY KEY,
    user_id     bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose     text        NOT NULL CHECK (purpose IN ('verify', 'reset')),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

-- +goose Down
DROP TABLE email_tokens;
DROP TABLE refresh_tokens;
DROP TABLE users;
