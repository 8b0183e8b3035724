package pdfcheck

import (
	"context"
	"os"
	"testing"
)

// BenchmarkMeasureFormat is the format check's own share of a check, in
// the worker: the fonts' metrics read from pdfcpu's objects, then the
// measures and the rules over the arranged, classified lines of the
// six-page paper (pdftohtml's run, which the check makes anyway, is
// outside the loop).
func BenchmarkMeasureFormat(b *testing.B) {
	tp, err := NewToolbox("").paths()
	if err != nil {
		b.Skip(err)
	}
	const file = "testdata/sixpage.pdf"
	xml, err := runPdftohtml(context.Background(), file, popplerLimits{Timeout: 1e10, MemoryBytes: 1 << 30, CPUSeconds: 10}, tp)
	if err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	rules := benchRules()
	doc, err := inspectPDF(data, rules)
	if err != nil {
		b.Fatal(err)
	}
	lay := parseLayout(xml)
	body := bodyFontSize(lay)
	pages := arrange(lay, body)
	classify(pages, lay.outline, rules, body)
	format := NeurIPSFormat(ActionWarn)
	for b.Loop() {
		rep := measureFormat(pages, doc.pages, fontMetrics(doc.ctx), format)
		if rep.BodyFontSize != 10 {
			b.Fatalf("body size %v", rep.BodyFontSize)
		}
	}
}

// FuzzFormat feeds arbitrary pdftohtml output through the format
// measures: a hostile PDF controls what poppler prints.
func FuzzFormat(f *testing.F) {
	f.Add([]byte(`<pdf2xml><page number="1" height="792" width="612"><fontspec id="0" size="10" family="X+Times"/>` +
		`<text top="100" left="108" width="396" height="8.9" font="0">a line of body text long enough to count</text>` +
		`<text top="111" left="108" width="396" height="8.9" font="0">another line of body text long enough</text></page></pdf2xml>`))
	f.Add([]byte(`<pdf2xml><page number="1" height="0" width="-1"><fontspec id="0" size="0" family="X+Times"/><text top="1e6" left="-1e6" width="1e6" height="0" font="0">x</text></page></pdf2xml>`))
	metrics := map[string]fontMetric{"X+Times": {0.683, -0.217}, "Zero": {0, 0}}
	f.Fuzz(func(t *testing.T, data []byte) {
		lay := parseLayout(data)
		body := bodyFontSize(lay)
		pages := arrange(lay, body)
		classify(pages, lay.outline, DefaultRules(), body)
		var dims []PageInfo
		for _, p := range lay.pages {
			dims = append(dims, PageInfo{Number: p.number, Width: p.width, Height: p.height, Size: sizeName(p.width, p.height)})
		}
		rep := measureFormat(pages, dims, metrics, NeurIPSFormat(ActionRefuse))
		for _, v := range rep.Violations {
			if len(v.Pages) == 0 || v.Message == "" {
				t.Fatalf("violation without pages or message: %+v", v)
			}
		}
	})
}
