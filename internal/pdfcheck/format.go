package pdfcheck

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// A squeezed paper keeps the page limit by leaving the template: wider
// margins taken back with a geometry package, a smaller font, tighter
// lines. The format check measures the body pages the way the template
// draws them and compares them with the template's figures.

// Actions of a format rule.
const (
	ActionWarn   = "warn"
	ActionRefuse = "refuse"
)

// Format rule names, as findings carry them.
const (
	RulePaperSize = "paper_size"
	RuleTextBlock = "text_block"
	RuleFontSize  = "font_size"
	RuleLeading   = "leading"
)

// FormatRules are a template's measurable rules; a nil rule is not
// checked. Lengths are in PDF points (1/72 in).
type FormatRules struct {
	// Template names the style the rules come from, for messages.
	Template  string         `json:"template,omitempty"`
	PaperSize *PaperSizeRule `json:"paper_size,omitempty"`
	TextBlock *TextBlockRule `json:"text_block,omitempty"`
	// FontSize is the smallest size of the body text (not of tables,
	// captions or footnotes).
	FontSize *MinimumRule `json:"font_size,omitempty"`
	// Leading is the smallest baseline-to-baseline distance of body lines.
	Leading *MinimumRule `json:"leading,omitempty"`
}

// PaperSizeRule names the template's paper ("letter", "a4").
type PaperSizeRule struct {
	Size   string `json:"size"`
	Action string `json:"action"`
}

// TextBlockRule is the template's text block; the body may reach past it
// by at most Tolerance in either direction.
type TextBlockRule struct {
	Width     float64 `json:"width"`
	Height    float64 `json:"height"`
	Tolerance float64 `json:"tolerance"`
	Action    string  `json:"action"`
}

// MinimumRule is a least value the body may fall short of by Tolerance.
type MinimumRule struct {
	Min       float64 `json:"min"`
	Tolerance float64 `json:"tolerance"`
	Action    string  `json:"action"`
}

// Empty is true when no rule is set.
func (f FormatRules) Empty() bool {
	return f.PaperSize == nil && f.TextBlock == nil && f.FontSize == nil && f.Leading == nil
}

// NeurIPSFormat is the NeurIPS style's geometry (neurips_2023.sty): US
// Letter, a 5.5 x 9 in text block, 10 pt type on 11 pt lines. TeX's point
// is 1/72.27 in, a little smaller than the PDF's: 10 pt is 9.96 PDF points,
// inside the tolerances.
func NeurIPSFormat(action string) FormatRules {
	return FormatRules{
		Template:  "NeurIPS",
		PaperSize: &PaperSizeRule{Size: "letter", Action: action},
		TextBlock: &TextBlockRule{Width: 5.5 * 72, Height: 9 * 72, Tolerance: DefaultBlockTolerance, Action: action},
		FontSize:  &MinimumRule{Min: 10, Tolerance: DefaultFontTolerance, Action: action},
		Leading:   &MinimumRule{Min: 11, Tolerance: DefaultLeadingTolerance, Action: action},
	}
}

// Default tolerances, in PDF points. The text block's absorbs an overfull
// line or a formula a few points into the margin, and the extent of the
// glyphs above and below the lines; the size's and the leading's absorb TeX
// points against PDF points and rounding, not a \small or a \linespread.
const (
	DefaultBlockTolerance   = 0.15 * 72
	DefaultFontTolerance    = 0.3
	DefaultLeadingTolerance = 0.3
)

// FormatReport is what the format check measured on the body pages, and
// the rules the paper breaks.
type FormatReport struct {
	Template string `json:"template,omitempty"`
	// BodyFontSize is the size carrying most body characters, in points
	// to a tenth where the font says how tall it is, else as poppler
	// rounds it.
	BodyFontSize float64 `json:"body_font_size,omitempty"`
	// Leading is the median distance between consecutive baselines of
	// body lines; 0 when too few lines follow each other.
	Leading float64 `json:"leading,omitempty"`
	// TextBlocks are the body text's bounding boxes, one per body page,
	// without running heads, page numbers and margin line numbers.
	TextBlocks []PageBlock       `json:"text_blocks,omitempty"`
	Violations []FormatViolation `json:"violations,omitempty"`
}

// PageBlock is a page's body text box, in points from the top left corner.
type PageBlock struct {
	Page   int     `json:"page"`
	X      float64 `json:"x"`
	Y      float64 `json:"y"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
	// PageWidth and PageHeight let a page draw the box over a thumbnail.
	PageWidth  float64 `json:"page_width"`
	PageHeight float64 `json:"page_height"`
}

// FormatViolation is one rule broken, on which pages, by how much.
type FormatViolation struct {
	Rule     string      `json:"rule"`
	Action   string      `json:"action"`
	Pages    []int       `json:"pages"`
	Measured FormatValue `json:"measured"`
	Template FormatValue `json:"template"`
	Message  string      `json:"message"`
}

// FormatValue is a measured or required value: a paper size, a box in
// inches or a length in points.
type FormatValue struct {
	Size     string  `json:"size,omitempty"`
	WidthIn  float64 `json:"width_in,omitempty"`
	HeightIn float64 `json:"height_in,omitempty"`
	Points   float64 `json:"pt,omitempty"`
}

// Refused is true when a violation's rule refuses the file.
func (f *FormatReport) Refused() bool {
	return f != nil && slices.ContainsFunc(f.Violations, func(v FormatViolation) bool { return v.Action == ActionRefuse })
}

// fontMetric is a font's ascent and descent per point of size, from its
// descriptor: poppler makes a run's height (ascent - descent) x size, so
// the height gives the size back more finely than poppler's whole points.
type fontMetric struct{ ascent, descent float64 }

// pageMeasure is one body page's measures.
type pageMeasure struct {
	number        int
	width, height float64
	box           PageBlock
	hasBox        bool
	size          float64 // the size with most characters on the page
	leads         []float64
}

// measureFormat measures the body lines of pages (after classify) and
// judges them by rules.
func measureFormat(pages []pageLines, dims []PageInfo, metrics map[string]fontMetric, rules FormatRules) *FormatReport {
	dimOf := map[int]PageInfo{}
	for _, d := range dims {
		dimOf[d.Number] = d
	}
	all := map[float64]int{}
	var measures []pageMeasure
	for _, p := range pages {
		m := pageMeasure{number: p.number, width: dimOf[p.number].Width, height: dimOf[p.number].Height}
		left, top, right, bottom := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, ln := range p.lines {
			if ln.kind != KindBody {
				continue
			}
			for _, e := range ln.elems {
				left, top = math.Min(left, e.left), math.Min(top, e.top)
				right, bottom = math.Max(right, e.left+e.width), math.Max(bottom, e.top+e.height)
			}
		}
		if left > right {
			continue // no body text on this page
		}
		m.box = PageBlock{Page: p.number, X: round2(left), Y: round2(top), Width: round2(right - left), Height: round2(bottom - top),
			PageWidth: m.width, PageHeight: m.height}
		m.hasBox = true
		chars := runningText(p.lines, right-left, metrics)
		for s, n := range chars {
			all[s] += n
		}
		m.size = mostChars(chars)
		m.leads = baselineSteps(p.lines, m.size, metrics)
		measures = append(measures, m)
	}
	rep := &FormatReport{Template: rules.Template, BodyFontSize: round1(mostChars(all))}
	var leads []float64
	for _, m := range measures {
		rep.TextBlocks = append(rep.TextBlocks, m.box)
		if math.Abs(m.size-rep.BodyFontSize) <= sizeSlack {
			leads = append(leads, m.leads...)
		}
	}
	if len(leads) >= minLeadPairs {
		rep.Leading = round1(median(leads))
	}
	rep.Violations = judgeFormat(rules, measures, dims)
	return rep
}

// runningText counts a page's body characters by size, in the runs of
// running text only: a run at least longRun of the block's width is a line
// of a paragraph (or of a column), while a table's cells and a figure's
// labels are short runs. A page without such runs (a producer that writes
// a run per word) counts them all.
func runningText(lines []line, blockWidth float64, metrics map[string]fontMetric) map[float64]int {
	long, every := map[float64]int{}, map[float64]int{}
	for _, ln := range lines {
		if ln.kind != KindBody {
			continue
		}
		for _, e := range ln.elems {
			n := letters(e.text)
			s := exactSize(e, metrics)
			every[s] += n
			if e.width >= longRun*blockWidth {
				long[s] += n
			}
		}
	}
	if len(long) > 0 {
		return long
	}
	return every
}

// longRun is the share of the text block's width from which a run is a
// line of running text.
const longRun = 0.35

// sizeSlack is how far a run's size may be from the body size and still
// be body text.
const sizeSlack = 0.35

// minLeadPairs is the fewest pairs of consecutive body lines a leading is
// taken from.
const minLeadPairs = 5

// exactSize is a run's font size to a hundredth of a point when the font's
// metrics are known and agree with poppler's rounded size.
func exactSize(e textElem, metrics map[string]fontMetric) float64 {
	if m, ok := metrics[e.family]; ok && e.height > 0 {
		if s := e.height / (m.ascent - m.descent); math.Abs(s-e.size) <= 0.6 {
			return math.Round(s*100) / 100
		}
	}
	return e.size
}

// baseline is where a run sits: its top plus the font's ascent.
func baseline(e textElem, metrics map[string]fontMetric) float64 {
	if m, ok := metrics[e.family]; ok && m.ascent-m.descent > 0 {
		return e.top + e.height*m.ascent/(m.ascent-m.descent)
	}
	return e.top + e.height*popplerAscent/(popplerAscent-popplerDescent)
}

// poppler's ascent and descent for a font that does not give its own.
const (
	popplerAscent  = 0.95
	popplerDescent = -0.35
)

// baselineSteps are the distances between the baselines of consecutive
// body lines set in the body size, within a column. A paragraph break, a
// heading or a display between two lines makes a larger step, left out.
func baselineSteps(lines []line, body float64, metrics map[string]fontMetric) []float64 {
	var out []float64
	prev, prevCol, have := 0.0, 0, false
	for _, ln := range lines {
		if ln.kind != KindBody {
			have = false
			continue
		}
		e, ok := dominantRun(ln, body, metrics)
		if !ok {
			have = false
			continue
		}
		b := baseline(e, metrics)
		if have && ln.column == prevCol {
			if d := b - prev; d >= 0.6*body && d <= 1.5*body {
				out = append(out, d)
			}
		}
		prev, prevCol, have = b, ln.column, true
	}
	return out
}

// dominantRun is the line's longest run in the body size, if the line is
// mostly body text.
func dominantRun(ln line, body float64, metrics map[string]fontMetric) (textElem, bool) {
	best, n, total := textElem{}, 0, 0
	for _, e := range ln.elems {
		c := letters(e.text)
		total += c
		if math.Abs(exactSize(e, metrics)-body) <= sizeSlack && c > n {
			best, n = e, c
		}
	}
	return best, n >= 8 && 2*n >= total
}

func judgeFormat(r FormatRules, ms []pageMeasure, dims []PageInfo) []FormatViolation {
	var out []FormatViolation
	if rule := r.PaperSize; rule != nil {
		var pages []int
		other := ""
		var w, h float64
		for _, d := range dims {
			if !strings.EqualFold(d.Size, rule.Size) {
				pages = append(pages, d.Number)
				if other == "" {
					other, w, h = d.Size, d.Width, d.Height
				}
			}
		}
		if len(pages) > 0 {
			out = append(out, FormatViolation{Rule: RulePaperSize, Action: rule.Action, Pages: pages,
				Measured: FormatValue{Size: other, WidthIn: inches(w), HeightIn: inches(h)},
				Template: FormatValue{Size: rule.Size},
				Message: fmt.Sprintf("paper %s (%s x %s in) on %s, template %s",
					other, fmtNum(inches(w)), fmtNum(inches(h)), pageList(pages), rule.Size)})
		}
	}
	if rule := r.TextBlock; rule != nil {
		var pages []int
		var w, h float64
		for _, m := range ms {
			if m.box.Width > rule.Width+rule.Tolerance || m.box.Height > rule.Height+rule.Tolerance {
				pages = append(pages, m.number)
				w, h = math.Max(w, m.box.Width), math.Max(h, m.box.Height)
			}
		}
		if len(pages) > 0 {
			out = append(out, FormatViolation{Rule: RuleTextBlock, Action: rule.Action, Pages: pages,
				Measured: FormatValue{WidthIn: inches(w), HeightIn: inches(h)},
				Template: FormatValue{WidthIn: inches(rule.Width), HeightIn: inches(rule.Height)},
				Message: fmt.Sprintf("text block %s x %s in on %s, template %s x %s in",
					fmtNum(inches(w)), fmtNum(inches(h)), pageList(pages), fmtNum(inches(rule.Width)), fmtNum(inches(rule.Height)))})
		}
	}
	if rule := r.FontSize; rule != nil {
		var pages []int
		counts := map[float64]int{}
		for _, m := range ms {
			if m.size > 0 && m.size < rule.Min-rule.Tolerance {
				pages = append(pages, m.number)
				counts[m.size]++
			}
		}
		if len(pages) > 0 {
			s := round1(mostChars(counts))
			out = append(out, FormatViolation{Rule: RuleFontSize, Action: rule.Action, Pages: pages,
				Measured: FormatValue{Points: s}, Template: FormatValue{Points: rule.Min},
				Message: fmt.Sprintf("body text %s pt on %s, template at least %s pt", fmtNum(s), pageList(pages), fmtNum(rule.Min))})
		}
	}
	if rule := r.Leading; rule != nil {
		var pages []int
		var leads []float64
		for _, m := range ms {
			if len(m.leads) >= minLeadPairs && median(m.leads) < rule.Min-rule.Tolerance {
				pages = append(pages, m.number)
				leads = append(leads, m.leads...)
			}
		}
		if len(pages) > 0 {
			l := round1(median(leads))
			out = append(out, FormatViolation{Rule: RuleLeading, Action: rule.Action, Pages: pages,
				Measured: FormatValue{Points: l}, Template: FormatValue{Points: rule.Min},
				Message: fmt.Sprintf("body lines %s pt apart (baseline to baseline) on %s, template at least %s pt", fmtNum(l), pageList(pages), fmtNum(rule.Min))})
		}
	}
	return out
}

// mostChars is the key with the largest count; the smaller key on a tie.
func mostChars(m map[float64]int) float64 {
	best, bestN := 0.0, 0
	for s, n := range m {
		if n > bestN || n == bestN && s < best {
			best, bestN = s, n
		}
	}
	return best
}

func letters(s string) int {
	n := 0
	for _, r := range s {
		if r != ' ' {
			n++
		}
	}
	return n
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

func inches(pt float64) float64 { return round1(pt / 72) }

// fmtNum writes a number without a trailing ".0".
func fmtNum(f float64) string { return strconv.FormatFloat(round1(f), 'f', -1, 64) }

// pageList writes "page 2", "pages 1–4" or "pages 1–2, 4".
func pageList(pages []int) string {
	if len(pages) == 1 {
		return "page " + strconv.Itoa(pages[0])
	}
	var parts []string
	for i := 0; i < len(pages); {
		j := i
		for j+1 < len(pages) && pages[j+1] == pages[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, strconv.Itoa(pages[i])+"–"+strconv.Itoa(pages[j]))
		} else {
			parts = append(parts, strconv.Itoa(pages[i]))
		}
		i = j + 1
	}
	return "pages " + strings.Join(parts, ", ")
}

// refusals joins the messages of the violations that refuse the file.
func (f *FormatReport) refusals() string {
	var msgs []string
	for _, v := range f.Violations {
		if v.Action == ActionRefuse {
			msgs = append(msgs, v.Message)
		}
	}
	return strings.Join(msgs, "; ")
}
