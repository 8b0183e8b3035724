package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/matching"
)

// registerCapacity adds the reviewer's page for how much they can review.
func (u *ui) registerCapacity(e *echo.Echo) error {
	if err := u.addPages([]string{"reviewer_capacity"}); err != nil {
		return err
	}
	e.GET("/venues/:slug/review/capacity", u.signedIn(u.capacityPage))
	e.POST("/venues/:slug/review/capacity", u.form(u.saveCapacity))
	return nil
}

type capacityPage struct {
	Slug, VenueName string
	matching.MyCapacity
	// Choices are the loads one can state: 1 to the venue's maximum.
	Choices []int
	Errors  *formErrors
}

func (u *ui) showCapacity(c echo.Context, s *session, status int, form *matching.Capacity, formErr error, notice string) error {
	ctx := c.Request().Context()
	slug := c.Param("slug")
	mine, err := u.Matching.Capacity(ctx, slug, s.P)
	if err != nil {
		return err
	}
	rec, err := u.Venues.BySlug(ctx, u.DB, slug)
	if err != nil {
		return err
	}
	p := capacityPage{Slug: rec.Slug, VenueName: rec.Name, MyCapacity: mine}
	for n := 1; n <= mine.VenueMax; n++ {
		p.Choices = append(p.Choices, n)
	}
	if form != nil {
		p.MaxLoad, p.EmergencyOnly = form.MaxLoad, form.EmergencyOnly
	}
	if formErr != nil {
		p.Errors = formErrorsOf(formErr, nil)
	}
	return u.render(c, status, "reviewer_capacity", view{Title: "How much you review · " + rec.Name, S: s, Page: p, Notice: notice})
}

func (u *ui) capacityPage(c echo.Context, s *session) error {
	notice := ""
	if c.QueryParam("saved") != "" {
		notice = "Saved: the next assignment run uses it."
	}
	return u.showCapacity(c, s, http.StatusOK, nil, nil, notice)
}

func (u *ui) saveCapacity(c echo.Context, s *session) error {
	cap, err := statedCapacity(c)
	if err == nil && cap == nil {
		cap = &matching.Capacity{}
	}
	if err == nil {
		_, err = u.Matching.SetCapacity(c.Request().Context(), c.Param("slug"), s.P, *cap, c.RealIP())
	}
	if err != nil {
		if !inputError(err) {
			return err
		}
		status, _, _ := describe(err)
		return u.showCapacity(c, s, status, cap, err, "")
	}
	return c.Redirect(http.StatusSeeOther, "/venues/"+c.Param("slug")+"/review/capacity?saved=1")
}
