-- name: MappedNotes :many
SELECT n.note_id, n.submission_id, n.reviewer_id, n.comment_id FROM openreview_notes n
JOIN submissions s ON s.id = n.submission_id WHERE n.venue_id = $1;

-- name: RememberNote :exec
INSERT INTO openreview_notes (venue_id, note_id, kind, submission_id, reviewer_id, number, note, imported_at, comment_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (venue_id, note_id) DO UPDATE SET kind = excluded.kind, submission_id = excluded.submission_id,
    reviewer_id = excluded.reviewer_id, number = excluded.number, note = excluded.note, imported_at = excluded.imported_at,
    comment_id = excluded.comment_id;

-- name: StoredNotes :many
SELECT kind, submission_id, coalesce(reviewer_id, 0)::bigint AS reviewer_id, coalesce(comment_id, 0)::bigint AS comment_id, number, note FROM openreview_notes
WHERE venue_id = $1 ORDER BY imported_at, note_id;

-- name: CurrentPDFs :many
SELECT n.note_id, s.pdf_sha::text AS pdf_sha FROM openreview_notes n JOIN submissions s ON s.id = n.submission_id
WHERE n.venue_id = $1 AND n.kind = 'submission' AND s.pdf_sha IS NOT NULL;

-- name: CurrentSupps :many
SELECT n.note_id, s.supp_sha::text AS supp_sha FROM openreview_notes n JOIN submissions s ON s.id = n.submission_id
WHERE n.venue_id = $1 AND n.kind = 'submission' AND s.supp_sha IS NOT NULL;

-- name: FirstChair :one
SELECT user_id FROM venue_roles WHERE venue_id = $1 AND role = 'chair' ORDER BY granted_at, user_id LIMIT 1;

-- One import of a venue at a time.
-- name: LockVenueImport :exec
SELECT pg_advisory_xact_lock(hashtextextended('openreview-import', sqlc.arg(venue_id)::bigint));

-- name: AssignImported :exec
INSERT INTO assignments (submission_id, user_id, source, assigned_by, assigned_at)
VALUES ($1, $2, 'import', $3, $4) ON CONFLICT DO NOTHING;

-- An imported comment, as the map names it (gone when someone deleted it).
-- name: GetComment :one
SELECT id, author_id, kind, body, created_at FROM comments WHERE id = $1 AND submission_id = $2;

-- name: InsertComment :one
INSERT INTO comments (submission_id, author_id, kind, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id;

-- name: UpdateComment :exec
UPDATE comments SET author_id = $2, kind = $3, body = $4, created_at = $5 WHERE id = $1;

-- A submission's comments with their authors' addresses, for the export.
-- name: CommentsForExport :many
SELECT c.id, c.author_id, c.kind, c.body, c.created_at, u.email AS author_email, u.name AS author_name
FROM comments c JOIN users u ON u.id = c.author_id
WHERE c.submission_id = $1 ORDER BY c.created_at, c.id;
