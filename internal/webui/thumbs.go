package webui

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/blob"
	"github.com/quirehq/quire/internal/policy"
	"github.com/quirehq/quire/internal/problem"
)

// registerThumbs serves the page thumbnails of the page-check report.
func (u *ui) registerThumbs(e *echo.Echo) error {
	e.GET("/submissions/:id/thumbs/:sha", u.signedIn(u.thumbnail))
	return nil
}

var (
	errNoThumb = problem.New(problem.ErrNotFound, "thumbnail_not_found", "there is no such page picture")
	pngMagic   = []byte("\x89PNG\r\n\x1a\n")
)

// thumbnail serves one page picture to whoever may see the submission's
// page-check report (the authors and the chairs; reviewers may not).
//
// Which pictures: those of the current report, to all of them; and, to the
// submission's authors only, any stored PNG. The second rule is for the
// refusal page, which shows the pictures of a refused file that no row
// records (they are collected a day later). A sha256 of a rendered page
// cannot be guessed, so an author is only ever shown the pictures of files
// an author uploaded, and the PNG test keeps the route from serving PDFs
// or anything else the store holds. Everything else is a 404, as for a
// submission one may not see.
func (u *ui) thumbnail(c echo.Context, s *session) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	sha := c.Param("sha")
	if blob.CheckSHA(sha) != nil {
		return errNoThumb
	}
	ctx := c.Request().Context()
	v, err := u.Submissions.Viewer(ctx, id, s.P)
	if err != nil {
		return err
	}
	if !v.Can(policy.PageCheckReport) {
		return errNoThumb
	}
	if !v.Relation.Author {
		sub, err := u.Submissions.Get(ctx, id, s.P)
		if err != nil {
			return err
		}
		if sub.Report == nil || !slices.Contains(sub.Report.Thumbnails, sha) {
			return errNoThumb
		}
	}
	r, _, err := u.Submissions.Blobs.Open(ctx, sha)
	if errors.Is(err, blob.ErrNotFound) {
		return errNoThumb
	}
	if err != nil {
		return err
	}
	defer r.Close()
	head := make([]byte, len(pngMagic))
	if _, err := io.ReadFull(r, head); err != nil || !bytes.Equal(head, pngMagic) {
		return errNoThumb
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return err
	}
	// The picture never changes under its sha; it is private to the people
	// who may see the report.
	c.Response().Header().Set("Cache-Control", "private, max-age=86400")
	return c.Stream(http.StatusOK, "image/png", r)
}
