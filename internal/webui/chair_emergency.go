package webui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/matching"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/review"
	"github.com/quirehq/quire/internal/venue"
)

// registerChairEmergency adds the chairs' page for reviews that fell
// through: the papers short of reviews and the emergency reviewers
// proposed for them.
func (u *ui) registerChairEmergency(e *echo.Echo) error {
	if err := u.addPages([]string{"chair_emergency"}, "chair_partials"); err != nil {
		return err
	}
	e.GET("/venues/:slug/chair/emergency", u.signedIn(u.chairEmergency))
	e.POST("/venues/:slug/chair/emergency", u.form(u.chairAssignEmergency))
	return nil
}

type emergencyPage struct {
	Head chairHead
	matching.EmergencyPlan
	// DueDate is the deadline's day (AoE) in the form; DueAoE as people read it.
	DueDate, DueAoE string
	// Picked keeps a refused form's choices, as "number|email".
	Picked map[string]bool
	Errors *formErrors
	// Records are the reviewers' ratings in the venue, by user id.
	Records map[int64]review.Record
}

// pickValue is a proposal pair as the form sends it.
func pickValue(number int, email string) string { return strconv.Itoa(number) + "|" + email }

func (u *ui) showEmergency(c echo.Context, s *session, status int, picked map[string]bool, due string, formErr error, notice string) error {
	rec, head, err := u.chairVenue(c, s, "assignment")
	if err != nil {
		return err
	}
	plan, err := u.Matching.Emergency(c.Request().Context(), rec.Slug, s.P)
	if err != nil {
		return err
	}
	records, err := u.Reviews.Records(c.Request().Context(), rec.Slug, s.P)
	if err != nil {
		return err
	}
	p := emergencyPage{Head: head, EmergencyPlan: plan, Picked: picked, DueDate: due, Records: records}
	if p.DueDate == "" {
		p.DueDate = plan.Due.In(venue.AoE).Format(time.DateOnly)
	}
	if d, err := dueFromDate(p.DueDate); err == nil {
		p.DueAoE = venue.FormatAoE(d)
	}
	if p.Picked == nil {
		p.Picked = map[string]bool{}
		for _, pp := range plan.Proposal {
			p.Picked[pickValue(pp.Number, pp.Email)] = true
		}
	}
	if formErr != nil {
		p.Errors = formErrorsOf(formErr, nil)
	}
	return u.render(c, status, "chair_emergency", view{Title: "Reviews that fell through · " + rec.Name, S: s, Page: p, Notice: notice})
}

// dueFromDate is the last second of a day in AoE, as deadlines are.
func dueFromDate(day string) (time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(day), venue.AoE)
	if err != nil {
		return time.Time{}, problem.Invalid("the deadline is a day", problem.FieldError{Field: "due", Message: "must be a day as YYYY-MM-DD"})
	}
	return d.Add(24*time.Hour - time.Second), nil
}

func (u *ui) chairEmergency(c echo.Context, s *session) error {
	notice := ""
	if n := c.QueryParam("assigned"); n != "" {
		notice = n + " emergency review(s) given; each reviewer was mailed."
	}
	return u.showEmergency(c, s, http.StatusOK, nil, "", nil, notice)
}

func (u *ui) chairAssignEmergency(c echo.Context, s *session) error {
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	picked := map[string]bool{}
	var picks []matching.EmergencyPick
	for _, v := range form["pick"] {
		num, email, ok := strings.Cut(v, "|")
		n, err := strconv.Atoi(num)
		if !ok || err != nil {
			continue
		}
		picked[v] = true
		picks = append(picks, matching.EmergencyPick{Number: n, Email: email})
	}
	dueDay := c.FormValue("due")
	due, err := dueFromDate(dueDay)
	if err == nil {
		err = u.Matching.AssignEmergency(c.Request().Context(), c.Param("slug"), s.P, picks, due, c.RealIP())
	}
	if err != nil {
		if !inputError(err) {
			return err
		}
		status, _, _ := describe(err)
		return u.showEmergency(c, s, status, picked, dueDay, err, "")
	}
	return c.Redirect(http.StatusSeeOther, chairPath(c.Param("slug"), "emergency", map[string][]string{"assigned": {strconv.Itoa(len(picks))}}))
}
