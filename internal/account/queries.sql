-- name: CreateUser :one
INSERT INTO users (email, name, affiliation, orcid, keywords, password_hash, email_verified_at, is_admin, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
ON CONFLICT DO NOTHING
RETURNING *;

-- name: GetUserByEmail :one
SELECT * FROM users WHERE lower(email) = lower($1);

-- name: GetUser :one
SELECT * FROM users WHERE id = $1;

-- name: MarkEmailVerified :exec
UPDATE users SET email_verified_at = coalesce(email_verified_at, $2), updated_at = $2 WHERE id = $1;

-- name: SetPassword :exec
UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1;

-- name: UpdateProfile :one
UPDATE users SET name = $2, affiliation = $3, orcid = $4, keywords = $5, updated_at = $6
WHERE id = $1
RETURNING *;

-- name: SetAdmin :exec
UPDATE users SET is_admin = $2, updated_at = $3 WHERE id = $1;

-- name: InsertEmailToken :exec
INSERT INTO email_tokens (token_hash, user_id, purpose, created_at, expires_at)
VALUES ($1, $2, $3, $4, $5);

-- name: UseEmailToken :one
-- Single use: the update succeeds once, and only before expiry.
UPDATE email_tokens SET used_at = sqlc.arg(now)
WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > sqlc.arg(now)
RETURNING user_id;

-- name: InsertRefreshToken :exec
INSERT INTO refresh_tokens (token_hash, user_id, family, created_at, expires_at)
VALUES ($1, $2, $3, $4, $5);

-- name: GetRefreshTokenForUpdate :one
SELECT * FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE;

-- name: MarkRefreshTokenUsed :exec
UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1;

-- name: RevokeRefreshFamily :exec
UPDATE refresh_tokens SET revoked_at = $2 WHERE family = $1 AND revoked_at IS NULL;

-- name: RevokeUserRefreshTokens :exec
UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL;

-- name: ListUserRoles :many
SELECT v.slug, r.role FROM venue_roles r JOIN venues v ON v.id = r.venue_id
WHERE r.user_id = $1 ORDER BY v.slug, r.role;

-- name: TakeToken :one
-- One attempt under key at now, GCRA: allowed when the new theoretical
-- arrival time is at most span seconds (the whole burst) ahead of now.
-- A stored tat further ahead than span can only come from a clock that
-- went back or a replica whose clock runs ahead; it counts as an empty
-- bucket, not as days of lockout. Returns no row when the attempt is refused.
INSERT INTO rate_limits AS r (key, tat) VALUES (sqlc.arg(key), sqlc.arg(now)::timestamptz + make_interval(secs => sqlc.arg(step)::float8))
ON CONFLICT (key) DO UPDATE
    SET tat = greatest(least(r.tat, sqlc.arg(now)::timestamptz + make_interval(secs => sqlc.arg(span)::float8)), sqlc.arg(now)::timestamptz)
        + make_interval(secs => sqlc.arg(step)::float8)
    WHERE greatest(least(r.tat, sqlc.arg(now)::timestamptz + make_interval(secs => sqlc.arg(span)::float8)), sqlc.arg(now)::timestamptz)
        + make_interval(secs => sqlc.arg(step)::float8) <= sqlc.arg(now)::timestamptz + make_interval(secs => sqlc.arg(span)::float8)
RETURNING tat;

-- name: TokenState :one
SELECT tat FROM rate_limits WHERE key = $1;

-- name: ForgetFullBuckets :execrows
DELETE FROM rate_limits WHERE tat < $1;

-- name: ClampToken :exec
UPDATE rate_limits SET tat = sqlc.arg(ceiling) WHERE key = sqlc.arg(key) AND tat > sqlc.arg(ceiling);

-- name: SessionActive :one
-- A login is active while a refresh token of its family is not revoked:
-- signing out, a replayed refresh token and a password reset revoke them all.
SELECT EXISTS (SELECT 1 FROM refresh_tokens WHERE family = $1 AND user_id = $2 AND revoked_at IS NULL);

-- name: RevokeSession :exec
UPDATE refresh_tokens SET revoked_at = $3 WHERE family = $1 AND user_id = $2 AND revoked_at IS NULL;

-- name: RecordLogin :exec
-- A login's row, made at sign-in and brought up to date at every refresh;
-- a refresh that does not know where it came from keeps what is known.
INSERT INTO logins (family, user_id, created_at, last_used_at, address, device)
VALUES (sqlc.arg(family), sqlc.arg(user_id), sqlc.arg(now), sqlc.arg(now), sqlc.arg(address), sqlc.arg(device))
ON CONFLICT (family) DO UPDATE SET
    last_used_at = greatest(logins.last_used_at, excluded.last_used_at),
    address = CASE WHEN excluded.address <> '' THEN excluded.address ELSE logins.address END,
    device = CASE WHEN excluded.device <> '' THEN excluded.device ELSE logins.device END;

-- name: TouchLogin :exec
-- Writes only when the last use on record is older than stale, so a login
-- in steady use costs one write a minute, not one a request.
UPDATE logins SET last_used_at = sqlc.arg(now)
WHERE family = sqlc.arg(family) AND last_used_at < sqlc.arg(stale);

-- name: ListLogins :many
-- The person's active logins: some refresh token of the family is neither
-- revoked nor expired.
SELECT l.family, l.created_at, l.last_used_at, l.address, l.device FROM logins l
WHERE l.user_id = sqlc.arg(user_id) AND EXISTS (
    SELECT 1 FROM refresh_tokens r
    WHERE r.family = l.family AND r.user_id = l.user_id AND r.revoked_at IS NULL AND r.expires_at > sqlc.arg(now))
ORDER BY l.last_used_at DESC, l.created_at DESC, l.family;

-- name: EndLogin :execrows
-- Ends one login of one person; no rows when it is not theirs or is over.
UPDATE refresh_tokens SET revoked_at = sqlc.arg(now)
WHERE family = sqlc.arg(family) AND user_id = sqlc.arg(user_id) AND revoked_at IS NULL;

-- name: EndOtherLogins :many
-- Ends every login of a person but keep, returning the logins ended.
WITH ended AS (
    UPDATE refresh_tokens SET revoked_at = sqlc.arg(now)
    WHERE user_id = sqlc.arg(user_id) AND family <> sqlc.arg(keep) AND revoked_at IS NULL
    RETURNING family
)
SELECT DISTINCT family FROM ended;

-- name: GetTwoFactorForUpdate :one
SELECT * FROM two_factor WHERE user_id = $1 FOR UPDATE;

-- name: TwoFactorEnabled :one
SELECT EXISTS (SELECT 1 FROM two_factor WHERE user_id = $1 AND enabled_at IS NOT NULL);

-- name: PutPendingTwoFactor :exec
-- A new enrollment replaces an unconfirmed one, never a confirmed one.
INSERT INTO two_factor (user_id, secret, created_at) VALUES ($1, $2, $3)
ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at, last_step = 0
WHERE two_factor.enabled_at IS NULL;

-- name: EnableTwoFactor :exec
UPDATE two_factor SET enabled_at = $2, last_step = $3 WHERE user_id = $1;

-- name: SetTwoFactorStep :exec
UPDATE two_factor SET last_step = $2 WHERE user_id = $1;

-- name: DeleteTwoFactor :exec
DELETE FROM two_factor WHERE user_id = $1;

-- name: DeleteRecoveryCodes :exec
DELETE FROM two_factor_recovery WHERE user_id = $1;

-- name: InsertRecoveryCode :exec
INSERT INTO two_factor_recovery (user_id, code_hash) VALUES ($1, $2);

-- name: UseRecoveryCode :execrows
UPDATE two_factor_recovery SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL;

-- name: CountRecoveryCodes :one
SELECT count(*) FROM two_factor_recovery WHERE user_id = $1 AND used_at IS NULL;

-- name: InsertAPIToken :one
INSERT INTO api_tokens (user_id, name, token_hash, scopes, created_at, expires_at)
VALUES ($1, $2, $3, $4, $5, $6) RETURNING id;

-- name: GetAPITokenByHash :one
SELECT id, user_id, scopes, expires_at, revoked_at FROM api_tokens WHERE token_hash = $1;

-- name: ListAPITokens :many
-- A person's tokens that are not revoked, expired ones included so that the
-- person sees why a script stopped.
SELECT id, name, scopes, created_at, expires_at, last_used_at, last_used_address FROM api_tokens
WHERE user_id = $1 AND revoked_at IS NULL
ORDER BY created_at DESC, id DESC;

-- name: RevokeAPIToken :execrows
UPDATE api_tokens SET revoked_at = sqlc.arg(now)
WHERE id = sqlc.arg(id) AND user_id = sqlc.arg(user_id) AND revoked_at IS NULL;

-- name: TouchAPIToken :exec
-- Writes only when the last use on record is older than stale: at most one
-- write a minute per token.
UPDATE api_tokens SET last_used_at = sqlc.arg(now), last_used_address = sqlc.arg(address)
WHERE id = sqlc.arg(id) AND (last_used_at IS NULL OR last_used_at < sqlc.arg(stale));

-- name: TwoFactorDuty :one
-- What the instance's two-factor rule needs to know about a person: their
-- instance role, whether they chair any venue, and whether their second
-- factor is on.
SELECT u.is_admin,
       EXISTS (SELECT 1 FROM venue_roles r WHERE r.user_id = u.id AND r.role = 'chair') AS chairs,
       EXISTS (SELECT 1 FROM two_factor t WHERE t.user_id = u.id AND t.enabled_at IS NOT NULL) AS enrolled
FROM users u WHERE u.id = $1;

-- name: SetTwoFactorSecret :exec
-- The same secret sealed anew (under the current key).
UPDATE two_factor SET secret = $2 WHERE user_id = $1;
