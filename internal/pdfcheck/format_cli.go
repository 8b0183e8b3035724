package pdfcheck

import (
	"fmt"
	"io"
	"strings"
)

// cliFormat sets the rules' template from `quire pdfcheck --template`.
func cliFormat(rules *Rules, template, action string) error {
	if action != ActionWarn && action != ActionRefuse {
		return fmt.Errorf("--format-action %q: want warn or refuse", action)
	}
	switch strings.ToLower(template) {
	case "":
	case "neurips":
		rules.Format = NeurIPSFormat(action)
	default:
		return fmt.Errorf("--template %q: the built-in template is neurips", template)
	}
	return nil
}

// printFormat writes what the format check measured and each rule the
// body breaks.
func printFormat(w io.Writer, f *FormatReport) {
	if f == nil {
		return
	}
	var parts []string
	if f.BodyFontSize > 0 {
		parts = append(parts, fmtNum(f.BodyFontSize)+" pt type")
	}
	if f.Leading > 0 {
		parts = append(parts, "lines "+fmtNum(f.Leading)+" pt apart")
	}
	var bw, bh float64
	for _, b := range f.TextBlocks {
		bw, bh = max(bw, b.Width), max(bh, b.Height)
	}
	if bw > 0 {
		parts = append(parts, "text block up to "+fmtNum(inches(bw))+" x "+fmtNum(inches(bh))+" in")
	}
	against := "no template"
	if f.Template != "" {
		against = "template " + f.Template
	}
	fmt.Fprintf(w, "  format   %s (%s)\n", strings.Join(parts, ", "), against)
	for _, v := range f.Violations {
		fmt.Fprintf(w, "  format   %s %s: %s\n", strings.ToUpper(v.Action), v.Rule, v.Message)
	}
}
