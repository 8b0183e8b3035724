package pdfgen

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// A figure is a framed line plot of two error curves over training, with
// small Helvetica labels, as matplotlib draws them, and a caption below.
const (
	figWidth    = 230.0
	figHeight   = 120.0
	captionSize = 9.0
	captionLead = 10.5
)

func captionLines(caption string, number int) [][]string {
	words := append([]string{"Figure", strconv.Itoa(number) + ":"}, strings.Fields(caption)...)
	return wrap(words, roman, captionSize, measure, measure)
}

// figureHeight is the depth a figure with this caption takes.
func figureHeight(caption string) float64 {
	return 6 + figHeight + 6 + float64(len(captionLines(caption, 1)))*captionLead + 8
}

func (t *typesetter) figure(f *filler, number int, caption string) {
	t.space(6)
	pg := t.cur()
	x0 := left + (measure-figWidth)/2
	top := blockTop - t.y
	bottom := top - figHeight
	// Plot area inside the frame, leaving room for tick labels.
	px0, py0 := x0+30, bottom+24
	px1, py1 := x0+figWidth-8, top-14
	pg.gfx = append(pg.gfx,
		"0.5 w 0 G",
		fmt.Sprintf("%s %s %s %s re S", num(px0), num(py0), num(px1-px0), num(py1-py0)),
	)
	label := func(s string, x, y float64) {
		pg.runs = append(pg.runs, textRun{f: sans, size: 7, x: x, y: y, text: s})
	}
	for i, tick := range []string{"0", "50", "100", "150", "200"} {
		x := px0 + float64(i)*(px1-px0)/4
		pg.gfx = append(pg.gfx, fmt.Sprintf("%s %s m %s %s l S", num(x), num(py0), num(x), num(py0-2.5)))
		label(tick, x-textWidth(sans, 7, tick)/2, py0-10)
	}
	for i, tick := range []string{"0.0", "0.5", "1.0"} {
		y := py0 + float64(i)*(py1-py0)/2
		pg.gfx = append(pg.gfx, fmt.Sprintf("%s %s m %s %s l S", num(px0), num(y), num(px0-2.5), num(y)))
		label(tick, px0-5-textWidth(sans, 7, tick), y-2.5)
	}
	label("epoch", (px0+px1)/2-textWidth(sans, 7, "epoch")/2, bottom+4)
	label("error", px0, py1+4)

	// Two decaying curves with a little deterministic jitter: ours falls
	// faster and lower than the baseline.
	curve := func(rate, floor float64, style string) {
		var sb strings.Builder
		sb.WriteString(style)
		for i := 0; i <= 40; i++ {
			s := float64(i) / 40
			v := floor + (0.9-floor)*math.Exp(-rate*s) + 0.03*(f.rng.float()-0.5)
			x, y := px0+s*(px1-px0), py0+v*(py1-py0)
			op := "l"
			if i == 0 {
				op = "m"
			}
			fmt.Fprintf(&sb, " %s %s %s", num(x), num(y), op)
		}
		sb.WriteString(" S")
		pg.gfx = append(pg.gfx, sb.String())
	}
	curve(3.5+f.rng.float(), 0.28, "0.9 w [3 2] 0 d 0.85 0.35 0.05 RG")
	curve(5.5+f.rng.float(), 0.08, "0.9 w [] 0 d 0.1 0.3 0.75 RG")
	pg.gfx = append(pg.gfx, "0 G 0.5 w")

	// Legend, top right.
	lx, ly := px1-60, py1-12
	pg.gfx = append(pg.gfx,
		fmt.Sprintf("0.9 w 0.1 0.3 0.75 RG %s %s m %s %s l S", num(lx), num(ly+2.5), num(lx+14), num(ly+2.5)),
		fmt.Sprintf("[3 2] 0 d 0.85 0.35 0.05 RG %s %s m %s %s l S [] 0 d 0 G 0.5 w", num(lx), num(ly-6.5), num(lx+14), num(ly-6.5)),
	)
	label("ours", lx+18, ly)
	label("baseline", lx+18, ly-9)

	t.y += figHeight + 6
	lines := captionLines(caption, number)
	for i, ln := range lines {
		if len(lines) == 1 {
			t.centered(strings.Join(ln, " "), roman, captionSize, captionLead)
			break
		}
		t.line(ln, roman, captionSize, captionLead, left, measure, i < len(lines)-1)
	}
	t.space(8)
}
