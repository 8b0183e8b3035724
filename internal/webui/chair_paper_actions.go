package webui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/matching"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/review"
)

// The actions a chair takes on the paper page: each posts to the page's
// address, goes back to it with a word of what happened, or shows it again
// with the refusal next to the form that caused it.

// paperDone sends the chair back to the paper page after an action.
func paperDone(c echo.Context, slug string, id int64, done, anchor string) error {
	return c.Redirect(http.StatusSeeOther, paperPath(slug, id)+"?"+url.Values{"done": {done}}.Encode()+"#"+anchor)
}

// paperRefused shows the page again with the refusal by the form that
// caused it; faults go to the error page.
func (u *ui) paperRefused(c echo.Context, s *session, err error, set func(*paperPage, *formErrors)) error {
	if !inputError(err) {
		return err
	}
	p, merr := u.paperModel(c.Request().Context(), c, s)
	if merr != nil {
		return merr
	}
	set(&p, formErrorsOf(err, nil))
	status, _, _ := describe(err)
	return u.renderPaper(c, s, status, p, "")
}

func (u *ui) chairPaperComment(c echo.Context, s *session) error {
	p, err := u.paperModel(c.Request().Context(), c, s)
	if err != nil {
		return err
	}
	kind, done, anchor := review.KindDiscussion, "commented", "discussion"
	if c.FormValue("kind") == review.KindChairNote {
		kind, done, anchor = review.KindChairNote, "noted", "notes"
	}
	body := c.FormValue("body")
	if _, err := u.Reviews.AddComment(c.Request().Context(), p.ID, s.P, kind, body); err != nil {
		return u.paperRefused(c, s, err, func(p *paperPage, fe *formErrors) {
			p.CommentErrors, p.CommentBody, p.CommentKind = fe, body, kind
		})
	}
	return paperDone(c, p.Head.Slug, p.ID, done, anchor)
}

func (u *ui) chairPaperDecide(c echo.Context, s *session) error {
	p, err := u.paperModel(c.Request().Context(), c, s)
	if err != nil {
		return err
	}
	category, note, meta := c.FormValue("category"), strings.TrimSpace(c.FormValue("note")), strings.TrimSpace(c.FormValue("meta"))
	if err := u.decideWithMeta(c, s, p.ID, category, note, meta); err != nil {
		return u.paperRefused(c, s, err, func(p *paperPage, fe *formErrors) {
			p.Errors, p.Note, p.Meta = fe, note, meta
			for i := range p.Choices {
				p.Choices[i].Selected = p.Choices[i].Value == category
			}
		})
	}
	return paperDone(c, p.Head.Slug, p.ID, "decided", "decision")
}

// decideWithMeta records a decision with its meta-review, the meta-review
// first so that a refused one leaves the decision as it was; an empty
// meta-review removes the one there was.
func (u *ui) decideWithMeta(c echo.Context, s *session, id int64, category, note, meta string) error {
	ctx := c.Request().Context()
	var err error
	switch {
	case category == "":
		return problem.Invalid("choose a decision", problem.FieldError{Field: "category", Message: "choose one of the decisions"})
	case meta != "":
		err = u.Decisions.SetMetaReview(ctx, id, s.P, category, meta, c.RealIP())
	default:
		err = u.Decisions.DeleteMetaReview(ctx, id, s.P, c.RealIP())
	}
	if err != nil {
		return err
	}
	return u.Decisions.Decide(ctx, id, s.P, category, note, c.RealIP())
}

func (u *ui) chairPaperWaive(c echo.Context, s *session) error {
	p, err := u.paperModel(c.Request().Context(), c, s)
	if err != nil {
		return err
	}
	if _, err := u.Submissions.Waive(c.Request().Context(), p.ID, s.P, strings.TrimSpace(c.FormValue("reason")), c.RealIP()); err != nil {
		return u.paperRefused(c, s, err, func(p *paperPage, fe *formErrors) { p.WaiveErrors = fe })
	}
	return paperDone(c, p.Head.Slug, p.ID, "waived", "check")
}

func (u *ui) chairPaperReinstate(c echo.Context, s *session) error {
	p, err := u.paperModel(c.Request().Context(), c, s)
	if err != nil {
		return err
	}
	if _, err := u.Submissions.Reinstate(c.Request().Context(), p.ID, s.P, c.RealIP()); err != nil {
		return u.paperRefused(c, s, err, func(p *paperPage, fe *formErrors) { p.WaiveErrors = fe })
	}
	return paperDone(c, p.Head.Slug, p.ID, "reinstated", "status")
}

// chairPaperReviewers assigns a reviewer to the paper or takes one off it,
// with the checks of every manual change (conflicts, the pool).
func (u *ui) chairPaperReviewers(c echo.Context, s *session) error {
	p, err := u.paperModel(c.Request().Context(), c, s)
	if err != nil {
		return err
	}
	email, assign := strings.TrimSpace(c.FormValue("email")), c.FormValue("action") != "unassign"
	if email == "" {
		err = problem.Invalid("choose a reviewer", problem.FieldError{Field: "email", Message: "choose a reviewer of the venue"})
	} else {
		err = u.Matching.Apply(c.Request().Context(), p.Head.Slug, s.P, []matching.Change{{Number: p.Number, Email: email, Assign: assign}}, "manual", c.RealIP())
	}
	if err != nil {
		return u.paperRefused(c, s, err, func(p *paperPage, fe *formErrors) { p.AssignErrors = manualErrors(err, email) })
	}
	done := "assigned"
	if !assign {
		done = "unassigned"
	}
	return paperDone(c, p.Head.Slug, p.ID, done, "reviews")
}

// chairPaperRate records the chair's rating of one of the paper's reviews.
func (u *ui) chairPaperRate(c echo.Context, s *session) error {
	p, err := u.paperModel(c.Request().Context(), c, s)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(c.FormValue("pseudonym"))
	if err == nil {
		err = u.Reviews.Rate(c.Request().Context(), p.ID, n, s.P, c.FormValue("helpful") == "yes", c.FormValue("note"), c.RealIP())
	} else {
		err = problem.Invalid("which review?", problem.FieldError{Field: "pseudonym", Message: "must be a review's number"})
	}
	if err != nil {
		return u.paperRefused(c, s, err, func(p *paperPage, fe *formErrors) { p.RateErrors = fe })
	}
	return paperDone(c, p.Head.Slug, p.ID, "rated", "reviews")
}
