package pdfcheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzInspect feeds arbitrary bytes to the pdfcpu stage, seeded with the
// corpus. A panic must come back as ErrDamaged, never escape; the worker
// relies on it, and what cannot be recovered (stack exhaustion) is the
// reason the stage runs in a child at all.
func FuzzInspect(f *testing.F) {
	// Small seeds: instrumented pdfcpu needs about half a second for one
	// 70 KB paper, which starves the mutator; the corpus papers are
	// checked whole by TestCorpus. The bombs are tested on their own.
	seeds, _ := filepath.Glob("testdata/*.pdf")
	for _, s := range seeds {
		if strings.Contains(s, "bomb") {
			continue
		}
		if data, err := os.ReadFile(s); err == nil && len(data) < 20<<10 {
			f.Add(data)
		}
	}
	f.Add([]byte(minimalPDF))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := inspectPDF(data, DefaultRules())
		if err == nil && (doc == nil || len(doc.pages) == 0) {
			t.Fatalf("accepted a file without pages")
		}
		if err != nil && doc != nil {
			t.Fatalf("document returned with error %v", err)
		}
	})
}

// FuzzLayout feeds arbitrary pdftohtml output to the layout reader and
// the classifier: a hostile PDF controls what poppler prints.
func FuzzLayout(f *testing.F) {
	f.Add([]byte(`<pdf2xml><page number="1" height="792" width="612"><fontspec id="0" size="10" family="X-Bold"/>` +
		`<text top="100" left="100" width="50" height="10" font="0"><b>References</b></text></page>` +
		`<outline><item page="1">References</item></outline></pdf2xml>`))
	f.Add([]byte(`<pdf2xml><page number="1" height="792" width="612"><text top="1e308" left="-5" width="NaN" height="x" font="9">1</text></page></pdf2xml>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		lay := parseLayout(data)
		body := bodyFontSize(lay)
		pages := arrange(lay, body)
		c := classify(pages, lay.outline, DefaultRules(), body)
		maxPage := 0
		for _, p := range pages {
			maxPage = max(maxPage, p.number)
		}
		if c.bodyPages > maxPage || c.bodyPages < 0 {
			t.Fatalf("body pages %d outside 0..%d", c.bodyPages, maxPage)
		}
		findLeaks(alice, nil, pages)
	})
}

// minimalPDF is a one-page file with a text, an outline-free catalog, an
// Info dictionary, and a cross-reference table with correct offsets.
const minimalPDF = "%PDF-1.4\n" +
	"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" +
	"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n" +
	"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>\nendobj\n" +
	"4 0 obj\n<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 720 Td (References) Tj ET\nendstream\nendobj\n" +
	"5 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n" +
	"6 0 obj\n<< /Author (Alice) /PTEX.Fullbanner (x) >>\nendobj\n" +
	"xref\n0 7\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \n0000000241 00000 n \n0000000332 00000 n \n0000000402 00000 n \n" +
	"trailer\n<< /Size 7 /Root 1 0 R /Info 6 0 R >>\nstartxref\n460\n%%EOF\n"
