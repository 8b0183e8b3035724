package pdfgen

import (
	"fmt"
	"strings"
	"unicode"
)

// The NeurIPS geometry: US Letter, a 5.5 x 9 inch text block 1.5 inches from
// the left edge and 1 inch from the top, 10 pt Times on 12 pt leading (54
// lines a page).
const (
	pageWidth   = 612.0
	pageHeight  = 792.0
	left        = 108.0
	measure     = 396.0
	blockTop    = 720.0 // the block's top edge, in PDF coordinates
	blockHeight = 648.0
	bodySize    = 10.0
	bodyLead    = 12.0
	// footerRoom is what page 1 gives up at the bottom for the build
	// footer and its rule.
	footerRoom = 30.0
)

// textRun is one piece of text at one position and font.
type textRun struct {
	f          font
	size, x, y float64 // y is the baseline, in PDF coordinates
	tw         float64 // extra space per word gap, to justify
	text       string
}

// page is what one page draws.
type page struct {
	runs []textRun
	gfx  []string // path operators: rules, figure frames and curves
}

// typesetter fills pages from the top down.
type typesetter struct {
	pages []*page
	y     float64 // depth of the next free line below the block's top
	limit float64 // usable depth of the current page
}

func newTypesetter(firstLimit float64) *typesetter {
	t := &typesetter{}
	t.newPage()
	t.limit = firstLimit
	return t
}

func (t *typesetter) newPage() {
	t.pages = append(t.pages, &page{})
	t.y, t.limit = 0, blockHeight
}

func (t *typesetter) cur() *page     { return t.pages[len(t.pages)-1] }
func (t *typesetter) pageIndex() int { return len(t.pages) - 1 }
func (t *typesetter) room() float64  { return t.limit - t.y }
func (t *typesetter) atTop() bool    { return t.y == 0 }
func (t *typesetter) baseline(lead float64) float64 {
	return blockTop - t.y - 0.8*lead
}

// space adds vertical space, never past the page's end; at the top of a
// page it adds nothing, as LaTeX drops space at a page break.
func (t *typesetter) space(h float64) {
	if t.atTop() {
		return
	}
	t.y = min(t.y+h, t.limit)
}

// ensure starts a new page unless h points fit on this one.
func (t *typesetter) ensure(h float64) {
	if t.room() < h {
		t.newPage()
	}
}

// line sets words on one line at x, stretched to width when justify is set.
func (t *typesetter) line(words []string, f font, size, lead, x, width float64, justify bool) {
	text := strings.Join(words, " ")
	tw := 0.0
	if justify && len(words) > 1 {
		if slack := width - textWidth(f, size, text); slack > 0 {
			tw = slack / float64(len(words)-1)
		}
	}
	t.cur().runs = append(t.cur().runs, textRun{f: f, size: size, x: x, y: t.baseline(lead), tw: tw, text: text})
	t.y += lead
}

// centered sets one line centred on the text block.
func (t *typesetter) centered(text string, f font, size, lead float64) {
	x := left + (measure-textWidth(f, size, text))/2
	t.line(strings.Fields(text), f, size, lead, x, 0, false)
}

// flow sets a justified paragraph that may break across pages.
func (t *typesetter) flow(words []string, f font, size, lead, x, width, indent float64) {
	lines := wrap(words, f, size, width, width-indent)
	for i, ln := range lines {
		t.ensure(lead)
		lx := x
		if i == 0 {
			lx += indent
		}
		w := width
		if i == 0 {
			w -= indent
		}
		t.line(ln, f, size, lead, lx, w, i < len(lines)-1)
	}
}

// bodyParagraph sets a paragraph of body text of at most maxLines lines,
// all on this page; a paragraph cut short ends its last line with a full
// stop, so the body always ends on a finished line.
func (t *typesetter) bodyParagraph(words []string, maxLines int, indent float64) {
	lines := wrap(words, roman, bodySize, measure, measure-indent)
	if len(lines) > maxLines {
		lines = lines[:maxLines]
		last := lines[maxLines-1]
		// End at the last full stop on the line if there is one, else
		// turn its last word into the end of a sentence.
		cut := -1
		for i, w := range last[:len(last)-1] {
			if strings.HasSuffix(w, ".") {
				cut = i + 1
			}
		}
		if cut > 0 {
			last = last[:cut:cut]
		} else {
			w := strings.TrimRightFunc(last[len(last)-1], func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
			if w == "" {
				w = "model"
			}
			last = append(last[:len(last)-1:len(last)-1], w+".")
		}
		lines[maxLines-1] = last
	}
	for i, ln := range lines {
		x, w := left, measure
		if i == 0 {
			x, w = left+indent, measure-indent
		}
		t.line(ln, roman, bodySize, bodyLead, x, w, i < len(lines)-1)
	}
}

// headingHeight is the depth a section heading takes, space around it
// included.
const headingHeight = 8 + 14 + 4

// heading sets a section heading: the number, if any, and then the title
// one quad further, as LaTeX's \section does.
func (t *typesetter) heading(number, title string) {
	t.space(8)
	b := t.baseline(14)
	x := left
	if number != "" {
		t.cur().runs = append(t.cur().runs, textRun{f: bold, size: 12, x: left, y: b, text: number})
		x = left + max(18, textWidth(bold, 12, number)+12)
	}
	t.cur().runs = append(t.cur().runs, textRun{f: bold, size: 12, x: x, y: b, text: title})
	t.y += 14 + 4
}

// rule draws a horizontal rule with its top edge at the current depth.
func (t *typesetter) rule(x, width, thickness float64) {
	y := blockTop - t.y - thickness
	t.cur().gfx = append(t.cur().gfx, fmt.Sprintf("%s %s %s %s re f", num(x), num(y), num(width), num(thickness)))
}
