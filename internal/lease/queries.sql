-- name: Acquire :one
-- Take the lease, or keep it when it is ours already; someone else's lease
-- is taken only once it has expired. Returns no row when it is held.
INSERT INTO leases AS l (name, holder, expires_at) VALUES (sqlc.arg(name), sqlc.arg(holder), now() + make_interval(secs => sqlc.arg(ttl)::float8))
ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
    WHERE l.holder = excluded.holder OR l.expires_at < now()
RETURNING expires_at;

-- name: Release :exec
DELETE FROM leases WHERE name = $1 AND holder = $2;

-- name: Holder :one
SELECT holder, expires_at FROM leases WHERE name = $1;
