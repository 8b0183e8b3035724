package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/submission"
)

// registerChairReciprocal adds the chairs' view of the reciprocal rule:
// which papers name no reviewing author yet (to chase before the
// deadline) and who is named for how many papers.
func (u *ui) registerChairReciprocal(e *echo.Echo) error {
	if err := u.addPages([]string{"chair_reciprocal"}, "chair_partials"); err != nil {
		return err
	}
	e.GET("/venues/:slug/chair/reciprocal", u.signedIn(u.chairReciprocal))
	return nil
}

type reciprocalPage struct {
	Head     chairHead
	N        submission.Nominations
	Deadline *deadlineRow
}

func (u *ui) chairReciprocal(c echo.Context, s *session) error {
	rec, head, err := u.chairVenue(c, s, "")
	if err != nil {
		return err
	}
	n, err := u.Submissions.Nominations(c.Request().Context(), rec.Slug, s.P)
	if err != nil {
		return err
	}
	p := reciprocalPage{Head: head, N: n, Deadline: submissionDeadline(rec.Settings, u.Clock.Now())}
	return u.render(c, http.StatusOK, "chair_reciprocal", view{Title: "Reviewing authors: " + rec.Name, S: s, Page: p})
}
