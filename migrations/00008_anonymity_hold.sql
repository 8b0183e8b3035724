-- +goose Up
-- The anonymity hold (issue 20). A submission whose current file shows its
-- authors on the page (the PDF checker's in-text leaks), or whose
-- supplementary material does or cannot be checked, is not served to its
-- reviewers until the authors fix it or a chair releases it. pdf_held and
-- supp_held are worked out again at every change of the files, from the
-- stored reports and the waivers below, so a later upload is judged afresh.
ALTER TABLE submissions
    ADD COLUMN pdf_held    boolean NOT NULL DEFAULT false,
    ADD COLUMN supp_held   boolean NOT NULL DEFAULT false,
    ADD COLUMN supp_report jsonb,
    -- what the chairs decided about a held submission: nothing yet (''),
    -- a fix asked for by hold_fix_by, or a desk rejection
    ADD COLUMN hold_action text NOT NULL DEFAULT '' CHECK (hold_action IN ('', 'fix_required', 'desk_rejected')),
    ADD COLUMN hold_fix_by timestamptz,
    ADD COLUMN hold_note   text NOT NULL DEFAULT '';

-- A chair's release of held files as they are: a waiver, kept for ever and
-- audited. It names the files it was given for; other files of the same
-- submission are judged on their own.
CREATE TABLE anonymity_waivers (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    submission_id bigint      NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    pdf_sha       text,
    supp_sha      text,
    waived_by     bigint      NOT NULL REFERENCES users (id),
    waived_at     timestamptz NOT NULL,
    reason        text        NOT NULL
);
CREATE INDEX anonymity_waivers_submission ON anonymity_waivers (submission_id);

-- Files checked before the hold existed: their in-text leaks are the ones
-- placed on a page.
UPDATE submissions SET pdf_held = true
WHERE jsonb_typeof(report->'leaks') = 'array'
  AND EXISTS (SELECT 1 FROM jsonb_array_elements(report->'leaks') l WHERE l->>'where' LIKE 'page %');

-- +goose Down
DROP TABLE anonymity_waivers;
ALTER TABLE submissions DROP COLUMN pdf_held, DROP COLUMN supp_held, DROP COLUMN supp_report,
    DROP COLUMN hold_action, DROP COLUMN hold_fix_by, DROP COLUMN hold_note;
