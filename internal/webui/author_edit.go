package webui

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

// The authors change a submission's details on the form they created it
// with, under the same gate the service applies to every change.

// changesClosed says why the authors cannot change the submission now, or
// "" while they can. It asks the venue's gate with the submission's own
// extension, as the service does when the change arrives, so the page
// offers the forms exactly when a change would be taken.
func (u *ui) changesClosed(ctx context.Context, rec venue.Record, sub submission.Submission) (string, error) {
	if sub.WithdrawnAt != nil {
		return "The submission is withdrawn: ask the chairs to reinstate it before changing its details or files.", nil
	}
	_, err := u.Venues.Check(ctx, u.DB, rec, venue.ActionSubmit, venue.Subject{Submission: strconv.Itoa(sub.Number)}, u.Clock.Now())
	if err == nil {
		return "", nil
	}
	if !inputError(err) {
		return "", err
	}
	_, _, detail := describe(err)
	return detail + " The details and files stay as they are unless the chairs give this submission an extension.", nil
}

// editModel is the details form filled in with the submission as it
// stands. Only its authors get it; anyone else is told there is no such
// submission, as on its page.
func (u *ui) editModel(ctx context.Context, id int64, s *session) (submitPage, error) {
	sub, v, err := u.Submissions.GetWithView(ctx, id, s.P)
	if err != nil {
		return submitPage{}, err
	}
	if !v.Relation.Author {
		return submitPage{}, problem.New(problem.ErrNotFound, "submission_not_found", "there is no such submission among yours")
	}
	p := u.submitModelOf(v.Venue)
	p.SubmissionID, p.Number = sub.ID, sub.Number
	p.Title, p.Abstract, p.Keywords, p.Track = sub.Title, sub.Abstract, strings.Join(sub.Keywords, ", "), sub.Track
	rows := make([]authorRow, 0, len(sub.Authors))
	for _, a := range sub.Authors {
		rows = append(rows, authorRow{Name: a.Name, Email: a.Email, Affiliation: a.Affiliation})
	}
	p.Authors = padAuthors(rows)
	p.Fields = fieldInputs(p.set, sub.Fields, p.Authors)
	p.Closed, err = u.changesClosed(ctx, v.Venue, sub)
	return p, err
}

func (u *ui) editDetailsForm(c echo.Context, s *session) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	p, err := u.editModel(c.Request().Context(), id, s)
	if err != nil {
		return err
	}
	return u.render(c, http.StatusOK, "submit", view{Title: p.heading(), S: s, Page: p})
}

// editDetails saves the form through the service, which checks it as it
// checks a new submission and refuses it after the deadline.
func (u *ui) editDetails(c echo.Context, s *session) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	p, err := u.editModel(c.Request().Context(), id, s)
	if err != nil {
		return err
	}
	in, rowOf, err := p.fill(c)
	if err != nil {
		return err
	}
	if _, err := u.Submissions.Update(c.Request().Context(), id, s.P, in); err != nil {
		return u.refuseDetails(c, s, p, rowOf, err)
	}
	return c.Redirect(http.StatusSeeOther, "/submissions/"+strconv.FormatInt(id, 10)+"?edited=1")
}
