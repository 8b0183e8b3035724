package webui

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/matching"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/review"
	"github.com/quirehq/quire/internal/venue"
)

// reviewField is one question of the review form with its current answer.
type reviewField struct {
	Key, Label string
	// Name is the domain's name for the field ("fields.overall"), which
	// its error messages carry.
	Name       string
	Scale      bool // a score or confidence: radio buttons
	Required   bool
	ChairsOnly bool
	Points     []venue.Point
	Selected   int
	Text       string
	MaxChars   int
}

// otherReview is another reviewer's submitted review, under its pseudonym.
type otherReview struct {
	Label  string
	Edited bool
	Fields []shownField
}

type shownField struct{ Label, Value string }

type commentRow struct {
	By, Body, At string
	Mine         bool
}

type reviewPage struct {
	Slug, VenueName     string
	ID                  int64
	Number              int
	Title, Abstract     string
	Track               string
	Keywords            []string
	Status, StatusLabel string
	Updated             string
	// Held is the anonymity hold: no file, and nothing else said.
	Held   bool
	Fields []reviewField
	// Answers are the authors' answers the policy lets reviewers read.
	Answers []answerRow
	Gate    gateView
	Errors  *formErrors
	Others  []otherReview
	// Response is the authors' submitted answer to the reviews, if any.
	Response *review.Response
	// Discussion is shown once the reviewer has submitted their review.
	Discussion    bool
	Comments      []commentRow
	CommentBody   string
	CommentErrors *formErrors
}

// reviewModel is the page for the caller's assignment id at the venue in
// the path. The metadata comes from the caller's assignment list, which is
// anonymised; a submission not on it is not found.
func (u *ui) reviewModel(c echo.Context, s *session) (reviewPage, error) {
	ctx := c.Request().Context()
	id, err := pathID(c)
	if err != nil {
		return reviewPage{}, err
	}
	slug := c.Param("slug")
	mine, err := u.Matching.Mine(ctx, slug, s.P)
	if err != nil {
		return reviewPage{}, err
	}
	var a *matching.Assignment
	for i := range mine {
		if mine[i].SubmissionID == id && !mine[i].Declined {
			a = &mine[i]
		}
	}
	if a == nil {
		return reviewPage{}, problem.New(problem.ErrNotFound, "submission_not_found", "you have no assignment to review this submission")
	}
	rv, form, err := u.Reviews.Mine(ctx, id, s.P)
	if err != nil {
		return reviewPage{}, err
	}
	rec, err := u.Venues.BySlug(ctx, u.DB, slug)
	if err != nil {
		return reviewPage{}, err
	}
	p := reviewPage{Slug: rec.Slug, VenueName: rec.Name, ID: id, Number: a.Number, Title: a.Title, Abstract: a.Abstract,
		Track: trackName(rec.Settings, a.Track), Keywords: a.Keywords, Status: reviewStatus(rv.Version, rv.Status), Held: a.Held}
	p.StatusLabel = reviewStatusLabels[p.Status]
	sub, v, err := u.Submissions.GetWithView(ctx, id, s.P)
	if err != nil {
		return p, err
	}
	p.Answers = answerRows(v.VisibleAnswers(sub.Track, sub.Fields, false))
	if !rv.UpdatedAt.IsZero() {
		p.Updated = venue.FormatUTC(rv.UpdatedAt)
	}
	if p.Gate, err = u.gate(ctx, rec, venue.ActionReview, s.P.UserID, "Reviews due"); err != nil {
		return p, err
	}
	p.Fields = formFields(form, rv.Fields)
	if p.Status == "submitted" {
		if err := u.discussion(ctx, &p, form, s.P); err != nil {
			return p, err
		}
	}
	return p, nil
}

// formFields pairs the venue's form with stored (JSON-decoded) answers.
func formFields(form []venue.FormField, values map[string]any) []reviewField {
	out := make([]reviewField, 0, len(form))
	for _, ff := range form {
		f := reviewField{Key: ff.Key, Label: ff.Label, Name: "fields." + ff.Key, Required: ff.Required, ChairsOnly: ff.Visibility == venue.ChairsOnly,
			Points: ff.Points, MaxChars: ff.MaxChars, Scale: ff.Kind == venue.KindScore || ff.Kind == venue.KindConfidence}
		switch v := values[ff.Key].(type) {
		case float64:
			f.Selected = int(v)
		case int:
			f.Selected = v
		case string:
			f.Text = v
		}
		out = append(out, f)
	}
	return out
}

// discussion fills in what a reviewer sees once their review is in: the
// other submitted reviews and the discussion, as the services filter them.
func (u *ui) discussion(ctx context.Context, p *reviewPage, form []venue.FormField, who account.Principal) error {
	list, visible, err := u.Reviews.List(ctx, p.ID, who)
	if err != nil {
		return err
	}
	for _, r := range list {
		if r.Own {
			continue
		}
		o := otherReview{Label: r.Label(), Edited: r.EditedAfterSubmit}
		for _, ff := range visible {
			if v, ok := r.Fields[ff.Key]; ok {
				o.Fields = append(o.Fields, shownField{Label: ff.Label, Value: answerText(ff, v)})
			}
		}
		p.Others = append(p.Others, o)
	}
	if resp, err := u.Reviews.ResponseOf(ctx, p.ID, who); err == nil && resp != nil && resp.Status == "submitted" {
		p.Response = resp
	} else if err != nil && !errors.Is(err, problem.ErrForbidden) {
		return err
	}
	comments, err := u.Reviews.Comments(ctx, p.ID, who)
	if err != nil {
		return err
	}
	p.Discussion = true
	for _, cm := range comments {
		if cm.Kind != review.KindDiscussion {
			continue
		}
		p.Comments = append(p.Comments, commentRow{By: cm.By, Body: cm.Body, At: venue.FormatUTC(cm.At), Mine: cm.IsMine})
	}
	return nil
}

// answerText writes a stored answer as people read it: a score with its label.
func answerText(ff venue.FormField, v any) string {
	n, ok := v.(float64)
	if !ok {
		s, _ := v.(string)
		return s
	}
	for _, pt := range ff.Points {
		if float64(pt.Value) == n {
			return strconv.Itoa(pt.Value) + " (" + pt.Label + ")"
		}
	}
	return strconv.FormatFloat(n, 'f', -1, 64)
}

func (u *ui) reviewPage(c echo.Context, s *session) error {
	p, err := u.reviewModel(c, s)
	if err != nil {
		return err
	}
	v := view{Title: "Review of #" + strconv.Itoa(p.Number), S: s, Page: p}
	switch c.QueryParam("saved") {
	case "draft":
		v.Notice = "Your draft is saved. Nobody else sees it until you submit it."
	case "submitted":
		v.Notice = "Your review is submitted. You can still edit it until the deadline."
	}
	if c.QueryParam("commented") != "" {
		v.Notice = "Your comment is posted."
	}
	return u.render(c, http.StatusOK, "reviewer_review", v)
}

// fieldsFromForm reads the answers as the API's JSON would carry them:
// numbers for scales, text for the rest; blanks are left out.
func fieldsFromForm(form url.Values, fields []reviewField) map[string]any {
	out := map[string]any{}
	for _, f := range fields {
		raw := form.Get(f.Key)
		if strings.TrimSpace(raw) == "" {
			continue
		}
		if f.Scale {
			if n, err := strconv.Atoi(raw); err == nil && n > math.MinInt32 && n < math.MaxInt32 {
				out[f.Key] = float64(n)
				continue
			}
		}
		out[f.Key] = raw
	}
	return out
}

func (u *ui) saveReview(c echo.Context, s *session) error {
	p, err := u.reviewModel(c, s)
	if err != nil {
		if wantsJSON(c) {
			return jsonError(c, err, nil)
		}
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	submit := form.Get("action") == "submit"
	fields := fieldsFromForm(form, p.Fields)
	saved, err := u.Reviews.Save(c.Request().Context(), p.ID, s.P, fields, submit, c.RealIP())
	if wantsJSON(c) {
		if err != nil {
			return jsonError(c, err, nil)
		}
		return c.JSON(http.StatusOK, map[string]string{"status": saved.Status, "saved_at": saved.UpdatedAt.UTC().Format(time.RFC3339)})
	}
	if err == nil {
		what := "draft"
		if saved.Status == "submitted" {
			what = "submitted"
		}
		return c.Redirect(http.StatusSeeOther, "/venues/"+url.PathEscape(p.Slug)+"/review/"+strconv.FormatInt(p.ID, 10)+"?saved="+what)
	}
	if !inputError(err) {
		return err
	}
	// Show the form as it was sent, with the messages next to its fields.
	for i := range p.Fields {
		f := &p.Fields[i]
		f.Text, f.Selected = "", 0
		if f.Scale {
			f.Selected, _ = strconv.Atoi(form.Get(f.Key))
		} else {
			f.Text = form.Get(f.Key)
		}
	}
	p.Errors = formErrorsOf(err, nil)
	status, _, _ := describe(err)
	return u.render(c, status, "reviewer_review", view{Title: "Review of #" + strconv.Itoa(p.Number), S: s, Page: p})
}

func (u *ui) addComment(c echo.Context, s *session) error {
	p, err := u.reviewModel(c, s)
	if err != nil {
		return err
	}
	body := c.FormValue("body")
	if _, err := u.Reviews.AddComment(c.Request().Context(), p.ID, s.P, review.KindDiscussion, body); err != nil {
		if !inputError(err) {
			return err
		}
		p.CommentBody = body
		p.CommentErrors = formErrorsOf(err, nil)
		status, _, _ := describe(err)
		return u.render(c, status, "reviewer_review", view{Title: "Review of #" + strconv.Itoa(p.Number), S: s, Page: p})
	}
	return c.Redirect(http.StatusSeeOther, "/venues/"+url.PathEscape(p.Slug)+"/review/"+strconv.FormatInt(p.ID, 10)+"?commented=1#discussion")
}
