-- +goose Up
-- A login (a refresh-token family) as its owner sees it in the list of
-- sessions: when it began, when it was last used, and from where. The
-- address and the device are those of the last sign-in or refresh; the
-- device is a short description ("Firefox on Linux"), never the whole
-- User-Agent. Whether a login is active is still the refresh tokens' say.
CREATE TABLE logins (
    family       uuid        PRIMARY KEY,
    user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz NOT NULL,
    address      text        NOT NULL DEFAULT '',
    device       text        NOT NULL DEFAULT ''
);
CREATE INDEX logins_user ON logins (user_id);
-- Signing out everywhere else and a password reset revoke by person.
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- Logins begun before this migration are listed too, without address or device.
INSERT INTO logins (family, user_id, created_at, last_used_at)
SELECT family, user_id, min(created_at), max(coalesce(used_at, created_at))
FROM refresh_tokens WHERE revoked_at IS NULL
GROUP BY family, user_id
ON CONFLICT (family) DO NOTHING;

-- +goose Down
DROP INDEX refresh_tokens_user;
DROP TABLE logins;
