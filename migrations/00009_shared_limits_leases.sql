-- +goose Up
-- Sign-in, registration and reset limits shared by every replica. Each key
-- is one GCRA (token bucket) state: the theoretical arrival time of the
-- next attempt. A key whose tat has passed is a full bucket, the same as no
-- row, so old rows are deleted whenever convenient.
CREATE TABLE rate_limits (
    key text        PRIMARY KEY,
    tat timestamptz NOT NULL
);
CREATE INDEX rate_limits_tat ON rate_limits (tat);

-- Leases for timed work (scheduled release, file collection): the holder
-- runs the job; another replica takes over once the lease has expired.
CREATE TABLE leases (
    name       text        PRIMARY KEY,
    holder     text        NOT NULL,
    expires_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE leases;
DROP TABLE rate_limits;
