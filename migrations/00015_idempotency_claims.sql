-- +goose Up
-- A claim on an Idempotency-Key lasts while its request runs, not for ever:
-- the request renews claimed_until as it works and in the transaction that
-- makes its change; a retry after claimed_until takes the key over. claim is
-- the owner's token: only the owner stores the answer or lets the key go, so
-- a request that lost its key can neither overwrite the answer nor act.
-- committed is set in the transaction that made the request's change: such a
-- key is never taken over, even if its answer was lost with its server.
-- Keys claimed before this migration have no claimed_until: they are stale.
ALTER TABLE idempotency_keys ADD COLUMN claim text NOT NULL DEFAULT '', ADD COLUMN claimed_until timestamptz,
    ADD COLUMN committed boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN claim, DROP COLUMN claimed_until, DROP COLUMN committed;
