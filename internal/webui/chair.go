package webui

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

// chairPages are the chairs' page templates; each is parsed with the
// layout, the shared partials and chair_partials.html (the chairs' menu).
var chairPages = []string{"chair_dashboard", "chair_submissions", "chair_assignment", "chair_run", "chair_progress", "chair_decisions", "chair_audit", "chair_holds", "chair_paper"}

// registerChair adds the pages for chairs: submissions, assignment, progress, decisions and release.
func (u *ui) registerChair(e *echo.Echo) error {
	if err := u.parseChairPages(); err != nil {
		return err
	}
	g := "/venues/:slug/chair"
	e.GET(g, u.signedIn(u.chairDashboard))
	e.GET(g+"/submissions", u.signedIn(u.chairSubmissions))
	e.GET(g+"/assignment", u.signedIn(u.chairAssignment))
	e.POST(g+"/assignment/runs", u.form(u.chairStartRun))
	e.GET(g+"/assignment/runs/:run", u.signedIn(u.chairRun))
	e.POST(g+"/assignment/runs/:run/commit", u.form(u.chairCommitRun))
	e.POST(g+"/assignment/manual", u.form(u.chairManual))
	e.GET(g+"/progress", u.signedIn(u.chairProgress))
	e.POST(g+"/progress/remind", u.form(u.chairRemind))
	e.GET(g+"/decisions", u.signedIn(u.chairDecisions))
	e.POST(g+"/decisions/bulk", u.form(u.chairDecideMany))
	e.POST(g+"/decisions/mail", u.form(u.chairMailText))
	e.POST(g+"/decisions/:id", u.form(u.chairDecide))
	e.POST(g+"/release", u.form(u.chairRelease))
	e.POST(g+"/release/cancel", u.form(u.chairCancelRelease))
	e.GET(g+"/audit", u.signedIn(u.chairAudit))
	u.registerHolds(e)
	u.registerChairPaper(e)
	if err := u.registerChairEmergency(e); err != nil {
		return err
	}
	return u.registerReminders(e)
}

func (u *ui) parseChairPages() error {
	return u.addPages(chairPages, "chair_partials")
}

// chairHead is what every chair page shows above its own content: the
// venue and the menu of chair pages, with the current one marked.
type chairHead struct {
	Slug, VenueName string
	Current         string
}

// chairVenue loads the venue of the path and lets only its chairs on: the
// services check again, but a page must not half-render for others.
func (u *ui) chairVenue(c echo.Context, s *session, current string) (venue.Record, chairHead, error) {
	ctx := c.Request().Context()
	rec, err := u.Venues.BySlug(ctx, u.DB, c.Param("slug"))
	if err != nil {
		return venue.Record{}, chairHead{}, err
	}
	if err := u.Venues.Require(ctx, u.DB, rec.ID, s.P.UserID, venue.RoleChair); err != nil {
		return venue.Record{}, chairHead{}, err
	}
	return rec, chairHead{Slug: rec.Slug, VenueName: rec.Name, Current: current}, nil
}

// chairPath is a chair page's address, with an optional query.
func chairPath(slug, page string, q url.Values) string {
	p := "/venues/" + url.PathEscape(slug) + "/chair"
	if page != "" {
		p += "/" + page
	}
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	return p
}

type countRow struct {
	Key, Label string
	N          int
}

type dashboardPage struct {
	Head                  chairHead
	Submissions           []countRow
	TotalSubmissions      int
	ReviewsDone           int
	ReviewsNeeded         int
	ReviewsAssigned       int
	DecisionsOpen         int
	DecisionDeadline      string
	Released              bool
	Next                  *deadlineRow
	LateReviewers         int
	DisagreementsToSettle int
	Reciprocal            *submission.Nominations // the venue's reciprocal rule, when it has one
}

func (u *ui) chairDashboard(c echo.Context, s *session) error {
	rec, head, err := u.chairVenue(c, s, "")
	if err != nil {
		return err
	}
	now := u.Clock.Now()
	f, err := u.dashboardFigures(c.Request().Context(), rec, s, now)
	if err != nil {
		return err
	}
	p := f.page
	p.Head = head
	p.Released = f.releaseAt != nil && !now.Before(*f.releaseAt)
	p.Next = nextDeadline(deadlineRows(rec.Settings, now))
	return u.render(c, http.StatusOK, "chair_dashboard", view{Title: "Chairing " + rec.Name, S: s, Page: p})
}

// statusCounts counts submissions by status (Submission.Status has these
// three), complete ones first.
func statusCounts(subs []submission.Submission) []countRow {
	n := map[string]int{}
	for _, x := range subs {
		n[x.Status()]++
	}
	out := make([]countRow, 0, 3)
	for _, st := range []string{"submitted", "incomplete", "withdrawn"} {
		out = append(out, countRow{Key: st, Label: statusLabels[st], N: n[st]})
	}
	return out
}
