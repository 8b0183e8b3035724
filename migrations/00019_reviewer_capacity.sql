-- +goose Up
-- What a reviewer said they can take. A row of reviewer_loads was only ever
-- a chair's override; now the reviewer states their own maximum when they
-- accept (or instead of declining), and may say they review only in an
-- emergency: such a reviewer is left out of assignment runs and offered to
-- the chairs only to fill a review that fell through.
ALTER TABLE reviewer_loads
    ADD COLUMN emergency_only boolean     NOT NULL DEFAULT false,
    ADD COLUMN stated_at      timestamptz;

-- +goose Down
ALTER TABLE reviewer_loads DROP COLUMN stated_at, DROP COLUMN emergency_only;
