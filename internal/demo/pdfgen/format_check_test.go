package pdfgen_test

import (
	"context"
	"testing"

	"github.com/quirehq/quire/internal/demo/pdfgen"
	"github.com/quirehq/quire/internal/pdfcheck"
)

// TestFormat: the generated papers keep to the NeurIPS template the demo
// venue names, and a shrunk one is warned with its type size.
func TestFormat(t *testing.T) {
	t.Parallel()
	c := testChecker(t)
	rules := pdfcheck.DefaultRules()
	rules.Format = pdfcheck.NeurIPSFormat(pdfcheck.ActionWarn)
	for _, tt := range []struct {
		name    string
		scale   float64
		size    float64
		leading float64
		message string
	}{
		{"as designed", 0, 10, 12, ""},
		{"shrunk to 90%", 0.9, 9, 10.8, "body text 9 pt on pages 1–4, template at least 10 pt"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := paper(3.5)
			p.Scale = tt.scale
			rep, err := c.Check(context.Background(), writeTemp(t, p), rules, pdfcheck.Identity{}, "")
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			f := rep.Format
			if f == nil || f.BodyFontSize != tt.size || f.Leading != tt.leading {
				t.Fatalf("format %+v, want %v pt on %v pt", f, tt.size, tt.leading)
			}
			msg := ""
			if len(f.Violations) > 0 {
				msg = f.Violations[0].Message
			}
			if len(f.Violations) > 1 || msg != tt.message {
				t.Errorf("violations %+v, want %q", f.Violations, tt.message)
			}
		})
	}
	if err := pdfgen.Write(new(discard), pdfgen.Paper{Title: "x", BodyPages: 1, Scale: 0.3}); err == nil {
		t.Error("a paper at 30% was written")
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
