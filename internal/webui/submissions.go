package webui

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/review"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

var statusLabels = map[string]string{
	"incomplete": "Incomplete: no accepted PDF yet",
	"submitted":  "Submitted",
	"withdrawn":  "Withdrawn",
}

var verdictLabels = map[string]string{
	"ok":                 "Within the page limit",
	"over_limit":         "Over the page limit",
	"undecided_accepted": "Accepted; the chairs check the page count",
}

type subRow struct {
	ID                          int64
	Number                      int
	Title, VenueSlug, VenueName string
	Status, StatusLabel         string
	VerdictLabel                string
	BodyPages, PageLimit        int
	Leaks                       int
	Deadline                    *deadlineRow
}

type submissionsPage struct {
	Rows []subRow
}

// mySubmissions lists the person's submissions in every venue; each venue
// is loaded once, whatever the number of papers in it.
func (u *ui) mySubmissions(c echo.Context, s *session) error {
	ctx := c.Request().Context()
	subs, err := u.Submissions.ListMine(ctx, s.P)
	if err != nil {
		return err
	}
	now := u.Clock.Now()
	venues := map[string]venue.Record{}
	p := submissionsPage{}
	for _, sub := range subs {
		rec, ok := venues[sub.Venue]
		if !ok {
			if rec, err = u.Venues.BySlug(ctx, u.DB, sub.Venue); err != nil {
				return err
			}
			venues[sub.Venue] = rec
		}
		row := subRow{ID: sub.ID, Number: sub.Number, Title: sub.Title, VenueSlug: sub.Venue, VenueName: rec.Name,
			Status: sub.Status(), StatusLabel: statusLabels[sub.Status()], BodyPages: sub.BodyPages, PageLimit: rec.Settings.Pages.Limit,
			Leaks: sub.LeakCount}
		if sub.PDF != nil {
			row.VerdictLabel = verdictLabels[sub.Verdict]
		}
		row.Deadline = submissionDeadline(rec.Settings, now)
		if d, err := u.releasedDecision(ctx, sub.ID, s); err != nil {
			return err
		} else if d != nil && sub.WithdrawnAt == nil {
			row.Status, row.StatusLabel = decisionStatus(d.Label, d.Accept)
		}
		p.Rows = append(p.Rows, row)
	}
	return u.render(c, http.StatusOK, "submissions", view{Title: "My submissions", S: s, Page: p})
}

func submissionDeadline(set *venue.Settings, now time.Time) *deadlineRow {
	for _, r := range deadlineRows(set, now) {
		if r.Key == "submission" {
			return &r
		}
	}
	return nil
}

type submissionPage struct {
	ID              int64
	Number          int
	Title, Abstract string
	Keywords        []string
	Authors         []submission.Author
	Answers         []answerRow // to the venue's own questions
	Track           string
	VenueSlug       string
	VenueName       string
	Status          string
	StatusLabel     string
	Revision        int
	Updated         string
	HasPDF          bool
	PDFSize         int64
	Late            bool
	Withdrawn       bool
	MaxUpload       venue.ByteSize
	Deadline        *deadlineRow
	Report          *reportView
	Refused         *refusalView
	UploadError     string
	Waived          bool
	Leaks           int
	VerdictLabel    string
	// Closed says why the authors can change nothing now (the deadline,
	// a withdrawal); empty while the details and files can change.
	Closed string
	// Supp is the supplementary material, with its form's outcome.
	Supp suppView
	// After the release (see afterRelease): the decision, the reviews and,
	// for an accepted paper, the camera-ready upload and final author list.
	Decision *decisionView
	// Response is the authors' answer to the reviews, with its form while
	// the response phase is open.
	Response           *responseView
	Reviews            []reviewView
	CameraReady        bool
	CameraReadyClosed  string
	CameraReadyRefused *refusalView
	FinalAuthors       []authorRow
	FinalErrors        *formErrors
	// Publication is the authors' consent to publishing the paper, where
	// the venue publishes papers with its decision.
	Publication *publicationView
	// Hold is the anonymity hold, when the reviewers are kept from a file.
	Hold *holdView
}

// holdView tells the authors what holds their file from the reviewers.
type holdView struct {
	PDF, Supplementary bool
	DeskRejected       bool
	FixBy, Note        string
	Findings           []pdfcheck.Finding
}

func holdViewOf(sub submission.Submission) *holdView {
	if !sub.Hold.Active() {
		return nil
	}
	h := &holdView{PDF: sub.Hold.PDF, Supplementary: sub.Hold.Supplementary, DeskRejected: sub.Hold.Action == submission.HoldDeskRejected,
		Findings: sub.Findings()}
	if sub.Hold.Action == submission.HoldFixRequired && sub.Hold.FixBy != nil {
		h.FixBy, h.Note = venue.Describe(*sub.Hold.FixBy), sub.Hold.Note
	}
	return h
}

// submissionModel is the authors' view of their submission. Anyone else who
// may see it (chairs, reviewers) has pages of their own: here they get "not
// found", as someone who may not see it at all does.
func (u *ui) submissionModel(ctx context.Context, id int64, s *session) (submissionPage, error) {
	return u.submissionModelWith(ctx, id, s, nil)
}

// submissionModelWith is submissionModel with the final author rows as the
// person typed them (nil: the submitted authors).
func (u *ui) submissionModelWith(ctx context.Context, id int64, s *session, finalAuthors []authorRow) (submissionPage, error) {
	sub, v, err := u.Submissions.GetWithView(ctx, id, s.P)
	if err != nil {
		return submissionPage{}, err
	}
	if !v.Relation.Author {
		return submissionPage{}, problem.New(problem.ErrNotFound, "submission_not_found", "there is no such submission among yours")
	}
	sub = u.Submissions.WithThumbnails(ctx, sub) // drawn after the upload's acknowledgement
	set, now := v.Venue.Settings, u.Clock.Now()
	p := submissionPage{ID: sub.ID, Number: sub.Number, Title: sub.Title, Abstract: sub.Abstract, Keywords: sub.Keywords, Authors: sub.Authors,
		Track: sub.Track, VenueSlug: v.Venue.Slug, VenueName: v.Venue.Name, Status: sub.Status(), StatusLabel: statusLabels[sub.Status()],
		Revision: sub.Revision, Updated: venue.FormatUTC(sub.UpdatedAt), HasPDF: sub.PDF != nil, Late: sub.Late, Withdrawn: sub.WithdrawnAt != nil,
		MaxUpload: set.Pages.MaxUploadBytes, Deadline: submissionDeadline(set, now),
		Report: newReportView(sub.Report), Waived: sub.Waiver != nil, Leaks: sub.LeakCount, Hold: holdViewOf(sub)}
	p.Answers = answerRows(v.VisibleAnswers(sub.Track, sub.Fields, false))
	if t, ok := set.Track(sub.Track); ok {
		p.Track = t.Name
	}
	if sub.PDF != nil {
		p.PDFSize = sub.PDF.Size
		p.VerdictLabel = verdictLabels[sub.Verdict]
	}
	p.Supp = suppViewOf(sub, set)
	if p.Closed, err = u.changesClosed(ctx, v.Venue, sub); err != nil {
		return submissionPage{}, err
	}
	p.FinalAuthors = finalAuthors
	if err := u.afterRelease(ctx, &p, s); err != nil {
		return submissionPage{}, err
	}
	if p.Decision != nil && !p.Withdrawn {
		p.Status, p.StatusLabel = decisionStatus(p.Decision.Label, p.Decision.Accept)
	}
	if set.Deadlines.AuthorResponse.IsSet() && len(p.Reviews) > 0 {
		resp, err := u.Reviews.ResponseOf(ctx, id, s.P)
		if err != nil {
			return submissionPage{}, err
		}
		if resp.Open || resp.Status != "none" {
			p.Response = &responseView{Response: *resp, Deadline: venue.FormatRule(resp.Deadline), DeadlineUTC: venue.FormatUTC(resp.Deadline)}
		}
	}
	if p.CameraReady {
		// The forms are offered only while the camera-ready window is open.
		if _, err := u.Venues.Check(ctx, u.DB, v.Venue, venue.ActionCameraReady, venue.Subject{}, now); err != nil {
			if !inputError(err) {
				return submissionPage{}, err
			}
			_, _, p.CameraReadyClosed = describe(err)
		}
	}
	return p, nil
}

func pathID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, problem.New(problem.ErrNotFound, "submission_not_found", "there is no such submission")
	}
	return id, nil
}

func (u *ui) submissionPage(c echo.Context, s *session) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	p, err := u.submissionModel(c.Request().Context(), id, s)
	if err != nil {
		return err
	}
	v := view{Title: p.Title, S: s, Page: p}
	switch {
	case c.QueryParam("response") != "":
		v.Notice = "Your response was " + c.QueryParam("response") + "."
	case c.QueryParam("uploaded") != "":
		v.Notice = "Your new PDF was accepted and is now the current version."
	case c.QueryParam("supplementary") != "":
		v.Notice = "Your supplementary material was accepted and is now the current version."
	case c.QueryParam("edited") != "":
		v.Notice = "The details were saved."
	case c.QueryParam("created") != "":
		v.Notice = "Your submission was created. Upload its PDF below before the deadline."
	case c.QueryParam("withdrawn") != "":
		v.Notice = "Your submission is withdrawn."
	case c.QueryParam("camera_ready") != "":
		v.Notice = "Your camera-ready PDF was accepted."
	case c.QueryParam("authors_saved") != "":
		v.Notice = "The final author list was saved."
	case c.QueryParam("published") == "true":
		v.Notice = "Your consent was saved: the paper is public on the venue's site."
	case c.QueryParam("published") == "false":
		v.Notice = "The paper is not public."
	}
	return u.render(c, http.StatusOK, "submission", v)
}

type revisionRow struct {
	Seq       int
	Kind      string
	At        string
	AoE       string
	ByName    string
	Late      bool
	Title     string
	HasPDF    bool
	BodyPages int
	Verdict   string
	Leaks     int
	SHA       string
	Current   bool
}

var revisionKinds = map[string]string{
	"created": "Created", "metadata": "Details edited", "pdf": "New PDF", "supplementary": "Supplementary material",
	"withdraw": "Withdrawn", "reinstate": "Reinstated", "restore": "Earlier version restored", "waive": "Page limit waived",
}

type historyPage struct {
	ID        int64
	Title     string
	Revisions []revisionRow
	// Back is the page of the submission for this viewer: the authors'
	// own page, or the chairs' paper page.
	Back string
}

func (u *ui) history(c echo.Context, s *session) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	sub, v, err := u.Submissions.GetWithView(ctx, id, s.P)
	if err != nil {
		return err
	}
	revs, err := u.Submissions.History(ctx, id, s.P)
	if err != nil {
		return err
	}
	p := historyPage{ID: id, Title: sub.Title, Back: "/submissions/" + strconv.FormatInt(id, 10)}
	if !v.Relation.Author {
		p.Back = paperPath(v.Venue.Slug, id)
	}
	// Newest first: people look for what changed last.
	for i := len(revs) - 1; i >= 0; i-- {
		r := revs[i]
		kind := revisionKinds[r.Kind]
		if kind == "" {
			kind = r.Kind
		}
		row := revisionRow{Seq: r.Seq, Kind: kind, At: venue.FormatUTC(r.At), AoE: venue.FormatAoE(r.At), ByName: r.ByName, Late: r.Late,
			Title: r.Snapshot.Title, HasPDF: r.Snapshot.PDFSHA != "", BodyPages: r.Snapshot.BodyPages, Verdict: verdictLabels[r.Snapshot.Verdict],
			Leaks: r.Snapshot.LeakCount, Current: r.IsCurrent}
		if len(r.Snapshot.PDFSHA) >= 12 {
			row.SHA = r.Snapshot.PDFSHA[:12]
		}
		p.Revisions = append(p.Revisions, row)
	}
	return u.render(c, http.StatusOK, "history", view{Title: "History of " + sub.Title, S: s, Page: p})
}

// responseView is the authors' response as their page shows it.
type responseView struct {
	review.Response
	Deadline, DeadlineUTC string
	Errors                *formErrors
}

// saveResponse is the response form: save a draft, or submit.
func (u *ui) saveResponse(c echo.Context, s *session) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	_, err = u.Reviews.SaveResponse(c.Request().Context(), id, s.P, c.FormValue("body"), c.FormValue("submit") != "", c.RealIP())
	if err != nil {
		if !inputError(err) {
			return err
		}
		p, merr := u.submissionModel(c.Request().Context(), id, s)
		if merr != nil {
			return merr
		}
		if p.Response != nil {
			p.Response.Body = c.FormValue("body")
			p.Response.Errors = formErrorsOf(err, nil)
		}
		status, _, _ := describe(err)
		return u.render(c, status, "submission", view{Title: p.Title, S: s, Page: p})
	}
	what := "saved as a draft"
	if c.FormValue("submit") != "" {
		what = "submitted: the reviewers are told"
	}
	return c.Redirect(http.StatusSeeOther, "/submissions/"+strconv.FormatInt(id, 10)+"?response="+url.QueryEscape(what)+"#response")
}
