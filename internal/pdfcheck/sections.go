package pdfcheck

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

var (
	// numbering is a section number in front of a heading: "7", "7.1",
	// "A", "A.2", "IV." or "B:".
	numbering = regexp.MustCompile(`^((\d+|[A-Za-z]|[IVXivx]+)(\.\d+)*)[.:)]?\s+`)
	// letterNumbered is an appendix-style number: "A Proofs", "B.1 Setup".
	letterNumbered = regexp.MustCompile(`^[A-Z](\.\d+)*[.:]?\s+\S`)

	sectionPatterns = []struct {
		kind string
		re   *regexp.Regexp
	}{
		{KindReferences, regexp.MustCompile(`^(references?( and notes)?|bibliography|literature cited|works cited|cited literature|reference list)$`)},
		{KindAcknowledgements, regexp.MustCompile(`^acknowledge?ments?\b`)},
		{KindChecklist, regexp.MustCompile(`\bchecklist\b`)},
		{KindSupplementary, regexp.MustCompile(`^(supplementary|supplemental)( materials?| information| results| appendix| sections?)?$`)},
		{KindAppendix, regexp.MustCompile(`^(appendix|appendices|technical appendix|online appendix)\b`)},
		{KindBroaderImpact, regexp.MustCompile(`^((broader|societal) impacts?|impact statement)\b`)},
		{KindLimitations, regexp.MustCompile(`^limitations\b`)},
	}
)

// foldString lowercases and strips accents, for matching headings and
// names. A transform chain keeps state, so each call makes its own.
func foldString(s string) string {
	if isASCII(s) { // nothing to decompose or strip: most of a paper
		return strings.ToLower(s)
	}
	fold := transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(fold, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// isASCII says whether s is plain ASCII, which every normal form leaves
// as it is.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// headingKey reduces a heading to the words that name it: numbering and
// punctuation gone, lowercased, accents stripped.
func headingKey(s string) string {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(strings.ToLower(s), "appendix") {
		s = numbering.ReplaceAllString(s, "")
	}
	s = foldString(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return ' '
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// sectionKind names the section a heading starts, or "" for an ordinary
// heading.
func sectionKind(heading string) string {
	key := headingKey(heading)
	if key == "" || len(key) > 80 {
		return ""
	}
	for _, p := range sectionPatterns {
		if p.re.MatchString(key) {
			return p.kind
		}
	}
	return ""
}

// headingStyle tells whether a line looks like a heading rather than a line
// of a paragraph: short, and larger, bold or in capitals.
func headingStyle(ln line, body float64) bool {
	if len(ln.text) > 120 || len(strings.Fields(ln.text)) > 12 {
		return false
	}
	if ln.size >= body+1 || ln.bold {
		return true
	}
	letters := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return r
		}
		return -1
	}, ln.text)
	return len(letters) >= 4 && strings.ToUpper(letters) == letters
}
