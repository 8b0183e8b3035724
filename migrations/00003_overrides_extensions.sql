-- +goose Up
-- A chair opening or closing a phase early. Phases themselves are derived
-- from the deadlines and the clock; only these deliberate departures are stored.
CREATE TABLE phase_overrides (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id   bigint      NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
    phase      text        NOT NULL,
    kind       text        NOT NULL CHECK (kind IN ('open', 'close')),
    at         timestamptz NOT NULL,
    by_user    bigint      NOT NULL REFERENCES users (id),
    reason     text        NOT NULL
);
CREATE INDEX phase_overrides_venue ON phase_overrides (venue_id, at);

-- One deadline extended for one submission or one reviewer.
CREATE TABLE extensions (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id      bigint      NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
    action        text        NOT NULL,
    submission    text        NOT NULL DEFAULT '',
    reviewer_id   bigint      REFERENCES users (id),
    until         timestamptz NOT NULL,
    granted_by    bigint      NOT NULL REFERENCES users (id),
    reason        text        NOT NULL,
    granted_at    timestamptz NOT NULL,
    CHECK ((submission <> '') <> (reviewer_id IS NOT NULL))
);
CREATE INDEX extensions_venue ON extensions (venue_id, action);

-- +goose Down
DROP TABLE extensions;
DROP TABLE phase_overrides;
