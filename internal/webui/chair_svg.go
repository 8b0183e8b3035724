package webui

import (
	"fmt"
	"html/template"
	"strings"
)

// The progress page's plots are SVG written here, on the server: nothing to
// download, nothing that needs script, and each comes with its numbers as
// a table for people who do not see it. Coordinates are in a fixed
// viewBox; CSS scales the picture to the page's width.

// svgEsc escapes text for SVG (XML), where html/template cannot reach.
func svgEsc(s string) string { return template.HTMLEscapeString(s) }

// barGroup is one bar of a column chart.
type barGroup struct {
	Label string
	N     int
}

const (
	chartW      = 480
	chartH      = 220
	chartLeft   = 40
	chartBottom = 40
	chartTop    = 20
)

// columnChart draws counts as vertical bars, one per label, with the count
// above each bar and a y axis with a few gridlines.
func columnChart(id, title string, bars []barGroup) template.HTML {
	maxN := 1
	for _, b := range bars {
		maxN = max(maxN, b.N)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" id="%s" role="img" aria-labelledby="%s-title" viewBox="0 0 %d %d" xmlns="http://www.w3.org/2000/svg">`,
		svgEsc(id), svgEsc(id), chartW, chartH)
	fmt.Fprintf(&sb, `<title id="%s-title">%s</title>`, svgEsc(id), svgEsc(title))
	plotH := float64(chartH - chartTop - chartBottom)
	plotW := float64(chartW - chartLeft - 10)
	base := float64(chartH - chartBottom)
	for _, t := range ticks(maxN) {
		y := base - plotH*float64(t)/float64(maxN)
		fmt.Fprintf(&sb, `<line class="grid" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/><text class="axis" x="%d" y="%.1f" text-anchor="end">%d</text>`,
			chartLeft, chartW-10, y, y, chartLeft-6, y+4, t)
	}
	if len(bars) > 0 {
		slot := plotW / float64(len(bars))
		w := slot * 0.6
		for i, b := range bars {
			x := float64(chartLeft) + slot*float64(i) + (slot-w)/2
			h := plotH * float64(b.N) / float64(maxN)
			fmt.Fprintf(&sb, `<rect class="bar" x="%.1f" y="%.1f" width="%.1f" height="%.1f"/>`, x, base-h, w, h)
			fmt.Fprintf(&sb, `<text class="value" x="%.1f" y="%.1f" text-anchor="middle">%d</text>`, x+w/2, base-h-4, b.N)
			fmt.Fprintf(&sb, `<text class="axis" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, x+w/2, base+18, svgEsc(b.Label))
		}
	}
	fmt.Fprintf(&sb, `<line class="baseline" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/></svg>`, chartLeft, chartW-10, base, base)
	return template.HTML(sb.String()) //nolint:gosec // every piece of text in it went through svgEsc
}

// ticks are the gridline values of an axis from 0 to maxN: at most six,
// at a round step (1, 2, 5, 10, 20, 50, ...).
func ticks(maxN int) []int {
	step := 1
	for i := 0; maxN/step > 5; i++ {
		step = []int{1, 2, 5}[(i+1)%3] * tenTo((i+1)/3)
	}
	var out []int
	for v := 0; v <= maxN; v += step {
		out = append(out, v)
	}
	return out
}

// loadBar is one reviewer's row in the load chart.
type loadBar struct {
	Name           string
	Done, Assigned int
	Late           bool
}

// loadChart draws each reviewer's assigned reviews as a pale bar and the
// submitted ones as a dark bar over it, one row per reviewer.
func loadChart(id, title string, rows []loadBar) template.HTML {
	const rowH, labelW, right, top = 26, 170, 40, 24
	maxN := 1
	for _, r := range rows {
		maxN = max(maxN, r.Assigned)
	}
	h := top + rowH*max(len(rows), 1) + 10
	plotW := float64(chartW - labelW - right)
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" id="%s" role="img" aria-labelledby="%s-title" viewBox="0 0 %d %d" xmlns="http://www.w3.org/2000/svg">`,
		svgEsc(id), svgEsc(id), chartW, h)
	fmt.Fprintf(&sb, `<title id="%s-title">%s</title>`, svgEsc(id), svgEsc(title))
	fmt.Fprintf(&sb, `<rect class="assigned" x="%d" y="4" width="12" height="12"/><text class="axis" x="%d" y="14">assigned</text>`, labelW, labelW+16)
	fmt.Fprintf(&sb, `<rect class="done" x="%d" y="4" width="12" height="12"/><text class="axis" x="%d" y="14">submitted</text>`, labelW+100, labelW+116)
	for i, r := range rows {
		y := top + rowH*i
		name := r.Name
		if len([]rune(name)) > 22 {
			name = string([]rune(name)[:21]) + "…"
		}
		cls := "axis"
		if r.Late {
			cls = "axis late"
			name += " (late)"
		}
		fmt.Fprintf(&sb, `<text class="%s" x="%d" y="%d" text-anchor="end">%s</text>`, cls, labelW-8, y+15, svgEsc(name))
		wa := plotW * float64(r.Assigned) / float64(maxN)
		wd := plotW * float64(r.Done) / float64(maxN)
		fmt.Fprintf(&sb, `<rect class="assigned" x="%d" y="%d" width="%.1f" height="18"/>`, labelW, y+2, wa)
		fmt.Fprintf(&sb, `<rect class="done" x="%d" y="%d" width="%.1f" height="18"/>`, labelW, y+2, wd)
		fmt.Fprintf(&sb, `<text class="value" x="%.1f" y="%d">%d/%d</text>`, float64(labelW)+wa+6, y+15, r.Done, r.Assigned)
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String()) //nolint:gosec // every piece of text in it went through svgEsc
}

func tenTo(n int) int {
	p := 1
	for range n {
		p *= 10
	}
	return p
}

// dayTotal is the running count of submitted reviews at the end of a day.
type dayTotal struct {
	Day   string // YYYY-MM-DD, UTC
	Total int
}

// timelineChart draws the running total of submitted reviews as a step
// line, day by day, against a dashed line at the number needed. The x axis
// has span days (days are the first of them, up to today); the day the
// reviews are due (index due, -1 when off the chart) is a vertical rule.
func timelineChart(id, title string, days []dayTotal, span, needed, due int) template.HTML {
	maxN := max(needed, 1)
	for _, d := range days {
		maxN = max(maxN, d.Total)
	}
	plotH := float64(chartH - chartTop - chartBottom)
	plotW := float64(chartW - chartLeft - 20)
	base := float64(chartH - chartBottom)
	x := func(i int) float64 {
		if span < 2 {
			return float64(chartLeft) + plotW/2
		}
		return float64(chartLeft) + plotW*float64(i)/float64(span-1)
	}
	y := func(n int) float64 { return base - plotH*float64(n)/float64(maxN) }
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" id="%s" role="img" aria-labelledby="%s-title" viewBox="0 0 %d %d" xmlns="http://www.w3.org/2000/svg">`,
		svgEsc(id), svgEsc(id), chartW, chartH)
	fmt.Fprintf(&sb, `<title id="%s-title">%s</title>`, svgEsc(id), svgEsc(title))
	for _, t := range ticks(maxN) {
		fmt.Fprintf(&sb, `<line class="grid" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/><text class="axis" x="%d" y="%.1f" text-anchor="end">%d</text>`,
			chartLeft, chartW-20, y(t), y(t), chartLeft-6, y(t)+4, t)
	}
	fmt.Fprintf(&sb, `<line class="needed" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/><text class="axis" x="%d" y="%.1f" text-anchor="end">needed: %d</text>`,
		chartLeft, chartW-20, y(needed), y(needed), chartW-20, y(needed)-4, needed)
	if due >= 0 && due < span {
		fmt.Fprintf(&sb, `<line class="due" x1="%.1f" x2="%.1f" y1="%d" y2="%.1f"/><text class="axis" x="%.1f" y="%d" text-anchor="middle">reviews due</text>`,
			x(due), x(due), chartTop, base, x(due), chartTop-6)
	}
	if len(days) > 0 {
		var path strings.Builder
		fmt.Fprintf(&path, "M%.1f %.1f", x(0), y(days[0].Total))
		for i := 1; i < len(days); i++ {
			fmt.Fprintf(&path, " H%.1f V%.1f", x(i), y(days[i].Total))
		}
		fmt.Fprintf(&sb, `<path class="line" d="%s"/>`, path.String())
		last := days[len(days)-1]
		fmt.Fprintf(&sb, `<circle class="dot" cx="%.1f" cy="%.1f" r="3"/>`, x(len(days)-1), y(last.Total))
		// A label at the first and last day and a few between, never crowded.
		step := max(1, (len(days)+4)/5)
		for i := 0; i < len(days); i += step {
			fmt.Fprintf(&sb, `<text class="axis" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, x(i), base+18, svgEsc(days[i].Day[5:]))
		}
		if (len(days)-1)%step != 0 {
			fmt.Fprintf(&sb, `<text class="axis" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, x(len(days)-1), base+32, svgEsc(last.Day[5:]))
		}
	}
	fmt.Fprintf(&sb, `<line class="baseline" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/></svg>`, chartLeft, chartW-20, base, base)
	return template.HTML(sb.String()) //nolint:gosec // every piece of text in it went through svgEsc
}
