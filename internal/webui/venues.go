package webui

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

// deadlineRow is one deadline as a page shows it: in UTC, AoE and the
// venue's zone on the server, and in the viewer's zone by the page script
// from ISO.
type deadlineRow struct {
	Key, Label string
	// ISO is the instant the deadline closes (its last second included),
	// for the script's countdown; AtISO is the instant shown, for the
	// script to write in the viewer's zone.
	ISO, AtISO      string
	UTC, AoE, Venue string
	VenueZone       string
	// Rule is the deadline as the venue states it: "8 October 2023,
	// Anywhere on Earth".
	Rule   string
	Passed bool
	Left   string
}

var deadlineLabels = []struct{ key, label string }{
	{"submission_opens", "Submissions open"},
	{"submission", "Submission deadline"},
	{"bidding", "Bidding ends"},
	{"review", "Reviews due"},
	{"author_response", "Author responses due"},
	{"decision", "Decisions due"},
	{"camera_ready", "Camera-ready due"},
}

// deadlineRows lists a venue's public deadlines in timeline order. A
// deadline closes a second after its stated instant (venue.Deadline.End).
func deadlineRows(set *venue.Settings, now time.Time) []deadlineRow {
	pub := set.Public()
	d := pub.Deadlines
	byKey := map[string]venue.Deadline{"submission_opens": d.SubmissionOpens, "submission": d.Submission, "bidding": d.Bidding,
		"review": d.Review, "author_response": d.AuthorResponse, "decision": d.Decision, "camera_ready": d.CameraReady}
	zone := pub.Zone()
	var rows []deadlineRow
	for _, l := range deadlineLabels {
		dl := byKey[l.key]
		if !dl.IsSet() {
			continue
		}
		end := dl.End()
		if l.key == "submission_opens" { // an opening is a first second, not a last one
			end = dl.At
		}
		rows = append(rows, deadlineRow{Key: l.key, Label: l.label, ISO: end.UTC().Format(time.RFC3339), AtISO: dl.At.UTC().Format(time.RFC3339),
			UTC: venue.FormatUTC(dl.At), AoE: venue.FormatAoE(dl.At), Rule: venue.FormatRule(dl.At), Venue: venue.FormatIn(dl.At, zone), VenueZone: zone.String(),
			Passed: !now.Before(end), Left: timeLeft(end, now)})
	}
	return rows
}

// timeLeft is venue.TimeLeft for an instant that is itself the end.
func timeLeft(end, now time.Time) string {
	return venue.TimeLeft(end.Add(-time.Second), now)
}

// nextDeadline is the first deadline still ahead, or nil.
func nextDeadline(rows []deadlineRow) *deadlineRow {
	for i := range rows {
		if !rows[i].Passed {
			return &rows[i]
		}
	}
	return nil
}

var phaseLabels = map[venue.Phase]string{
	venue.PhaseBeforeOpen:     "Not open for submissions yet",
	venue.PhaseSubmission:     "Open for submissions",
	venue.PhaseBidding:        "Reviewers are bidding on papers",
	venue.PhaseReviewing:      "Papers are under review",
	venue.PhaseAuthorResponse: "Authors are responding to the reviews",
	venue.PhaseDecision:       "The chairs are making decisions",
	venue.PhaseCameraReady:    "Camera-ready versions are due",
	venue.PhaseClosed:         "Closed",
}

func phaseLabel(p venue.Phase) string {
	if l, ok := phaseLabels[p]; ok {
		return l
	}
	return string(p)
}

type venuePage struct {
	Slug, Name, SiteURL string
	// Description is in paragraphs, its line breaks (from the settings
	// file's folded text) undone.
	Description                   []string
	EventDate, Location, TimeZone string
	Phase                         venue.Phase
	PhaseLabel                    string
	CanSubmit                     bool
	Deadlines                     []deadlineRow
	Next                          *deadlineRow
	PageLimit                     int
	Excluded                      []venue.Section
	MaxUpload                     venue.ByteSize
	Tracks                        []venue.Track
	// Format says what the template rules ask (report_format.go).
	Format  []string
	MyRoles []string
	// EventDay is the event date written out, "Saturday 16 December 2023".
	EventDay string
	Site     sitePart
}

func (u *ui) venuePage(c echo.Context, s *session) error {
	ctx := c.Request().Context()
	rec, err := u.Venues.BySlug(ctx, u.DB, c.Param("slug"))
	if err != nil {
		return err
	}
	phase, err := u.Venues.PhaseNow(ctx, u.DB, rec)
	if err != nil {
		return err
	}
	now := u.Clock.Now()
	set := rec.Settings
	p := venuePage{Slug: rec.Slug, Name: rec.Name, Description: paragraphs(set.Description), SiteURL: set.SiteURL, EventDate: set.EventDate,
		Location: set.Location, TimeZone: set.Zone().String(), Phase: phase, PhaseLabel: phaseLabel(phase),
		CanSubmit: phase == venue.PhaseSubmission, Deadlines: deadlineRows(set, now),
		PageLimit: set.Pages.Limit, Excluded: set.Pages.Excluded, MaxUpload: set.Pages.MaxUploadBytes, Tracks: set.Tracks}
	p.Next = nextDeadline(p.Deadlines)
	p.Format = formatFacts(set)
	if d, ok := set.Day(); ok {
		p.EventDay = d.Format("Monday 2 January 2006")
	}
	if p.Site, err = u.site(c, s, rec); err != nil {
		return err
	}
	if s != nil {
		for _, r := range s.Roles {
			if r.Venue == rec.Slug {
				p.MyRoles = append(p.MyRoles, r.Role)
			}
		}
	}
	return u.render(c, http.StatusOK, "venue", view{Title: rec.Name, S: s, Page: p})
}

type homeVenue struct {
	Slug, Name string
	Roles      []string
	// rec is the venue with what its deadline gates read, read once for
	// the page.
	rec venue.GatedVenue
}

type homePage struct {
	Venues []homeVenue
	Tasks  []task
}

func (u *ui) home(c echo.Context, s *session) error {
	if s == nil {
		return u.render(c, http.StatusOK, "home", view{Title: "Welcome", Page: homePage{}})
	}
	ctx := c.Request().Context()
	mine, err := u.Submissions.ListMine(ctx, s.P)
	if err != nil {
		return err
	}
	vs, err := u.myVenues(ctx, s, mine)
	if err != nil {
		return err
	}
	ts, err := u.tasks(ctx, s, vs, mine)
	if err != nil {
		return err
	}
	return u.render(c, http.StatusOK, "home", view{Title: "Your venues", S: s, Page: homePage{Venues: vs, Tasks: ts}})
}

// myVenues are the venues a person holds a role in or has submitted to
// (mine: their submissions), each read once however many roles or papers
// point at it, all in one read with what their gates need.
func (u *ui) myVenues(ctx context.Context, s *session, mine []submission.Submission) ([]homeVenue, error) {
	roles := map[string][]string{}
	var slugs []string
	add := func(slug, role string) {
		rs, seen := roles[slug]
		if !seen {
			slugs = append(slugs, slug)
		}
		roles[slug] = append(rs, role)
	}
	for _, r := range s.Roles {
		add(r.Venue, r.Role)
	}
	for _, sub := range mine {
		if rs := roles[sub.Venue]; len(rs) == 0 || rs[len(rs)-1] != "author" {
			add(sub.Venue, "author")
		}
	}
	recs, err := u.Venues.Gated(ctx, u.DB, slugs)
	if err != nil {
		return nil, err
	}
	out := make([]homeVenue, len(recs))
	for i, rec := range recs {
		out[i] = homeVenue{Slug: rec.Slug, Name: rec.Name, Roles: roles[rec.Slug], rec: rec}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// paragraphs splits text at blank lines and joins the lines of each.
func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, p)
		}
	}
	return out
}
