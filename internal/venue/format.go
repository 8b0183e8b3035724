package venue

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Format is a template's geometry, which the PDF check measures on the
// body pages: paper, text block, body type size and leading. A squeezed
// paper keeps the page limit by leaving it. A template preset fills every
// rule the file does not give; a rule given in part (only its action, say)
// takes the rest from the preset.
type Format struct {
	// Template is a preset: "neurips" (US Letter, 5.5 x 9 in, 10 pt on
	// 11 pt), or empty for none.
	Template string `yaml:"template,omitempty"`
	// Action is what a rule without its own does: warn (the default) or
	// refuse.
	Action    FormatAction    `yaml:"action,omitempty"`
	PaperSize PaperSizeRule   `yaml:"paper_size,omitempty"`
	TextBlock TextBlockRule   `yaml:"text_block,omitempty"`
	FontSize  MinimumSizeRule `yaml:"font_size,omitempty"`
	Leading   MinimumSizeRule `yaml:"leading,omitempty"`

	// set is true when the file has a format here, even an empty one: a
	// track's `format: {}` means no rules, not the venue's.
	set bool
}

// FormatAction is what breaking a format rule does to an upload.
type FormatAction string

const (
	// FormatWarn accepts the file and tells the authors and chairs.
	FormatWarn FormatAction = "warn"
	// FormatRefuse refuses the upload; the previous version stays.
	FormatRefuse FormatAction = "refuse"
)

// PaperSizeRule is the template's paper.
type PaperSizeRule struct {
	Size   PageSize     `yaml:"size,omitempty"`
	Action FormatAction `yaml:"action,omitempty"`
}

// TextBlockRule is the template's text block; the body may reach past it
// by Tolerance.
type TextBlockRule struct {
	Width     Length       `yaml:"width,omitempty"`
	Height    Length       `yaml:"height,omitempty"`
	Tolerance Length       `yaml:"tolerance,omitempty"`
	Action    FormatAction `yaml:"action,omitempty"`
}

// MinimumSizeRule is a least body type size or leading.
type MinimumSizeRule struct {
	Min       Length       `yaml:"min,omitempty"`
	Tolerance Length       `yaml:"tolerance,omitempty"`
	Action    FormatAction `yaml:"action,omitempty"`
}

// FormatCheck is a Format with its preset applied and every action
// decided: what the PDF check is given. A nil rule is not checked.
type FormatCheck struct {
	// Template is the preset's name for people ("NeurIPS"), or "".
	Template  string
	PaperSize *PaperSizeRule
	TextBlock *TextBlockRule
	FontSize  *MinimumSizeRule
	Leading   *MinimumSizeRule
}

// formatPreset is a named template.
type formatPreset struct {
	label  string
	format Format
}

// formatPresets are the templates a venue file can name. Tolerances: the
// block's absorbs an overfull line and the glyphs' reach above and below
// the lines; the size's and the leading's absorb TeX points (1/72.27 in)
// against PDF points and rounding, not a \small or a \linespread.
var formatPresets = map[string]formatPreset{
	"neurips": {label: "NeurIPS", format: Format{
		PaperSize: PaperSizeRule{Size: PageLetter},
		TextBlock: TextBlockRule{Width: 5.5 * Inch, Height: 9 * Inch, Tolerance: 0.15 * Inch},
		FontSize:  MinimumSizeRule{Min: 10 * PDFPoint, Tolerance: 0.3 * PDFPoint},
		Leading:   MinimumSizeRule{Min: 11 * PDFPoint, Tolerance: 0.3 * PDFPoint},
	}},
}

// FormatFor is the format a submission to track is checked against: the
// track's own when its entry has a format, else the venue's.
func (s *Settings) FormatFor(track string) FormatCheck {
	if t, ok := s.Track(track); ok && t.Format.set {
		return t.Format.Check()
	}
	return s.Format.Check()
}

// Check applies the preset and the default action.
func (f Format) Check() FormatCheck {
	base := Format{}
	var out FormatCheck
	if p, ok := formatPresets[strings.ToLower(f.Template)]; ok {
		base, out.Template = p.format, p.label
	}
	action := f.Action
	if action == "" {
		action = FormatWarn
	}
	pick := func(a, b FormatAction) FormatAction {
		switch {
		case a != "":
			return a
		case b != "":
			return b
		}
		return action
	}
	if r := (PaperSizeRule{Size: or(f.PaperSize.Size, base.PaperSize.Size)}); r.Size != "" {
		r.Action = pick(f.PaperSize.Action, base.PaperSize.Action)
		out.PaperSize = &r
	}
	tb := TextBlockRule{Width: or(f.TextBlock.Width, base.TextBlock.Width), Height: or(f.TextBlock.Height, base.TextBlock.Height),
		Tolerance: or(f.TextBlock.Tolerance, base.TextBlock.Tolerance)}
	if tb.Width > 0 || tb.Height > 0 {
		tb.Action = pick(f.TextBlock.Action, base.TextBlock.Action)
		out.TextBlock = &tb
	}
	minimum := func(r, b MinimumSizeRule) *MinimumSizeRule {
		m := MinimumSizeRule{Min: or(r.Min, b.Min), Tolerance: or(r.Tolerance, b.Tolerance)}
		if m.Min <= 0 {
			return nil
		}
		m.Action = pick(r.Action, b.Action)
		return &m
	}
	out.FontSize = minimum(f.FontSize, base.FontSize)
	out.Leading = minimum(f.Leading, base.Leading)
	return out
}

func or[T comparable](a, b T) T {
	var zero T
	if a != zero {
		return a
	}
	return b
}

// IsZero lets an absent format stay absent on export while `format: {}`
// is written back as it was.
func (f Format) IsZero() bool {
	return !f.set && f == Format{}
}

func (f *Format) unmarshalNode(n *yaml.Node, p *decodeState, path string) {
	f.set = true
	if n.Kind != yaml.MappingNode {
		p.add(path, n, "must be a mapping of format rules (template, paper_size, text_block, font_size, leading)")
		return
	}
	type plain Format // the same fields, without this method
	var v plain
	p.decodeStruct(n, &v, path)
	*f = Format(v)
	f.set = true
}

var formatActions = []FormatAction{FormatWarn, FormatRefuse}

// validate reports the problems of a format at path (format, or
// tracks[1].format).
func (f Format) validate(ps *problems, path string) {
	if f.Template != "" {
		if _, ok := formatPresets[strings.ToLower(f.Template)]; !ok {
			names := make([]string, 0, len(formatPresets))
			for k := range formatPresets {
				names = append(names, k)
			}
			slices.Sort(names)
			ps.addf(path+".template", "%q is not a known template (%s); leave it out and give the rules instead", f.Template, joinQuoted(names))
		}
	}
	action := func(p string, a FormatAction) {
		if a != "" && !slices.Contains(formatActions, a) {
			ps.addf(p, "%q is not one of %s", a, joinQuoted(formatActions))
		}
	}
	action(path+".action", f.Action)
	action(path+".paper_size.action", f.PaperSize.Action)
	action(path+".text_block.action", f.TextBlock.Action)
	action(path+".font_size.action", f.FontSize.Action)
	action(path+".leading.action", f.Leading.Action)
	if sz := f.PaperSize.Size; sz != "" && !slices.Contains(formatPaper, sz) {
		ps.addf(path+".paper_size.size", "%q is not one of %s", sz, joinQuoted(formatPaper))
	}
	length := func(p string, l Length, lo, hi Length) {
		if l != 0 && (l < lo || l > hi) {
			ps.addf(p, "%s is out of range: between %s and %s", l, lo, hi)
		}
	}
	length(path+".text_block.width", f.TextBlock.Width, 1*Inch, 20*Inch)
	length(path+".text_block.height", f.TextBlock.Height, 1*Inch, 20*Inch)
	length(path+".text_block.tolerance", f.TextBlock.Tolerance, 0, 1*Inch)
	length(path+".font_size.min", f.FontSize.Min, 4*PDFPoint, 30*PDFPoint)
	length(path+".font_size.tolerance", f.FontSize.Tolerance, 0, 2*PDFPoint)
	length(path+".leading.min", f.Leading.Min, 4*PDFPoint, 40*PDFPoint)
	length(path+".leading.tolerance", f.Leading.Tolerance, 0, 2*PDFPoint)
	c := f.Check()
	if tb := c.TextBlock; tb != nil && tb.Width == 0 {
		ps.addf(path+".text_block.width", "required: a text block has a width and a height")
	} else if tb != nil && tb.Height == 0 {
		ps.addf(path+".text_block.height", "required: a text block has a width and a height")
	}
	if (f.FontSize.Tolerance != 0 || f.FontSize.Action != "") && c.FontSize == nil {
		ps.addf(path+".font_size.min", "required")
	}
	if (f.Leading.Tolerance != 0 || f.Leading.Action != "") && c.Leading == nil {
		ps.addf(path+".leading.min", "required")
	}
	if f.PaperSize.Action != "" && c.PaperSize == nil {
		ps.addf(path+".paper_size.size", "required")
	}
}

// formatPaper are the sizes a format rule can name.
var formatPaper = []PageSize{PageLetter, PageA4, "legal", "a5"}

func (s *Settings) validateFormats(ps *problems) {
	s.Format.validate(ps, "format")
	for i, t := range s.Tracks {
		t.Format.validate(ps, fmt.Sprintf("tracks[%d].format", i))
	}
}

// Length is a distance on the page in PDF points (1/72 in). Files say
// "5.5in", "11pt", "2cm" or "15mm"; export writes inches when they are
// round, points otherwise.
type Length float64

// Units of Length.
const (
	PDFPoint Length = 1
	Inch     Length = 72
)

var lengthUnits = []struct {
	name string
	size float64
}{{"in", 72}, {"pt", 1}, {"cm", 72 / 2.54}, {"mm", 72 / 25.4}}

// ParseLength reads a length with its unit.
func ParseLength(s string) (Length, error) {
	t := strings.TrimSpace(s)
	for _, u := range lengthUnits {
		if num, ok := strings.CutSuffix(t, u.name); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > 1000 {
				break
			}
			return Length(f * u.size), nil
		}
	}
	return 0, fmt.Errorf("%q is not a length such as 5.5in, 11pt or 2cm (pt is 1/72 in)", s)
}

// String writes l in inches when a hundredth of an inch divides it, else
// in points.
func (l Length) String() string {
	in := float64(l) / 72 * 100
	if r := math.Round(in); math.Abs(in-r) < 1e-6 && l >= 9 {
		return strconv.FormatFloat(r/100, 'f', -1, 64) + "in"
	}
	return strconv.FormatFloat(float64(l), 'f', -1, 64) + "pt"
}

// Points is l as a number of points.
func (l Length) Points() float64 { return float64(l) }

// MarshalYAML writes the String form.
func (l Length) MarshalYAML() (any, error) { return l.String(), nil }

func (l *Length) unmarshalNode(n *yaml.Node, p *decodeState, path string) {
	if n.Kind != yaml.ScalarNode {
		p.add(path, n, "must be a length such as 5.5in or 11pt")
		return
	}
	v, err := ParseLength(n.Value)
	if err != nil {
		p.add(path, n, err.Error())
		return
	}
	*l = v
}
