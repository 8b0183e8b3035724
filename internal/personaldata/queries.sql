-- Each section of a person's export is one JSON document built here, so
-- what is exported (and what is left out) is read in one place.

-- name: ExportAccount :one
-- The profile, roles, logins and whether two-factor sign-in is on; never
-- the password hash, the two-factor secret or recovery codes.
SELECT jsonb_build_object(
    'id', u.id, 'email', u.email, 'name', u.name, 'affiliation', u.affiliation,
    'orcid', u.orcid, 'keywords', u.keywords, 'email_verified_at', u.email_verified_at,
    'is_admin', u.is_admin, 'created_at', u.created_at, 'updated_at', u.updated_at,
    'two_factor', EXISTS (SELECT 1 FROM two_factor t WHERE t.user_id = u.id AND t.enabled_at IS NOT NULL),
    'roles', coalesce((SELECT jsonb_agg(jsonb_build_object('venue', v.slug, 'role', r.role, 'granted_at', r.granted_at)
                                ORDER BY v.slug, r.role)
                       FROM venue_roles r JOIN venues v ON v.id = r.venue_id WHERE r.user_id = u.id), '[]'::jsonb),
    'sessions', coalesce((SELECT jsonb_agg(jsonb_build_object('created_at', l.created_at, 'last_used_at', l.last_used_at,
                                  'address', l.address, 'device', l.device) ORDER BY l.last_used_at DESC)
                          FROM logins l WHERE l.user_id = u.id), '[]'::jsonb)
)::jsonb AS doc
FROM users u WHERE u.id = $1;

-- name: ExportSubmissions :one
-- Papers the person is an author of (as the policy decides it: their
-- verified email on the author list), with the author list they already
-- see and their revisions. Reviews and reviewers are not part of it.
SELECT coalesce(jsonb_agg(jsonb_build_object(
    'venue', v.slug, 'number', s.number, 'track', s.track, 'title', s.title, 'abstract', s.abstract,
    'keywords', s.keywords, 'created_at', s.created_at, 'updated_at', s.updated_at,
    'withdrawn_at', s.withdrawn_at, 'revision', s.revision,
    'pdf_sha256', s.pdf_sha, 'supplementary_sha256', s.supp_sha,
    'authors', (SELECT jsonb_agg(jsonb_build_object('name', a.name, 'email', a.email, 'affiliation', a.affiliation)
                                 ORDER BY a.position) FROM submission_authors a WHERE a.submission_id = s.id),
    'revisions', (SELECT jsonb_agg(jsonb_build_object('seq', r.seq, 'kind', r.kind, 'snapshot', r.snapshot,
                                   'created_at', r.created_at, 'late', r.late) ORDER BY r.seq)
                  FROM submission_revisions r WHERE r.submission_id = s.id)
) ORDER BY v.slug, s.number), '[]'::jsonb)::jsonb AS doc
FROM submissions s JOIN venues v ON v.id = s.venue_id
WHERE s.id IN (
    SELECT sa.submission_id FROM submission_authors sa JOIN users u ON lower(u.email) = lower(sa.email)
    WHERE u.id = $1 AND u.email_verified_at IS NOT NULL
);

-- name: ExportFiles :many
-- The current files of the person's own papers, to go under files/.
SELECT v.slug AS venue, s.number, s.pdf_sha, s.supp_sha, s.supp_type
FROM submissions s JOIN venues v ON v.id = s.venue_id
WHERE s.id IN (
    SELECT sa.submission_id FROM submission_authors sa JOIN users u ON lower(u.email) = lower(sa.email)
    WHERE u.id = $1 AND u.email_verified_at IS NOT NULL
)
ORDER BY v.slug, s.number;

-- name: ExportPublicationConsent :one
-- The word given on making the person's papers public (consent or not,
-- the licence), and any the person gave for a paper as its author. Who
-- gave it is a co-author, whom the person already sees on the list.
SELECT coalesce(jsonb_agg(jsonb_build_object(
    'venue', v.slug, 'submission', s.number, 'title', s.title, 'consent', c.consent, 'licence', c.licence,
    'given_by', coalesce(g.name, ''), 'given_by_you', coalesce(c.given_by = sqlc.arg(user_id)::bigint, false), 'given_at', c.given_at
) ORDER BY v.slug, s.number), '[]'::jsonb)::jsonb AS doc
FROM publication_consent c
JOIN submissions s ON s.id = c.submission_id
JOIN venues v ON v.id = s.venue_id
LEFT JOIN users g ON g.id = c.given_by
WHERE c.given_by = sqlc.arg(user_id)::bigint OR s.id IN (
    SELECT sa.submission_id FROM submission_authors sa JOIN users u ON lower(u.email) = lower(sa.email)
    WHERE u.id = sqlc.arg(user_id)::bigint AND u.email_verified_at IS NOT NULL
);

-- name: ExportReviewing :one
-- What the person gave or chose as a reviewer: the publications their
-- expertise is read from, the loads they stated per venue, whether they
-- take reminders as a daily digest, and the reminders sent to their
-- address once they have confirmed it (before, it may be someone else's).
SELECT jsonb_build_object(
    'publications', coalesce((SELECT jsonb_agg(jsonb_build_object('title', p.title, 'abstract', p.abstract, 'year', p.year,
                                  'venue', p.venue, 'source', p.source, 'added_at', p.added_at) ORDER BY p.added_at, p.id)
                              FROM reviewer_publications p WHERE p.user_id = u.id), '[]'::jsonb),
    'loads', coalesce((SELECT jsonb_agg(jsonb_build_object('venue', v.slug, 'min', l.min_load, 'max', l.max_load,
                           'emergency_only', l.emergency_only) ORDER BY v.slug)
                       FROM reviewer_loads l JOIN venues v ON v.id = l.venue_id WHERE l.user_id = u.id), '[]'::jsonb),
    'reminder_digest', coalesce((SELECT rp.digest FROM reminder_preferences rp WHERE rp.user_id = u.id), false),
    'reminders', coalesce((SELECT jsonb_agg(jsonb_build_object('venue', v.slug, 'kind', rs.kind, 'step', rs.step,
                               'subject', rs.subject, 'papers', rs.lines, 'created_at', rs.created_at,
                               'mailed_at', rs.mailed_at) ORDER BY rs.created_at, v.slug)
                           FROM reminders_sent rs JOIN venues v ON v.id = rs.venue_id
                           WHERE rs.recipient = lower(u.email) AND u.email_verified_at IS NOT NULL), '[]'::jsonb)
)::jsonb AS doc
FROM users u WHERE u.id = $1;

-- name: ExportReviews :one
-- The person's own reviews with every saved version, drafts included: a
-- draft is its writer's. The paper is named by venue and number only.
SELECT coalesce(jsonb_agg(jsonb_build_object(
    'venue', v.slug, 'submission', s.number, 'pseudonym', 'Reviewer ' || r.pseudonym,
    'status', r.status, 'fields', r.fields, 'version', r.version, 'created_at', r.created_at,
    'updated_at', r.updated_at, 'submitted_at', r.submitted_at,
    'versions', (SELECT jsonb_agg(jsonb_build_object('version', rv.version, 'status', rv.status, 'fields', rv.fields,
                                  'saved_at', rv.saved_at, 'edited_after_submit', rv.edited_after_submit) ORDER BY rv.version)
                 FROM review_versions rv WHERE rv.review_id = r.id)
) ORDER BY v.slug, s.number), '[]'::jsonb)::jsonb AS doc
FROM reviews r JOIN submissions s ON s.id = r.submission_id JOIN venues v ON v.id = s.venue_id
WHERE r.reviewer_id = $1;

-- name: ExportBids :one
SELECT coalesce(jsonb_agg(jsonb_build_object('venue', v.slug, 'submission', s.number, 'bid', b.bid, 'updated_at', b.updated_at)
                          ORDER BY v.slug, s.number), '[]'::jsonb)::jsonb AS doc
FROM bids b JOIN submissions s ON s.id = b.submission_id JOIN venues v ON v.id = s.venue_id
WHERE b.user_id = $1;

-- name: ExportConflicts :one
-- Conflicts the person declared themselves (as author or reviewer); who
-- else a chair marked as conflicted is not theirs to see.
SELECT coalesce(jsonb_agg(jsonb_build_object('venue', v.slug, 'submission', s.number, 'source', c.source,
                          'note', c.note, 'conflicted_self', c.user_id = c.created_by, 'created_at', c.created_at)
                          ORDER BY v.slug, s.number), '[]'::jsonb)::jsonb AS doc
FROM declared_conflicts c JOIN submissions s ON s.id = c.submission_id JOIN venues v ON v.id = s.venue_id
WHERE c.created_by = $1 AND c.source <> 'added_by_chair';

-- name: ExportComments :one
SELECT coalesce(jsonb_agg(jsonb_build_object('venue', v.slug, 'submission', s.number, 'kind', c.kind,
                          'body', c.body, 'created_at', c.created_at) ORDER BY c.created_at, c.id), '[]'::jsonb)::jsonb AS doc
FROM comments c JOIN submissions s ON s.id = c.submission_id JOIN venues v ON v.id = s.venue_id
WHERE c.author_id = $1;

-- name: ExportAudit :one
SELECT coalesce(jsonb_agg(jsonb_build_object('venue', v.slug, 'action', a.action, 'subject', a.subject,
                          'detail', a.detail, 'remote_ip', a.remote_ip, 'at', a.at) ORDER BY a.at, a.id), '[]'::jsonb)::jsonb AS doc
FROM audit_log a LEFT JOIN venues v ON v.id = a.venue_id
WHERE a.actor_id = $1;

-- name: LockUser :one
SELECT email, (email_verified_at IS NOT NULL)::boolean AS verified FROM users WHERE id = $1 FOR UPDATE;

-- name: SoleChairOf :many
-- Venues that would be left without a chair.
SELECT v.slug FROM venue_roles r JOIN venues v ON v.id = r.venue_id
WHERE r.user_id = $1 AND r.role = 'chair'
  AND NOT EXISTS (SELECT 1 FROM venue_roles o WHERE o.venue_id = r.venue_id AND o.role = 'chair' AND o.user_id <> r.user_id)
ORDER BY v.slug;

-- name: ForgetPersonalRows :exec
-- What is the person's alone goes: sign-ins, tokens, two-factor, bids,
-- conflicts, roles, review drafts, publications, reminder settings and the
-- log of reminders to them, unsent mail, and assignments without a
-- submitted review (so the chair sees the paper needs another reviewer).
WITH l AS (DELETE FROM logins WHERE user_id = $1),
     rt AS (DELETE FROM refresh_tokens WHERE user_id = $1),
     et AS (DELETE FROM email_tokens WHERE user_id = $1),
     at AS (DELETE FROM api_tokens WHERE user_id = $1),
     tf AS (DELETE FROM two_factor WHERE user_id = $1),
     rc AS (DELETE FROM two_factor_recovery WHERE user_id = $1),
     ik AS (DELETE FROM idempotency_keys WHERE user_id = $1),
     b AS (DELETE FROM bids WHERE user_id = $1),
     dc AS (DELETE FROM declared_conflicts WHERE user_id = $1),
     ea AS (DELETE FROM external_affinity WHERE user_id = $1),
     rl AS (DELETE FROM reviewer_loads WHERE user_id = $1),
     vr AS (DELETE FROM venue_roles WHERE user_id = $1),
     d AS (DELETE FROM reviews WHERE reviewer_id = $1 AND status = 'draft'),
     pub AS (DELETE FROM reviewer_publications WHERE user_id = $1),
     rp AS (DELETE FROM reminder_preferences WHERE user_id = $1),
     rs AS (DELETE FROM reminders_sent WHERE recipient = lower(sqlc.arg(email)::text)),
     ob AS (DELETE FROM outbox WHERE lower(to_addr) = lower(sqlc.arg(email)::text) AND sent_at IS NULL)
DELETE FROM assignments a WHERE a.user_id = $1
  AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.submission_id = a.submission_id AND r.reviewer_id = a.user_id AND r.status = 'submitted');

-- name: DetachAuthorEntries :exec
-- The author list of a paper is the venue's record and stays, names and
-- affiliations included; the address that tied an entry to the account is
-- replaced, so the paper no longer opens to it or to whoever registers
-- that address next.
UPDATE submission_authors SET email = sqlc.arg(tombstone)::text WHERE lower(email) = lower(sqlc.arg(email)::text);

-- name: ScrubOpenReviewNotes :exec
-- Notes imported from OpenReview are kept as they were read, author ids
-- included: the address, where it stands as a value of its own, becomes
-- the tombstone's there too. Matched whole and in any case, so that an
-- address that merely contains it is left alone.
UPDATE openreview_notes
SET note = regexp_replace(note::text,
                          '"' || regexp_replace(sqlc.arg(email)::text, '([^A-Za-z0-9@_-])', '\\\1', 'g') || '"',
                          '"' || sqlc.arg(tombstone)::text || '"', 'gi')::jsonb
WHERE strpos(lower(note::text), '"' || lower(sqlc.arg(email)::text) || '"') > 0;

-- name: MakeTombstone :exec
-- The account row stays as a tombstone that keeps the foreign keys of what
-- the venue must keep (submitted reviews, comments, audit entries, papers
-- created) and that nobody can sign in to: no usable password, an address
-- that takes no mail.
UPDATE users SET email = sqlc.arg(tombstone)::text, name = 'Deleted user', affiliation = '', orcid = NULL,
    keywords = '{}', password_hash = '!', email_verified_at = NULL, is_admin = false, updated_at = sqlc.arg(now)::timestamptz
WHERE id = $1;
