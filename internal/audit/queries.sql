-- name: Record :exec
INSERT INTO audit_log (venue_id, actor_id, action, subject, detail, remote_ip, at)
VALUES ($1, $2, $3, $4, $5, $6, $7);

-- name: ListForVenue :many
SELECT * FROM audit_log WHERE venue_id = $1 ORDER BY at, id;
