package pdfcheck

import (
	"strings"
	"testing"
)

func TestNameMatching(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text string
		want       bool
	}{
		{"Alice Müller", "by Alice Müller and others", true},
		{"Alice Müller", "ALICE MULLER", true},
		{"Alice Müller", "alice-mueller-plot.pdf", true},
		{"Alice Müller", "Müller, Alice", true},
		{"Alice Müller", "A. Müller", true},
		{"Alice B. Müller", "A. B. Müller", true},
		{"Alice B. Müller", "Alice Müller", true},
		{"Alice Müller", "Alice Mu\u0308ller", true}, // decomposed umlaut
		{"Alice Müller", "Müller et al. showed", false},
		{"Bo Chen", "R. T. Q. Chen", false},
		{"Bo Chen", "Bochen", false},
	}
	for _, tt := range tests {
		h := newHaystack("t", tt.text, 2, false)
		got := false
		for _, v := range nameVariants(tt.name) {
			if strings.Contains(h.words, " "+v+" ") {
				got = true
			}
		}
		if got != tt.want {
			t.Errorf("%q in %q: %v, want %v (variants %q)", tt.name, tt.text, got, tt.want, nameVariants(tt.name))
		}
	}
}

func TestFindLeaks(t *testing.T) {
	t.Parallel()
	pages := []pageLines{
		{number: 1, height: 792, lines: []line{
			{text: "Contact: someone@example.org", top: 200, kind: KindBody},
			{text: "Preprint. Under review.", top: 720, kind: KindBody},
		}},
		{number: 2, height: 792, lines: []line{
			{text: "We thank Alice Müller.", top: 100, kind: KindBody},
			{text: "B. Chen and A. Müller. A paper. 2020.", top: 300, kind: KindReferences},
		}},
	}
	meta := []metaField{{where: "Info /Author", text: "Bo Chen"}}
	got := map[string]string{}
	for _, f := range findLeaks(alice, meta, pages) {
		got[f.Code+"@"+f.Where] = f.Message
	}
	for _, want := range []string{
		"author_name@metadata: Info /Author",
		"author_name@page 2 text",
		"email_on_first_page@page 1 text",
		"non_anonymous_build@page 1 footer",
	} {
		if _, ok := got[want]; !ok {
			t.Errorf("missing %s in %v", want, got)
		}
	}
	if _, ok := got["author_name@page 2 text (references)"]; ok {
		t.Error("a self-citation in the references was reported")
	}
	// The anonymous footer is not a finding.
	pages[0].lines[1].text = "Submitted to DLDE III. Do not distribute."
	for _, f := range findLeaks(Identity{}, nil, pages) {
		if f.Code == "non_anonymous_build" {
			t.Errorf("anonymous footer reported: %+v", f)
		}
	}
}
