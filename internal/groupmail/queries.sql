-- name: VenueAssignments :many
-- Every live assignment of the venue with whether its review is in.
SELECT s.id AS submission_id, s.number, s.title, a.user_id, u.name, u.email,
    (r.status IS NOT DISTINCT FROM 'submitted')::boolean AS submitted
FROM assignments a
JOIN submissions s ON s.id = a.submission_id
JOIN users u ON u.id = a.user_id
LEFT JOIN reviews r ON r.submission_id = s.id AND r.reviewer_id = a.user_id
WHERE s.venue_id = $1 AND s.withdrawn_at IS NULL AND a.declined_at IS NULL
ORDER BY u.name, u.id, s.number;

-- name: VenueReviewers :many
SELECT u.id, u.name, u.email FROM venue_roles vr JOIN users u ON u.id = vr.user_id
WHERE vr.venue_id = $1 AND vr.role = 'reviewer'
ORDER BY u.name, u.id;

-- name: SubmittedPapers :many
-- The venue's submitted papers (an accepted PDF, not withdrawn) with their
-- current decision, if any.
SELECT s.id, s.number, s.title, s.track, coalesce(d.category, '')::text AS category
FROM submissions s LEFT JOIN decisions d ON d.submission_id = s.id
WHERE s.venue_id = $1 AND s.withdrawn_at IS NULL AND s.pdf_sha IS NOT NULL
ORDER BY s.number;

-- name: PaperAuthors :many
SELECT sa.submission_id, sa.name, sa.email FROM submission_authors sa JOIN submissions s ON s.id = sa.submission_id
WHERE s.venue_id = $1 ORDER BY s.number, sa.position;

-- name: InsertSent :one
INSERT INTO group_mails (venue_id, send_key, audience, audience_label, subject, body, recipients, sent_by, sent_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (venue_id, send_key) DO NOTHING
RETURNING id;

-- name: SentByKey :one
SELECT g.*, u.name AS sender FROM group_mails g JOIN users u ON u.id = g.sent_by
WHERE g.venue_id = $1 AND g.send_key = $2;

-- name: VenueSent :many
SELECT g.*, u.name AS sender FROM group_mails g JOIN users u ON u.id = g.sent_by
WHERE g.venue_id = $1 ORDER BY g.sent_at DESC, g.id DESC;
