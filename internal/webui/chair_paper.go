package webui

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/conflict"
	"github.com/quirehq/quire/internal/decision"
	"github.com/quirehq/quire/internal/matching"
	"github.com/quirehq/quire/internal/policy"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/review"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

// The chairs' paper page: everything about one submission on one page, with
// the actions a chair takes on it in place. Every chair list links its rows
// here. What it shows comes from the same services the API calls, under the
// same policy: a chair who is conflicted with the paper gets "not found",
// as for a paper that does not exist.

func (u *ui) registerChairPaper(e *echo.Echo) {
	g := "/venues/:slug/chair/papers/:id"
	e.GET(g, u.signedIn(u.chairPaper))
	e.POST(g+"/comments", u.form(u.chairPaperComment))
	e.POST(g+"/decision", u.form(u.chairPaperDecide))
	e.POST(g+"/waive", u.form(u.chairPaperWaive))
	e.POST(g+"/reinstate", u.form(u.chairPaperReinstate))
	e.POST(g+"/reviewers", u.form(u.chairPaperReviewers))
	e.POST(g+"/ratings", u.form(u.chairPaperRate))
}

// paperPath is the chairs' page of a submission.
func paperPath(slug string, id int64) string {
	return chairPath(slug, "papers/"+strconv.FormatInt(id, 10), nil)
}

type paperReviewer struct {
	Name, Email string
	// Conflicted: a conflict of interest came after the assignment, which
	// now grants nothing and is the chairs' to replace.
	Conflicted bool
	Label      string // the pseudonym, once submitted
	Submitted  string // when, or "" while missing
}

type paperReview struct {
	Label, Reviewer string
	Edited          bool
	Submitted       string
	Fields          []shownField
	// Pseudonym numbers the review for its rating form; Ratings are the
	// chairs' ratings of it, Mine the caller's own ("", "yes" or "no").
	Pseudonym int
	Ratings   []review.Rating
	Mine      string
	MyNote    string
}

type paperPage struct {
	Head                 chairHead
	ID                   int64
	Number               int
	Title, Abstract      string
	Keywords             []string
	Authors              []submission.Author
	Track                string
	Status, StatusLabel  string
	Revision             int
	Updated              string
	Late                 bool
	HasPDF               bool
	PDFSize              int64
	VerdictLabel         string
	BodyPages, PageLimit int
	Waiver               *submission.Waiver
	WaiverAt             string
	Report               *reportView
	Hold                 *holdView
	HasSupp              bool
	Reviewers            []paperReviewer
	Needed               int
	Reviews              []paperReview
	Scores               string // "4, 5, 2 (mean 3.67)"
	Response             *review.Response
	Comments             []commentRow
	Notes                []commentRow
	Decision             *decision.Decision
	DecidedAt            string
	Choices              []chairOption
	Note, Meta           string
	Released             bool
	Errors               *formErrors // the decision form
	CommentErrors        *formErrors
	CommentBody          string
	CommentKind          string
	WaiveErrors          *formErrors
	RateErrors           *formErrors
	// Bids and conflicts on this paper; the pool for the assignment form.
	// Answers are the paper's answers to the venue's own fields.
	Answers      []answerRow
	Bids         []matching.PaperBid
	Conflicts    []paperConflict
	HasMatch     bool
	Pool         []chairOption
	AssignErrors *formErrors
}

// paperModel gathers the page. Each part asks its service, which asks the
// policy; a chair who may not see a part (none today, but the policy
// decides) gets the page without it.
func (u *ui) paperModel(ctx context.Context, c echo.Context, s *session) (paperPage, error) {
	rec, head, err := u.chairVenue(c, s, "submissions")
	if err != nil {
		return paperPage{}, err
	}
	id, err := pathID(c)
	if err != nil {
		return paperPage{}, err
	}
	sub, v, err := u.Submissions.GetWithView(ctx, id, s.P)
	if err != nil {
		return paperPage{}, err
	}
	// The paper must be of this venue, and the caller its chair, not one
	// of its authors (an author who chairs sees their paper as an author).
	if v.Venue.ID != rec.ID || !v.Relation.Chair || v.Relation.Author || v.Relation.Conflicted {
		return paperPage{}, problem.New(problem.ErrNotFound, "submission_not_found", "there is no such submission, or you may not see it")
	}
	set := rec.Settings
	p := paperPage{Head: head, ID: sub.ID, Number: sub.Number, Title: sub.Title, Abstract: sub.Abstract, Keywords: sub.Keywords,
		Track: trackName(set, sub.Track), Status: sub.Status(), StatusLabel: statusLabels[sub.Status()], Revision: sub.Revision,
		Updated: venue.FormatUTC(sub.UpdatedAt), Late: sub.Late && v.Can(policy.LateFlag), HasPDF: sub.PDF != nil,
		BodyPages: sub.BodyPages, PageLimit: set.Pages.Limit, Waiver: sub.Waiver, Hold: holdViewOf(sub), HasSupp: sub.Supp != nil}
	if v.Can(policy.AuthorIdentity) {
		p.Authors = sub.Authors
	}
	p.Answers = answerRows(v.VisibleAnswers(sub.Track, sub.Fields, false))
	if sub.PDF != nil {
		p.PDFSize, p.VerdictLabel = sub.PDF.Size, verdictLabels[sub.Verdict]
	}
	if sub.Waiver != nil {
		p.WaiverAt = venue.FormatUTC(sub.Waiver.At)
	}
	if v.Can(policy.PageCheckReport) {
		p.Report = newReportView(u.Submissions.WithThumbnails(ctx, sub).Report)
	}
	if t, ok := set.Track(sub.Track); ok {
		p.Needed = t.ReviewsPerPaper
	}
	if err := u.paperReviews(ctx, &p, s); err != nil {
		return p, err
	}
	if p.Status == "submitted" {
		m, err := u.Matching.Paper(ctx, rec.Slug, s.P, id)
		if err != nil {
			return p, err
		}
		p.HasMatch, p.Bids = true, m.Bids
		conflicted := map[string]bool{}
		for _, c := range m.Conflicts {
			p.Conflicts = append(p.Conflicts, paperConflict{Reviewer: c.ReviewerName, Source: conflictSources[c.Source], Detail: c.Detail, Waived: c.Waived})
			conflicted[strings.ToLower(c.ReviewerEmail)] = conflicted[strings.ToLower(c.ReviewerEmail)] || !c.Waived
		}
		for i := range p.Reviewers {
			p.Reviewers[i].Conflicted = conflicted[strings.ToLower(p.Reviewers[i].Email)]
		}
		pool, err := u.Matching.Pool(ctx, rec.Slug, s.P)
		if err != nil {
			return p, err
		}
		for _, r := range pool {
			p.Pool = append(p.Pool, chairOption{Value: r.Email, Label: r.Name})
		}
	}
	if resp, err := u.Reviews.ResponseOf(ctx, id, s.P); err == nil && resp != nil && resp.Status == "submitted" {
		p.Response = resp
	} else if err != nil && !errors.Is(err, problem.ErrForbidden) {
		return p, err
	}
	comments, err := u.Reviews.Comments(ctx, id, s.P)
	if err != nil {
		return p, err
	}
	for _, cm := range comments {
		row := commentRow{By: cm.By, Body: cm.Body, At: venue.FormatUTC(cm.At), Mine: cm.IsMine}
		if cm.Name != "" && cm.By != "Chair" {
			row.By += " (" + cm.Name + ")"
		} else if cm.Name != "" {
			row.By = "Chair (" + cm.Name + ")"
		}
		if cm.Kind == review.KindChairNote {
			p.Notes = append(p.Notes, row)
		} else {
			p.Comments = append(p.Comments, row)
		}
	}
	return p, u.paperDecision(ctx, &p, rec, s)
}

// paperReviews fills in the reviewers and every submitted review with all
// its fields, the chairs-only ones included.
func (u *ui) paperReviews(ctx context.Context, p *paperPage, s *session) error {
	assigned, err := u.Reviews.Assigned(ctx, p.ID, s.P)
	if err != nil {
		return err
	}
	for _, a := range assigned {
		r := paperReviewer{Name: a.Name, Email: a.Email}
		if a.Pseudonym > 0 {
			r.Label = "Reviewer " + strconv.Itoa(a.Pseudonym)
		}
		if a.SubmittedAt != nil {
			r.Submitted = venue.FormatUTC(*a.SubmittedAt)
		}
		p.Reviewers = append(p.Reviewers, r)
	}
	list, form, err := u.Reviews.List(ctx, p.ID, s.P)
	if err != nil {
		return err
	}
	ratings, err := u.Reviews.Ratings(ctx, p.ID, s.P)
	if err != nil {
		return err
	}
	var scores []int
	for _, r := range list {
		if r.Status != "submitted" {
			continue // the chair's own draft, if they review it too
		}
		pr := paperReview{Label: r.Label(), Reviewer: r.ReviewerName, Edited: r.EditedAfterSubmit, Pseudonym: r.Pseudonym}
		for _, rt := range ratings {
			if rt.Pseudonym != r.Pseudonym {
				continue
			}
			pr.Ratings = append(pr.Ratings, rt)
			if rt.Mine {
				pr.Mine, pr.MyNote = map[bool]string{true: "yes", false: "no"}[rt.Helpful], rt.Note
			}
		}
		if r.SubmittedAt != nil {
			pr.Submitted = venue.FormatUTC(*r.SubmittedAt)
		}
		first := true
		for _, ff := range form {
			val, ok := r.Fields[ff.Key]
			if !ok {
				continue
			}
			pr.Fields = append(pr.Fields, shownField{Label: ff.Label, Value: answerText(ff, val)})
			if n, isNum := val.(float64); isNum && ff.Kind == venue.KindScore && first {
				scores = append(scores, int(n))
				first = false
			}
		}
		p.Reviews = append(p.Reviews, pr)
	}
	p.Scores = scoreSummary(scores)
	return nil
}

// scoreSummary writes scores as a chair reads them: each, then the mean.
func scoreSummary(scores []int) string {
	if len(scores) == 0 {
		return ""
	}
	parts := make([]string, len(scores))
	sum := 0
	for i, v := range scores {
		parts[i] = strconv.Itoa(v)
		sum += v
	}
	return strings.Join(parts, ", ") + " (mean " + strconv.FormatFloat(float64(sum)/float64(len(scores)), 'f', 2, 64) + ")"
}

func (u *ui) paperDecision(ctx context.Context, p *paperPage, rec venue.Record, s *session) error {
	d, err := u.Decisions.Of(ctx, p.ID, s.P)
	if err != nil {
		return err
	}
	cat := ""
	if d != nil {
		p.Decision, cat, p.Note = d, d.Category, d.Note
		if d.DecidedAt != nil {
			p.DecidedAt = venue.FormatUTC(*d.DecidedAt)
		}
	}
	if m, err := u.Decisions.MetaReviewOf(ctx, p.ID, s.P); err != nil {
		return err
	} else if m != nil {
		p.Meta = m.Body
	}
	cats := make([][2]string, 0, len(rec.Settings.Decisions))
	for _, d := range rec.Settings.Decisions {
		cats = append(cats, [2]string{d.Key, d.Label})
	}
	p.Choices = chairOptions(cat, "Not decided", cats...)
	p.Choices[0].Value = ""
	p.Released, err = u.Decisions.Released(ctx, u.DB, rec.ID)
	return err
}

func (u *ui) renderPaper(c echo.Context, s *session, status int, p paperPage, notice string) error {
	return u.render(c, status, "chair_paper", view{Title: "#" + strconv.Itoa(p.Number) + " " + p.Title + " · " + p.Head.VenueName, S: s, Page: p, Notice: notice})
}

var paperNotices = map[string]string{
	"commented":  "Your comment is posted.",
	"noted":      "Your note is saved; only the chairs see it.",
	"decided":    "The decision is recorded.",
	"waived":     "The page limit is waived for this submission.",
	"reinstated": "The submission is reinstated.",
	"assigned":   "The reviewer is assigned; they see the paper in their list.",
	"unassigned": "The reviewer is taken off this paper.",
	"rated":      "Your rating of the review is saved; only the chairs see it, and the reviewer learns their tally after the decisions.",
}

func (u *ui) chairPaper(c echo.Context, s *session) error {
	p, err := u.paperModel(c.Request().Context(), c, s)
	if err != nil {
		return err
	}
	return u.renderPaper(c, s, http.StatusOK, p, paperNotices[c.QueryParam("done")])
}

// paperConflict is one conflict of interest as the paper page says it.
type paperConflict struct {
	Reviewer, Source, Detail string
	Waived                   bool
}

// conflictSources say where a conflict of interest comes from.
var conflictSources = map[string]string{
	string(conflict.SameEmailDomain): "same email domain", string(conflict.SameAffiliation): "same affiliation",
	string(conflict.ReviewerIsAuthor): "an author of the paper", string(conflict.Coauthor): "a co-author of an author",
	string(conflict.DeclaredByAuthor): "declared by the authors", string(conflict.DeclaredByReviewer): "declared by the reviewer",
	string(conflict.AddedByChair): "added by a chair",
}
