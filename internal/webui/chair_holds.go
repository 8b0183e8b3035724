package webui

import (
	"net/http"
	"net/url"
	"strconv"

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
	// Each form names its decision in its address.
	decisions := map[string]holdDecision{
		"release": {"released", func(c echo.Context, s *session, id int64) error {
			_, err := u.Submissions.ReleaseHold(c.Request().Context(), id, s.P, c.FormValue("reason"), c.RealIP())
			return err
		}},
		"require-fix": {"fix", func(c echo.Context, s *session, id int64) error {
			_, err := u.Submissions.RequireFix(c.Request().Context(), id, s.P, c.FormValue("until"), c.FormValue("note"), c.RealIP())
			return err
		}},
		"desk-reject": {"rejected", func(c echo.Context, s *session, id int64) error {
			return u.Decisions.DeskReject(c.Request().Context(), id, s.P, c.FormValue("reason"), c.RealIP())
		}},
	}
	for path, d := range decisions {
		e.POST(g+"/:id/"+path, u.form(u.chairHoldAction(d)))
	}
}

// holdDecision is one of the chairs' decisions on a held submission, and
// the word the page says once it is done.
type holdDecision struct {
	done string
	run  func(c echo.Context, s *session, id int64) error
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

// chairHoldAction runs decision d on the submission of the path; a refused
// input shows the list again with the error on that submission.
func (u *ui) chairHoldAction(d holdDecision) handler {
	return func(c echo.Context, s *session) error {
		rec, _, err := u.chairVenue(c, s, "anonymity")
		if err != nil {
			return err
		}
		id, err := pathID(c)
		if err != nil {
			return err
		}
		if err := d.run(c, s, id); err != nil {
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
		return c.Redirect(http.StatusSeeOther, chairPath(rec.Slug, "anonymity", url.Values{"done": {d.done + " " + strconv.FormatInt(id, 10)}}))
	}
}
