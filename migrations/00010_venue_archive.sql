-- +goose Up
-- An administrator archives a venue that is over: it leaves the public list
-- of venues and every deadline-gated action is refused, while its pages and
-- records stay readable.
ALTER TABLE venues ADD COLUMN archived_at timestamptz;

-- +goose Down
ALTER TABLE venues DROP COLUMN archived_at;
