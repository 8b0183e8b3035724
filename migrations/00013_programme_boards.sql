-- +goose Up
-- A poster's board within its session. Chairs number the boards; a paper
-- placed by itself (accepted, never placed by hand) takes the next board of
-- its session, so that numbers printed on the day never move under a
-- poster. Existing programmes are numbered as they were shown: by paper.
ALTER TABLE programme ADD COLUMN board integer;
UPDATE programme p SET board = b.n
FROM (SELECT g.submission_id, row_number() OVER (PARTITION BY g.venue_id, g.poster_session ORDER BY s.number) AS n
      FROM programme g JOIN submissions s ON s.id = g.submission_id) b
WHERE b.submission_id = p.submission_id;
ALTER TABLE programme ALTER COLUMN board SET NOT NULL, ADD CONSTRAINT programme_board_positive CHECK (board > 0);

-- +goose Down
ALTER TABLE programme DROP COLUMN board;
