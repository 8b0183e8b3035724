-- +goose Up
-- A chair's word on a submitted review: helpful or not, with a note for the
-- chairs. A reviewer learns only how many of their reviews were rated and
-- found helpful, after the decisions are out, never who rated or the note.
CREATE TABLE review_ratings (
    review_id bigint      NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    rater_id  bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    helpful   boolean     NOT NULL,
    note      text        NOT NULL DEFAULT '',
    rated_at  timestamptz NOT NULL,
    PRIMARY KEY (review_id, rater_id)
);

-- +goose Down
DROP TABLE review_ratings;
