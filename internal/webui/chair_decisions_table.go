package webui

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/decision"
	"github.com/quirehq/quire/internal/mail"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

// The decision table as chairs work it: each paper's scores beside its
// decision, sorted and filtered by the query (links and a GET form, so it
// works without script), many papers decided with one form, and a release
// that says what it will send before it sends it.

// scoreCells are a paper's reviews as the decision table shows them.
type scoreCells struct {
	HasReviews   bool
	Reviews      string // "2 of 3"
	Scores       string // each overall score: "5, 2"
	Confidences  string
	Mean, Spread string
	Disagreement bool
	mean, spread float64
	confidence   float64
}

// scoresOf reads the reviews of every paper the chair may see, by
// submission id, from the same progress view the progress page draws.
func (u *ui) scoresOf(ctx context.Context, slug string, s *session) (map[int64]scoreCells, error) {
	papers, _, err := u.Reviews.Progress(ctx, slug, s.P)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]scoreCells, len(papers))
	for _, x := range papers {
		c := scoreCells{Reviews: strconv.Itoa(x.Done) + " of " + strconv.Itoa(x.Needed), Disagreement: x.Disagreement,
			mean: x.MeanScore, spread: x.Spread, confidence: x.MeanConfidence}
		if len(x.Scores) > 0 {
			c.HasReviews = true
			c.Scores, c.Confidences = joinInts(x.Scores), joinInts(x.Confidences)
			c.Mean, c.Spread = strconv.FormatFloat(x.MeanScore, 'f', 2, 64), strconv.FormatFloat(x.Spread, 'f', 2, 64)
		}
		out[x.SubmissionID] = c
	}
	return out, nil
}

func joinInts(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.Itoa(x)
	}
	return strings.Join(parts, ", ")
}

// sortLink is a column heading that sorts the table by it.
type sortLink struct {
	Key, Label string
	Href       string
	// Current is "ascending" or "descending" on the column the table is
	// sorted by (for aria-sort), "" elsewhere.
	Current string
}

// decisionSorts are the columns the table sorts by; scores sort best
// first at the first click, as chairs read them.
var decisionSorts = []struct {
	key, label string
	desc       bool
	less       func(a, b decisionRow) int
}{
	{"number", "#", false, func(a, b decisionRow) int { return cmp.Compare(a.Number, b.Number) }},
	{"title", "Title", false, func(a, b decisionRow) int { return strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)) }},
	{"mean", "Mean", true, func(a, b decisionRow) int { return cmpScored(a, b, a.mean, b.mean) }},
	{"spread", "Spread", true, func(a, b decisionRow) int { return cmpScored(a, b, a.spread, b.spread) }},
	{"confidence", "Confidence", true, func(a, b decisionRow) int { return cmpScored(a, b, a.confidence, b.confidence) }},
	{"decision", "Decision", false, func(a, b decisionRow) int { return strings.Compare(a.CategoryLabel, b.CategoryLabel) }},
}

// cmpScored puts papers without reviews below every scored one.
func cmpScored(a, b decisionRow, x, y float64) int {
	if a.HasReviews != b.HasReviews {
		if a.HasReviews {
			return 1
		}
		return -1
	}
	return cmp.Compare(x, y)
}

// arrange filters and sorts the rows as the query asks and builds the
// headings' links.
func (p *decisionsPage) arrange(q url.Values, rec venue.Record) {
	track, show := q.Get("track"), q.Get("show")
	var tracks [][2]string
	for _, t := range rec.Settings.Tracks {
		tracks = append(tracks, [2]string{t.Key, t.Name})
	}
	p.Tracks = chairOptions(track, "Any track", tracks...)
	p.Shows = chairOptions(show, "Decided or not", [2]string{"open", "Not decided yet"}, [2]string{"decided", "Decided"}, [2]string{"disagreement", "Reviewers disagree"})
	p.Filtered = track != "" || show != ""
	if p.Filtered {
		keys := map[string]string{}
		for _, t := range rec.Settings.Tracks {
			keys[t.Name] = t.Key
		}
		p.Rows = slices.DeleteFunc(p.Rows, func(r decisionRow) bool {
			switch {
			case track != "" && keys[r.Track] != track:
				return true
			case show == "open":
				return r.Decided || r.Withdrawn
			case show == "decided":
				return !r.Decided
			case show == "disagreement":
				return !r.Disagreement
			}
			return false
		})
	}
	by, order := q.Get("sort"), q.Get("order")
	base := url.Values{}
	for _, k := range []string{"track", "show"} {
		if v := q.Get(k); v != "" {
			base.Set(k, v)
		}
	}
	for _, srt := range decisionSorts {
		link := sortLink{Key: srt.key, Label: srt.label}
		desc := srt.desc
		if srt.key == by {
			desc = order == "desc"
			link.Current = "ascending"
			if desc {
				link.Current = "descending"
			}
			less := srt.less
			slices.SortStableFunc(p.Rows, func(a, b decisionRow) int {
				if desc {
					return less(b, a)
				}
				return less(a, b)
			})
			desc = !desc // the next click turns the order round
		}
		lq := url.Values{}
		for k, v := range base {
			lq[k] = v
		}
		lq.Set("sort", srt.key)
		lq.Set("order", map[bool]string{true: "desc", false: "asc"}[desc])
		link.Href = chairPath(p.Head.Slug, "decisions", lq) + "#table"
		p.Sort = append(p.Sort, link)
	}
}

// chairDecideMany decides every ticked paper at once, all or nothing. An
// empty note keeps each paper's own note.
func (u *ui) chairDecideMany(c echo.Context, s *session) error {
	rec, _, err := u.chairVenue(c, s, "decisions")
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	category, note := form.Get("category"), strings.TrimSpace(form.Get("note"))
	ctx := c.Request().Context()
	switch {
	case category == "":
		err = problem.Invalid("choose a decision for the selected papers", problem.FieldError{Field: "category", Message: "choose one of the decisions"})
	case len(form["n"]) == 0:
		err = problem.Invalid("select the papers to decide", problem.FieldError{Field: "n", Message: "tick at least one paper in the table"})
	}
	var items []decision.Item
	if err == nil {
		for _, raw := range form["n"] {
			n, _ := strconv.Atoi(raw)
			items = append(items, decision.Item{Number: n, Category: category, Note: note, KeepNote: note == ""})
		}
		err = u.Decisions.DecideMany(ctx, rec.Slug, s.P, items, c.RealIP())
	}
	if err != nil {
		if !inputError(err) {
			return err
		}
		p, rec, merr := u.decisionsModel(c, s, 0, nil, "", nil)
		if merr != nil {
			return merr
		}
		p.BulkErrors = formErrorsOf(err, nil)
		status, _, _ := describe(err)
		return u.renderDecisions(c, s, status, p, rec, "")
	}
	return c.Redirect(http.StatusSeeOther, chairPath(rec.Slug, "decisions", url.Values{"decided_many": {strconv.Itoa(len(items))}})+"#table")
}

// releaseConfirm is what a release will do, shown before it does it.
type releaseConfirm struct {
	Now          bool
	At, AtAoE    string
	Messages     int
	Recipients   int
	ByDecision   []countRow
	Undecided    int
	SubmissionsN int
}

// confirmRelease builds the question the chair answers before a release.
func confirmRelease(p decisionsPage, now bool, at, atAoE string) *releaseConfirm {
	rc := &releaseConfirm{Now: now, At: at, AtAoE: atAoE, Messages: len(p.Preview), Undecided: p.Open}
	people := map[string]bool{}
	papers := map[int]bool{}
	for _, m := range p.Preview {
		people[strings.ToLower(m.To)] = true
		papers[m.Submission] = true
	}
	rc.Recipients, rc.SubmissionsN = len(people), len(papers)
	n := map[string]int{}
	var order []string
	for _, r := range p.Rows {
		if r.Decided && !r.Withdrawn {
			if n[r.CategoryLabel] == 0 {
				order = append(order, r.CategoryLabel)
			}
			n[r.CategoryLabel]++
		}
	}
	for _, label := range order {
		rc.ByDecision = append(rc.ByDecision, countRow{Label: label, N: n[label]})
	}
	return rc
}

// mailTextView is one decision's message as the chairs edit it.
type mailTextView struct {
	decision.MailText
	// Preview is a text being written, rendered and not stored yet.
	Preview *mail.Message
	Errors  *formErrors
}

// chairMailText previews, saves or resets one decision's message text.
// A preview or a refused text shows the decisions page again, with the text
// as typed and the preview or the problem under it.
func (u *ui) chairMailText(c echo.Context, s *session) error {
	rec, _, err := u.chairVenue(c, s, "decisions")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	category, text, action := c.FormValue("category"), strings.ReplaceAll(c.FormValue("text"), "\r\n", "\n"), c.FormValue("action")
	var show func(*mailTextView)
	switch action {
	case "save", "default":
		if action == "default" {
			text = ""
		}
		if err = u.Decisions.SetMailText(ctx, rec.Slug, s.P, category, text, c.RealIP()); err == nil {
			return c.Redirect(http.StatusSeeOther, chairPath(rec.Slug, "decisions", url.Values{"mail_text": {action}})+"#mail-"+category)
		}
	default:
		var preview mail.Message
		if preview, err = u.Decisions.PreviewMailText(ctx, rec.Slug, s.P, category, text); err == nil {
			show = func(v *mailTextView) { v.Preview = &preview }
		}
	}
	status := http.StatusOK
	if err != nil {
		if !inputError(err) {
			return err
		}
		fe := formErrorsOf(err, nil)
		show = func(v *mailTextView) { v.Errors = fe }
		status, _, _ = describe(err)
	}
	p, rec, err := u.decisionsModel(c, s, 0, nil, "", nil)
	if err != nil {
		return err
	}
	for i := range p.MailTexts {
		if v := &p.MailTexts[i]; v.Category == category {
			v.Text = text
			show(v)
		}
	}
	return u.renderDecisions(c, s, status, p, rec, "")
}
