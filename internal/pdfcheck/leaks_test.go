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
	got := map[string]Finding{}
	for _, f := range findLeaks(alice, meta, pages) {
		got[f.Code+"@"+f.Where] = f
	}
	for _, want := range []struct {
		key        string
		page, line int
		text       string
	}{
		{"author_name@metadata: Info /Author", 0, 0, ""},
		{"author_name@page 2, line 1", 2, 1, "We thank Alice Müller."},
		{"email_on_first_page@page 1, line 1", 1, 1, "Contact: someone@example.org"},
		{"non_anonymous_build@page 1 footer, line 2", 1, 2, "Preprint. Under review."},
	} {
		f, ok := got[want.key]
		if !ok {
			t.Errorf("missing %s in %v", want.key, got)
			continue
		}
		if f.Page != want.page || f.Line != want.line || f.Text != want.text || f.InText != (want.page > 0) {
			t.Errorf("%s: page %d line %d %q in_text %v, want page %d line %d %q", want.key, f.Page, f.Line, f.Text, f.InText, want.page, want.line, want.text)
		}
	}
	for k := range got {
		if strings.Contains(k, "references") {
			t.Errorf("a self-citation in the references was reported: %s", k)
		}
	}
	rep := Report{Leaks: findLeaks(alice, meta, pages)}
	if n := len(rep.TextLeaks()); n != 3 {
		t.Errorf("%d leaks in the page text, want 3 (the metadata one is removed from the copy): %+v", n, rep.TextLeaks())
	}
	// The anonymous footer is not a finding.
	pages[0].lines[1].text = "Submitted to DLDE III. Do not distribute."
	for _, f := range findLeaks(Identity{}, nil, pages) {
		if f.Code == "non_anonymous_build" {
			t.Errorf("anonymous footer reported: %+v", f)
		}
	}
}
