package venue

import (
	"reflect"
	"strings"
	"testing"
)

func TestDemoFormat(t *testing.T) {
	t.Parallel()
	s := demo(t)
	want := FormatCheck{
		Template:  "NeurIPS",
		PaperSize: &PaperSizeRule{Size: PageLetter, Action: FormatWarn},
		TextBlock: &TextBlockRule{Width: 5.5 * Inch, Height: 9 * Inch, Tolerance: 0.15 * Inch, Action: FormatWarn},
		FontSize:  &MinimumSizeRule{Min: 10, Tolerance: 0.3, Action: FormatWarn},
		Leading:   &MinimumSizeRule{Min: 11, Tolerance: 0.3, Action: FormatWarn},
	}
	if got := s.FormatFor("new-work"); !reflect.DeepEqual(got, want) {
		t.Errorf("new work's format %+v, want %+v", got, want)
	}
	// The published-work track's `format: {}` takes no rules, and says so
	// when exported again.
	if got := s.FormatFor("recently-published"); !reflect.DeepEqual(got, FormatCheck{}) {
		t.Errorf("recently published work's format %+v, want none", got)
	}
	out, err := Export(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"format:\n  template: neurips\n  action: warn\n", "    reviews_per_paper: 1\n    format: {}\n"} {
		if !strings.Contains(string(out), w) {
			t.Errorf("export lacks %q:\n%s", w, out)
		}
	}
	if strings.Contains(string(out), "    reviews_per_paper: 3\n    format") {
		t.Errorf("a track without a format got one:\n%s", out)
	}
}

// TestFormatOverrides: a rule given in part takes the rest from the
// preset; rules without a preset stand alone; a track's format replaces
// the venue's.
func TestFormatOverrides(t *testing.T) {
	t.Parallel()
	data := edit(t, "format:\n  template: neurips\n  action: warn\n", `format:
  template: neurips
  text_block: {action: refuse}
  leading: {min: 12pt}
`)
	data = []byte(strings.Replace(string(data), "    format: {}\n", `    format:
      paper_size: {size: a4}
      text_block: {width: 16.5cm, height: 24.5cm, tolerance: 2mm, action: refuse}
      font_size: {min: 9pt, tolerance: 0.25pt}
`, 1))
	s, probs, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse: %v %v", err, probs)
	}
	c := s.FormatFor("new-work")
	if c.TextBlock == nil || c.TextBlock.Action != FormatRefuse || c.TextBlock.Width != 5.5*Inch || c.TextBlock.Tolerance != 0.15*Inch {
		t.Errorf("text block %+v: the action given, the rest from the preset", c.TextBlock)
	}
	if c.Leading == nil || c.Leading.Min != 12 || c.Leading.Tolerance != 0.3 || c.Leading.Action != FormatWarn {
		t.Errorf("leading %+v", c.Leading)
	}
	if c.FontSize == nil || c.FontSize.Min != 10 || c.PaperSize == nil || c.PaperSize.Size != PageLetter {
		t.Errorf("preset rules lost: %+v %+v", c.FontSize, c.PaperSize)
	}
	p := s.FormatFor("recently-published")
	if p.Template != "" || p.Leading != nil || p.PaperSize == nil || p.PaperSize.Size != PageA4 || p.PaperSize.Action != FormatWarn {
		t.Errorf("track format %+v", p)
	}
	if tb := p.TextBlock; tb == nil || tb.Action != FormatRefuse || round(float64(tb.Width)) != 467.72 || round(float64(tb.Tolerance)) != 5.67 {
		t.Errorf("track text block %+v", p.TextBlock)
	}
	// An unknown track falls back on the venue's.
	if u := s.FormatFor("no-such-track"); u.Template != "NeurIPS" {
		t.Errorf("unknown track: %+v", u)
	}
	// And it all survives export.
	out, err := Export(s)
	if err != nil {
		t.Fatal(err)
	}
	back, _, err := Parse(out)
	if err != nil || !reflect.DeepEqual(back, s) {
		t.Fatalf("round trip: %v\n%s", err, out)
	}
}

func round(f float64) float64 { return float64(int(f*100+0.5)) / 100 }

func TestFormatRejects(t *testing.T) {
	t.Parallel()
	base := "format:\n  template: neurips\n  action: warn\n"
	tests := []struct {
		name, format string
		want         []wantProblem
	}{
		{"unknown template", "format:\n  template: acl\n", []wantProblem{{"format.template", "template: acl", `"acl" is not a known template ("neurips")`}}},
		{"unknown action", "format:\n  template: neurips\n  action: reject\n", []wantProblem{{"format.action", "action: reject", `"reject" is not one of "warn", "refuse"`}}},
		{"rule action", "format:\n  font_size: {min: 10pt, action: block}\n", []wantProblem{{"format.font_size.action", "font_size:", `"block" is not one of`}}},
		{"length without a unit", "format:\n  text_block: {width: 5.5, height: 9in}\n", []wantProblem{{"format.text_block.width", "width: 5.5", "not a length such as 5.5in"}}},
		{"negative length", "format:\n  leading: {min: -11pt}\n", []wantProblem{{"format.leading.min", "leading:", "not a length"}}},
		{"out of range", "format:\n  font_size: {min: 0.5pt}\n", []wantProblem{{"format.font_size.min", "font_size:", "0.5pt is out of range: between 4pt and 30pt"}}},
		{"half a block", "format:\n  text_block: {width: 5.5in}\n", []wantProblem{{"format.text_block.height", "text_block:", "required: a text block has a width and a height"}}},
		{"tolerance alone", "format:\n  leading: {tolerance: 0.5pt}\n", []wantProblem{{"format.leading.min", "leading:", "required"}}},
		{"paper", "format:\n  paper_size: {size: tabloid}\n", []wantProblem{{"format.paper_size.size", "paper_size:", `"tabloid" is not one of`}}},
		{"not a mapping", "format: neurips\n", []wantProblem{{"format", "format: neurips", "must be a mapping of format rules"}}},
		{"unknown rule", "format:\n  margins: 1in\n", []wantProblem{{"format.margins", "margins:", `unknown field "margins"`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkProblems(t, edit(t, base, tt.format), tt.want)
		})
	}
	t.Run("track", func(t *testing.T) {
		t.Parallel()
		checkProblems(t, edit(t, "    format: {}\n", "    format: {template: IEEE}\n"),
			[]wantProblem{{"tracks[1].format.template", "format: {template: IEEE}", "not a known template"}})
	})
}

func TestLength(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		pt   float64
		back string
	}{
		{"5.5in", 396, "5.5in"}, {"11pt", 11, "11pt"}, {"0.15in", 10.8, "0.15in"}, {"2.54cm", 72, "1in"},
		{"25.4 mm", 72, "1in"}, {"0.3pt", 0.3, "0.3pt"}, {"10pt", 10, "10pt"},
	} {
		l, err := ParseLength(tt.in)
		if err != nil || round(float64(l)) != tt.pt || l.String() != tt.back {
			t.Errorf("ParseLength(%q) = %v (%s), %v; want %v pt (%s)", tt.in, float64(l), l, err, tt.pt, tt.back)
		}
	}
	for _, bad := range []string{"", "5.5", "in", "5.5 inches", "-1pt", "NaNpt", "1e9pt"} {
		if _, err := ParseLength(bad); err == nil {
			t.Errorf("ParseLength(%q) accepted", bad)
		}
	}
}
