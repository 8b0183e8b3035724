-- name: OwedReviews :many
-- Assigned reviews not submitted, of the venue's current reviewers, on
-- papers in review; emergency assignments have their own deadline.
SELECT a.user_id, a.submission_id, u.name, u.email, s.number, s.title
FROM assignments a
JOIN submissions s ON s.id = a.submission_id
JOIN users u ON u.id = a.user_id
JOIN venue_roles vr ON vr.venue_id = s.venue_id AND vr.user_id = a.user_id AND vr.role = 'reviewer'
WHERE s.venue_id = $1 AND a.declined_at IS NULL AND s.withdrawn_at IS NULL AND NOT a.emergency
  AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.submission_id = a.submission_id AND r.reviewer_id = a.user_id AND r.status = 'submitted')
ORDER BY a.user_id, s.number;

-- name: ReviewersWithoutBids :many
-- Reviewers (not emergency-only ones) who have not bid on any paper.
SELECT u.id AS user_id, u.name, u.email FROM venue_roles vr JOIN users u ON u.id = vr.user_id
WHERE vr.venue_id = $1 AND vr.role = 'reviewer'
  AND NOT EXISTS (SELECT 1 FROM bids b JOIN submissions s ON s.id = b.submission_id WHERE s.venue_id = $1 AND b.user_id = vr.user_id)
  AND NOT EXISTS (SELECT 1 FROM reviewer_loads l WHERE l.venue_id = $1 AND l.user_id = vr.user_id AND l.emergency_only)
ORDER BY u.id;

-- name: AuthorsOwingResponse :many
-- Authors of papers with a submitted review and no submitted response.
SELECT sa.name, sa.email, s.number, s.title FROM submissions s JOIN submission_authors sa ON sa.submission_id = s.id
WHERE s.venue_id = $1 AND s.withdrawn_at IS NULL
  AND EXISTS (SELECT 1 FROM reviews r WHERE r.submission_id = s.id AND r.status = 'submitted')
  AND NOT EXISTS (SELECT 1 FROM author_responses ar WHERE ar.submission_id = s.id AND ar.status = 'submitted')
ORDER BY lower(sa.email), s.number;

-- name: AuthorsOwingCameraReady :many
-- Authors of decided papers without a camera-ready file, once decisions
-- are out; which categories accept is the venue file's to say.
SELECT sa.name, sa.email, s.number, s.title, d.category FROM submissions s
JOIN decisions d ON d.submission_id = s.id
JOIN submission_authors sa ON sa.submission_id = s.id
LEFT JOIN camera_ready cr ON cr.submission_id = s.id
WHERE s.venue_id = $1 AND s.withdrawn_at IS NULL AND cr.uploaded_at IS NULL
  AND EXISTS (SELECT 1 FROM releases rl WHERE rl.venue_id = s.venue_id AND rl.mailed_at IS NOT NULL)
ORDER BY lower(sa.email), s.number;

-- name: DigestWanted :many
-- Of these addresses, those whose account asks for a daily digest.
SELECT lower(u.email)::text AS email FROM users u JOIN reminder_preferences p ON p.user_id = u.id
WHERE p.digest AND lower(u.email) = ANY(sqlc.arg(emails)::text[]);

-- name: RecordReminder :execrows
-- Once per venue, deadline, step and address: 0 rows when it was sent.
INSERT INTO reminders_sent (venue_id, kind, step, recipient, name, subject, lines, link, created_at, digest, mailed_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT DO NOTHING;

-- name: StepCounts :many
SELECT kind, step, count(*) AS recipients, count(mailed_at) AS mailed FROM reminders_sent WHERE venue_id = $1 GROUP BY kind, step;

-- name: RecentReminders :many
SELECT kind, step, recipient, name, subject, created_at, digest, mailed_at FROM reminders_sent WHERE venue_id = $1
ORDER BY created_at DESC, recipient LIMIT 200;

-- name: DigestDue :many
-- Addresses with reminders waiting for a digest, and no digest in the
-- last day.
SELECT DISTINCT r.recipient FROM reminders_sent r
WHERE r.digest AND r.mailed_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM reminders_sent m WHERE m.recipient = r.recipient AND m.digest AND m.mailed_at > sqlc.arg(since));

-- name: PendingDigestFor :many
SELECT venue_id, kind, step, name, subject, lines, link FROM reminders_sent
WHERE recipient = $1 AND digest AND mailed_at IS NULL ORDER BY created_at, venue_id FOR UPDATE;

-- name: MarkDigestMailed :exec
UPDATE reminders_sent SET mailed_at = $2 WHERE recipient = $1 AND digest AND mailed_at IS NULL;

-- name: GetDigestPreference :one
SELECT COALESCE((SELECT digest FROM reminder_preferences WHERE user_id = $1), false)::boolean;

-- name: SetDigestPreference :exec
INSERT INTO reminder_preferences (user_id, digest) VALUES ($1, $2)
ON CONFLICT (user_id) DO UPDATE SET digest = excluded.digest;
