-- name: AddPublication :execrows
-- A title already listed (in any case) is not added twice.
INSERT INTO reviewer_publications (user_id, title, abstract, year, venue, source, added_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (user_id, lower(title)) DO NOTHING;

-- name: ListPublications :many
SELECT id, title, abstract, year, venue, source, added_at FROM reviewer_publications
WHERE user_id = $1 ORDER BY year DESC NULLS LAST, id;

-- name: RemovePublication :execrows
DELETE FROM reviewer_publications WHERE id = $1 AND user_id = $2;

-- name: RemoveAllPublications :execrows
DELETE FROM reviewer_publications WHERE user_id = $1;
