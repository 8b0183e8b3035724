package webui

import (
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/venue"
)

// formatView is the format check's part of a report: what the body
// measures, and each template rule it breaks, in the report's words.
type formatView struct {
	Template   string
	Measured   string
	Violations []formatRow
}

type formatRow struct {
	Text   string
	Refuse bool
}

// blockBox places a page's measured text block over its thumbnail, in
// percent of the page; Over marks a block past the template's.
type blockBox struct {
	Left, Top, Width, Height string
	Over                     bool
}

func newFormatView(f *pdfcheck.FormatReport) *formatView {
	if f == nil {
		return nil
	}
	v := &formatView{Template: f.Template}
	var parts []string
	if f.BodyFontSize > 0 {
		parts = append(parts, "body text "+num1(f.BodyFontSize)+" pt")
	}
	if f.Leading > 0 {
		parts = append(parts, "lines "+num1(f.Leading)+" pt apart")
	}
	var w, h float64
	for _, b := range f.TextBlocks {
		w, h = max(w, b.Width), max(h, b.Height)
	}
	if w > 0 {
		parts = append(parts, "text block up to "+num1(w/72)+" x "+num1(h/72)+" in")
	}
	if len(parts) > 0 {
		v.Measured = strings.Join(parts, ", ") + "."
	}
	for _, x := range f.Violations {
		v.Violations = append(v.Violations, formatRow{Text: sentence(x.Message), Refuse: x.Action == pdfcheck.ActionRefuse})
	}
	return v
}

// pageBlocks are the boxes to draw on the thumbnails, by page number.
func pageBlocks(f *pdfcheck.FormatReport) map[int]*blockBox {
	if f == nil {
		return nil
	}
	var over []int
	for _, x := range f.Violations {
		if x.Rule == pdfcheck.RuleTextBlock {
			over = x.Pages
		}
	}
	out := map[int]*blockBox{}
	for _, b := range f.TextBlocks {
		if b.PageWidth <= 0 || b.PageHeight <= 0 {
			continue
		}
		pct := func(v, of float64) string { return strconv.FormatFloat(min(max(100*v/of, 0), 100), 'f', 2, 64) }
		out[b.Page] = &blockBox{Left: pct(b.X, b.PageWidth), Top: pct(b.Y, b.PageHeight),
			Width: pct(b.Width, b.PageWidth), Height: pct(b.Height, b.PageHeight), Over: slices.Contains(over, b.Page)}
	}
	return out
}

// formatSummary is a submission's format findings in one line, for the
// chairs' list; "" when the body keeps to the template.
func formatSummary(r *pdfcheck.Report) string {
	if r == nil || r.Format == nil || len(r.Format.Violations) == 0 {
		return ""
	}
	msgs := make([]string, len(r.Format.Violations))
	for i, v := range r.Format.Violations {
		msgs[i] = v.Message
	}
	return "Format: " + strings.Join(msgs, "; ")
}

// num1 writes a measure to a tenth, without a trailing ".0".
func num1(f float64) string {
	return strconv.FormatFloat(float64(int(f*10+0.5))/10, 'f', -1, 64)
}

var paperNames = map[venue.PageSize]string{venue.PageLetter: "US Letter", venue.PageA4: "A4"}

// formatFacts say what the venue's format rules ask, for its page: the
// venue's, then each track whose own differ.
func formatFacts(set *venue.Settings) []string {
	base := set.FormatFor("")
	out := []string{}
	if s := describeFormat(base); s != "" {
		out = append(out, "Format: "+s)
	}
	for _, t := range set.Tracks {
		c := set.FormatFor(t.Key)
		if reflect.DeepEqual(c, base) {
			continue
		}
		s := describeFormat(c)
		if s == "" {
			s = "no format rules"
		}
		out = append(out, t.Name+": "+s)
	}
	return out
}

// describeFormat writes a format check out: "the NeurIPS template: US
// Letter, a 5.5 x 9 in text block, … (warned)".
func describeFormat(c venue.FormatCheck) string {
	var parts []string
	var actions []venue.FormatAction
	if r := c.PaperSize; r != nil {
		name := paperNames[r.Size]
		if name == "" {
			name = string(r.Size)
		}
		parts, actions = append(parts, name+" paper"), append(actions, r.Action)
	}
	if r := c.TextBlock; r != nil {
		parts = append(parts, "a "+num1(r.Width.Points()/72)+" x "+num1(r.Height.Points()/72)+" in text block")
		actions = append(actions, r.Action)
	}
	if r := c.FontSize; r != nil {
		parts, actions = append(parts, "body type of at least "+num1(r.Min.Points())+" pt"), append(actions, r.Action)
	}
	if r := c.Leading; r != nil {
		parts, actions = append(parts, "lines at least "+num1(r.Min.Points())+" pt apart"), append(actions, r.Action)
	}
	if len(parts) == 0 {
		return ""
	}
	s := strings.Join(parts, ", ")
	if c.Template != "" {
		s = "the " + c.Template + " template (" + s + ")"
	}
	switch {
	case !slices.Contains(actions, venue.FormatRefuse):
		return s + "; a paper outside it is accepted with a warning"
	case !slices.Contains(actions, venue.FormatWarn):
		return s + "; a paper outside it is refused"
	}
	return s + "; a paper outside it is warned or, for some rules, refused"
}
