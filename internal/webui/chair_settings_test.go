package webui

import (
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/review"
)

func TestReviewTimeline(t *testing.T) {
	t.Parallel()
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	papers := []review.PaperProgress{
		{SubmittedAt: []time.Time{at("2023-10-12T08:00:00Z"), at("2023-10-14T23:59:00Z")}},
		{SubmittedAt: []time.Time{at("2023-10-12T20:00:00Z")}},
		{},
	}
	tests := []struct {
		name      string
		papers    []review.PaperProgress
		due, now  time.Time
		days      []dayTotal
		span, idx int
	}{
		{name: "nothing submitted", papers: papers[2:], due: at("2023-10-20T11:59:59Z"), now: at("2023-10-15T12:00:00Z"), idx: -1},
		{name: "before the deadline the axis reaches it", papers: papers, due: at("2023-10-20T11:59:59Z"), now: at("2023-10-15T12:00:00Z"),
			days: []dayTotal{{"2023-10-12", 2}, {"2023-10-13", 2}, {"2023-10-14", 3}, {"2023-10-15", 3}}, span: 9, idx: 8},
		{name: "after the deadline it is marked inside", papers: papers, due: at("2023-10-13T11:59:59Z"), now: at("2023-10-15T00:00:00Z"),
			days: []dayTotal{{"2023-10-12", 2}, {"2023-10-13", 2}, {"2023-10-14", 3}, {"2023-10-15", 3}}, span: 4, idx: 1},
		{name: "a deadline before the first review is off the axis", papers: papers, due: at("2023-10-01T11:59:59Z"), now: at("2023-10-14T00:00:00Z"),
			days: []dayTotal{{"2023-10-12", 2}, {"2023-10-13", 2}, {"2023-10-14", 3}}, span: 3, idx: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			days, span, idx := reviewTimeline(tt.papers, tt.due, tt.now)
			if len(days) != len(tt.days) || span != tt.span || idx != tt.idx {
				t.Fatalf("got %v span %d due %d, want %v span %d due %d", days, span, idx, tt.days, tt.span, tt.idx)
			}
			for i := range days {
				if days[i] != tt.days[i] {
					t.Errorf("day %d: %v, want %v", i, days[i], tt.days[i])
				}
			}
		})
	}
	if rows := timelineRows([]dayTotal{{"2023-10-12", 2}, {"2023-10-13", 2}, {"2023-10-14", 3}}); len(rows) != 2 || rows[1].Day != "2023-10-14" {
		t.Errorf("table rows %v", rows)
	}
}

func TestTimelineChartDrawsTheData(t *testing.T) {
	t.Parallel()
	days := []dayTotal{{"2023-10-12", 2}, {"2023-10-13", 2}, {"2023-10-14", 3}}
	svg := string(timelineChart("timeline", "Reviews <submitted> over time", days, 5, 6, 4))
	for _, want := range []string{`<title id="timeline-title">Reviews &lt;submitted&gt; over time</title>`, `class="line" d="M40.0 `,
		`class="needed"`, "needed: 6", `class="due"`, "reviews due", ">10-12<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the chart lacks %q:\n%s", want, svg)
		}
	}
	// Two steps: one H and V per day after the first.
	if n := strings.Count(svg, " H"); n != 2 {
		t.Errorf("%d steps, want 2", n)
	}
	if strings.Contains(string(timelineChart("t", "x", days, 3, 6, -1)), `class="due"`) {
		t.Error("a deadline off the axis is drawn")
	}
}
