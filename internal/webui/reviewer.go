package webui

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/review"
	"github.com/quirehq/quire/internal/venue"
)

// reviewerPageNames are the reviewers' whole pages, parsed next to their
// routes.
var reviewerPageNames = []string{"reviewer_home", "reviewer_bids", "reviewer_conflicts", "reviewer_review"}

// registerReviewer adds the pages for reviewers: assignments, conflicts, bidding and the review form.
func (u *ui) registerReviewer(e *echo.Echo) error {
	if err := u.addPages(reviewerPageNames); err != nil {
		return err
	}
	e.GET("/venues/:slug/review", u.signedIn(u.reviewerHome))
	e.POST("/venues/:slug/review/:id/decline", u.form(u.decline))
	e.GET("/venues/:slug/review/:id", u.signedIn(u.reviewPage))
	e.POST("/venues/:slug/review/:id", u.form(u.saveReview))
	e.POST("/venues/:slug/review/:id/comments", u.form(u.addComment))
	e.GET("/venues/:slug/bids", u.signedIn(u.bidsPage))
	e.POST("/venues/:slug/bids/:id", u.form(u.saveBid))
	e.GET("/venues/:slug/conflicts", u.signedIn(u.conflictsPage))
	e.POST("/venues/:slug/conflicts", u.form(u.saveConflicts))
	return u.registerCapacity(e)
}

// gateView is whether a reviewer may act now (bid, review), with the
// deadline that applies to them, an extension included.
type gateView struct {
	Open bool
	// Refusal says why not, with the deadline, when closed.
	Refusal  string
	Deadline *deadlineRow
}

// gate asks the venue's one deadline gate, as the services do before
// acting, so the page says what a save would meet.
func (u *ui) gate(ctx context.Context, rec venue.Record, action venue.Action, reviewerID int64, label string) (gateView, error) {
	now := u.Clock.Now()
	res, err := u.Venues.Check(ctx, u.DB, rec, action, venue.Subject{ReviewerID: reviewerID}, now)
	return gateViewOf(rec.Settings, res, err, label, now)
}

// gatedView is gate on a venue read with what its gates need
// (venue.Store.Gated), at the page's instant now.
func gatedView(v venue.GatedVenue, action venue.Action, reviewerID int64, label string, now time.Time) (gateView, error) {
	res, err := v.Check(action, venue.Subject{ReviewerID: reviewerID}, now)
	return gateViewOf(v.Settings, res, err, label, now)
}

// gateViewOf shows a gate's answer at now: open, or the refusal.
func gateViewOf(set *venue.Settings, res venue.GateResult, err error, label string, now time.Time) (gateView, error) {
	g := gateView{Open: err == nil}
	at := res.Deadline
	var de *venue.DeadlineError
	switch {
	case err == nil:
	case errors.As(err, &de):
		g.Refusal = sentence(de.Error())
		at = de.Deadline
		if de.NotOpen {
			at = time.Time{} // an opening, not a deadline to count down to
		}
	default:
		return g, err
	}
	if !at.IsZero() {
		g.Deadline = instantRow(label, at, set, now)
	}
	return g, nil
}

// instantRow shows a deadline's last second inside like deadlineRows does.
func instantRow(label string, at time.Time, set *venue.Settings, now time.Time) *deadlineRow {
	end := at.Add(time.Second)
	zone := set.Zone()
	return &deadlineRow{Label: label, ISO: end.UTC().Format(time.RFC3339), AtISO: at.UTC().Format(time.RFC3339),
		UTC: venue.FormatUTC(at), AoE: venue.FormatAoE(at), Venue: venue.FormatIn(at, zone), VenueZone: zone.String(),
		Passed: !now.Before(end), Left: timeLeft(end, now)}
}

// wantsJSON tells the page script's requests (autosave, bids) from plain
// form posts: the script asks for JSON and updates the page in place.
func wantsJSON(c echo.Context) bool {
	return strings.Contains(c.Request().Header.Get(echo.HeaderAccept), echo.MIMEApplicationJSON)
}

// jsonError answers the page script with what a form would show.
func jsonError(c echo.Context, err error, rename func(string) string) error {
	if !inputError(err) {
		return err
	}
	status, _, _ := describe(err)
	fe := formErrorsOf(err, rename)
	return c.JSON(status, map[string]any{"error": fe.Summary, "fields": fe.Fields})
}

var reviewStatusLabels = map[string]string{"not_started": "Not started", "draft": "Draft", "submitted": "Submitted"}

type assignmentRow struct {
	SubmissionID int64
	Number       int
	Title, Track string
	Declined     bool
	// Held is the anonymity hold: the files are not available.
	Held                bool
	Status, StatusLabel string
	// DeclineReason and DeclineError refill this row's decline form after
	// a refusal.
	DeclineReason, DeclineError string
	// Due is an emergency review's own deadline, as people read it.
	Due string
}

type reviewerHomePage struct {
	Slug, VenueName string
	Review, Bidding gateView
	Rows            []assignmentRow
	Errors          *formErrors
	// Ratings is how the chairs rated the caller's reviews, once the
	// decisions are out.
	Ratings *review.Record
}

func (u *ui) reviewerHomeModel(c echo.Context, s *session) (reviewerHomePage, error) {
	ctx := c.Request().Context()
	slug := c.Param("slug")
	mine, err := u.Matching.Mine(ctx, slug, s.P)
	if err != nil {
		return reviewerHomePage{}, err
	}
	// The venue and both its gates in one read.
	vs, err := u.Venues.Gated(ctx, u.DB, []string{slug})
	if err != nil {
		return reviewerHomePage{}, err
	}
	rec, now := vs[0].Record, u.Clock.Now()
	p := reviewerHomePage{Slug: rec.Slug, VenueName: rec.Name}
	if r, released, err := u.Reviews.MyRecord(ctx, slug, s.P); err != nil {
		return p, err
	} else if released && r.Reviews > 0 {
		p.Ratings = &r
	}
	if p.Review, err = gatedView(vs[0], venue.ActionReview, s.P.UserID, "Reviews due", now); err != nil {
		return p, err
	}
	if p.Bidding, err = gatedView(vs[0], venue.ActionBid, s.P.UserID, "Bidding ends", now); err != nil {
		return p, err
	}
	for _, a := range mine {
		row := assignmentRow{SubmissionID: a.SubmissionID, Number: a.Number, Title: a.Title, Track: trackName(rec.Settings, a.Track), Declined: a.Declined, Held: a.Held}
		if a.Due != nil {
			row.Due = venue.FormatAoE(*a.Due)
		}
		if !a.Declined {
			// A reviewer has a handful of assignments; the review service
			// has no venue-wide "my reviews" call.
			rv, _, err := u.Reviews.Mine(ctx, a.SubmissionID, s.P)
			if err != nil {
				return p, err
			}
			row.Status = reviewStatus(rv.Version, rv.Status)
			row.StatusLabel = reviewStatusLabels[row.Status]
		}
		p.Rows = append(p.Rows, row)
	}
	return p, nil
}

func reviewStatus(version int, status string) string {
	if version == 0 {
		return "not_started"
	}
	return status
}

func trackName(set *venue.Settings, key string) string {
	if t, ok := set.Track(key); ok {
		return t.Name
	}
	return key
}

func (u *ui) reviewerHome(c echo.Context, s *session) error {
	p, err := u.reviewerHomeModel(c, s)
	if err != nil {
		return err
	}
	v := view{Title: "Reviewing for " + p.VenueName, S: s, Page: p}
	if n := c.QueryParam("declined"); n != "" {
		v.Notice = "You declined submission #" + n + "; the chairs have been told."
	}
	return u.render(c, http.StatusOK, "reviewer_home", v)
}

func declineField(id int64) string { return "decline-" + strconv.FormatInt(id, 10) }

func (u *ui) decline(c echo.Context, s *session) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	reason := c.FormValue("reason")
	err = u.Matching.Decline(c.Request().Context(), c.Param("slug"), s.P, id, reason, c.RealIP())
	if err == nil {
		number := c.FormValue("number")
		if _, perr := strconv.Atoi(number); perr != nil {
			number = ""
		}
		return c.Redirect(http.StatusSeeOther, "/venues/"+url.PathEscape(c.Param("slug"))+"/review?declined="+number)
	}
	if !inputError(err) {
		return err
	}
	p, merr := u.reviewerHomeModel(c, s)
	if merr != nil {
		return merr
	}
	field := declineField(id)
	p.Errors = formErrorsOf(err, func(string) string { return field })
	for i := range p.Rows {
		if p.Rows[i].SubmissionID == id {
			p.Rows[i].DeclineReason, p.Rows[i].DeclineError = reason, p.Errors.Get(field)
		}
	}
	status, _, _ := describe(err)
	return u.render(c, status, "reviewer_home", view{Title: "Reviewing for " + p.VenueName, S: s, Page: p})
}
