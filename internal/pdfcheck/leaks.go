package pdfcheck

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// A text to search: a page's text or one metadata field.
type haystack struct {
	where string
	raw   string // NFKC, for e-mails and ORCIDs
	words string // folded to " word word ", for names and affiliations
	// references is true for reference-list text, where an author's own
	// papers may be cited in the third person.
	references bool
	page       int
}

var (
	anyEmail = regexp.MustCompile(`[\p{L}0-9._%+-]+@[\p{L}0-9-]+(\.[\p{L}0-9-]+)*\.[\p{L}]{2,}`)
	// Footers of the NeurIPS family: the anonymous build says
	// "Submitted to"; "Preprint" and the conference line are the others.
	preprintFooter = regexp.MustCompile(`(?i)\bpreprint\b.*\b(under review|work in progress)\b`)
	finalFooter    = regexp.MustCompile(`(?i)(conference on neural information processing systems|\bneurips 20\d\d\b|\bworkshop at\b)`)
	submittedTo    = regexp.MustCompile(`(?i)\bsubmitted to\b`)
)

func newHaystack(where, text string, page int, refs bool) haystack {
	return haystack{where: where, raw: strings.ToLower(cleanText(text)), words: " " + wordsOf(text) + " ", page: page, references: refs}
}

// wordsOf folds text to lowercase unaccented words separated by single
// spaces: "Müller, A." becomes "muller a".
func wordsOf(s string) string {
	s = foldString(cleanText(s))
	s = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return ' '
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// germanFold writes umlauts the way they are typed without them
// ("Müller" as "Mueller"), a spelling accent folding alone misses.
var germanFold = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "Ae", "Ö", "Oe", "Ü", "Ue", "ß", "ss")

// nameVariants lists the forms an author's name takes in print: full,
// first and last, initials, "Last, First", with and without accents.
func nameVariants(name string) []string {
	seen := map[string]bool{}
	var out []string
	addAll := func(n string) {
		toks := strings.Fields(wordsOf(n))
		if len(toks) == 0 {
			return
		}
		add := func(v string) {
			if len(v) >= 4 && !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
		add(strings.Join(toks, " "))
		if len(toks) < 2 {
			return
		}
		first, last := toks[0], toks[len(toks)-1]
		add(first + " " + last)
		add(last + " " + first)
		initials := make([]string, 0, len(toks))
		for _, t := range toks[:len(toks)-1] {
			initials = append(initials, t[:1])
		}
		add(strings.Join(initials, " ") + " " + last)
		add(first[:1] + " " + last)
	}
	addAll(name)
	if g := germanFold.Replace(name); g != name {
		addAll(g)
	}
	return out
}

// findLeaks searches the identity in the metadata and the page text, and
// looks for the signs of a non-anonymous build.
func findLeaks(id Identity, meta []metaField, pages []pageLines) []Finding {
	var hay []haystack
	for _, m := range meta {
		hay = append(hay, newHaystack("metadata: "+m.where, m.text, 0, false))
	}
	for _, p := range pages {
		var body, refs strings.Builder
		for _, ln := range p.lines {
			b := &body
			if ln.kind == KindReferences {
				b = &refs
			}
			b.WriteString(ln.text)
			b.WriteByte('\n')
		}
		where := fmt.Sprintf("page %d text", p.number)
		hay = append(hay, newHaystack(where, body.String(), p.number, false))
		if refs.Len() > 0 {
			hay = append(hay, newHaystack(where+" (references)", refs.String(), p.number, true))
		}
	}
	var out []Finding
	seen := map[string]bool{}
	report := func(code, what string, h haystack) {
		key := code + "|" + what + "|" + h.where
		if seen[key] {
			return
		}
		seen[key] = true
		out = append(out, Finding{Code: code, Message: what, Where: h.where})
	}
	for _, h := range hay {
		for _, name := range id.Names {
			if h.references {
				continue
			}
			for _, v := range nameVariants(name) {
				if strings.Contains(h.words, " "+v+" ") {
					report("author_name", fmt.Sprintf("author name %q", name), h)
					break
				}
			}
		}
		for _, e := range id.Emails {
			if e = strings.ToLower(strings.TrimSpace(e)); e != "" && strings.Contains(h.raw, e) {
				report("author_email", fmt.Sprintf("author e-mail %q", e), h)
			}
		}
		for _, a := range id.Affiliations {
			if w := wordsOf(a); len(w) >= 4 && !h.references && strings.Contains(h.words, " "+w+" ") {
				report("affiliation", fmt.Sprintf("affiliation %q", a), h)
			}
		}
		for _, o := range id.ORCIDs {
			o = strings.TrimSpace(o)
			if o == "" {
				continue
			}
			bare := strings.ReplaceAll(o, "-", "")
			if strings.Contains(h.raw, strings.ToLower(o)) || strings.Contains(strings.ReplaceAll(h.raw, "-", ""), strings.ToLower(bare)) {
				report("orcid", fmt.Sprintf("ORCID %s", o), h)
			}
		}
		if h.page == 1 && !h.references {
			if m := anyEmail.FindString(h.raw); m != "" {
				report("email_on_first_page", fmt.Sprintf("an e-mail address (%s) on the first page", m), h)
			}
		}
	}
	if len(pages) > 0 {
		if f, ok := buildFooter(pages[0]); ok {
			out = append(out, f)
		}
	}
	return out
}

// buildFooter reads the bottom of page 1, where NeurIPS-like styles print
// which build this is.
func buildFooter(p pageLines) (Finding, bool) {
	var sb strings.Builder
	for _, ln := range p.lines {
		if p.height > 0 && ln.top > 0.7*p.height {
			sb.WriteString(ln.text)
			sb.WriteByte(' ')
		}
	}
	foot := sb.String()
	where := fmt.Sprintf("page %d footer", p.number)
	switch {
	case submittedTo.MatchString(foot):
		return Finding{}, false
	case preprintFooter.MatchString(foot):
		return Finding{Code: "non_anonymous_build", Where: where,
			Message: "the first page carries a preprint footer instead of the anonymous \"Submitted to\" one"}, true
	case finalFooter.MatchString(foot):
		return Finding{Code: "non_anonymous_build", Where: where,
			Message: "the first page carries the camera-ready footer instead of the anonymous \"Submitted to\" one"}, true
	}
	return Finding{}, false
}
