-- name: GetReview :one
SELECT * FROM reviews WHERE submission_id = $1 AND reviewer_id = $2;

-- name: LockReview :one
SELECT * FROM reviews WHERE submission_id = $1 AND reviewer_id = $2 FOR UPDATE;

-- name: NextPseudonym :one
SELECT (coalesce(max(pseudonym), 0) + 1)::integer FROM reviews WHERE submission_id = $1;

-- name: InsertReview :one
INSERT INTO reviews (submission_id, reviewer_id, pseudonym, status, fields, version, created_at, updated_at, submitted_at)
VALUES ($1, $2, $3, $4, $5, 1, $6, $6, $7)
RETURNING *;

-- name: UpdateReview :one
UPDATE reviews SET status = $3, fields = $4, version = version + 1, updated_at = $5, submitted_at = coalesce(submitted_at, $6)
WHERE submission_id = $1 AND reviewer_id = $2
RETURNING *;

-- name: InsertVersion :exec
INSERT INTO review_versions (review_id, version, status, fields, saved_at, edited_after_submit, extended)
VALUES ($1, $2, $3, $4, $5, $6, $7);

-- name: ReviewsOf :many
SELECT r.*, u.name AS reviewer_name, u.email AS reviewer_email,
    EXISTS (SELECT 1 FROM review_versions v WHERE v.review_id = r.id AND v.edited_after_submit)::boolean AS edited_after_submit
FROM reviews r JOIN users u ON u.id = r.reviewer_id
WHERE r.submission_id = $1 ORDER BY r.pseudonym;

-- name: InsertComment :one
INSERT INTO comments (submission_id, author_id, kind, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *;

-- name: CommentsOf :many
SELECT c.*, u.name AS author_name, coalesce(r.pseudonym, 0)::integer AS pseudonym,
    EXISTS (SELECT 1 FROM venue_roles vr JOIN submissions s ON s.venue_id = vr.venue_id
            WHERE s.id = c.submission_id AND vr.user_id = c.author_id AND vr.role = 'chair')::boolean AS by_chair
FROM comments c JOIN users u ON u.id = c.author_id
LEFT JOIN reviews r ON r.submission_id = c.submission_id AND r.reviewer_id = c.author_id
WHERE c.submission_id = $1 ORDER BY c.created_at, c.id;

-- name: VenueProgress :many
-- Per assignment: the review's state, for the chairs' progress view.
SELECT s.id AS submission_id, s.number, s.title, s.track, a.user_id, u.name, u.email,
    coalesce(r.status, '')::text AS status, r.fields, r.submitted_at
FROM submissions s
JOIN assignments a ON a.submission_id = s.id AND a.declined_at IS NULL
JOIN users u ON u.id = a.user_id
LEFT JOIN reviews r ON r.submission_id = s.id AND r.reviewer_id = a.user_id
WHERE s.venue_id = $1 AND s.withdrawn_at IS NULL
ORDER BY s.number, u.name;

-- name: GetResponse :one
SELECT * FROM author_responses WHERE submission_id = $1;

-- name: SaveResponse :one
INSERT INTO author_responses (submission_id, body, status, updated_by, updated_at, submitted_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (submission_id) DO UPDATE SET body = excluded.body, status = excluded.status,
    updated_by = excluded.updated_by, updated_at = excluded.updated_at,
    submitted_at = coalesce(author_responses.submitted_at, excluded.submitted_at)
RETURNING *;

-- name: AssignedReviewers :many
SELECT u.id, u.name, u.email FROM assignments a JOIN users u ON u.id = a.user_id
WHERE a.submission_id = $1 AND a.declined_at IS NULL ORDER BY u.id;

-- name: ReviewVersions :many
-- The saved versions of a submission's reviews that the viewer may read,
-- oldest first, with whose: the submitted ones (a review once submitted
-- stays so, so every later save is one) and the viewer's own drafts. A
-- draft is its writer's alone, whoever else asks.
SELECT r.pseudonym, r.reviewer_id, v.version, v.status, v.fields, v.saved_at
FROM review_versions v JOIN reviews r ON r.id = v.review_id
WHERE r.submission_id = sqlc.arg(submission_id) AND (v.status = 'submitted' OR r.reviewer_id = sqlc.arg(viewer_id))
ORDER BY r.pseudonym, v.version;

-- name: SubmittedReviewByPseudonym :one
SELECT id, reviewer_id FROM reviews WHERE submission_id = $1 AND pseudonym = $2 AND status = 'submitted';

-- name: RateReview :exec
INSERT INTO review_ratings (review_id, rater_id, helpful, note, rated_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (review_id, rater_id) DO UPDATE SET helpful = excluded.helpful, note = excluded.note, rated_at = excluded.rated_at;

-- name: RatingsOfPaper :many
-- Every rating of a paper's reviews, with the rater's name, for its chairs.
SELECT r.pseudonym, rr.rater_id, u.name AS rater_name, rr.helpful, rr.note, rr.rated_at
FROM review_ratings rr JOIN reviews r ON r.id = rr.review_id JOIN users u ON u.id = rr.rater_id
WHERE r.submission_id = $1 ORDER BY r.pseudonym, rr.rated_at;

-- name: ReviewerRatingRecords :many
-- Per reviewer of a venue: their submitted reviews, how many were rated,
-- and how many of those a majority of raters found helpful.
WITH per_review AS (
    SELECT r.reviewer_id, r.id,
           count(rr.review_id) AS ratings,
           count(*) FILTER (WHERE rr.helpful) AS helpful_votes
    FROM reviews r JOIN submissions s ON s.id = r.submission_id
    LEFT JOIN review_ratings rr ON rr.review_id = r.id
    WHERE s.venue_id = $1 AND r.status = 'submitted'
    GROUP BY r.reviewer_id, r.id
)
SELECT reviewer_id,
       count(*)::int AS reviews,
       count(*) FILTER (WHERE ratings > 0)::int AS rated,
       count(*) FILTER (WHERE ratings > 0 AND helpful_votes * 2 > ratings)::int AS helpful
FROM per_review GROUP BY reviewer_id;
