package webui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/decision"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

// decisionView is the decision as its authors read it once released.
type decisionView struct {
	Label, Note string
	Accept      bool
	// Meta is the chairs' meta-review, where the venue shows it to authors.
	Meta *decision.MetaReview
}

// reviewView is one review under its pseudonym, with the fields the
// review service left in for the viewer, in the form's order.
type reviewView struct {
	Label  string
	Fields []reviewFieldView
}

type reviewFieldView struct {
	Label, Value string
	Text         bool
}

// afterRelease adds what the authors see once the decisions are released:
// the decision, the reviews and, for accepted papers, the camera-ready
// forms. The services decide what is released; before that the decision
// service refuses and the review service returns no reviews.
func (u *ui) afterRelease(ctx context.Context, p *submissionPage, s *session) error {
	if u.Decisions == nil || u.Reviews == nil {
		return nil
	}
	d, err := u.Decisions.Of(ctx, p.ID, s.P)
	switch {
	case errors.Is(err, problem.ErrForbidden):
		// Not released: no decision, but the reviews may already be the
		// authors' to answer (the author response phase).
	case err != nil:
		return err
	case d != nil:
		p.Decision = &decisionView{Label: d.Label, Note: d.Note, Accept: d.Accept}
		p.CameraReady = d.Accept && !p.Withdrawn
		meta, err := u.Decisions.MetaReviewOf(ctx, p.ID, s.P)
		switch {
		case errors.Is(err, problem.ErrForbidden): // the venue keeps it from authors
		case err != nil:
			return err
		default:
			p.Decision.Meta = meta
		}
	}
	list, form, err := u.Reviews.List(ctx, p.ID, s.P)
	if err != nil {
		return err
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].Pseudonym < list[j].Pseudonym })
	for _, r := range list {
		if r.Own {
			continue
		}
		rv := reviewView{Label: r.Label()}
		for _, f := range form {
			val, ok := r.Fields[f.Key]
			if !ok {
				continue
			}
			rv.Fields = append(rv.Fields, reviewFieldView{Label: f.Label, Value: fieldValue(f, val), Text: f.Kind == venue.KindText})
		}
		p.Reviews = append(p.Reviews, rv)
	}
	if p.Decision != nil {
		if err := u.publicationOf(ctx, p, s); err != nil {
			return err
		}
	}
	if p.CameraReady && p.FinalAuthors == nil {
		rows := make([]authorRow, 0, len(p.Authors))
		for _, a := range p.Authors {
			rows = append(rows, authorRow{Name: a.Name, Email: a.Email, Affiliation: a.Affiliation})
		}
		p.FinalAuthors = padAuthors(rows)
	}
	return nil
}

// fieldValue writes a review field's value as people read it: a score
// with its label on the scale, text as written.
func fieldValue(f venue.FormField, v any) string {
	var n float64
	switch x := v.(type) {
	case string:
		return x
	case float64:
		n = x
	case int:
		n = float64(x)
	case int64:
		n = float64(x)
	default:
		return fmt.Sprint(v)
	}
	for _, pt := range f.Points {
		if float64(pt.Value) == n {
			return strconv.Itoa(pt.Value) + ": " + pt.Label
		}
	}
	return strconv.FormatFloat(n, 'f', -1, 64)
}

type withdrawPage struct {
	ID    int64
	Title string
}

// withdrawForm is the confirmation step before a withdrawal, a page of its
// own so it works without script.
func (u *ui) withdrawForm(c echo.Context, s *session) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	p, err := u.submissionModel(c.Request().Context(), id, s)
	if err != nil {
		return err
	}
	if p.Withdrawn {
		return c.Redirect(http.StatusSeeOther, "/submissions/"+strconv.FormatInt(id, 10))
	}
	return u.render(c, http.StatusOK, "account_withdraw", view{Title: "Withdraw " + p.Title, S: s, Page: withdrawPage{ID: id, Title: p.Title}})
}

func (u *ui) withdraw(c echo.Context, s *session) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if _, err := u.Submissions.Withdraw(c.Request().Context(), id, s.P, c.RealIP()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/submissions/"+strconv.FormatInt(id, 10)+"?withdrawn=1")
}

const cameraReadyField = "camera_ready"

// uploadCameraReady streams the file part of the form into the decision
// service, as uploadPDF does for submissions: CSRF field first, then the
// file, never held in memory.
func (u *ui) uploadCameraReady(c echo.Context, s *session) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	return streamFile(c, s, cameraReadyField, func(part io.Reader) error {
		if _, err := u.Decisions.UploadCameraReady(c.Request().Context(), id, s.P, part); err != nil {
			return u.cameraReadyRefused(c, s, id, err)
		}
		return c.Redirect(http.StatusSeeOther, "/submissions/"+strconv.FormatInt(id, 10)+"?camera_ready=1#camera-ready-h")
	}, func() error { return u.cameraReadyRefused(c, s, id, errNoFile) })
}

func (u *ui) cameraReadyRefused(c echo.Context, s *session, id int64, cause error) error {
	rv, ok := refusalOf(cause)
	if !ok {
		return cause
	}
	p, err := u.submissionModel(c.Request().Context(), id, s)
	if err != nil {
		return err
	}
	if !p.CameraReady { // no form to show the refusal next to
		return cause
	}
	p.CameraReadyRefused = &rv
	status, _, _ := describe(cause)
	return u.render(c, status, "submission", view{Title: "Camera-ready refused: " + p.Title, S: s, Page: p})
}

func (u *ui) finalAuthors(c echo.Context, s *session) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	rows, authors, rowOf := authorsFromForm(form["author_name"], form["author_email"], form["author_affiliation"])
	if authors == nil {
		authors = []submission.Author{}
	}
	err = u.Decisions.SetFinalAuthors(c.Request().Context(), id, s.P, authors, form.Get("confirm") == "yes")
	if err == nil {
		return c.Redirect(http.StatusSeeOther, "/submissions/"+strconv.FormatInt(id, 10)+"?authors_saved=1#final-authors-h")
	}
	if !inputError(err) {
		return err
	}
	p, merr := u.submissionModelWith(c.Request().Context(), id, s, rows)
	if merr != nil {
		return merr
	}
	p.FinalErrors = formErrorsOf(err, renameAuthorFields(rowOf))
	status, _, _ := describe(err)
	return u.render(c, status, "submission", view{Title: p.Title, S: s, Page: p})
}
