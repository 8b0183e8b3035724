package webui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/decision"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

type decisionRow struct {
	SubmissionID  int64
	Number        int
	Title, Track  string
	Withdrawn     bool
	Category      string
	CategoryLabel string
	Note          string
	DecidedAt     string
	DecidedBy     string
	OnTime        bool
	Decided       bool
	Released      bool
	Choices       []chairOption
	Errors        *formErrors
	// Meta is the meta-review's text, saved with the decision.
	Meta string
	// The reviews so far (see scoresOf).
	scoreCells
}

type previewMessage struct {
	To, Subject, Body string
	Submission        int
}

type decisionsPage struct {
	Head          chairHead
	Rows          []decisionRow
	Open          int
	TimeLeft      string
	DeadlineAoE   string
	DeadlineUTC   string
	Released      bool
	Scheduled     bool
	ReleaseAtAoE  string
	ReleaseAtUTC  string
	At            string
	ReleaseErrors *formErrors
	Preview       []previewMessage
	// The table's order and filters, and the bulk form's choices.
	Sort       []sortLink
	Tracks     []chairOption
	Shows      []chairOption
	Filtered   bool
	Total      int
	BulkChoice []chairOption
	BulkErrors *formErrors
	// Confirm asks before a release sends the mail.
	Confirm *releaseConfirm
	// MailTexts are the messages per decision, as the chairs may edit them.
	MailTexts []mailTextView
}

// decisionsModel is the decision table as the chair may see it; rowErr is
// shown on the row of submission errFor, relErr on the release form.
func (u *ui) decisionsModel(c echo.Context, s *session, errFor int64, rowErr error, at string, relErr error) (decisionsPage, venue.Record, error) {
	rec, head, err := u.chairVenue(c, s, "decisions")
	if err != nil {
		return decisionsPage{}, rec, err
	}
	ctx := c.Request().Context()
	ov, err := u.Decisions.List(ctx, rec.Slug, s.P)
	if err != nil {
		return decisionsPage{}, rec, err
	}
	set := rec.Settings
	p := decisionsPage{Head: head, Open: ov.Open, TimeLeft: ov.TimeLeft, DeadlineAoE: venue.FormatAoE(ov.Deadline), DeadlineUTC: venue.FormatUTC(ov.Deadline),
		Released: ov.Released, At: at}
	if ov.ReleaseAt != nil {
		p.Scheduled = !ov.Released
		p.ReleaseAtAoE, p.ReleaseAtUTC = venue.FormatAoE(*ov.ReleaseAt), venue.FormatUTC(*ov.ReleaseAt)
	}
	if relErr != nil {
		p.ReleaseErrors = formErrorsOf(relErr, nil)
	}
	cats := make([][2]string, 0, len(set.Decisions))
	for _, d := range set.Decisions {
		cats = append(cats, [2]string{d.Key, d.Label})
	}
	metas, err := u.Decisions.MetaReviewBodies(ctx, rec.Slug, s.P)
	if err != nil {
		return decisionsPage{}, rec, err
	}
	scores, err := u.scoresOf(ctx, rec.Slug, s)
	if err != nil {
		return decisionsPage{}, rec, err
	}
	p.BulkChoice = chairOptions("", "Choose a decision", cats...)
	for _, r := range ov.Rows {
		row := decisionRow{SubmissionID: r.SubmissionID, Number: r.Number, Title: r.Title, Track: r.Track, Withdrawn: r.Withdrawn, Category: r.Category, Meta: metas[r.SubmissionID],
			Note: r.Note, DecidedBy: r.DecidedBy, OnTime: r.OnTime, Decided: r.Category != "", Choices: chairOptions(r.Category, "Not decided", cats...)}
		// "Not decided" is a state, not a choice: the form needs a category.
		row.Choices[0].Value = ""
		if t, ok := set.Track(r.Track); ok {
			row.Track = t.Name
		}
		if d, ok := set.Decision(r.Category); ok {
			row.CategoryLabel = d.Label
		}
		if r.DecidedAt != nil {
			row.DecidedAt = venue.FormatUTC(*r.DecidedAt)
		}
		row.Released = ov.Released && row.Decided
		if rowErr != nil && r.SubmissionID == errFor {
			row.Errors = formErrorsOf(rowErr, nil)
		}
		row.scoreCells = scores[r.SubmissionID]
		p.Rows = append(p.Rows, row)
	}
	p.Total = len(p.Rows)
	p.arrange(c.QueryParams(), rec)
	texts, err := u.Decisions.MailTexts(ctx, rec.Slug, s.P)
	if err != nil {
		return decisionsPage{}, rec, err
	}
	for _, t := range texts {
		p.MailTexts = append(p.MailTexts, mailTextView{MailText: t})
	}
	if !ov.Released {
		msgs, err := u.Decisions.Preview(ctx, rec.Slug, s.P)
		if err != nil {
			return decisionsPage{}, rec, err
		}
		p.Preview = previewOf(msgs)
	}
	return p, rec, nil
}

func previewOf(msgs []decision.Message) []previewMessage {
	out := make([]previewMessage, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, previewMessage{To: m.To, Subject: m.Subject, Body: m.Body, Submission: m.Submission})
	}
	return out
}

func (u *ui) renderDecisions(c echo.Context, s *session, status int, p decisionsPage, rec venue.Record, notice string) error {
	return u.render(c, status, "chair_decisions", view{Title: "Decisions · " + rec.Name, S: s, Page: p, Notice: notice})
}

func (u *ui) chairDecisions(c echo.Context, s *session) error {
	p, rec, err := u.decisionsModel(c, s, 0, nil, "", nil)
	if err != nil {
		return err
	}
	notice := ""
	switch q := c.QueryParams(); {
	case q.Get("decided") != "":
		notice = "The decision on #" + q.Get("decided") + " was recorded."
	case q.Get("decided_many") != "":
		notice = "The decisions on " + q.Get("decided_many") + " papers were recorded."
	case q.Get("released") != "":
		notice = "The decisions are released: the authors are being told."
	case q.Get("scheduled") != "":
		notice = "The release is scheduled for " + p.ReleaseAtAoE + "."
	case q.Get("cancelled") != "":
		notice = "The scheduled release was cancelled."
	case q.Get("mail_text") == "save":
		notice = "The message's text is saved; the messages below use it."
	case q.Get("mail_text") == "default":
		notice = "The message is back to the built-in text."
	}
	return u.renderDecisions(c, s, http.StatusOK, p, rec, notice)
}

func (u *ui) chairDecide(c echo.Context, s *session) error {
	rec, _, err := u.chairVenue(c, s, "decisions")
	if err != nil {
		return err
	}
	id, err := pathID(c)
	if err != nil {
		return err
	}
	err = u.decideWithMeta(c, s, id, c.FormValue("category"), strings.TrimSpace(c.FormValue("note")), strings.TrimSpace(c.FormValue("meta")))
	if err != nil {
		if !inputError(err) {
			return err
		}
		p, rec, merr := u.decisionsModel(c, s, id, err, "", nil)
		if merr != nil {
			return merr
		}
		status, _, _ := describe(err)
		return u.renderDecisions(c, s, status, p, rec, "")
	}
	number := c.FormValue("number")
	if _, nerr := strconv.Atoi(number); nerr != nil {
		number = strconv.FormatInt(id, 10)
	}
	return c.Redirect(http.StatusSeeOther, chairPath(rec.Slug, "decisions", url.Values{"decided": {number}})+"#row-"+strconv.FormatInt(id, 10))
}

func (u *ui) chairRelease(c echo.Context, s *session) error {
	rec, _, err := u.chairVenue(c, s, "decisions")
	if err != nil {
		return err
	}
	at := strings.TrimSpace(c.FormValue("at"))
	t := u.Clock.Now()
	if c.FormValue("now") == "" {
		if at == "" {
			err = problem.Invalid("say when to release", problem.FieldError{Field: "at", Message: "give an instant, like 2023-10-27 AoE, or release now"})
		} else if parsed, perr := venue.ParseInstant(at); perr != nil {
			err = problem.Invalid(perr.Error(), problem.FieldError{Field: "at", Message: perr.Error()})
		} else {
			t = parsed
		}
	}
	if err == nil && c.FormValue("confirm") == "" {
		// Nothing is sent before the chair has read what will be.
		p, rec, merr := u.decisionsModel(c, s, 0, nil, at, nil)
		if merr != nil {
			return merr
		}
		if p.Released {
			return c.Redirect(http.StatusSeeOther, chairPath(rec.Slug, "decisions", nil)+"#release")
		}
		p.Confirm = confirmRelease(p, c.FormValue("now") != "", at, venue.FormatAoE(t))
		return u.renderDecisions(c, s, http.StatusOK, p, rec, "")
	}
	if err == nil {
		// The service moves an instant in the past to now.
		t, err = u.Decisions.Release(c.Request().Context(), rec.Slug, s.P, &t, c.RealIP())
	}
	if err != nil {
		if !inputError(err) {
			return err
		}
		p, rec, merr := u.decisionsModel(c, s, 0, nil, at, err)
		if merr != nil {
			return merr
		}
		status, _, _ := describe(err)
		return u.renderDecisions(c, s, status, p, rec, "")
	}
	q := url.Values{"released": {"1"}}
	if t.After(u.Clock.Now()) {
		q = url.Values{"scheduled": {"1"}}
	}
	return c.Redirect(http.StatusSeeOther, chairPath(rec.Slug, "decisions", q)+"#release")
}

func (u *ui) chairCancelRelease(c echo.Context, s *session) error {
	rec, _, err := u.chairVenue(c, s, "decisions")
	if err != nil {
		return err
	}
	if err := u.Decisions.CancelRelease(c.Request().Context(), rec.Slug, s.P, c.RealIP()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, chairPath(rec.Slug, "decisions", url.Values{"cancelled": {"1"}})+"#release")
}
