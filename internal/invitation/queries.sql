-- name: CreateInvitation :one
INSERT INTO invitations (venue_id, email, name, affiliation, keywords, role, token_hash, invited_by, created_at, last_sent_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
ON CONFLICT (venue_id, lower(email), role) WHERE state = 'pending' DO NOTHING
RETURNING *;

-- name: GetPending :one
SELECT * FROM invitations WHERE venue_id = $1 AND lower(email) = lower($2) AND role = $3 AND state = 'pending';

-- name: GetInvitation :one
SELECT * FROM invitations WHERE id = $1 AND venue_id = $2;

-- name: GetByTokenForUpdate :one
SELECT i.*, v.slug AS venue_slug, v.name AS venue_name
FROM invitations i JOIN venues v ON v.id = i.venue_id
WHERE i.token_hash = $1
FOR UPDATE OF i;

-- name: ListInvitations :many
SELECT * FROM invitations WHERE venue_id = $1 ORDER BY created_at DESC, id DESC;

-- name: Resend :one
UPDATE invitations SET token_hash = $2, last_sent_at = $3, send_count = send_count + 1
WHERE id = $1 AND state = 'pending'
RETURNING *;

-- name: SetState :one
UPDATE invitations SET state = $2, responded_at = $3, accepted_by = $4, decline_reason = $5
WHERE id = $1 AND state = 'pending'
RETURNING *;
