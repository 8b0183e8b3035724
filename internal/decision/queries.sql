-- name: SetDecision :exec
INSERT INTO decisions (submission_id, category, note, decided_by, decided_at, on_time) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (submission_id) DO UPDATE SET category = $2, note = $3, decided_by = $4, decided_at = $5, on_time = $6;

-- name: AddHistory :exec
INSERT INTO decision_history (submission_id, category, note, decided_by, decided_at, on_time) VALUES ($1, $2, $3, $4, $5, $6);

-- name: VenueDecisions :many
SELECT s.id, s.number, s.title, s.track, (s.withdrawn_at IS NOT NULL)::boolean AS withdrawn, (s.pdf_sha IS NOT NULL)::boolean AS has_pdf,
    coalesce(d.category, '')::text AS category, coalesce(d.note, '')::text AS note, d.decided_at, coalesce(d.on_time, false)::boolean AS on_time,
    coalesce(u.name, '')::text AS decided_by
FROM submissions s LEFT JOIN decisions d ON d.submission_id = s.id LEFT JOIN users u ON u.id = d.decided_by
WHERE s.venue_id = $1 ORDER BY s.number;

-- name: DecidingFacts :one
-- What a decision on a submission depends on, held (FOR SHARE) until the
-- decision is recorded so a withdrawal cannot slip in between.
SELECT number, (withdrawn_at IS NOT NULL)::boolean AS withdrawn, (pdf_sha IS NOT NULL)::boolean AS has_pdf
FROM submissions WHERE id = $1 FOR SHARE;

-- name: GetDecision :one
SELECT * FROM decisions WHERE submission_id = $1;

-- name: History :many
SELECT h.*, u.name AS decided_by_name FROM decision_history h JOIN users u ON u.id = h.decided_by
WHERE h.submission_id = $1 ORDER BY h.decided_at, h.id;

-- name: SetRelease :exec
INSERT INTO releases (venue_id, release_at, created_by, created_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (venue_id) DO UPDATE SET release_at = $2, created_by = $3, created_at = $4 WHERE releases.mailed_at IS NULL AND releases.release_at > $4;

-- name: GetRelease :one
SELECT * FROM releases WHERE venue_id = $1;

-- name: CancelRelease :execrows
DELETE FROM releases WHERE venue_id = $1 AND release_at > $2;

-- name: DueReleases :many
SELECT * FROM releases WHERE release_at <= $1 AND mailed_at IS NULL;

-- name: MarkMailed :exec
UPDATE releases SET mailed_at = $2 WHERE venue_id = $1;

-- name: GetCameraReady :one
SELECT * FROM camera_ready WHERE submission_id = $1;

-- name: SetCameraReadyPDF :exec
INSERT INTO camera_ready (submission_id, pdf_sha, pdf_size, report, uploaded_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
ON CONFLICT (submission_id) DO UPDATE SET pdf_sha = $2, pdf_size = $3, report = $4, uploaded_at = $5, updated_at = $5, confirmed_at = NULL;

-- name: SetFinalAuthors :exec
INSERT INTO camera_ready (submission_id, final_authors, confirmed_at, updated_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (submission_id) DO UPDATE SET final_authors = $2, confirmed_at = $3, updated_at = $4;

-- name: ClearProgramme :exec
DELETE FROM programme WHERE venue_id = $1;

-- name: AddToProgramme :exec
INSERT INTO programme (submission_id, venue_id, spotlight, poster_session, board) VALUES ($1, $2, $3, $4, $5);

-- name: LockProgramme :exec
-- One writer of a venue's programme at a time: a chair saving it and the
-- release filling in the papers not yet placed.
SELECT pg_advisory_xact_lock(1886547815, sqlc.arg(venue_id)::integer);

-- name: Programme :many
-- The decided submissions that can be in a programme: not withdrawn and
-- complete (a PDF). The caller keeps the accepting categories. Filtering
-- here, at the source, keeps an incomplete paper off every page, export,
-- schedule and calendar even if an accepting decision on it was recorded
-- before acceptance needed a PDF.
SELECT s.id, s.number, s.title, s.abstract, s.keywords, d.category,
    p.spotlight, coalesce(p.poster_session, 0)::integer AS poster_session, coalesce(p.board, 0)::integer AS board,
    (p.submission_id IS NOT NULL)::boolean AS placed,
    c.pdf_sha, c.final_authors, c.confirmed_at
FROM submissions s
JOIN decisions d ON d.submission_id = s.id
LEFT JOIN programme p ON p.submission_id = s.id
LEFT JOIN camera_ready c ON c.submission_id = s.id
WHERE s.venue_id = $1 AND s.withdrawn_at IS NULL AND s.pdf_sha IS NOT NULL
ORDER BY p.spotlight NULLS LAST, p.poster_session, p.board, s.number;

-- name: VenueAuthors :many
SELECT sa.submission_id, sa.name, sa.email FROM submission_authors sa JOIN submissions s ON s.id = sa.submission_id
WHERE s.venue_id = $1 ORDER BY sa.submission_id, sa.position;

-- name: GetMetaReview :one
SELECT * FROM meta_reviews WHERE submission_id = $1;

-- name: SetMetaReview :exec
INSERT INTO meta_reviews (submission_id, recommendation, body, written_by, updated_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (submission_id) DO UPDATE SET recommendation = excluded.recommendation, body = excluded.body,
    written_by = excluded.written_by, updated_at = excluded.updated_at;

-- name: VenueMetaReviews :many
SELECT m.submission_id, m.body FROM meta_reviews m JOIN submissions s ON s.id = m.submission_id WHERE s.venue_id = $1;

-- name: DeleteMetaReview :execrows
DELETE FROM meta_reviews WHERE submission_id = $1;

-- name: ConsentedSubmissions :many
-- The submissions of a venue whose authors consented to publication (see
-- package publication): only theirs show an abstract and a file in the
-- public programme.
SELECT pc.submission_id FROM publication_consent pc JOIN submissions s ON s.id = pc.submission_id
WHERE s.venue_id = $1 AND pc.consent;
