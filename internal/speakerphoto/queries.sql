-- name: GetPhoto :one
SELECT * FROM speaker_photos WHERE venue_id = $1 AND speaker_key = $2;

-- name: ListPhotos :many
SELECT * FROM speaker_photos WHERE venue_id = $1 ORDER BY speaker_key;

-- name: ListVariants :many
SELECT * FROM speaker_photo_variants WHERE venue_id = $1 ORDER BY speaker_key, size;

-- name: PutPhoto :exec
INSERT INTO speaker_photos (venue_id, speaker_key, sha, content_type, width, height, uploaded_by, uploaded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (venue_id, speaker_key) DO UPDATE SET sha = excluded.sha, content_type = excluded.content_type,
    width = excluded.width, height = excluded.height, uploaded_by = excluded.uploaded_by, uploaded_at = excluded.uploaded_at;

-- name: DeleteVariants :exec
DELETE FROM speaker_photo_variants WHERE venue_id = $1 AND speaker_key = $2;

-- name: PutVariant :exec
INSERT INTO speaker_photo_variants (venue_id, speaker_key, size, sha, content_type, width, height)
VALUES ($1, $2, $3, $4, $5, $6, $7);

-- name: DeletePhoto :execrows
DELETE FROM speaker_photos WHERE venue_id = $1 AND speaker_key = $2;
