-- +goose Up
-- Every reminder a person got (or has waiting for their digest): one row
-- per venue, deadline, step and address, so each step reaches each person
-- once, whichever replica sends it and however often it looks.
CREATE TABLE reminders_sent (
    venue_id   bigint      NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
    kind       text        NOT NULL,
    step       text        NOT NULL,
    recipient  text        NOT NULL, -- lower(email)
    name       text        NOT NULL,
    subject    text        NOT NULL,
    lines      text        NOT NULL, -- the papers concerned, one a line
    link       text        NOT NULL,
    created_at timestamptz NOT NULL,
    digest     boolean     NOT NULL,
    mailed_at  timestamptz,
    PRIMARY KEY (venue_id, kind, step, recipient)
);
CREATE INDEX reminders_sent_digest ON reminders_sent (recipient) WHERE digest AND mailed_at IS NULL;

-- A person who wants their reminders as one mail a day.
CREATE TABLE reminder_preferences (
    user_id bigint  PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    digest  boolean NOT NULL
);

-- +goose Down
DROP TABLE reminder_preferences;
DROP TABLE reminders_sent;
