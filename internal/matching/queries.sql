-- name: VenueReviewers :many
SELECT u.id, u.email, u.name, u.affiliation, u.keywords FROM venue_roles r JOIN users u ON u.id = r.user_id
WHERE r.venue_id = $1 AND r.role = 'reviewer' ORDER BY u.id;

-- name: VenuePapers :many
-- Papers in the review pipeline: not withdrawn, with an accepted PDF.
SELECT id, number, track, title, abstract, keywords FROM submissions
WHERE venue_id = $1 AND withdrawn_at IS NULL AND pdf_sha IS NOT NULL ORDER BY number;

-- name: VenueAuthors :many
-- Every author of every submission of the venue (withdrawn ones too: a
-- co-authorship is a conflict even if the joint paper was withdrawn).
SELECT sa.submission_id, sa.position, sa.name, sa.email, sa.affiliation, s.abstract, s.title
FROM submission_authors sa JOIN submissions s ON s.id = sa.submission_id
WHERE s.venue_id = $1 ORDER BY sa.submission_id, sa.position;

-- name: DeclaredConflicts :many
SELECT d.* FROM declared_conflicts d JOIN submissions s ON s.id = d.submission_id WHERE s.venue_id = $1;

-- name: ReviewerDeclared :many
-- The papers in the review pipeline a reviewer declared a conflict with.
SELECT s.id, s.number, s.title FROM declared_conflicts d JOIN submissions s ON s.id = d.submission_id
WHERE s.venue_id = $1 AND d.user_id = $2 AND d.source = 'declared_by_reviewer'
  AND s.withdrawn_at IS NULL AND s.pdf_sha IS NOT NULL ORDER BY s.number;

-- name: AddDeclared :exec
INSERT INTO declared_conflicts (submission_id, user_id, source, note, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING;

-- name: DeleteDeclared :exec
DELETE FROM declared_conflicts WHERE submission_id = $1 AND user_id = $2 AND source = $3;

-- name: DeleteDeclaredBySource :exec
DELETE FROM declared_conflicts WHERE submission_id = $1 AND source = $2;

-- name: DeleteReviewerDeclared :exec
DELETE FROM declared_conflicts d USING submissions s
WHERE d.submission_id = s.id AND s.venue_id = $1 AND d.user_id = $2 AND d.source = 'declared_by_reviewer';

-- name: Waivers :many
SELECT w.* FROM conflict_waivers w JOIN submissions s ON s.id = w.submission_id WHERE s.venue_id = $1;

-- name: AddWaiver :exec
INSERT INTO conflict_waivers (submission_id, user_id, waived_by, reason, waived_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (submission_id, user_id) DO UPDATE SET waived_by = $3, reason = $4, waived_at = $5;

-- name: DeleteWaiver :exec
DELETE FROM conflict_waivers WHERE submission_id = $1 AND user_id = $2;

-- name: VenueBids :many
SELECT b.* FROM bids b JOIN submissions s ON s.id = b.submission_id WHERE s.venue_id = $1;

-- name: SetBid :exec
INSERT INTO bids (submission_id, user_id, bid, updated_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (submission_id, user_id) DO UPDATE SET bid = $3, updated_at = $4;

-- name: DeleteBid :exec
DELETE FROM bids WHERE submission_id = $1 AND user_id = $2;

-- name: ExternalAffinity :many
SELECT e.* FROM external_affinity e JOIN submissions s ON s.id = e.submission_id WHERE s.venue_id = $1;

-- name: ClearExternalAffinity :exec
DELETE FROM external_affinity e USING submissions s WHERE e.submission_id = s.id AND s.venue_id = $1;

-- name: AddExternalAffinity :exec
INSERT INTO external_affinity (submission_id, user_id, score) VALUES ($1, $2, $3)
ON CONFLICT (submission_id, user_id) DO UPDATE SET score = $3;

-- name: ReviewerLoads :many
SELECT * FROM reviewer_loads WHERE venue_id = $1;

-- name: SetReviewerLoad :exec
INSERT INTO reviewer_loads (venue_id, user_id, min_load, max_load) VALUES ($1, $2, $3, $4)
ON CONFLICT (venue_id, user_id) DO UPDATE SET min_load = $3, max_load = $4;

-- name: VenueAssignments :many
SELECT a.* FROM assignments a JOIN submissions s ON s.id = a.submission_id WHERE s.venue_id = $1 ORDER BY s.number, a.assigned_at;

-- name: Assign :exec
INSERT INTO assignments (submission_id, user_id, source, assigned_by, assigned_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (submission_id, user_id) DO UPDATE SET declined_at = NULL, decline_reason = '', source = $3, assigned_by = $4, assigned_at = $5;

-- name: Unassign :execrows
DELETE FROM assignments WHERE submission_id = $1 AND user_id = $2;

-- name: DeleteAutoAssignments :exec
DELETE FROM assignments a USING submissions s WHERE a.submission_id = s.id AND s.venue_id = $1 AND a.source = 'auto' AND a.declined_at IS NULL;

-- name: Decline :execrows
UPDATE assignments SET declined_at = $3, decline_reason = $4 WHERE submission_id = $1 AND user_id = $2 AND declined_at IS NULL;

-- name: AssignmentsOf :many
SELECT a.*, s.number, s.title, s.abstract, s.keywords, s.track, s.venue_id,
    (s.pdf_held OR s.hold_action = 'desk_rejected')::boolean AS held
FROM assignments a JOIN submissions s ON s.id = a.submission_id
WHERE a.user_id = $1 AND s.venue_id = $2 AND s.withdrawn_at IS NULL ORDER BY s.number;

-- name: CreateRun :one
INSERT INTO assignment_runs (venue_id, status, params, started_by, started_at) VALUES ($1, 'running', $2, $3, $4) RETURNING id;

-- name: RunProgress :exec
UPDATE assignment_runs SET phase = $2, progress = $3 WHERE id = $1;

-- name: FinishRun :exec
UPDATE assignment_runs SET status = $2, proposal = $3, explanation = $4, finished_at = $5, progress = 1 WHERE id = $1;

-- name: GetRun :one
SELECT * FROM assignment_runs WHERE id = $1 AND venue_id = $2;

-- name: MarkRunCommitted :execrows
UPDATE assignment_runs SET status = 'committed', committed_at = $2 WHERE id = $1 AND status = 'done';

-- name: LoadsElsewhere :many
-- How many papers each reviewer of a venue reviews in the other venues of
-- the site: a number for the chairs, never which venues.
SELECT a.user_id, count(*)::bigint AS papers
FROM assignments a
JOIN submissions s ON s.id = a.submission_id
JOIN venue_roles r ON r.user_id = a.user_id AND r.venue_id = $1 AND r.role = 'reviewer'
WHERE s.venue_id <> $1 AND a.declined_at IS NULL AND s.withdrawn_at IS NULL
GROUP BY a.user_id;

-- name: InVenue :one
-- Whether a person takes part in a venue: a role in it, or a place on the
-- author list of one of its submissions (with a verified email).
SELECT (EXISTS (SELECT 1 FROM venue_roles r WHERE r.venue_id = $1 AND r.user_id = $2)
    OR EXISTS (SELECT 1 FROM submissions s JOIN submission_authors sa ON sa.submission_id = s.id
               JOIN users u ON lower(u.email) = lower(sa.email)
               WHERE s.venue_id = $1 AND u.id = $2 AND u.email_verified_at IS NOT NULL))::boolean AS in_venue;

-- name: MyReviews :many
-- A reviewer's assignments in a venue (declined ones and withdrawn papers
-- left out) and whether each review is in; the caller leaves out the ones
-- the reviewer has since become conflicted with.
SELECT a.submission_id, (rv.status IS NOT DISTINCT FROM 'submitted')::boolean AS submitted
FROM assignments a
JOIN submissions s ON s.id = a.submission_id
LEFT JOIN reviews rv ON rv.submission_id = a.submission_id AND rv.reviewer_id = a.user_id
WHERE s.venue_id = $1 AND a.user_id = $2 AND a.declined_at IS NULL AND s.withdrawn_at IS NULL
ORDER BY s.number;

-- name: RecentRunScores :many
-- The venue's latest finished runs with their parameters and the papers'
-- score distribution (not the whole proposal), to compare modes.
SELECT id, params, coalesce(proposal->'scores', 'null'::jsonb)::jsonb AS scores, finished_at
FROM assignment_runs WHERE venue_id = $1 AND status IN ('done', 'committed') AND proposal ? 'scores'
ORDER BY id DESC LIMIT $2;

-- name: StateReviewerLoad :exec
-- A reviewer's own word on their load; it replaces a chair's override.
INSERT INTO reviewer_loads (venue_id, user_id, min_load, max_load, emergency_only, stated_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (venue_id, user_id) DO UPDATE
SET min_load = excluded.min_load, max_load = excluded.max_load, emergency_only = excluded.emergency_only, stated_at = excluded.stated_at;

-- name: ReviewerLoadOf :one
SELECT * FROM reviewer_loads WHERE venue_id = $1 AND user_id = $2;

-- name: ActiveAssignmentsOf :one
-- The papers a reviewer reviews in a venue now: not declined.
SELECT count(*) FROM assignments a JOIN submissions s ON s.id = a.submission_id
WHERE s.venue_id = $1 AND a.user_id = $2 AND a.declined_at IS NULL AND s.withdrawn_at IS NULL;

-- name: SubmittedReviewPairs :many
-- Which assigned reviewers of a venue have submitted their review.
SELECT r.submission_id, r.reviewer_id FROM reviews r JOIN submissions s ON s.id = r.submission_id
WHERE s.venue_id = $1 AND r.status = 'submitted';

-- name: AssignEmergency :exec
INSERT INTO assignments (submission_id, user_id, source, assigned_by, assigned_at, emergency, due_at)
VALUES ($1, $2, 'manual', $3, $4, true, $5)
ON CONFLICT (submission_id, user_id) DO UPDATE
SET declined_at = NULL, decline_reason = '', source = 'manual', assigned_by = $3, assigned_at = $4, emergency = true, due_at = $5;

-- name: ExtendReviewerUntil :exec
-- An emergency reviewer's deadline past the venue's: an extension of the
-- review deadline for them, as a chair would grant.
INSERT INTO extensions (venue_id, action, reviewer_id, until, granted_by, reason, granted_at)
VALUES ($1, 'review', $2, $3, $4, $5, $6);

-- name: Nominees :many
-- The authors the venue's papers in review name under its reciprocal rule
-- (the answer to the person field sqlc.arg(field)), with their accounts.
SELECT s.id AS submission_id, u.id AS user_id
FROM submissions s
JOIN submission_field_values f ON f.submission_id = s.id
JOIN users u ON lower(u.email) = lower(f.answers ->> sqlc.arg(field)::text)
WHERE s.venue_id = sqlc.arg(venue_id) AND s.withdrawn_at IS NULL;

-- name: VenueReviewerPublications :many
-- The publications the venue's reviewers gave as their expertise.
SELECT p.user_id, p.title, p.abstract, p.year FROM reviewer_publications p
JOIN venue_roles r ON r.user_id = p.user_id AND r.venue_id = $1 AND r.role = 'reviewer'
ORDER BY p.user_id, p.id;
