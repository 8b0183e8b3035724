-- name: CreateVenue :one
INSERT INTO venues (slug, name, settings_yaml, created_at, updated_at)
VALUES ($1, $2, $3, $4, $4)
ON CONFLICT (slug) DO NOTHING
RETURNING *;

-- name: GetVenueBySlug :one
SELECT * FROM venues WHERE slug = $1;

-- name: UpdateVenueSettings :one
UPDATE venues SET name = $2, settings_yaml = $3, updated_at = $4 WHERE id = $1 RETURNING *;

-- name: GrantRole :exec
INSERT INTO venue_roles (venue_id, user_id, role, granted_at, granted_by)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT DO NOTHING;

-- name: UserRoles :many
SELECT role FROM venue_roles WHERE venue_id = $1 AND user_id = $2 ORDER BY role;

-- name: CountRole :one
SELECT count(*) FROM venue_roles WHERE venue_id = $1 AND role = $2;

-- name: CountVenues :one
SELECT count(*) FROM venues;

-- name: AddOverride :one
INSERT INTO phase_overrides (venue_id, phase, kind, at, by_user, reason)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING *;

-- name: ListOverrides :many
SELECT o.*, u.name AS by_name FROM phase_overrides o JOIN users u ON u.id = o.by_user
WHERE o.venue_id = $1 ORDER BY o.at, o.id;

-- name: AddExtension :one
INSERT INTO extensions (venue_id, action, submission, reviewer_id, until, granted_by, reason, granted_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
RETURNING *;

-- name: ListExtensions :many
SELECT e.*, g.name AS granted_by_name, coalesce(r.email, '') AS reviewer_email
FROM extensions e JOIN users g ON g.id = e.granted_by LEFT JOIN users r ON r.id = e.reviewer_id
WHERE e.venue_id = $1 ORDER BY e.granted_at, e.id;

-- name: LatestExtension :one
-- The newest extension for one subject and action wins: a chair can shorten
-- an extension by granting another.
SELECT * FROM extensions
WHERE venue_id = $1 AND action = $2 AND submission = $3 AND reviewer_id IS NOT DISTINCT FROM sqlc.narg(reviewer_id)
ORDER BY granted_at DESC, id DESC LIMIT 1;

-- name: CountReviewersOf :one
SELECT count(*) FROM venue_roles WHERE venue_id = $1 AND role = 'reviewer';

-- name: SetArchived :one
UPDATE venues SET archived_at = sqlc.narg(archived_at) WHERE slug = $1 RETURNING *;

-- name: ListVenues :many
-- Every venue with the counts the administrators' console shows.
SELECT v.*,
    (SELECT count(*) FROM submissions s WHERE s.venue_id = v.id AND s.withdrawn_at IS NULL)::bigint AS submissions,
    (SELECT count(*) FROM venue_roles r WHERE r.venue_id = v.id AND r.role = 'reviewer')::bigint AS reviewers,
    (SELECT count(*) FROM venue_roles r WHERE r.venue_id = v.id AND r.role = 'chair')::bigint AS chairs
FROM venues v ORDER BY v.created_at DESC, v.id DESC;

-- name: AllOverrides :many
-- Every venue's phase overrides, for the list of venues.
SELECT o.*, u.name AS by_name FROM phase_overrides o JOIN users u ON u.id = o.by_user
ORDER BY o.venue_id, o.at, o.id;

-- name: VenuesWithVersions :many
-- Venues read together, each with its data version as committed when the
-- row was read (0 before the venue's first write): what is read of them
-- after this statement is at least that new.
SELECT v.*, coalesce(d.version, 0)::bigint AS data_version
FROM venues v LEFT JOIN venue_data_versions d ON d.venue_id = v.id
WHERE v.slug = ANY(sqlc.arg(slugs)::text[]);

-- name: GateOverrides :many
-- The phase overrides of several venues, as the gates read them.
SELECT venue_id, phase, kind, at FROM phase_overrides
WHERE venue_id = ANY(sqlc.arg(venue_ids)::bigint[]) ORDER BY venue_id, at, id;

-- name: GateExtensions :many
-- The newest extension per venue, action and subject (as LatestExtension
-- picks it) of several venues.
SELECT DISTINCT ON (venue_id, action, submission, reviewer_id) venue_id, action, submission, reviewer_id, until, granted_by, reason, granted_at
FROM extensions WHERE venue_id = ANY(sqlc.arg(venue_ids)::bigint[])
ORDER BY venue_id, action, submission, reviewer_id, granted_at DESC, id DESC;
