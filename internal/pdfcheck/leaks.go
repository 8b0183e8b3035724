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
	// lines are the page's lines the text was made of, to say where on
	// the page a finding is; empty for metadata.
	lines []located
}

// located is one line of page text, searchable the way its page is.
type located struct {
	number     int // 1-based, in reading order, furniture left out
	text       string
	raw, words string
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

// linesHaystack is newHaystack of the lines' text, one line after the
// other, made from the lines' own folded forms: both normal forms and the
// folding work rune by rune and a line break is a word break, so the
// page's forms are the lines' forms joined by a space, and each line is
// folded once, not twice.
func linesHaystack(where string, lines []located, page int, refs bool) haystack {
	raw := make([]string, 0, len(lines))
	words := make([]string, 0, len(lines))
	for _, l := range lines {
		if l.raw != "" {
			raw = append(raw, l.raw)
		}
		if w := strings.TrimSpace(l.words); w != "" {
			words = append(words, w)
		}
	}
	return haystack{where: where, raw: strings.Join(raw, " "), words: " " + strings.Join(words, " ") + " ",
		page: page, references: refs, lines: lines}
}

// locate finds the first line holding needle (in the folded words when
// inWords, else in the raw text). A needle broken across two lines is on
// neither: the finding then names the page only.
func (h haystack) locate(needle string, inWords bool) (located, bool) {
	for _, l := range h.lines {
		if (inWords && strings.Contains(l.words, needle)) || (!inWords && strings.Contains(l.raw, needle)) {
			return l, true
		}
	}
	return located{}, false
}

// maxQuote bounds the line of text a finding quotes.
const maxQuote = 160

func quote(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxQuote {
		return string(r[:maxQuote-1]) + "…"
	}
	return s
}

// wordsOf folds text to lowercase unaccented words separated by single
// spaces: "Müller, A." becomes "muller a".
func wordsOf(s string) string {
	if isASCII(s) {
		return asciiWords(s)
	}
	s = foldString(cleanText(s))
	s = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return ' '
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// asciiWords is wordsOf for ASCII text, in one pass.
func asciiWords(s string) string {
	b := make([]byte, 0, len(s))
	gap := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		default:
			gap = len(b) > 0
			continue
		}
		if gap {
			b = append(b, ' ')
			gap = false
		}
		b = append(b, c)
	}
	return string(b)
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
	var hidden []Finding
	for i := range meta {
		m := &meta[i]
		switch {
		case m.finding != nil:
			hidden = append(hidden, *m.finding)
		case m.hidden:
			// Seen in a viewer: held like page text, and the
			// reviewers' copy told to remove it (m.leaked).
			fs := search(id, []haystack{newHaystack(m.where, m.text, 0, false)})
			if m.link {
				for _, f := range linkFindings(id, m.where, m.text) {
					if !hasFinding(fs, f.Code) {
						fs = append(fs, f)
					}
				}
			}
			for _, f := range fs {
				if f.Code != "mailto_link" {
					f.InText, m.leaked = true, true
				}
				hidden = append(hidden, f)
			}
		default:
			hay = append(hay, newHaystack("metadata: "+m.where, m.text, 0, false))
		}
	}
	for _, p := range pages {
		var bodyLines, refLines []located
		for i, ln := range p.lines {
			ls := &bodyLines
			if ln.kind == KindReferences {
				ls = &refLines
			}
			*ls = append(*ls, located{number: i + 1, text: ln.text, raw: strings.ToLower(cleanText(ln.text)), words: " " + wordsOf(ln.text) + " "})
		}
		where := fmt.Sprintf("page %d text", p.number)
		hay = append(hay, linesHaystack(where, bodyLines, p.number, false))
		if len(refLines) > 0 {
			hay = append(hay, linesHaystack(where+" (references)", refLines, p.number, true))
		}
	}
	out := append(search(id, hay), hidden...)
	if len(pages) > 0 {
		if f, ok := buildFooter(pages[0]); ok {
			out = append(out, f)
		}
	}
	return out
}

// search looks for the identity in each haystack; a finding in page
// text names its page and, where it can, its line.
func search(id Identity, hay []haystack) []Finding {
	var out []Finding
	seen := map[string]bool{}
	// report records a finding once per place; needle is what matched, in
	// the words or the raw form, so that a page finding can name its line.
	report := func(code, what string, h haystack, needle string, inWords bool) {
		key := code + "|" + what + "|" + h.where
		if seen[key] {
			return
		}
		seen[key] = true
		f := Finding{Code: code, Message: what, Where: h.where}
		if h.page > 0 {
			f.Page, f.InText = h.page, true
			if l, ok := h.locate(needle, inWords); ok {
				f.Line, f.Text = l.number, quote(l.text)
				f.Where = fmt.Sprintf("page %d, line %d", h.page, l.number)
			}
		}
		out = append(out, f)
	}
	variants := make([][]string, len(id.Names))
	for i, name := range id.Names {
		variants[i] = nameVariants(name)
	}
	for _, h := range hay {
		undashed := "" // h.raw without hyphens, for ORCIDs written without them
		for i, name := range id.Names {
			if h.references {
				continue
			}
			for _, v := range variants[i] {
				if strings.Contains(h.words, " "+v+" ") {
					report("author_name", fmt.Sprintf("author name %q", name), h, " "+v+" ", true)
					break
				}
			}
		}
		for _, e := range id.Emails {
			if e = strings.ToLower(strings.TrimSpace(e)); e != "" && strings.Contains(h.raw, e) {
				report("author_email", fmt.Sprintf("author e-mail %q", e), h, e, false)
			}
		}
		for _, a := range id.Affiliations {
			if w := wordsOf(a); len(w) >= 4 && !h.references && strings.Contains(h.words, " "+w+" ") {
				report("affiliation", fmt.Sprintf("affiliation %q", a), h, " "+w+" ", true)
			}
		}
		for _, o := range id.ORCIDs {
			o = strings.TrimSpace(o)
			if o == "" {
				continue
			}
			bare := strings.ReplaceAll(o, "-", "")
			if undashed == "" {
				undashed = strings.ReplaceAll(h.raw, "-", "")
			}
			if strings.Contains(h.raw, strings.ToLower(o)) || strings.Contains(undashed, strings.ToLower(bare)) {
				report("orcid", fmt.Sprintf("ORCID %s", o), h, strings.ToLower(o), false)
			}
		}
		if h.page == 1 && !h.references {
			if m := anyEmail.FindString(h.raw); m != "" {
				report("email_on_first_page", fmt.Sprintf("an e-mail address (%s) on the first page", m), h, m, false)
			}
		}
	}
	return out
}

// SearchText looks for the identity in a text that is no PDF page, such as
// a file of a supplementary archive or its name: names, e-mails,
// affiliations and ORCIDs, matched as in page text. Every finding is
// InText: whoever gets the text reads it as it is.
func SearchText(id Identity, where, text string) []Finding {
	out := search(id, []haystack{newHaystack(where, text, 0, false)})
	for i := range out {
		out[i].InText = true
	}
	return out
}

// buildFooter reads the bottom of page 1, where NeurIPS-like styles print
// which build this is.
func buildFooter(p pageLines) (Finding, bool) {
	var sb strings.Builder
	var bottom []int
	for i, ln := range p.lines {
		if p.height > 0 && ln.top > 0.7*p.height {
			bottom = append(bottom, i)
			sb.WriteString(ln.text)
			sb.WriteByte(' ')
		}
	}
	foot := sb.String()
	f := Finding{Code: "non_anonymous_build", Where: fmt.Sprintf("page %d footer", p.number), Page: p.number, InText: true}
	// Quote the footer line itself when the sign is on one line.
	for _, i := range bottom {
		if t := p.lines[i].text; preprintFooter.MatchString(t) || finalFooter.MatchString(t) {
			f.Line, f.Text = i+1, quote(t)
			f.Where = fmt.Sprintf("page %d footer, line %d", p.number, i+1)
			break
		}
	}
	switch {
	case submittedTo.MatchString(foot):
		return Finding{}, false
	case preprintFooter.MatchString(foot):
		f.Message = "the first page carries a preprint footer instead of the anonymous \"Submitted to\" one"
		return f, true
	case finalFooter.MatchString(foot):
		f.Message = "the first page carries the camera-ready footer instead of the anonymous \"Submitted to\" one"
		return f, true
	}
	return Finding{}, false
}

func hasFinding(fs []Finding, code string) bool {
	for _, f := range fs {
		if f.Code == code {
			return true
		}
	}
	return false
}
