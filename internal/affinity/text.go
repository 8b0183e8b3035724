package affinity

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// stopwords holds function words plus a few words every abstract uses
// ("propose", "paper"); keeping them would only add noise that IDF has to
// cancel out, and bigrams across them ("propose novel") would match nothing
// meaningful. Entries are lowercase and unstemmed because they are checked
// before stemming.
var stopwords = func() map[string]struct{} {
	words := strings.Fields(`
		a about above after again against all also am an and any are as at
		be because been before being below between both but by
		can could did do does doing down during each either etc few for from further
		had has have having he her here hers him his how however i if in into is it its itself
		just me more most my no nor not now of off on once only or other our ours out over own
		same she should so some such than that the their theirs them then there these they this
		those through thus to too under until up upon very via was we were what when where
		which while who whom why will with within without would yet you your
		paper propose proposed proposes present presents show shows novel new use used uses
		using based approach approaches method methods result results also
	`)
	set := make(map[string]struct{}, len(words))
	for _, w := range words {
		set[w] = struct{}{}
	}
	return set
}()

// softSeparator reports whether r may sit between two words of one phrase:
// "physics-informed", "PDE/ODE" and "Hamilton's equations" keep their bigrams,
// while a comma or full stop ends the phrase.
func softSeparator(r rune) bool {
	switch r {
	case '-', '\u2010', '\u2011', '\u2013', '/', '\'', '\u2019':
		return true
	}
	return unicode.IsSpace(r)
}

func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// scanner splits a text into words: runs of letters, digits and marks,
// after NFKC normalisation and lowercasing. It also says whether a phrase
// broke before each word: bigrams carry the phrases reviewers use for their
// expertise ("neural operator") that the separate words would match far too
// broadly, and they are formed only from words adjacent in the text, so a
// phrase ends at hard punctuation (see softSeparator). Text that is all
// ASCII, nearly all of it, is read as it is: NFKC leaves ASCII alone, and
// lowercasing it needs no copy of the text.
type scanner struct {
	text string
	pos  int
	buf  []byte
}

func (sc *scanner) reset(text string) {
	if !isASCII(text) {
		text = strings.ToLower(norm.NFKC.String(text))
	}
	sc.text, sc.pos = text, 0
}

// next returns the next word, whether a hard separator came between it and
// the previous one, and false at the end. The word's bytes are reused by
// the next call.
func (sc *scanner) next() (word []byte, broke, ok bool) {
	w, t, i := sc.buf[:0], sc.text, sc.pos
	for i < len(t) {
		if c := t[i]; c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
				w = append(w, c)
				i++
				continue
			}
			if len(w) > 0 {
				break // the separator is read again before the next word
			}
			broke = broke || !softSeparator(rune(c))
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(t[i:])
		if wordRune(r) {
			w = append(w, t[i:i+n]...)
			i += n
			continue
		}
		if len(w) > 0 {
			break
		}
		broke = broke || !softSeparator(r)
		i += n
	}
	sc.pos, sc.buf = i, w
	return w, broke, len(w) > 0
}

// keepToken drops stopwords, single characters (variable names such as "x")
// and bare numbers (years, section numbers), none of which say anything
// about a topic. Tokens mixing digits and letters ("3d", "l2") stay.
func keepToken(w string) bool {
	if _, stop := stopwords[w]; stop {
		return false
	}
	digits, n := 0, 0
	for _, r := range w {
		n++
		if unicode.IsDigit(r) {
			digits++
		}
	}
	return n > 1 && digits < n
}

// stem strips the common English inflections (plural, -ing, -ed) and a final
// "e" so that "networks", "sampling", "sampled" and "samples" meet
// "network" and "sample". It is deliberately light: a full Porter stemmer
// would conflate more, but also merge unrelated technical words.
func stem(w string) string {
	if len(w) < 4 || !isASCII(w) {
		return w
	}
	switch {
	case len(w) > 4 && (strings.HasSuffix(w, "ies") || strings.HasSuffix(w, "ied")):
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "xes"),
		strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") &&
		!strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:len(w)-1]
	}
	// A plural may still carry -ing ("embeddings").
	switch {
	case strings.HasSuffix(w, "ing"):
		w = stripVerbal(w, 3, 3)
	case strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "eed"):
		w = stripVerbal(w, 2, 4)
	}
	if len(w) > 4 && strings.HasSuffix(w, "e") {
		w = w[:len(w)-1]
	}
	return w
}

// stripVerbal removes an -ing or -ed suffix when a stem of at least minLen
// letters with a vowel remains ("string" and "embed" keep theirs) and undoes
// consonant doubling ("embedded" -> "embed"), except for l, s and z, as
// Porter does.
func stripVerbal(w string, n, minLen int) string {
	s := w[:len(w)-n]
	if len(s) < minLen || !strings.ContainsAny(s, "aeiouy") {
		return w
	}
	if k := len(s); s[k-1] == s[k-2] && !strings.ContainsRune("aeioulsz", rune(s[k-1])) {
		s = s[:k-1]
	}
	return s
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
