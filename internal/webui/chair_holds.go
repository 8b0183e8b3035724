package webui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

// The chairs' list of submissions held by the anonymity check, with the
// findings and the three decisions: release as is (a waiver), ask for a
// fix by a date, reject without review.

// falsePositive is the reason the one-click release records.
const falsePositive = "false positive: the authors are named as others would name them (for example their earlier work cited in the third person)"

type holdRow struct {
	SubmissionID int64
	Number       int
	Title        string
	Action       string
	FixBy        string
	Note         string
	Findings     []pdfcheck.Finding
	PDFHeld      bool
	SuppHeld     bool
	// FirstPage is the sha of page 1's thumbnail, where most leaks are.
	FirstPage string
	Errors    *formErrors
}

type holdsPage struct {
	Head     chairHead
	Rows     []holdRow
	Deadline string
	Done     string
	FalsePos string
}

func (u *ui) registerHolds(e *echo.Echo) {
	g := "/venues/:slug/chair/anonymity"
	e.GET(g, u.signedIn(u.chairHolds))
	e.POST(g+"/:id/release", u.form(u.chairHoldAction))
	e.POST(g+"/:id/require-fix", u.form(u.chairHoldAction))
	e.POST(g+"/:id/desk-reject", u.form(u.chairHoldAction))
}

func (u *ui) holdsModel(c echo.Context, s *session, errFor int64, rowErr error) (holdsPage, venue.Record, error) {
	rec, head, err := u.chairVenue(c, s, "anonymity")
	if err != nil {
		return holdsPage{}, rec, err
	}
	subs, err := u.Submissions.ListHeld(c.Request().Context(), rec.Slug, s.P)
	if err != nil {
		return holdsPage{}, rec, err
	}
	p := holdsPage{Head: head, Deadline: venue.FormatAoE(rec.Settings.Deadlines.Submission.At), Done: c.QueryParam("done"), FalsePos: falsePositive}
	for _, x := range subs {
		p.Rows = append(p.Rows, holdRowOf(x, errFor, rowErr))
	}
	return p, rec, nil
}

func holdRowOf(x submission.Submission, errFor int64, rowErr error) holdRow {
	r := holdRow{SubmissionID: x.ID, Number: x.Number, Title: x.Title, Action: x.Hold.Action, Note: x.Hold.Note, Findings: x.Findings(),
		PDFHeld: x.Hold.PDF, SuppHeld: x.Hold.Supplementary}
	if x.Hold.FixBy != nil {
		r.FixBy = venue.FormatAoE(*x.Hold.FixBy)
	}
	if x.Report != nil && len(x.Report.Thumbnails) > 0 {
		r.FirstPage = x.Report.Thumbnails[0]
	}
	if rowErr != nil && x.ID == errFor {
		r.Errors = formErrorsOf(rowErr, nil)
	}
	return r
}

func (u *ui) chairHolds(c echo.Context, s *session) error {
	p, rec, err := u.holdsModel(c, s, 0, nil)
	if err != nil {
		return err
	}
	return u.render(c, http.StatusOK, "chair_holds", view{Title: "Anonymity holds · " + rec.Name, S: s, Page: p})
}

// chairHoldAction runs the decision the form's address names.
func (u *ui) chairHoldAction(c echo.Context, s *session) error {
	rec, _, err := u.chairVenue(c, s, "anonymity")
	if err != nil {
		return err
	}
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx, ip := c.Request().Context(), c.RealIP()
	path := c.Path()
	done := ""
	switch {
	case strings.HasSuffix(path, "/release"):
		_, err = u.Submissions.ReleaseHold(ctx, id, s.P, c.FormValue("reason"), ip)
		done = "released"
	case strings.HasSuffix(path, "/require-fix"):
		_, err = u.Submissions.RequireFix(ctx, id, s.P, c.FormValue("until"), c.FormValue("note"), ip)
		done = "fix"
	default:
		err = u.Decisions.DeskReject(ctx, id, s.P, c.FormValue("reason"), ip)
		done = "rejected"
	}
	if err != nil {
		if !inputError(err) {
			return err
		}
		p, rec, merr := u.holdsModel(c, s, id, err)
		if merr != nil {
			return merr
		}
		status, _, _ := describe(err)
		return u.render(c, status, "chair_holds", view{Title: "Anonymity holds · " + rec.Name, S: s, Page: p})
	}
	return c.Redirect(http.StatusSeeOther, chairPath(rec.Slug, "anonymity", url.Values{"done": {done + " " + strconv.FormatInt(id, 10)}}))
}
