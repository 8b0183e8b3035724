package conflict

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// foldLetters maps letters that carry no combining mark, so survive accent
// stripping, to the ASCII people type in their place.
var foldLetters = map[rune]string{
	'ß': "ss", 'ø': "o", 'æ': "ae", 'œ': "oe", 'ł': "l", 'đ': "d", 'ð': "d",
	'þ': "th", 'ı': "i", 'ħ': "h",
}

// elisions are tokens that, before an apostrophe, are an article or
// preposition fused to the next word (l'Université, dell'Informazione).
var elisions = map[string]bool{
	"l": true, "d": true, "dell": true, "all": true, "nell": true, "dall": true,
	"sull": true, "qu": true,
}

// abbreviations expand what people shorten, and fold the word "university"
// and "institute" in other languages, so "Univ. de Montréal" and "University
// of Montreal" agree.
var abbreviations = map[string]string{
	"univ": "university", "uni": "university", "universitat": "university",
	"universite": "university", "universidad": "university", "universita": "university",
	"universidade": "university", "universiteit": "university", "universitet": "university",
	"uniwersytet": "university",
	"inst":        "institute", "institut": "institute", "instituto": "institute",
	"istituto": "institute",
	"tech":     "technology", "techn": "technology", "technol": "technology",
	"dept": "department", "natl": "national", "intl": "international",
	"centre": "center", "ctr": "center", "lab": "laboratory", "labs": "laboratories",
	"acad": "academy",
}

// dropped are words whose presence or absence does not change the
// institution: articles and prepositions ("University of X", "Université de
// X") and legal forms ("Google Inc." is Google).
var dropped = map[string]bool{
	"the": true, "of": true, "at": true, "in": true, "for": true,
	"de": true, "des": true, "du": true, "la": true, "le": true, "les": true,
	"di": true, "del": true, "della": true, "degli": true, "der": true, "die": true,
	"inc": true, "ltd": true, "llc": true, "gmbh": true, "corp": true,
	"corporation": true, "plc": true, "limited": true,
}

// noAffiliation are normalised answers that name no institution; two
// independent researchers have nothing in common.
var noAffiliation = map[string]bool{
	"na": true, "none": true, "null": true, "nil": true, "unknown": true,
	"other": true, "independent": true, "independent researcher": true,
	"unaffiliated": true, "self": true, "self employed": true, "private": true,
	"not applicable": true, "no affiliation": true, "personal": true,
}

// NormalizeAffiliation reduces an affiliation to the form two spellings of
// the same institution share: Unicode-normalised, lowercase, without
// accents, punctuation, articles or legal forms, with common abbreviations
// spelled out. It stays exact otherwise: "MIT" and "Massachusetts Institute of
// Technology" differ, because guessing acronyms would join unrelated
// institutions, and the email-domain rule catches most of those pairs. The
// result is "" for an empty or placeholder affiliation, which never matches.
func NormalizeAffiliation(s string) string {
	s = norm.NFD.String(strings.ToLower(norm.NFKC.String(s)))
	var b strings.Builder
	b.Grow(len(s) + 8)
	tokenStart := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == '\'' || r == '’' || r == '‘' || r == 'ʼ' || r == '`':
			// King's and Kings agree; l'Université loses its article.
			if elisions[b.String()[tokenStart:]] {
				b2 := b.String()[:tokenStart]
				b.Reset()
				b.WriteString(b2)
			}
		case r == '&':
			b.WriteString(" and ")
			tokenStart = b.Len()
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if f, ok := foldLetters[r]; ok {
				b.WriteString(f)
			} else {
				b.WriteRune(r)
			}
		default:
			b.WriteByte(' ')
			tokenStart = b.Len()
		}
	}
	tokens := joinInitials(strings.Fields(b.String()))
	out := tokens[:0]
	for _, t := range tokens {
		if long, ok := abbreviations[t]; ok {
			t = long
		}
		if !dropped[t] {
			out = append(out, t)
		}
	}
	key := strings.Join(out, " ")
	if noAffiliation[key] {
		return ""
	}
	return key
}

// joinInitials merges runs of single letters, which is what "U.C. Berkeley"
// or "E.T.H. Zürich" become once punctuation is gone, into one token, so they
// match "UC Berkeley" and "ETH Zürich".
func joinInitials(tokens []string) []string {
	out := tokens[:0]
	run := ""
	for _, t := range tokens {
		if len([]rune(t)) == 1 {
			run += t
			continue
		}
		if run != "" {
			out = append(out, run)
			run = ""
		}
		out = append(out, t)
	}
	if run != "" {
		out = append(out, run)
	}
	return out
}
