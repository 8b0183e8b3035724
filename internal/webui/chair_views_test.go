package webui

import (
	"errors"
	"html/template"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/matching"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/review"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/web"
)

func TestParseWeights(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in      runForm
		want    matching.Params
		badKeys []string
	}{
		{runForm{Affinity: "1", Bid: "2.5", External: "0.5", KeepExisting: true}, matching.Params{AffinityWeight: 1, BidWeight: 2.5, ExternalWeight: 0.5, KeepExisting: true}, nil},
		// Blank means "the service's default" (zero).
		{runForm{}, matching.Params{}, nil},
		{runForm{Affinity: " 0 ", Bid: "0"}, matching.Params{}, nil},
		{runForm{Affinity: "lots", Bid: "-1", External: "1.5"}, matching.Params{}, []string{"affinity_weight", "bid_weight", "external_weight"}},
		{runForm{External: "NaN", Bid: "Inf"}, matching.Params{}, []string{"bid_weight", "external_weight"}},
	}
	for _, tc := range cases {
		got, err := parseWeights(tc.in)
		var keys []string
		var pe *problem.Error
		if errors.As(err, &pe) {
			for _, f := range pe.Fields {
				keys = append(keys, f.Field)
			}
		}
		if strings.Join(keys, ",") != strings.Join(tc.badKeys, ",") {
			t.Errorf("%+v: bad fields %v, want %v", tc.in, keys, tc.badKeys)
		}
		if err == nil && got != tc.want {
			t.Errorf("%+v: %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestManualErrorsSitByTheirField(t *testing.T) {
	t.Parallel()
	cases := []struct {
		err         error
		field, want string
	}{
		{problem.Invalid("x", problem.FieldError{Field: "line 1", Message: "no submission #9 is in review at this venue"}), "number", "No submission #9 is in review at this venue."},
		{problem.Invalid("x", problem.FieldError{Field: "line 1", Message: "eve@x.example is not a reviewer of this venue"}), "email", "This is not a reviewer of this venue."},
		{problem.Invalid("x", problem.FieldError{Field: "line 1", Message: "Rex has a conflict of interest with #1"}), "email", "Rex has a conflict of interest with #1."},
		{problem.Invalid("x", problem.FieldError{Field: "number", Message: "must be a submission number"}), "number", "Must be a submission number."},
	}
	for _, tc := range cases {
		fe := manualErrors(tc.err, "eve@x.example")
		if got := fe.Get(tc.field); got != tc.want {
			t.Errorf("%v: %s says %q, want %q (%v)", tc.err, tc.field, got, tc.want, fe.Fields)
		}
	}
	if fe := manualErrors(problem.New(problem.ErrForbidden, "x", "only chairs"), ""); fe.Summary != "Only chairs." || len(fe.Fields) != 0 {
		t.Errorf("a failure about no field: %+v", fe)
	}
}

func TestTicks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		max  int
		want string
	}{{1, "[0 1]"}, {5, "[0 1 2 3 4 5]"}, {6, "[0 2 4 6]"}, {17, "[0 5 10 15]"}, {30, "[0 10 20 30]"}, {100, "[0 20 40 60 80 100]"}} {
		if got := fmtInts(ticks(tc.max)); got != tc.want {
			t.Errorf("ticks(%d) = %s, want %s", tc.max, got, tc.want)
		}
	}
}

func fmtInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return "[" + strings.Join(s, " ") + "]"
}

var rectHeight = regexp.MustCompile(`<rect class="bar" x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"/>`)

func TestColumnChart(t *testing.T) {
	t.Parallel()
	svg := string(columnChart("c1", `Scores <in> "New" & work`, []barGroup{{"1", 0}, {"2", 4}, {"3", 2}}))
	for _, want := range []string{`role="img"`, `aria-labelledby="c1-title"`, `<title id="c1-title">Scores &lt;in&gt; &#34;New&#34; &amp; work</title>`} {
		if !strings.Contains(svg, want) {
			t.Errorf("missing %s in %s", want, svg)
		}
	}
	var hs []float64
	for _, m := range rectHeight.FindAllStringSubmatch(svg, -1) {
		h, _ := strconv.ParseFloat(m[1], 64)
		hs = append(hs, h)
	}
	// Heights are proportional to the counts; the tallest fills the plot.
	if len(hs) != 3 || hs[0] != 0 || hs[1] != float64(chartH-chartTop-chartBottom) || hs[2] != hs[1]/2 {
		t.Errorf("bar heights %v", hs)
	}
	if empty := string(columnChart("c2", "Nothing", nil)); !strings.Contains(empty, "<title") || strings.Contains(empty, `class="bar"`) {
		t.Errorf("an empty chart: %s", empty)
	}
}

func TestLoadChart(t *testing.T) {
	t.Parallel()
	svg := string(loadChart("load", "Load", []loadBar{{Name: "Ada <A>", Done: 1, Assigned: 4}, {Name: "A very long reviewer name indeed, truly", Done: 2, Assigned: 2, Late: true}}))
	for _, want := range []string{`<title id="load-title">Load</title>`, "Ada &lt;A&gt;", "1/4", "2/2", `class="axis late"`, "A very long reviewer …"} {
		if !strings.Contains(svg, want) {
			t.Errorf("missing %q in %s", want, svg)
		}
	}
}

func TestScoreChartsCountByTrack(t *testing.T) {
	t.Parallel()
	set := demoSettings(t)
	papers := []review.PaperProgress{{Track: "new-work", Scores: []int{5, 2, 4}}, {Track: "new-work", Scores: []int{4}}, {Track: "elsewhere", Scores: []int{1}}}
	label, charts := scoreCharts(set, papers)
	if label != "Overall recommendation" || len(charts) != 1 {
		t.Fatalf("%q, %d charts", label, len(charts))
	}
	ch := charts[0]
	got := []int{}
	for _, b := range ch.Bars {
		got = append(got, b.N)
	}
	if ch.ID != "scores-new-work" || ch.Reviews != 4 || fmtInts(got) != "[0 1 0 2 1]" || ch.Bars[4].Label != "5 Strong accept" {
		t.Errorf("%+v", ch)
	}
}

func TestStatusCountsAndFilters(t *testing.T) {
	t.Parallel()
	now := time.Now()
	subs := []submission.Submission{{PDF: &submission.File{}}, {}, {PDF: &submission.File{}, WithdrawnAt: &now}, {PDF: &submission.File{}}}
	if got := statusCounts(subs); len(got) != 3 || got[0].N != 2 || got[1].N != 1 || got[2].N != 1 || got[0].Key != "submitted" {
		t.Errorf("%+v", got)
	}
	for q, want := range map[string]string{"leaks=yes": "true", "leaks=no": "false", "leaks=maybe": "nil", "": "nil"} {
		f := subFilter(mustQuery(t, q))
		got := "nil"
		if f.Leaks != nil {
			got = strconv.FormatBool(*f.Leaks)
		}
		if got != want {
			t.Errorf("%q: leaks %s", q, got)
		}
	}
	opts := chairOptions("b", "Any", [2]string{"a", "A"}, [2]string{"b", "B"})
	if len(opts) != 3 || opts[0].Selected || !opts[2].Selected {
		t.Errorf("%+v", opts)
	}
}

func mustQuery(t *testing.T, q string) map[string][]string {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/?"+q, nil)
	return req.URL.Query()
}

// TestEveryChairPageRenders renders the chairs' pages with representative
// data and checks what every page must have.
func TestEveryChairPageRenders(t *testing.T) {
	t.Parallel()
	u := &ui{Deps: Deps{Clock: clock.NewFake(time.Date(2023, 10, 15, 12, 0, 0, 0, time.UTC)), Web: web.FS("")}, pages: map[string]*template.Template{}}
	if err := u.parseChairPages(); err != nil {
		t.Fatal(err)
	}
	set := demoSettings(t)
	rows := deadlineRows(set, u.Clock.Now())
	sess := &session{User: account.User{Name: "Chair", Email: "chair@example.org", Verified: true}, CSRF: "tok"}
	hd := func(current string) chairHead {
		return chairHead{Slug: "dlde-2023", VenueName: "DLDE <III>", Current: current}
	}
	_, charts := scoreCharts(set, []review.PaperProgress{{Track: "new-work", Scores: []int{5, 2}}})
	relErr := formErrorsOf(problem.Invalid("bad", problem.FieldError{Field: "at", Message: "bad deadline"}), nil)
	cases := []struct {
		page string
		p    any
		must []string
	}{
		{"chair_dashboard", dashboardPage{Head: hd(""), Submissions: statusCounts(nil), Next: nextDeadline(rows)},
			[]string{`data-countdown=`, "DLDE &lt;III&gt;", `href="/venues/dlde-2023/chair/decisions"`}},
		{"chair_submissions", chairSubmissionsPage{Head: hd("submissions"), Total: 1, CSV: "/api/v1/venues/dlde-2023/submissions?format=csv",
			Tracks: chairOptions("", "Any track"), Statuses: chairOptions("", "Any status"), Verdicts: chairOptions("", "Any"), LeakChoices: chairOptions("", "Any"),
			Rows: []chairSubRow{{Number: 3, Title: "Neural <ODEs>", Status: "submitted", StatusLabel: "Submitted", Leaks: 2, Late: true}}},
			[]string{"Neural &lt;ODEs&gt;", `for="f-track"`, "format=csv", "late"}},
		{"chair_assignment", assignmentPage{Head: hd("assignment"), Run: defaultRunForm(), Manual: manualForm{Action: "unassign"},
			ManErrors: manualErrors(problem.Invalid("x", problem.FieldError{Field: "line 1", Message: "no submission #9"}), "")},
			[]string{`id="f-number-error"`, `aria-describedby="f-number-error"`, `value="unassign" checked`, `name="csrf" value="tok"`}},
		{"chair_run", runPage{Head: hd("assignment"), ID: 4, Status: "running", Running: true, Phase: "Solving", Percent: 40, Poll: "/api/v1/venues/dlde-2023/assignment-runs/4"},
			[]string{`<noscript><meta http-equiv="refresh" content="2"></noscript>`, `value="40"`, `data-poll="/api/v1/venues/dlde-2023/assignment-runs/4"`}},
		{"chair_run", runPage{Head: hd("assignment"), ID: 4, Status: "done", Commit: "/c", Proposal: &matching.Proposal{
			Pairs:     []matching.ProposalPair{{Number: 1}},
			Papers:    []matching.PaperSummary{{Number: 1, Title: "T", Needed: 3, Assigned: 2, MeanAffinity: 0.256}},
			Reviewers: []matching.ReviewerSummary{{Name: "Rex", Load: 1, MinLoad: 1, MaxLoad: 6}}}},
			[]string{`action="/c"`, "2 of 3", "0.26", "1–6"}},
		{"chair_run", runPage{Head: hd("assignment"), ID: 4, Status: "infeasible", Explanation: "Paper #7 has nobody."}, []string{"Paper #7 has nobody."}},
		{"chair_progress", progressPage{Head: hd("progress"), Scores: charts, Load: loadChart("load", "Load", []loadBar{{Name: "Rex", Done: 1, Assigned: 2, Late: true}}),
			Reviewers: []review.ReviewerProgress{{Name: "Rex", Email: "rex@x", Done: 1, Assigned: 2, Late: true}}, Late: 1,
			Papers: []progressPaper{{Number: 1, Title: "T", Disagreement: true}}},
			[]string{`<title id="scores-new-work-title">`, `<th scope="row">5 Strong accept</th><td>1</td>`, "1 reviewer missed the deadline", "<strong>Yes</strong>"}},
		{"chair_decisions", decisionsPage{Head: hd("decisions"), Open: 1, At: "soon", ReleaseErrors: relErr,
			Rows: []decisionRow{{SubmissionID: 9, Number: 2, Title: "T", Choices: chairOptions("reject", "Not decided", [2]string{"reject", "Reject"}),
				Errors: formErrorsOf(problem.Invalid("x", problem.FieldError{Field: "category", Message: "choose"}), nil)}},
			Preview: []previewMessage{{To: "ada@x", Submission: 2, Subject: "S", Body: "B"}}},
			[]string{`for="f-category-9"`, `<option value="reject" selected>`, `id="f-category-error" role="alert">Choose.`, `id="f-at-error">Bad deadline.`, `value="soon"`, "#2 to ada@x"}},
		{"chair_decisions", decisionsPage{Head: hd("decisions"), Released: true, ReleaseAtAoE: "2023-10-20 AoE",
			Rows: []decisionRow{{SubmissionID: 9, Number: 2, Decided: true, Released: true, OnTime: true}}},
			[]string{"<td data-told>Released</td>", "Released 2023-10-20 AoE", "On time"}},
		{"chair_audit", auditPage{Head: hd("audit"), CSV: "/a.csv", Caption: "1 entry", Rows: []auditRow{{Action: "decision.set", Detail: `{"a":1}`}}},
			[]string{"decision.set", `{&#34;a&#34;:1}`, `href="/a.csv"`}},
	}
	for i, tc := range cases {
		t.Run(tc.page+strconv.Itoa(i), func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			c := echo.New().NewContext(httptest.NewRequest(http.MethodGet, "/", nil), rec)
			if err := u.render(c, http.StatusOK, tc.page, view{Title: "T", S: sess, Page: tc.p}); err != nil {
				t.Fatal(err)
			}
			html := rec.Body.String()
			for _, want := range append(tc.must, `aria-label="Chair pages"`, `aria-current="page">`) {
				if !strings.Contains(html, want) {
					t.Errorf("missing %q", want)
				}
			}
			if inlineScript.MatchString(html) || handlerAttr.MatchString(html) || jsURL.MatchString(html) {
				t.Error("inline script, event handler or javascript: URL: the CSP forbids them")
			}
			if strings.Count(html, `method="post"`) != strings.Count(html, `name="csrf" value="tok"`) {
				t.Error("a form without the CSRF field")
			}
		})
	}
}
