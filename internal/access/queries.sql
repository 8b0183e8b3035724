-- name: Facts :one
-- What one person is to one submission, in one round trip.
SELECT
    s.venue_id,
    v.slug,
    (s.withdrawn_at IS NOT NULL)::boolean AS withdrawn,
    (s.pdf_held OR s.hold_action = 'desk_rejected')::boolean AS held,
    s.supp_held,
    EXISTS (SELECT 1 FROM submission_authors sa JOIN users u ON lower(u.email) = lower(sa.email)
            WHERE sa.submission_id = s.id AND u.id = sqlc.arg(user_id) AND u.email_verified_at IS NOT NULL)::boolean AS author,
    EXISTS (SELECT 1 FROM venue_roles r WHERE r.venue_id = s.venue_id AND r.user_id = sqlc.arg(user_id) AND r.role = 'chair')::boolean AS chair,
    EXISTS (SELECT 1 FROM venue_roles r WHERE r.venue_id = s.venue_id AND r.user_id = sqlc.arg(user_id) AND r.role = 'reviewer')::boolean AS reviewer,
    EXISTS (SELECT 1 FROM assignments a WHERE a.submission_id = s.id AND a.user_id = sqlc.arg(user_id) AND a.declined_at IS NULL)::boolean AS assigned,
    EXISTS (SELECT 1 FROM reviews rv WHERE rv.submission_id = s.id AND rv.reviewer_id = sqlc.arg(user_id) AND rv.status = 'submitted')::boolean AS submitted_review
FROM submissions s JOIN venues v ON v.id = s.venue_id
WHERE s.id = sqlc.arg(submission_id);
