package webui

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/site"
	"github.com/quirehq/quire/internal/venue"
)

// registerAdmin adds the list of venues, for everyone, and the site
// administrators' console: every venue with its counts, a new venue from
// its settings file, archiving.
func (u *ui) registerAdmin(e *echo.Echo) error {
	if err := u.addPages([]string{"venue_list", "admin"}); err != nil {
		return err
	}
	e.GET("/venues", u.page(u.venueList))
	e.GET("/admin", u.signedIn(u.adminConsole))
	e.POST("/admin/venues", u.form(u.adminCreateVenue))
	e.POST("/admin/venues/:slug/archive", u.form(u.adminArchive))
	e.POST("/admin/two-factor-resets", u.form(u.adminResetTwoFactor))
	e.POST("/admin/openreview-imports", u.signedIn(u.adminImportOpenReview)) // admin_openreview.go
	e.GET("/admin/venues/:slug/openreview/:file", u.signedIn(u.adminExportOpenReview))
	// The console's new-venue form points to the venue file's guide.
	return u.registerDocs(e)
}

// listedVenue is a venue in a list, with its dates written out.
type listedVenue struct {
	site.VenueSummary
	PhaseLabel, DeadlineAoE, DeadlineISO, Archived string
}

func listed(vs []site.VenueSummary) []listedVenue {
	out := make([]listedVenue, len(vs))
	for i, v := range vs {
		out[i] = listedVenue{VenueSummary: v, PhaseLabel: phaseLabel(v.Phase), DeadlineAoE: venue.FormatRule(v.Submission),
			DeadlineISO: v.Submission.Format(time.RFC3339)}
		if v.Archived != nil {
			out[i].Archived = venue.FormatUTC(*v.Archived)
		}
	}
	return out
}

type venueListPage struct {
	Venues   []listedVenue
	OpenOnly bool
}

// venueList is the public list of venues; ?open=1 keeps the open calls.
func (u *ui) venueList(c echo.Context, s *session) error {
	f := site.VenueFilter{}
	open := c.QueryParam("open") != ""
	if open {
		f.Phase = venue.PhaseSubmission
	}
	vs, err := u.Site.List(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return u.render(c, http.StatusOK, "venue_list", view{Title: "Venues", S: s, Page: venueListPage{Venues: listed(vs), OpenOnly: open}})
}

type adminPage struct {
	Venues []listedVenue
	// YAML and Chairs keep a refused new venue's form.
	YAML, Chairs string
	Errors       *formErrors
	// ResetEmail and ResetErrors keep a refused two-factor reset's form.
	ResetEmail  string
	ResetErrors *formErrors
	// OpenReview is the import from OpenReview's form and its report.
	OpenReview *openReviewForm
}

func (u *ui) adminConsole(c echo.Context, s *session) error {
	return u.renderAdmin(c, s, http.StatusOK, adminPage{YAML: string(venue.DemoYAML())}, "")
}

func (u *ui) renderAdmin(c echo.Context, s *session, status int, p adminPage, notice string) error {
	vs, err := u.Site.AdminVenues(c.Request().Context(), s.P)
	if err != nil {
		return err
	}
	p.Venues = listed(vs)
	return u.render(c, status, "admin", view{Title: "Administration", S: s, Page: p, Notice: notice})
}

func (u *ui) adminCreateVenue(c echo.Context, s *session) error {
	text, chairs := c.FormValue("settings_yaml"), c.FormValue("chairs")
	var emails []string
	for _, e := range strings.FieldsFunc(chairs, func(r rune) bool { return r == ',' || r == '\n' || r == ' ' || r == ';' }) {
		emails = append(emails, strings.TrimSpace(e))
	}
	rec, err := u.Site.CreateVenue(c.Request().Context(), s.P, []byte(text), emails, c.RealIP())
	if err != nil {
		if !inputError(err) {
			return err
		}
		status, _, _ := describe(err)
		return u.renderAdmin(c, s, status, adminPage{YAML: text, Chairs: chairs, Errors: formErrorsOf(err, nil)}, "")
	}
	return u.renderAdmin(c, s, http.StatusOK, adminPage{}, "The venue "+rec.Name+" ("+rec.Slug+") is created; its chairs can configure it now.")
}

func (u *ui) adminArchive(c echo.Context, s *session) error {
	archive := c.FormValue("archived") == "true"
	rec, err := u.Site.Archive(c.Request().Context(), s.P, c.Param("slug"), archive, c.RealIP())
	if err != nil {
		return err
	}
	notice := rec.Slug + " is archived: off the public list, and closed to every deadline."
	if !archive {
		notice = rec.Slug + " is back: its deadlines apply again."
	}
	return u.renderAdmin(c, s, http.StatusOK, adminPage{}, notice)
}

// adminResetTwoFactor turns off someone's second factor, for a person who
// lost both their phone and their recovery codes.
func (u *ui) adminResetTwoFactor(c echo.Context, s *session) error {
	email := strings.TrimSpace(c.FormValue("email"))
	if c.FormValue("checked") != "yes" {
		fe := &formErrors{Fields: map[string]string{"checked": "Confirm that you made sure who is asking."}, Order: []string{"checked"},
			Summary: "Please correct the 1 problem below."}
		return u.renderAdmin(c, s, http.StatusUnprocessableEntity, adminPage{ResetEmail: email, ResetErrors: fe}, "")
	}
	who, err := u.Accounts.ResetTwoFactor(c.Request().Context(), s.User.ID, email, c.RealIP())
	if err != nil {
		if !inputError(err) && !errors.Is(err, account.ErrUnknownPerson) {
			return err
		}
		status, _, _ := describe(err)
		return u.renderAdmin(c, s, status, adminPage{ResetEmail: email, ResetErrors: formErrorsOf(err, nil)}, "")
	}
	return u.renderAdmin(c, s, http.StatusOK, adminPage{}, "Two-factor sign-in of "+who.Name+" ("+who.Email+") is off, and they are signed out everywhere; they were told by mail.")
}
