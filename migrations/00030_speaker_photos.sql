-- +goose Up
-- The photo of a venue's invited speaker (issue 31), named by the key the
-- venue file gives the speaker. The file is in the blob store like every
-- other, as drawn anew from the upload (no metadata survives), and so is
-- each width the public site serves, drawn once at the upload; garbage
-- collection keeps every blob these tables name.
--
-- No data-version trigger (00022): nothing cached by the venue's data
-- version (the matching state) reads photos, and the pages that show them
-- read these rows on each request.
CREATE TABLE speaker_photos (
    venue_id     bigint      NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
    speaker_key  text        NOT NULL,
    sha          text        NOT NULL,
    content_type text        NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
    width        integer     NOT NULL CHECK (width > 0),
    height       integer     NOT NULL CHECK (height > 0),
    uploaded_by  bigint      REFERENCES users (id) ON DELETE SET NULL,
    uploaded_at  timestamptz NOT NULL,
    PRIMARY KEY (venue_id, speaker_key)
);

-- The photo drawn at each width the site serves.
CREATE TABLE speaker_photo_variants (
    venue_id     bigint  NOT NULL,
    speaker_key  text    NOT NULL,
    size         integer NOT NULL CHECK (size > 0), -- the width asked for
    sha          text    NOT NULL,
    content_type text    NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
    width        integer NOT NULL CHECK (width > 0), -- the width drawn: no wider than the photo
    height       integer NOT NULL CHECK (height > 0),
    PRIMARY KEY (venue_id, speaker_key, size),
    FOREIGN KEY (venue_id, speaker_key) REFERENCES speaker_photos (venue_id, speaker_key) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE speaker_photo_variants;
DROP TABLE speaker_photos;
