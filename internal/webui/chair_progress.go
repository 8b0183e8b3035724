package webui

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/review"
	"github.com/quirehq/quire/internal/venue"
)

// scoreChart is one track's score distribution: the picture and its
// numbers.
type scoreChart struct {
	ID, Title string
	SVG       template.HTML
	Bars      []barGroup
	Reviews   int
}

type progressPaper struct {
	ID           int64
	Number       int
	Title, Track string
	Done, Needed int
	Assigned     int
	Scores       string
	Mean, Spread string
	Disagreement bool
	// Conflicted names the assigned reviewers with a conflict of interest
	// with the paper now: their assignments are to be replaced.
	Conflicted []string
}

type progressPage struct {
	Head       chairHead
	ScoreLabel string
	Scores     []scoreChart
	Load       template.HTML
	LoadTitle  string
	Reviewers  []review.ReviewerProgress
	Papers     []progressPaper
	Late       int
	// Missing counts the reviewers with reviews still to submit, late or
	// not: they can be reminded before the deadline too.
	Missing int
	// Conflicted counts the assignments to replace: the reviewer has a
	// conflict of interest with the paper, declared after the assignment.
	Conflicted   int
	Done, Needed int
	ReviewsDue   string
	// Timeline is the plot of reviews completed over time; TimelineRows
	// are its numbers.
	Timeline      template.HTML
	TimelineTitle string
	TimelineRows  []dayTotal
}

// scoreCharts counts the scores of each track's papers on the form's first
// score scale (the one Progress reads), one chart per track with papers.
func scoreCharts(set *venue.Settings, papers []review.PaperProgress) (string, []scoreChart) {
	var scale *venue.FormField
	for i := range set.ReviewForm {
		if set.ReviewForm[i].Kind == venue.KindScore {
			scale = &set.ReviewForm[i]
			break
		}
	}
	if scale == nil {
		return "", nil
	}
	var out []scoreChart
	for _, t := range set.Tracks {
		counts := map[int]int{}
		n, seen := 0, false
		for _, p := range papers {
			if p.Track != t.Key {
				continue
			}
			seen = true
			for _, v := range p.Scores {
				counts[v]++
				n++
			}
		}
		if !seen {
			continue
		}
		ch := scoreChart{ID: "scores-" + t.Key, Title: scale.Label + " in " + t.Name + ": how many reviews gave each score", Reviews: n}
		for _, pt := range scale.Points {
			ch.Bars = append(ch.Bars, barGroup{Label: strconv.Itoa(pt.Value) + " " + pt.Label, N: counts[pt.Value]})
		}
		axis := make([]barGroup, len(ch.Bars))
		for i, b := range ch.Bars {
			// The axis shows the value alone; the table has the words.
			axis[i] = barGroup{Label: strconv.Itoa(scale.Points[i].Value), N: b.N}
		}
		ch.SVG = columnChart(ch.ID, ch.Title, axis)
		out = append(out, ch)
	}
	return scale.Label, out
}

func (u *ui) chairProgress(c echo.Context, s *session) error {
	rec, head, err := u.chairVenue(c, s, "progress")
	if err != nil {
		return err
	}
	papers, revs, err := u.Reviews.Progress(c.Request().Context(), rec.Slug, s.P)
	if err != nil {
		return err
	}
	set := rec.Settings
	p := progressPage{Head: head, Reviewers: revs, ReviewsDue: venue.FormatAoE(set.Deadlines.Review.At),
		LoadTitle: "Reviews submitted and assigned, per reviewer"}
	p.ScoreLabel, p.Scores = scoreCharts(set, papers)
	bars := make([]loadBar, 0, len(revs))
	for _, r := range revs {
		bars = append(bars, loadBar{Name: r.Name, Done: r.Done, Assigned: r.Assigned, Late: r.Late})
		if r.Late {
			p.Late++
		}
		if r.Done < r.Assigned {
			p.Missing++
		}
	}
	p.Load = loadChart("load", p.LoadTitle, bars)
	for _, x := range papers {
		row := progressPaper{ID: x.SubmissionID, Number: x.Number, Title: x.Title, Track: x.Track, Done: x.Done, Needed: x.Needed, Assigned: x.Assigned,
			Disagreement: x.Disagreement, Conflicted: x.Conflicted}
		p.Conflicted += len(x.Conflicted)
		if t, ok := set.Track(x.Track); ok {
			row.Track = t.Name
		}
		if len(x.Scores) > 0 {
			ss := make([]string, len(x.Scores))
			for i, v := range x.Scores {
				ss[i] = strconv.Itoa(v)
			}
			row.Scores = strings.Join(ss, ", ")
			row.Mean = strconv.FormatFloat(x.MeanScore, 'f', 2, 64)
			row.Spread = strconv.FormatFloat(x.Spread, 'f', 2, 64)
		}
		p.Done += x.Done
		p.Needed += x.Needed
		p.Papers = append(p.Papers, row)
	}
	if days, span, due := reviewTimeline(papers, set.Deadlines.Review.At, u.Clock.Now()); len(days) > 0 {
		p.TimelineTitle = "Reviews submitted over time, of " + strconv.Itoa(p.Needed) + " needed"
		p.Timeline = timelineChart("timeline", p.TimelineTitle, days, span, p.Needed, due)
		p.TimelineRows = timelineRows(days)
	}
	v := view{Title: "Reviewing progress · " + rec.Name, S: s, Page: p}
	if n := c.QueryParam("reminded"); n != "" {
		v.Notice = "Reminders were sent to " + plural(queryInt(n), "late reviewer") + "."
	}
	return u.render(c, http.StatusOK, "chair_progress", v)
}

func queryInt(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func (u *ui) chairRemind(c echo.Context, s *session) error {
	rec, _, err := u.chairVenue(c, s, "progress")
	if err != nil {
		return err
	}
	n, err := u.Reviews.RemindLate(c.Request().Context(), rec.Slug, s.P)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, chairPath(rec.Slug, "progress", url.Values{"reminded": {strconv.Itoa(n)}}))
}

// maxTimelineDays bounds the plot's x axis; a longer reviewing period is
// shown from its last maxTimelineDays days.
const maxTimelineDays = 120

// reviewTimeline counts submitted reviews per UTC day, running, from the
// first day a review came in up to today; the axis reaches on to the day
// reviews are due when that is later. It returns the days, the axis's
// length in days and the index of the due day (-1 when off the axis).
func reviewTimeline(papers []review.PaperProgress, due, now time.Time) ([]dayTotal, int, int) {
	perDay := map[string]int{}
	var first time.Time
	for _, p := range papers {
		for _, at := range p.SubmittedAt {
			at = at.UTC()
			perDay[at.Format(time.DateOnly)]++
			if first.IsZero() || at.Before(first) {
				first = at
			}
		}
	}
	if first.IsZero() {
		return nil, 0, -1
	}
	day := func(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }
	start, today, dueDay := day(first), day(now), day(due)
	for d := range perDay { // reviews stamped after the clock's today still count
		if t, err := time.Parse(time.DateOnly, d); err == nil && t.After(today) {
			today = t
		}
	}
	if n := int(today.Sub(start).Hours()/24) + 1; n > maxTimelineDays {
		start = today.AddDate(0, 0, -(maxTimelineDays - 1))
	}
	var days []dayTotal
	total := 0
	for d := range perDay {
		if t, _ := time.Parse(time.DateOnly, d); t.Before(start) {
			total += perDay[d] // before the window: part of where the line starts
		}
	}
	for t := start; !t.After(today); t = t.AddDate(0, 0, 1) {
		total += perDay[t.Format(time.DateOnly)]
		days = append(days, dayTotal{Day: t.Format(time.DateOnly), Total: total})
	}
	span := len(days)
	if dueDay.After(today) && int(dueDay.Sub(start).Hours()/24) < maxTimelineDays {
		span = int(dueDay.Sub(start).Hours()/24) + 1
	}
	dueIdx := int(dueDay.Sub(start).Hours() / 24)
	if dueDay.Before(start) || dueIdx >= span {
		dueIdx = -1
	}
	return days, span, dueIdx
}

// timelineRows are the days the total changed, for the table beside the plot.
func timelineRows(days []dayTotal) []dayTotal {
	var out []dayTotal
	prev := -1
	for _, d := range days {
		if d.Total != prev {
			out = append(out, d)
			prev = d.Total
		}
	}
	return out
}
