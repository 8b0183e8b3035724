-- name: Enqueue :execrows
INSERT INTO outbox (dedupe_key, template, to_addr, subject, body, created_at, next_attempt_at)
VALUES ($1, $2, $3, $4, $5, $6, $6)
ON CONFLICT (dedupe_key) DO NOTHING;

-- name: ClaimDue :many
-- Lease due messages so that several workers (or nodes) never send the same
-- one at once; a crashed worker's lease simply runs out.
UPDATE outbox SET locked_until = sqlc.arg(lease_until), attempts = attempts + 1
WHERE id IN (
    SELECT o.id FROM outbox o
    WHERE o.sent_at IS NULL AND o.failed_at IS NULL AND o.next_attempt_at <= sqlc.arg(now)
      AND (o.locked_until IS NULL OR o.locked_until < sqlc.arg(now))
    ORDER BY o.id
    LIMIT sqlc.arg(batch)
    FOR UPDATE SKIP LOCKED
)
RETURNING *;

-- name: RenewLease :exec
-- A worker that is alive keeps its batch: the lease is short so that the
-- batch of a dead one is taken over within seconds.
UPDATE outbox SET locked_until = sqlc.arg(lease_until)
WHERE id = ANY(sqlc.arg(ids)::bigint[]) AND sent_at IS NULL AND failed_at IS NULL;

-- name: MarkSent :exec
UPDATE outbox SET sent_at = $2, locked_until = NULL, last_error = '' WHERE id = $1;

-- name: MarkRetry :exec
UPDATE outbox SET next_attempt_at = $2, locked_until = NULL, last_error = $3 WHERE id = $1;

-- name: MarkFailed :exec
UPDATE outbox SET failed_at = $2, locked_until = NULL, last_error = $3 WHERE id = $1;

-- name: ListMessages :many
SELECT * FROM outbox ORDER BY id;

-- name: CountUnsent :one
SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL;
