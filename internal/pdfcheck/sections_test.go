package pdfcheck

import (
	"strconv"
	"testing"
)

func TestSectionKind(t *testing.T) {
	t.Parallel()
	tests := []struct{ heading, want string }{
		{"References", KindReferences},
		{"7 References", KindReferences},
		{"REFERENCES", KindReferences},
		{"Bibliography", KindReferences},
		{"References and Notes", KindReferences},
		{"Acknowledgments and Disclosure of Funding", KindAcknowledgements},
		{"Acknowledgements", KindAcknowledgements},
		{"Acknowledgment.", KindAcknowledgements},
		{"6 Acknowledgements", KindAcknowledgements},
		{"NeurIPS Paper Checklist", KindChecklist},
		{"Reproducibility Checklist", KindChecklist},
		{"Appendix", KindAppendix},
		{"Appendix A: Proofs", KindAppendix},
		{"Appendices", KindAppendix},
		{"A Appendix", KindAppendix},
		{"Supplementary Material", KindSupplementary},
		{"Broader Impact", KindBroaderImpact},
		{"Societal Impacts", KindBroaderImpact},
		{"5 Limitations", KindLimitations},
		{"Limitations and future work", KindLimitations},
		{"Introduction", ""},
		{"Related work on references in text", ""},
		{"A Proofs", ""}, // an appendix only after the references: see classify
		{"", ""},
	}
	for _, tt := range tests {
		if got := sectionKind(tt.heading); got != tt.want {
			t.Errorf("sectionKind(%q) = %q, want %q", tt.heading, got, tt.want)
		}
	}
}

// page builds a one-column test page from (top, size, bold, text) rows.
func page(n int, rows ...textElem) textPage {
	for i := range rows {
		if rows[i].left == 0 {
			rows[i].left = 108
		}
		if rows[i].width == 0 {
			rows[i].width = float64(len(rows[i].text)) * 5
		}
		rows[i].height = rows[i].size * 0.9
	}
	return textPage{number: n, width: 612, height: 792, elems: rows}
}

func para(top float64) textElem {
	return textElem{top: top, size: 10, text: "The quick brown fox jumps over the lazy dog, which is a long line of body text."}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	refs := textElem{top: 0, size: 12, bold: true, text: "References"}
	at := func(e textElem, top float64) textElem { e.top = top; return e }
	tests := []struct {
		name    string
		pages   []textPage
		outline []outlineItem
		rules   func(*Rules)
		body    int
		decided bool
	}{
		{name: "heading at top of page 2", pages: []textPage{page(1, para(100), para(700)), page(2, at(refs, 80), para(100))}, body: 1, decided: true},
		{name: "heading mid-page 2", pages: []textPage{page(1, para(100)), page(2, para(80), at(refs, 300), para(320))}, body: 2, decided: true},
		{name: "run-in acknowledgements", pages: []textPage{page(1, para(100)),
			page(2, textElem{top: 80, left: 108, width: 80, size: 10, bold: true, text: "Acknowledgements."},
				textElem{top: 80, left: 190, width: 300, size: 10, text: "We thank the reviewers for their careful reading."}, para(100))}, body: 1, decided: true},
		{name: "no excluded section", pages: []textPage{page(1, para(100)), page(2, para(100)), page(3)}, body: 2},
		{name: "outline names a plain-styled heading", pages: []textPage{page(1, para(100)),
			page(2, textElem{top: 80, size: 10, text: "Bibliography"}, para(100))},
			outline: []outlineItem{{page: 2, title: "Bibliography"}}, body: 1, decided: true},
		{name: "limitations counted when not excluded", pages: []textPage{page(1, para(100)),
			page(2, textElem{top: 80, size: 12, bold: true, text: "Limitations"}, para(100), at(refs, 300))}, body: 2, decided: true},
		{name: "limitations excluded by the venue", pages: []textPage{page(1, para(100)),
			page(2, textElem{top: 80, size: 12, bold: true, text: "Limitations"}, para(100), at(refs, 300))},
			rules: func(r *Rules) { r.Excluded = append(r.Excluded, KindLimitations) }, body: 1, decided: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rules := DefaultRules()
			if tt.rules != nil {
				tt.rules(&rules)
			}
			lay := layout{pages: tt.pages, outline: tt.outline}
			body := bodyFontSize(lay)
			c := classify(arrange(lay, body), lay.outline, rules, body)
			if c.bodyPages != tt.body || c.decided != tt.decided {
				t.Errorf("body %d decided %v, want %d %v (%s)", c.bodyPages, c.decided, tt.body, tt.decided, c.bodyEnd)
			}
		})
	}
}

// TestTwoColumnsAndLineNumbers: on a two-column page with margin line
// numbers, a heading at the top of the right column comes after the whole
// left column in reading order.
func TestTwoColumnsAndLineNumbers(t *testing.T) {
	t.Parallel()
	var elems []textElem
	for i := range 20 {
		top := 100 + float64(i)*12
		elems = append(elems,
			textElem{top: top, left: 54, width: 240, height: 9, size: 10, text: "left column text of the body, long enough"},
			textElem{top: top + 3, left: 40, width: 5, height: 5, size: 5, text: strconv.Itoa(i + 1)},
		)
		if i > 0 {
			elems = append(elems, textElem{top: top, left: 318, width: 240, height: 9, size: 10, text: "right column text of the references list"})
		}
	}
	elems = append(elems, textElem{top: 100, left: 318, width: 60, height: 11, size: 12, bold: true, text: "References"})
	lay := layout{pages: []textPage{
		{number: 1, width: 612, height: 792, elems: []textElem{{top: 100, left: 54, width: 504, height: 9, size: 10, text: "a full-width line of body text on the first page of the paper"}}},
		{number: 2, width: 612, height: 792, elems: elems},
	}}
	body := bodyFontSize(lay)
	pages := arrange(lay, body)
	if pages[1].columns != 2 {
		t.Fatalf("columns = %d, want 2", pages[1].columns)
	}
	for _, ln := range pages[1].lines {
		if digitsOnly.MatchString(ln.text) {
			t.Fatalf("line number kept as text: %q", ln.text)
		}
	}
	c := classify(pages, nil, DefaultRules(), body)
	if c.bodyPages != 2 || len(c.sections) == 0 || c.sections[0].Column != 2 {
		t.Fatalf("body %d, sections %+v; want 2 with references in column 2", c.bodyPages, c.sections)
	}
}
