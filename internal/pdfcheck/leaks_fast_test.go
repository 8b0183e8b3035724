package pdfcheck

import (
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// slowWords is wordsOf as it was before its ASCII path: every normal form
// applied to every string.
func slowWords(s string) string {
	s = strings.Join(strings.Fields(norm.NFKC.String(s)), " ")
	out, _, err := transform.String(transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
	if err != nil {
		out = s
	}
	out = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return ' '
	}, strings.ToLower(out))
	return strings.Join(strings.Fields(out), " ")
}

var foldCases = []string{
	"", " ", "Alice Müller, ETH Zürich", "ALICE\tmueller-smith (2023)", "ﬁnal ﬂow", "e\u0301cole", "\u0301leading mark",
	"naïve café", "a\u00a0b", "x@y.org; 0000-0002-1825-0097", "Ǆ ǅ ǆ", "İstanbul", "Straße", "  many   spaces  ",
	"x₂ ¹ ½", "ΣΊΣΥΦΟΣ", "中文 名字", "tab\there", "Author_Name", "über-\nnext line",
}

func TestFastFoldingMatchesNormalForms(t *testing.T) {
	for _, c := range foldCases {
		if got, want := wordsOf(c), slowWords(c); got != want {
			t.Errorf("wordsOf(%q) = %q, want %q", c, got, want)
		}
	}
	for c := range 128 { // every ASCII byte, between letters and alone
		s := "Ab" + string(rune(c)) + "cD" + string(rune(c))
		if got, want := wordsOf(s), slowWords(s); got != want {
			t.Errorf("wordsOf(%q) = %q, want %q", s, got, want)
		}
	}
}

// A page's haystack is made from its lines' folded forms; it must be what
// folding the page's text as a whole gives, so that a name broken over
// two lines is still found in the page.
func TestLinesHaystackMatchesWholeText(t *testing.T) {
	for n := 0; n <= len(foldCases); n++ {
		texts := append(foldCases[n:], foldCases[:n]...)
		var lines []located
		for i, s := range texts[:n] {
			lines = append(lines, located{number: i + 1, text: s, raw: strings.ToLower(cleanText(s)), words: " " + wordsOf(s) + " "})
		}
		var body strings.Builder
		for _, l := range lines {
			body.WriteString(l.text)
			body.WriteByte('\n')
		}
		want := newHaystack("p", body.String(), 1, false)
		got := linesHaystack("p", lines, 1, false)
		if got.raw != want.raw || got.words != want.words {
			t.Errorf("%d lines: raw %q words %q, want raw %q words %q", n, got.raw, got.words, want.raw, want.words)
		}
	}
	// A name broken over two lines is found in the page.
	lines := []located{}
	for i, s := range []string{"Thanks to Alice", "Müller for comments."} {
		lines = append(lines, located{number: i + 1, text: s, raw: strings.ToLower(cleanText(s)), words: " " + wordsOf(s) + " "})
	}
	fs := search(alice, []haystack{linesHaystack("page 2 text", lines, 2, false)})
	if !hasFinding(fs, "author_name") {
		t.Fatalf("a name over two lines was not found: %+v", fs)
	}
}
