package webui

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

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
// page-check report (the authors and the chairs; reviewers may not), and
// only a picture of this submission the asker may see: one of its current
// report, one of the report of an earlier revision they may see, or one of
// a refused upload to it shown to them on the refusal page (refusedThumbs).
// A sha256 names a picture but is no key to it: shas travel in pages,
// logs and the chairs' lists. Everything else is a 404, as for a
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
	ok, err := u.thumbOf(c, s, id, sha, v.Can(policy.RevisionHistory))
	if err != nil {
		return err
	}
	if !ok {
		return errNoThumb
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

// thumbOf reports whether sha is a picture of submission id that s may see.
func (u *ui) thumbOf(c echo.Context, s *session, id int64, sha string, history bool) (bool, error) {
	ctx := c.Request().Context()
	sub, err := u.Submissions.Get(ctx, id, s.P)
	if err != nil {
		return false, err
	}
	if sub.Report != nil && slices.Contains(sub.Report.Thumbnails, sha) {
		return true, nil
	}
	if slices.Contains(u.refusedThumbs(c, s, id), sha) {
		return true, nil
	}
	if !history {
		return false, nil
	}
	revs, err := u.Submissions.History(ctx, id, s.P)
	if err != nil {
		return false, err
	}
	for _, r := range revs {
		if r.Snapshot.Report != nil && slices.Contains(r.Snapshot.Report.Thumbnails, sha) {
			return true, nil
		}
	}
	return false, nil
}

// The pictures of a refused upload are named by no row: the refusal page
// is their only use, and the garbage collection takes them a day later.
// The page gives its browser a cookie naming them, for this submission
// and this person, signed with the instance's keys (so every replica
// believes it and nothing is stored) and good for an hour. It is scoped to
// the submission's thumbnail path, so a browser holds one per submission
// and sends it nowhere else.
const (
	refusedCookie   = "quire_refused"
	refusedTTL      = time.Hour
	refusedPurpose  = "refused-thumbnails"
	refusedMaxThumb = 64
)

func thumbsPath(id int64) string { return "/submissions/" + strconv.FormatInt(id, 10) + "/thumbs/" }

func refusedMessage(id, user, expires int64, shas string) []byte {
	return []byte(strconv.FormatInt(id, 10) + ":" + strconv.FormatInt(user, 10) + ":" + strconv.FormatInt(expires, 10) + ":" + shas)
}

// rememberRefused sets the cookie for the pictures of a refused upload.
func (u *ui) rememberRefused(c echo.Context, s *session, id int64, shas []string) {
	if len(shas) == 0 || len(shas) > refusedMaxThumb {
		return
	}
	for _, sha := range shas {
		if blob.CheckSHA(sha) != nil {
			return
		}
	}
	exp := u.Clock.Now().Add(refusedTTL).Unix()
	list := strings.Join(shas, "-")
	sig := u.Accounts.Keys.SignValue(refusedPurpose, refusedMessage(id, s.P.UserID, exp, list))
	c.SetCookie(&http.Cookie{Name: refusedCookie, Value: strconv.FormatInt(exp, 10) + "~" + list + "~" + sig, Path: thumbsPath(id),
		MaxAge: int(refusedTTL.Seconds()), HttpOnly: true, Secure: u.HTTPS, SameSite: http.SameSiteStrictMode})
}

// refusedThumbs are the pictures the request's cookie names for submission
// id and person s, when its signature holds and it has not expired.
func (u *ui) refusedThumbs(c echo.Context, s *session, id int64) []string {
	ck, err := c.Cookie(refusedCookie)
	if err != nil {
		return nil
	}
	parts := strings.Split(ck.Value, "~")
	if len(parts) != 3 {
		return nil
	}
	exp, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil || !u.Clock.Now().Before(time.Unix(exp, 0)) {
		return nil
	}
	if !u.Accounts.Keys.CheckValue(refusedPurpose, refusedMessage(id, s.P.UserID, exp, parts[1]), parts[2]) {
		return nil
	}
	return strings.Split(parts[1], "-")
}
