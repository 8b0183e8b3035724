-- name: Claim :execrows
-- status 0 marks a request still being processed. A stale claim (its
-- request gone without a word) is taken over by the same request again.
INSERT INTO idempotency_keys (user_id, key, scope, status, body, created_at, claim, claimed_until)
VALUES ($1, $2, $3, 0, '', $4, $5, $6)
ON CONFLICT (user_id, key) DO UPDATE SET claim = EXCLUDED.claim, claimed_until = EXCLUDED.claimed_until, created_at = EXCLUDED.created_at
WHERE idempotency_keys.status = 0 AND idempotency_keys.scope = EXCLUDED.scope AND NOT idempotency_keys.committed
    AND (idempotency_keys.claimed_until IS NULL OR idempotency_keys.claimed_until < EXCLUDED.created_at);

-- name: Get :one
SELECT * FROM idempotency_keys WHERE user_id = $1 AND key = $2;

-- name: Renew :execrows
UPDATE idempotency_keys SET claimed_until = $4 WHERE user_id = $1 AND key = $2 AND claim = $3 AND status = 0;

-- name: Commit :execrows
-- In the transaction that makes the request's change.
UPDATE idempotency_keys SET claimed_until = $4, committed = true WHERE user_id = $1 AND key = $2 AND claim = $3 AND status = 0;

-- name: Complete :exec
UPDATE idempotency_keys SET status = $4, body = $5 WHERE user_id = $1 AND key = $2 AND claim = $3 AND status = 0;

-- name: Release :exec
-- A key whose change was committed is kept: a retry must not make it twice.
DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND claim = $3 AND status = 0 AND NOT committed;
