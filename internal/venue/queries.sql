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
