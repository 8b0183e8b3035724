package pdfcheck

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

// twoColumnFormat is the two-column workshop template of the corpus
// (dlde.sty's twocol option): letter, 7 x 9 in, 10 pt on 12 pt.
func twoColumnFormat() FormatRules {
	return FormatRules{
		Template:  "two-column workshop",
		PaperSize: &PaperSizeRule{Size: "letter", Action: ActionWarn},
		TextBlock: &TextBlockRule{Width: 7 * 72, Height: 9 * 72, Tolerance: DefaultBlockTolerance, Action: ActionWarn},
		FontSize:  &MinimumRule{Min: 10, Tolerance: DefaultFontTolerance, Action: ActionWarn},
		Leading:   &MinimumRule{Min: 12, Tolerance: DefaultLeadingTolerance, Action: ActionWarn},
	}
}

// plainFormat is what a venue without a template may still ask of any
// file, Word's and Chromium's included: no block, readable type.
func plainFormat() FormatRules {
	return FormatRules{
		FontSize: &MinimumRule{Min: 10, Tolerance: DefaultFontTolerance, Action: ActionWarn},
		Leading:  &MinimumRule{Min: 11, Tolerance: DefaultLeadingTolerance, Action: ActionWarn},
	}
}

// TestFormatCorpus runs the format corpus (testdata/src/fmt-*.tex, built
// by testdata/build-format.sh) through the sandboxed check: every squeeze
// is named with what was measured, and no paper that keeps to its
// template is.
func TestFormatCorpus(t *testing.T) {
	t.Parallel()
	checker := testChecker(t, "1", CheckerOptions{})
	type want struct {
		rule     string
		pages    []int
		measured FormatValue
		message  string
	}
	tests := []struct {
		file     string
		format   FormatRules
		size     float64 // measured body size
		leading  float64 // measured leading
		findings []want
	}{
		// Legitimate papers: nothing to report.
		{file: "fmt-ok", format: NeurIPSFormat(ActionWarn), size: 10, leading: 10.9},
		{file: "fmt-final", format: NeurIPSFormat(ActionWarn), size: 10, leading: 10.9},
		{file: "fmt-twocol", format: twoColumnFormat(), size: 10, leading: 12},
		{file: "twocol", format: twoColumnFormat(), size: 10, leading: 12},
		{file: "exact4", format: NeurIPSFormat(ActionWarn), size: 10, leading: 12},
		{file: "sixpage", format: NeurIPSFormat(ActionWarn), size: 10, leading: 12},
		{file: "checklist", format: NeurIPSFormat(ActionWarn), size: 10, leading: 12},
		{file: "word", format: FormatRules{}, size: 10.5, leading: 12.3},
		{file: "chromium", format: FormatRules{}, size: 10.5, leading: 12},
		{file: "word", format: plainFormat(), size: 10.5, leading: 12.3},
		{file: "chromium", format: plainFormat(), size: 10.5, leading: 12},
		// The squeezes.
		{file: "fmt-geometry", format: NeurIPSFormat(ActionWarn), size: 10, leading: 10.9, findings: []want{
			{RuleTextBlock, []int{1, 2, 3, 4}, FormatValue{WidthIn: 6.9, HeightIn: 9.4}, "text block 6.9 x 9.4 in on pages 1–4, template 5.5 x 9 in"}}},
		{file: "fmt-fontsize", format: NeurIPSFormat(ActionWarn), size: 8.5, leading: 10, findings: []want{
			{RuleFontSize, []int{1, 2, 3, 4}, FormatValue{Points: 8.5}, "body text 8.5 pt on pages 1–4, template at least 10 pt"},
			{RuleLeading, []int{1, 2, 3, 4}, FormatValue{Points: 10}, "body lines 10 pt apart (baseline to baseline) on pages 1–4, template at least 11 pt"}}},
		{file: "fmt-linespread", format: NeurIPSFormat(ActionWarn), size: 10, leading: 9.4, findings: []want{
			{RuleLeading, []int{1, 2, 3}, FormatValue{Points: 9.4}, "body lines 9.4 pt apart (baseline to baseline) on pages 1–3, template at least 11 pt"}}},
		{file: "fmt-vspace", format: NeurIPSFormat(ActionWarn), size: 10, leading: 10.9, findings: []want{
			{RuleTextBlock, []int{1, 2, 3}, FormatValue{WidthIn: 5.5, HeightIn: 9.8}, "text block 5.5 x 9.8 in on pages 1–3, template 5.5 x 9 in"}}},
		// A two-column paper is not a NeurIPS paper.
		{file: "fmt-twocol", format: NeurIPSFormat(ActionWarn), size: 10, leading: 12, findings: []want{
			{RuleTextBlock, []int{1, 2, 3}, FormatValue{WidthIn: 7.1, HeightIn: 9}, "text block 7.1 x 9 in on pages 1–3, template 5.5 x 9 in"}}},
		{file: "word", format: NeurIPSFormat(ActionWarn), size: 10.5, leading: 12.3, findings: []want{
			{RulePaperSize, []int{1, 2}, FormatValue{Size: "a4", WidthIn: 8.3, HeightIn: 11.7}, "paper a4 (8.3 x 11.7 in) on pages 1–2, template letter"},
			{RuleTextBlock, []int{1, 2}, FormatValue{WidthIn: 6.3, HeightIn: 9.6}, "text block 6.3 x 9.6 in on pages 1–2, template 5.5 x 9 in"}}},
	}
	for _, tt := range tests {
		name := tt.file + "/" + tt.format.Template
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rules := DefaultRules()
			rules.PageSizes, rules.PageLimit = nil, 0
			rules.Format = tt.format
			rep, err := checker.Check(context.Background(), "testdata/"+tt.file+".pdf", rules, Identity{}, "")
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			f := rep.Format
			if f == nil {
				t.Fatal("no format report")
			}
			if f.BodyFontSize != tt.size || f.Leading != tt.leading {
				t.Errorf("measured %v pt on %v pt, want %v on %v", f.BodyFontSize, f.Leading, tt.size, tt.leading)
			}
			if len(f.TextBlocks) == 0 {
				t.Error("no text blocks measured")
			}
			if len(f.Violations) != len(tt.findings) {
				t.Fatalf("violations %+v, want %d", f.Violations, len(tt.findings))
			}
			for i, w := range tt.findings {
				v := f.Violations[i]
				if v.Rule != w.rule || !slices.Equal(v.Pages, w.pages) || v.Measured != w.measured || v.Message != w.message || v.Action != ActionWarn {
					t.Errorf("violation %d:\n got %+v\nwant %+v", i, v, w)
				}
			}
			if rep.Verdict != VerdictOK {
				t.Errorf("verdict %s: a warning does not change it", rep.Verdict)
			}
		})
	}
}

// TestFormatRefusal: a rule set to refuse turns the squeeze into a
// refusal that carries the report, as an over-limit refusal does.
func TestFormatRefusal(t *testing.T) {
	t.Parallel()
	checker := testChecker(t, "1", CheckerOptions{})
	rules := DefaultRules()
	rules.Format = NeurIPSFormat(ActionWarn)
	rules.Format.TextBlock.Action = ActionRefuse
	_, err := checker.Check(context.Background(), "testdata/fmt-geometry.pdf", rules, Identity{}, "")
	var ce *CheckError
	if !errors.As(err, &ce) || ce.Code != "format_violation" || !errors.Is(err, ErrFormat) {
		t.Fatalf("Check = %v, want a format_violation refusal", err)
	}
	if ce.Report == nil || ce.Report.Format == nil || !ce.Report.Format.Refused() {
		t.Fatalf("refusal carries no format report: %+v", ce.Report)
	}
	if want := "does not follow the venue's template: text block 6.9 x 9.4 in on pages 1–4, template 5.5 x 9 in"; ce.Error() != want {
		t.Errorf("error %q, want %q", ce.Error(), want)
	}
	// Warned rules do not refuse: the paper in the template's size passes.
	if _, err := checker.Check(context.Background(), "testdata/fmt-ok.pdf", rules, Identity{}, ""); err != nil {
		t.Errorf("fmt-ok refused: %v", err)
	}
}

func TestPageList(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		pages []int
		want  string
	}{
		{[]int{2}, "page 2"},
		{[]int{1, 2, 3, 4}, "pages 1–4"},
		{[]int{1, 2, 4}, "pages 1–2, 4"},
		{[]int{1, 3, 5, 6}, "pages 1, 3, 5–6"},
	} {
		if got := pageList(tt.pages); got != tt.want {
			t.Errorf("pageList(%v) = %q, want %q", tt.pages, got, tt.want)
		}
	}
}

// TestExactSize: the height gives the size back only when the font's
// metrics agree with poppler's rounded size; otherwise the rounded size
// stands.
func TestExactSize(t *testing.T) {
	t.Parallel()
	m := map[string]fontMetric{"X+Times": {0.678, -0.216}}
	e := textElem{family: "X+Times", size: 8, height: 8.4682 * 0.894}
	if got := exactSize(e, m); got != 8.47 {
		t.Errorf("exactSize = %v, want 8.47", got)
	}
	e.size = 12 // disagrees by far: poppler's figure wins
	if got := exactSize(e, m); got != 12 {
		t.Errorf("exactSize = %v, want 12", got)
	}
	e.family = "Unknown"
	if got := exactSize(e, m); got != 12 {
		t.Errorf("exactSize without metrics = %v, want 12", got)
	}
}

// TestFormatTablePage: a page mostly filled with a table in small type is
// not a body in small type; a page of paragraphs in small type is.
func TestFormatTablePage(t *testing.T) {
	t.Parallel()
	metrics := map[string]fontMetric{"T": {0.683, -0.217}}
	run := func(top, left, width, size float64, text string) textElem {
		return textElem{top: top, left: left, width: width, height: 0.9 * size, size: math.Round(size), text: text, family: "T"}
	}
	body := func(top float64) line {
		return line{kind: KindBody, column: 1, elems: []textElem{run(top, 108, 396, 10, strings.Repeat("body text ", 9))}}
	}
	var table, small pageLines
	table.number, small.number = 1, 1
	y := 72.0
	for range 8 { // a few lines of the paragraph above the table
		table.lines = append(table.lines, body(y))
		y += 11
	}
	for range 40 { // then a long table in 8 pt: five short cells a row
		ln := line{kind: KindBody, column: 1}
		for c := range 5 {
			ln.elems = append(ln.elems, run(y, 108+float64(c)*80, 60, 8, "cell 0.123"))
		}
		table.lines = append(table.lines, ln)
		y += 10
	}
	for i := range 50 {
		small.lines = append(small.lines, line{kind: KindBody, column: 1, elems: []textElem{run(72+float64(i)*10, 108, 396, 8.5, strings.Repeat("small text ", 9))}})
	}
	dims := []PageInfo{{Number: 1, Size: "letter", Width: 612, Height: 792}}
	if rep := measureFormat([]pageLines{table}, dims, metrics, NeurIPSFormat(ActionWarn)); len(rep.Violations) != 0 || rep.BodyFontSize != 10 {
		t.Errorf("table page: body %v pt, violations %+v", rep.BodyFontSize, rep.Violations)
	}
	rep := measureFormat([]pageLines{small}, dims, metrics, NeurIPSFormat(ActionWarn))
	if len(rep.Violations) != 2 || rep.Violations[0].Message != "body text 8.5 pt on page 1, template at least 10 pt" || rep.Leading != 10 {
		t.Errorf("small page: leading %v, violations %+v", rep.Leading, rep.Violations)
	}
}
