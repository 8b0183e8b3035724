package webui

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/quirehq/quire/internal/matching"
)

// modeRun is one finished run in the comparison of modes: its label and
// its papers' scores at 0% (lowest), the nine deciles and 100% (highest).
type modeRun struct {
	ID     int64
	Label  string
	Points []float64
	Mean   float64
}

func modeRuns(runs []matching.RunScores) []modeRun {
	out := make([]modeRun, 0, len(runs))
	for _, r := range runs {
		label := r.Params.Mode
		if r.Params.Mode == matching.ModeRandomized {
			label += " q=" + strconv.FormatFloat(r.Params.MaxProbability, 'f', -1, 64)
		}
		pts := append(append([]float64{r.Scores.Min}, r.Scores.Deciles...), r.Scores.Max)
		out = append(out, modeRun{ID: r.ID, Label: fmt.Sprintf("run %d: %s", r.ID, label), Points: pts, Mean: r.Scores.Mean})
	}
	return out
}

// modesChart draws each run's papers' scores by percentile (lowest, deciles,
// highest) as a line, so that chairs see at a glance what a mode gives the
// worst-served papers and what it costs the best-served.
func modesChart(id string, runs []modeRun) template.HTML {
	const right = 130
	top := chartTop
	maxY := 0.0
	for _, r := range runs {
		for _, v := range r.Points {
			maxY = max(maxY, v)
		}
	}
	if maxY <= 0 {
		maxY = 1
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" id="%s" role="img" aria-labelledby="%s-title" viewBox="0 0 %d %d" xmlns="http://www.w3.org/2000/svg">`,
		svgEsc(id), svgEsc(id), chartW, chartH)
	fmt.Fprintf(&sb, `<title id="%s-title">The papers' total affinity by percentile, one line per run</title>`, svgEsc(id))
	plotH := float64(chartH - top - chartBottom)
	plotW := float64(chartW - chartLeft - right)
	base := float64(chartH - chartBottom)
	for k := 0; k <= 4; k++ {
		v := maxY * float64(k) / 4
		y := base - plotH*float64(k)/4
		fmt.Fprintf(&sb, `<line class="grid" x1="%d" x2="%.1f" y1="%.1f" y2="%.1f"/><text class="axis" x="%d" y="%.1f" text-anchor="end">%.2f</text>`,
			chartLeft, float64(chartLeft)+plotW, y, y, chartLeft-6, y+4, v)
	}
	for i, lbl := range []string{"0%", "50%", "100%"} {
		x := float64(chartLeft) + plotW*float64(i)/2
		fmt.Fprintf(&sb, `<text class="axis" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, x, base+18, lbl)
	}
	for i, r := range runs {
		var pts []string
		for k, v := range r.Points {
			x := float64(chartLeft) + plotW*float64(k)/float64(len(r.Points)-1)
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, base-plotH*v/maxY))
		}
		fmt.Fprintf(&sb, `<polyline class="series s%d" fill="none" points="%s"/>`, i%6, strings.Join(pts, " "))
		fmt.Fprintf(&sb, `<text class="axis series-label s%d" x="%.1f" y="%d">%s</text>`, i%6, float64(chartLeft)+plotW+8, top+12+14*i, svgEsc(r.Label))
	}
	fmt.Fprintf(&sb, `<line class="baseline" x1="%d" x2="%.1f" y1="%.1f" y2="%.1f"/></svg>`, chartLeft, float64(chartLeft)+plotW, base, base)
	return template.HTML(sb.String()) //nolint:gosec // every piece of text in it went through svgEsc
}
