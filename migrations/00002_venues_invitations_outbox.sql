-- +goose Up
-- A venue's rules live in its settings file, kept verbatim as YAML so chairs
-- can export exactly what they imported; slug and name are columns for lookups.
CREATE TABLE venues (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug          text        NOT NULL UNIQUE,
    name          text        NOT NULL,
    settings_yaml text        NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

-- Roles given by invitation. Authorship is not here: it follows from being on
-- a submission's author list.
CREATE TABLE venue_roles (
    venue_id   bigint      NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       text        NOT NULL CHECK (role IN ('chair', 'reviewer')),
    granted_at timestamptz NOT NULL,
    granted_by bigint      REFERENCES users (id),
    PRIMARY KEY (venue_id, user_id, role)
);
CREATE INDEX venue_roles_user ON venue_roles (user_id);

CREATE TABLE invitations (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id       bigint      NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
    email          text        NOT NULL,
    name           text        NOT NULL DEFAULT '',
    affiliation    text        NOT NULL DEFAULT '',
    keywords       text[]      NOT NULL DEFAULT '{}',
    role           text        NOT NULL CHECK (role IN ('chair', 'reviewer')),
    token_hash     bytea       NOT NULL UNIQUE,
    state          text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'declined', 'revoked')),
    invited_by     bigint      NOT NULL REFERENCES users (id),
    created_at     timestamptz NOT NULL,
    last_sent_at   timestamptz NOT NULL,
    send_count     integer     NOT NULL DEFAULT 1,
    responded_at   timestamptz,
    accepted_by    bigint      REFERENCES users (id),
    decline_reason text        NOT NULL DEFAULT ''
);
-- One open invitation per person and role in a venue.
CREATE UNIQUE INDEX invitations_pending ON invitations (venue_id, lower(email), role) WHERE state = 'pending';

-- The transactional outbox: a message is written in the same transaction as
-- the change that causes it, and a worker delivers it later. dedupe_key makes
-- "send this once" hold across retries of the causing request.
CREATE TABLE outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dedupe_key      text        NOT NULL UNIQUE,
    template        text        NOT NULL,
    to_addr         text        NOT NULL,
    subject         text        NOT NULL,
    body            text        NOT NULL,
    created_at      timestamptz NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    locked_until    timestamptz,
    sent_at         timestamptz,
    failed_at       timestamptz,
    last_error      text        NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- Who did what, when and from where, per venue (or site-wide when venue_id is null).
CREATE TABLE audit_log (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id   bigint      REFERENCES venues (id) ON DELETE CASCADE,
    actor_id   bigint      REFERENCES users (id),
    action     text        NOT NULL,
    subject    text        NOT NULL DEFAULT '',
    detail     jsonb       NOT NULL DEFAULT '{}',
    remote_ip  text        NOT NULL DEFAULT '',
    at         timestamptz NOT NULL
);
CREATE INDEX audit_log_venue ON audit_log (venue_id, at);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE outbox;
DROP TABLE invitations;
DROP TABLE venue_roles;
DROP TABLE venues;
