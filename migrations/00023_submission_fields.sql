-- +goose Up
-- The answers to a venue's own submission fields (the venue file's
-- submission_fields), one JSON object per submission keyed by field key:
-- strings, numbers, booleans or arrays of strings, checked against the
-- venue file when given. Who reads which answer is the venue file's
-- visibility, enforced by package policy; the row itself is the authors'.
CREATE TABLE submission_field_values (
    submission_id bigint      PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
    answers       jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(answers) = 'object'),
    updated_at    timestamptz NOT NULL
);

-- +goose Down
DROP TABLE submission_field_values;
