-- name: Claim :execrows
-- status 0 marks a request still being processed.
INSERT INTO idempotency_keys (user_id, key, scope, status, body, created_at) VALUES ($1, $2, $3, 0, '', $4)
ON CONFLICT DO NOTHING;

-- name: Get :one
SELECT * FROM idempotency_keys WHERE user_id = $1 AND key = $2;

-- name: Complete :exec
UPDATE idempotency_keys SET status = $3, body = $4 WHERE user_id = $1 AND key = $2;

-- name: Release :exec
DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND status = 0;
