-- name: GetConsent :one
SELECT * FROM publication_consent WHERE submission_id = $1;

-- name: SetConsent :exec
INSERT INTO publication_consent (submission_id, consent, licence, given_by, given_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (submission_id) DO UPDATE SET consent = excluded.consent, licence = excluded.licence,
    given_by = excluded.given_by, given_at = excluded.given_at;

-- name: ConsentedPapers :many
-- The decided submissions of a venue whose authors consented to publish
-- them, with what a public page shows. Withdrawn and incomplete ones are
-- left out here, at the source; which decisions publish is the caller's
-- rule (the venue's policy).
SELECT s.id, s.number, s.title, s.abstract, s.keywords, s.pdf_sha, d.category,
    c.pdf_sha AS camera_sha, c.final_authors, pc.licence, pc.given_at
FROM submissions s
JOIN decisions d ON d.submission_id = s.id
JOIN publication_consent pc ON pc.submission_id = s.id AND pc.consent
LEFT JOIN camera_ready c ON c.submission_id = s.id
WHERE s.venue_id = $1 AND s.withdrawn_at IS NULL AND s.pdf_sha IS NOT NULL
ORDER BY s.number;

-- name: VenueAuthors :many
SELECT sa.submission_id, sa.name, sa.affiliation FROM submission_authors sa JOIN submissions s ON s.id = sa.submission_id
WHERE s.venue_id = $1 ORDER BY sa.submission_id, sa.position;

-- name: ReleaseAt :one
SELECT release_at FROM releases WHERE venue_id = $1;

-- name: SubmissionNumber :one
SELECT number FROM submissions WHERE id = $1;

-- name: VenueReviews :many
-- The submitted reviews of a venue's submissions, for the pages of the
-- published ones where the venue publishes reviews; the caller keeps the
-- fields the authors were shown.
SELECT r.submission_id, r.pseudonym, r.fields FROM reviews r JOIN submissions s ON s.id = r.submission_id
WHERE s.venue_id = $1 AND r.status = 'submitted' ORDER BY r.submission_id, r.pseudonym;

-- name: VenueMetaReviews :many
SELECT m.submission_id, m.body FROM meta_reviews m JOIN submissions s ON s.id = m.submission_id WHERE s.venue_id = $1;
