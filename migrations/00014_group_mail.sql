-- +goose Up
-- What chairs wrote to a group of a venue's reviewers or authors: the
-- message as typed (placeholders unfilled), the group and how many it
-- reached. send_key is the key the preview handed out; sending with a key
-- already used sends nothing again, so a double submit or a retried request
-- mails nobody twice.
CREATE TABLE group_mails (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id     bigint      NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
    send_key     uuid        NOT NULL,
    audience     text        NOT NULL,
    audience_label text      NOT NULL,
    subject      text        NOT NULL,
    body         text        NOT NULL,
    recipients   integer     NOT NULL CHECK (recipients > 0),
    sent_by      bigint      NOT NULL REFERENCES users (id),
    sent_at      timestamptz NOT NULL,
    UNIQUE (venue_id, send_key)
);
CREATE INDEX group_mails_venue ON group_mails (venue_id, sent_at);

-- +goose Down
DROP TABLE group_mails;
