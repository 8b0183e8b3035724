package pdfcheck

import (
	"math"
	"sort"
	"strings"
	"unicode"
)

// arrange turns poppler's runs into lines in reading order: margin line
// numbers (submission-mode LaTeX) and page furniture dropped, two-column
// pages read column by column.
func arrange(l layout, body float64) []pageLines {
	block := measureBlock(l, body)
	furn := furniture(l)
	out := make([]pageLines, 0, len(l.pages))
	for _, p := range l.pages {
		var keep []textElem
		for _, e := range p.elems {
			if isFurniture(e, p, furn) || isLineNumber(e, block, body) {
				continue
			}
			keep = append(keep, e)
		}
		groups, columns := splitColumns(keep, p.width)
		out = append(out, pageLines{number: p.number, columns: columns, height: p.height, lines: groupLines(p.number, keep, groups)})
	}
	return out
}

func isFurniture(e textElem, p textPage, furn map[string]bool) bool {
	if !inEdge(e, p) {
		return false
	}
	return pageNumber.MatchString(e.text) ||
		furn[digitsInRun.ReplaceAllString(strings.ToLower(e.text), "#")]
}

// isLineNumber spots the numbers lineno prints beside every line: digits
// alone, outside the text block or much smaller than the body text.
func isLineNumber(e textElem, b textBlock, body float64) bool {
	if !digitsOnly.MatchString(e.text) {
		return false
	}
	return e.left+e.width < b.left-1 || e.left > b.right+1 || body > 0 && e.size <= body-3
}

// Reading-order groups of a page.
const (
	groupAbove = iota // full-width runs above the columns (title block)
	groupLeft
	groupRight
	groupBelow // full-width runs below where the columns start
)

// splitColumns decides whether a page has two columns: many runs sit
// wholly on each side of a gutter and few cross it. It returns each run's
// reading-order group and the column count.
func splitColumns(elems []textElem, width float64) ([]int, int) {
	groups := make([]int, len(elems))
	for i := range groups {
		groups[i] = groupLeft
	}
	if width <= 0 {
		return groups, 1
	}
	mid := width / 2
	nLeft, nRight, nCross := 0, 0, 0
	gutter := math.Inf(1)
	for _, e := range elems {
		if len(e.text) < 8 {
			continue
		}
		switch {
		case e.left+e.width < mid+2:
			nLeft++
		case e.left > mid-2:
			nRight++
			gutter = math.Min(gutter, e.left)
		default:
			nCross++
		}
	}
	if nLeft < 5 || nRight < 5 || float64(nCross) > 0.25*float64(nLeft+nRight) {
		return groups, 1
	}
	colTop := math.Inf(1)
	for i, e := range elems {
		switch {
		case e.left >= gutter-3:
			groups[i] = groupRight
		case e.left+e.width <= gutter+3:
			groups[i] = groupLeft
		default:
			groups[i] = -1 // decided below, once the columns' top is known
			continue
		}
		if len(e.text) >= 8 {
			colTop = math.Min(colTop, e.top)
		}
	}
	for i, e := range elems {
		if groups[i] == -1 {
			if e.top < colTop {
				groups[i] = groupAbove
			} else {
				groups[i] = groupBelow
			}
		}
	}
	return groups, 2
}

// groupLines joins runs that share a baseline within a group into lines.
func groupLines(page int, elems []textElem, groups []int) []line {
	idx := make([]int, len(elems))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		ea, eb := elems[idx[a]], elems[idx[b]]
		if groups[idx[a]] != groups[idx[b]] {
			return groups[idx[a]] < groups[idx[b]]
		}
		if math.Abs(ea.top-eb.top) > 2 {
			return ea.top < eb.top
		}
		return ea.left < eb.left
	})
	var lines []line
	var run []textElem
	flush := func(g int) {
		if len(run) == 0 {
			return
		}
		sort.SliceStable(run, func(a, b int) bool { return run[a].left < run[b].left })
		ln := line{page: page, column: 1, top: run[0].top, left: run[0].left, bold: true}
		if g == groupRight {
			ln.column = 2
		}
		texts := make([]string, 0, len(run))
		lead := true
		for _, e := range run {
			texts = append(texts, e.text)
			ln.size = math.Max(ln.size, e.size)
			ln.top = math.Min(ln.top, e.top)
			letters := strings.IndexFunc(e.text, unicode.IsLetter) >= 0
			if letters && !e.bold {
				ln.bold = false
			}
			if lead && e.bold {
				ln.leadBold = strings.TrimSpace(ln.leadBold + " " + e.text)
			} else if letters {
				lead = false
			}
		}
		ln.text = strings.Join(texts, " ")
		ln.elems = append([]textElem(nil), run...)
		lines = append(lines, ln)
		run = run[:0]
	}
	lastGroup, lastTop := -2, 0.0
	for _, i := range idx {
		e := elems[i]
		tol := math.Max(2, 0.35*math.Max(e.height, e.size))
		if groups[i] != lastGroup || math.Abs(e.top-lastTop) > tol {
			flush(lastGroup)
			lastGroup, lastTop = groups[i], e.top
		}
		run = append(run, e)
	}
	flush(lastGroup)
	return lines
}
