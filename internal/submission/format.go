package submission

import (
	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/venue"
)

// FormatRules are the template rules a PDF of track is checked against.
// A chair's waiver lifts the page check, and with it the format's
// refusals: what would refuse the file warns instead.
func FormatRules(set *venue.Settings, track string, waived bool) pdfcheck.FormatRules {
	c := set.FormatFor(track)
	action := func(a venue.FormatAction) string {
		if waived || a == "" {
			return pdfcheck.ActionWarn
		}
		return string(a)
	}
	out := pdfcheck.FormatRules{Template: c.Template}
	if r := c.PaperSize; r != nil {
		out.PaperSize = &pdfcheck.PaperSizeRule{Size: string(r.Size), Action: action(r.Action)}
	}
	if r := c.TextBlock; r != nil {
		out.TextBlock = &pdfcheck.TextBlockRule{Width: r.Width.Points(), Height: r.Height.Points(),
			Tolerance: r.Tolerance.Points(), Action: action(r.Action)}
	}
	minimum := func(r *venue.MinimumSizeRule) *pdfcheck.MinimumRule {
		if r == nil {
			return nil
		}
		return &pdfcheck.MinimumRule{Min: r.Min.Points(), Tolerance: r.Tolerance.Points(), Action: action(r.Action)}
	}
	out.FontSize, out.Leading = minimum(c.FontSize), minimum(c.Leading)
	return out
}
