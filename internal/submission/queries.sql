-- name: NextNumber :one
INSERT INTO submission_counters (venue_id, last) VALUES ($1, 1)
ON CONFLICT (venue_id) DO UPDATE SET last = submission_counters.last + 1
RETURNING last;

-- name: InsertSubmission :one
INSERT INTO submissions (venue_id, number, track, title, abstract, keywords, declaration_at, created_by, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $7)
RETURNING *;

-- name: InsertAuthor :exec
INSERT INTO submission_authors (submission_id, position, name, email, affiliation) VALUES ($1, $2, $3, $4, $5);

-- name: DeleteAuthors :exec
DELETE FROM submission_authors WHERE submission_id = $1;

-- name: ListAuthors :many
SELECT * FROM submission_authors WHERE submission_id = $1 ORDER BY position;

-- name: AuthorsOf :many
SELECT * FROM submission_authors WHERE submission_id = ANY(sqlc.arg(ids)::bigint[]) ORDER BY submission_id, position;

-- name: GetSubmission :one
SELECT sqlc.embed(s), v.slug AS venue_slug FROM submissions s JOIN venues v ON v.id = s.venue_id WHERE s.id = $1;

-- name: LockSubmission :one
SELECT * FROM submissions WHERE id = $1 FOR UPDATE;

-- name: IsAuthor :one
-- An account is an author when its verified email is on the author list.
SELECT EXISTS (
    SELECT 1 FROM submission_authors sa JOIN users u ON lower(u.email) = lower(sa.email)
    WHERE sa.submission_id = $1 AND u.id = $2 AND u.email_verified_at IS NOT NULL
);

-- name: UpdateMetadata :exec
UPDATE submissions SET track = $2, title = $3, abstract = $4, keywords = $5, updated_at = $6, revision = $7 WHERE id = $1;

-- name: SetPDF :exec
UPDATE submissions SET pdf_sha = $2, pdf_size = $3, anon_sha = $4, report = $5, verdict = $6, body_pages = $7, leak_count = $8,
    late = $9, updated_at = $10, revision = $11
WHERE id = $1;

-- name: SetSupplementary :exec
UPDATE submissions SET supp_sha = $2, supp_size = $3, supp_anon_sha = $4, supp_type = $5, supp_report = $6, updated_at = $7, revision = $8
WHERE id = $1;

-- name: SetWithdrawn :exec
UPDATE submissions SET withdrawn_at = $2, withdrawn_by = $3, updated_at = $4, revision = $5 WHERE id = $1;

-- name: SetWaiver :exec
UPDATE submissions SET waived_by = $2, waived_at = $3, waive_reason = $4, updated_at = $3, revision = $5 WHERE id = $1;

-- name: RestoreFiles :exec
UPDATE submissions SET track = $2, title = $3, abstract = $4, keywords = $5, pdf_sha = $6, pdf_size = $7, anon_sha = $8, report = $9,
    verdict = $10, body_pages = $11, leak_count = $12, late = $13, supp_sha = $14, supp_size = $15, supp_anon_sha = $16, supp_type = $17,
    supp_report = $18, updated_at = $19, revision = $20
WHERE id = $1;

-- name: InsertRevision :exec
INSERT INTO submission_revisions (submission_id, seq, kind, snapshot, created_by, created_at, late)
VALUES ($1, $2, $3, $4, $5, $6, $7);

-- name: ListRevisions :many
SELECT r.*, u.name AS created_by_name FROM submission_revisions r JOIN users u ON u.id = r.created_by
WHERE r.submission_id = $1 ORDER BY r.seq;

-- name: GetRevision :one
SELECT * FROM submission_revisions WHERE submission_id = $1 AND seq = $2;

-- name: ListForAuthor :many
SELECT sqlc.embed(s), v.slug AS venue_slug FROM submissions s JOIN venues v ON v.id = s.venue_id
WHERE s.id IN (
    SELECT sa.submission_id FROM submission_authors sa JOIN users u ON lower(u.email) = lower(sa.email)
    WHERE u.id = $1 AND u.email_verified_at IS NOT NULL
)
ORDER BY v.slug, s.number;

-- name: ListForVenue :many
SELECT sqlc.embed(s), v.slug AS venue_slug FROM submissions s JOIN venues v ON v.id = s.venue_id
WHERE s.venue_id = $1 ORDER BY s.number;

-- name: LiveBlobs :many
-- Every blob a submission or a revision still refers to (for garbage collection).
SELECT sha::text FROM (
    SELECT unnest(ARRAY[pdf_sha, anon_sha, supp_sha, supp_anon_sha]) AS sha FROM submissions
    UNION
    SELECT jsonb_array_elements_text(jsonb_build_array(snapshot->'pdf_sha', snapshot->'anon_sha', snapshot->'supp_sha', snapshot->'supp_anon_sha'))
    FROM submission_revisions
    UNION
    -- The page thumbnails of the reports that are kept.
    SELECT jsonb_array_elements_text(report->'thumbnails') FROM submissions WHERE jsonb_typeof(report->'thumbnails') = 'array'
    UNION
    SELECT jsonb_array_elements_text(snapshot->'report'->'thumbnails') FROM submission_revisions
    WHERE jsonb_typeof(snapshot->'report'->'thumbnails') = 'array'
    UNION
    -- The camera-ready versions and their pictures.
    SELECT pdf_sha FROM camera_ready
    UNION
    SELECT jsonb_array_elements_text(report->'thumbnails') FROM camera_ready WHERE jsonb_typeof(report->'thumbnails') = 'array'
    UNION
    -- The speakers' photos on the venues' sites, and each width drawn.
    SELECT sha FROM speaker_photos
    UNION
    SELECT sha FROM speaker_photo_variants
) live WHERE sha IS NOT NULL;

-- name: SetHold :exec
UPDATE submissions SET pdf_held = $2, supp_held = $3, hold_action = $4, hold_fix_by = $5, hold_note = $6 WHERE id = $1;

-- name: WaivedFiles :many
-- The files of a submission a chair released as they are.
SELECT f.sha::text FROM anonymity_waivers w, unnest(ARRAY[w.pdf_sha, w.supp_sha]) AS f(sha)
WHERE w.submission_id = $1 AND f.sha IS NOT NULL;

-- name: InsertWaiver :exec
INSERT INTO anonymity_waivers (submission_id, pdf_sha, supp_sha, waived_by, waived_at, reason) VALUES ($1, $2, $3, $4, $5, $6);

-- name: ListWaivers :many
SELECT w.*, u.name AS waived_by_name FROM anonymity_waivers w JOIN users u ON u.id = w.waived_by
WHERE w.submission_id = sqlc.arg(submission_id) ORDER BY w.waived_at, w.id;

-- name: ListHeld :many
-- A venue's submissions held from their reviewers, or desk-rejected for it.
SELECT sqlc.embed(s), v.slug AS venue_slug FROM submissions s JOIN venues v ON v.id = s.venue_id
WHERE s.venue_id = $1 AND (s.pdf_held OR s.supp_held OR s.hold_action = 'desk_rejected') ORDER BY s.number;

-- name: FieldAnswers :one
SELECT answers FROM submission_field_values WHERE submission_id = $1;

-- name: FieldAnswersOf :many
SELECT submission_id, answers FROM submission_field_values WHERE submission_id = ANY(sqlc.arg(ids)::bigint[]);

-- name: SetFieldAnswers :exec
INSERT INTO submission_field_values (submission_id, answers, updated_at) VALUES ($1, $2, $3)
ON CONFLICT (submission_id) DO UPDATE SET answers = EXCLUDED.answers, updated_at = EXCLUDED.updated_at;

-- name: TracksAndAnswers :many
SELECT s.id, s.track, COALESCE(f.answers, '{}'::jsonb)::jsonb AS answers
FROM submissions s LEFT JOIN submission_field_values f ON f.submission_id = s.id
WHERE s.id = ANY(sqlc.arg(ids)::bigint[]);

-- name: FileThumbnails :one
-- The page thumbnails already drawn for a file of the submission, from its
-- current report or any revision's (never drawn twice for one file).
SELECT coalesce(
    (SELECT s.report->'thumbnails' FROM submissions s WHERE s.id = $1 AND s.pdf_sha = $2 AND jsonb_typeof(s.report->'thumbnails') = 'array'),
    (SELECT r.snapshot->'report'->'thumbnails' FROM submission_revisions r WHERE r.submission_id = $1 AND r.snapshot->>'pdf_sha' = $2::text
        AND jsonb_typeof(r.snapshot->'report'->'thumbnails') = 'array' LIMIT 1),
    '[]'::jsonb)::jsonb AS thumbnails;

-- name: SetThumbnails :exec
-- Page thumbnails drawn after the upload was acknowledged go into every
-- report of that file of the submission, current and revisions.
WITH cur AS (
    UPDATE submissions SET report = jsonb_set(report, '{thumbnails}', @thumbnails::jsonb)
    WHERE id = @id AND pdf_sha = @pdf_sha::text AND jsonb_typeof(report) = 'object'
)
UPDATE submission_revisions SET snapshot = jsonb_set(snapshot, '{report,thumbnails}', @thumbnails::jsonb)
WHERE submission_id = @id AND snapshot->>'pdf_sha' = @pdf_sha::text AND jsonb_typeof(snapshot->'report') = 'object';
