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
