// Package expertise keeps the publications a reviewer gives as their
// expertise (from BibTeX, an ORCID works export or DBLP's XML for their
// person page) and reads those files. The files are untrusted input: the
// readers take bounded sizes, never follow anything outside the file and
// refuse what they cannot read with the entry that broke them.
package expertise

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/encoding/charmap"

	"github.com/quirehq/quire/internal/problem"
)

// Limits on what one upload may hold.
const (
	MaxFileBytes   = 2 << 20
	MaxEntries     = 2000
	MaxTitleRunes  = 1000
	MaxAbstractRun = 10000
)

// Formats of the files a reviewer can give.
const (
	FormatBibTeX = "bibtex"
	FormatORCID  = "orcid"
	FormatDBLP   = "dblp"
)

// Publication is one work of a reviewer.
type Publication struct {
	Title    string
	Abstract string
	// Year is 0 when the file does not say.
	Year  int
	Venue string
}

func invalid(msg string) error {
	return problem.Invalid(msg, problem.FieldError{Field: "content", Message: msg})
}

// Parse reads a file in format.
func Parse(format string, data []byte) ([]Publication, error) {
	if len(data) > MaxFileBytes {
		return nil, invalid("the file is larger than 2 MiB")
	}
	var (
		out []Publication
		err error
	)
	switch format {
	case FormatBibTeX:
		out, err = ParseBibTeX(data)
	case FormatORCID:
		out, err = ParseORCID(data)
	case FormatDBLP:
		out, err = ParseDBLP(data)
	default:
		return nil, problem.Invalid("the format is bibtex, orcid or dblp", problem.FieldError{Field: "format", Message: "must be bibtex, orcid or dblp"})
	}
	if err != nil {
		return nil, err
	}
	if len(out) > MaxEntries {
		return nil, invalid("the file holds more than " + strconv.Itoa(MaxEntries) + " publications")
	}
	kept := out[:0]
	for _, p := range out {
		p.Title = clip(clean(p.Title), MaxTitleRunes)
		if p.Title == "" {
			continue // a title of braces and spaces only
		}
		p.Abstract = clip(clean(p.Abstract), MaxAbstractRun)
		p.Venue = clip(clean(p.Venue), 500)
		if p.Year < 1900 || p.Year > 2200 {
			p.Year = 0
		}
		kept = append(kept, p)
	}
	if len(kept) == 0 {
		return nil, invalid("the file holds no publication with a title")
	}
	return kept, nil
}

// clean drops TeX braces and commands' backslashes and collapses spaces.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '{' || r == '}' || r == '\\':
			return -1
		case unicode.IsSpace(r) || unicode.IsControl(r):
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// ParseBibTeX reads @type{key, field = {value} | "value" | number, ...}
// entries; @comment, @preamble and @string are skipped, text between
// entries ignored. Entries without a title are left out.
func ParseBibTeX(data []byte) ([]Publication, error) {
	var out []Publication
	s := string(data)
	for i := 0; i < len(s); {
		at := strings.IndexByte(s[i:], '@')
		if at < 0 {
			break
		}
		i += at + 1
		j := i
		for j < len(s) && (unicode.IsLetter(rune(s[j])) || s[j] == '_') {
			j++
		}
		kind := strings.ToLower(s[i:j])
		for j < len(s) && s[j] == ' ' {
			j++
		}
		if j >= len(s) || (s[j] != '{' && s[j] != '(') {
			i = j
			continue // an @ in prose
		}
		closer := byte('}')
		if s[j] == '(' {
			closer = ')'
		}
		end, err := matching(s, j, closer)
		if err != nil {
			return nil, invalid(fmt.Sprintf("entry @%s at byte %d: %v", kind, i-1, err))
		}
		body := s[j+1 : end]
		i = end + 1
		if kind == "comment" || kind == "preamble" || kind == "string" {
			continue
		}
		fields, err := bibFields(body)
		if err != nil {
			return nil, invalid(fmt.Sprintf("entry @%s at byte %d: %v", kind, j, err))
		}
		if fields["title"] == "" {
			continue
		}
		p := Publication{Title: fields["title"], Abstract: fields["abstract"]}
		p.Year, _ = strconv.Atoi(strings.TrimSpace(fields["year"]))
		for _, k := range []string{"booktitle", "journal", "publisher"} {
			if fields[k] != "" {
				p.Venue = fields[k]
				break
			}
		}
		out = append(out, p)
		if len(out) > MaxEntries {
			break
		}
	}
	return out, nil
}

// matching finds the closer of the bracket at s[open], minding nested
// braces.
func matching(s string, open int, closer byte) (int, error) {
	depth := 0
	for k := open; k < len(s); k++ {
		switch s[k] {
		case '{':
			depth++
		case '}':
			depth--
		}
		if closer == '}' && depth == 0 {
			return k, nil
		}
		if closer == ')' && s[k] == ')' && depth == 0 {
			return k, nil
		}
		if depth < 0 {
			return 0, errors.New("a closing brace without its opening one")
		}
	}
	return 0, errors.New("the entry is not closed")
}

// bibFields reads "key, name = value, ..." into lower-case names.
func bibFields(body string) (map[string]string, error) {
	out := map[string]string{}
	comma := strings.IndexByte(body, ',')
	if comma < 0 {
		return out, nil // a key alone
	}
	rest := body[comma+1:]
	for {
		rest = strings.TrimLeft(rest, " \t\r\n,")
		if rest == "" {
			return out, nil
		}
		eq := strings.IndexByte(rest, '=')
		if eq < 0 {
			return nil, fmt.Errorf("field %q has no value", strings.TrimSpace(rest))
		}
		name := strings.ToLower(strings.TrimSpace(rest[:eq]))
		rest = strings.TrimLeft(rest[eq+1:], " \t\r\n")
		if rest == "" {
			return nil, fmt.Errorf("field %q has no value", name)
		}
		var val string
		switch rest[0] {
		case '{':
			end, err := matching(rest, 0, '}')
			if err != nil {
				return nil, fmt.Errorf("field %q: %v", name, err)
			}
			val, rest = rest[1:end], rest[end+1:]
		case '"':
			end := 1
			depth := 0
			for ; end < len(rest); end++ {
				if rest[end] == '{' {
					depth++
				} else if rest[end] == '}' {
					depth--
				} else if rest[end] == '"' && depth == 0 {
					break
				}
			}
			if end >= len(rest) {
				return nil, fmt.Errorf("field %q: the quote is not closed", name)
			}
			val, rest = rest[1:end], rest[end+1:]
		default:
			end := strings.IndexAny(rest, ",")
			if end < 0 {
				end = len(rest)
			}
			val, rest = rest[:end], rest[end:]
		}
		// "a" # "b" concatenations keep their first part.
		if k := strings.IndexByte(rest, ','); k >= 0 && strings.TrimSpace(rest[:k]) != "" && strings.HasPrefix(strings.TrimSpace(rest), "#") {
			rest = rest[k:]
		}
		out[name] = strings.TrimSpace(val)
	}
}

// ParseORCID reads the works of an ORCID record as its public API gives
// them (GET /v3.0/{orcid}/works): groups of work summaries with a title
// and a publication date.
func ParseORCID(data []byte) ([]Publication, error) {
	var doc struct {
		Group []struct {
			Summary []struct {
				Title struct {
					Title struct {
						Value string `json:"value"`
					} `json:"title"`
				} `json:"title"`
				PublicationDate *struct {
					Year *struct {
						Value string `json:"value"`
					} `json:"year"`
				} `json:"publication-date"`
				JournalTitle *struct {
					Value string `json:"value"`
				} `json:"journal-title"`
			} `json:"work-summary"`
		} `json:"group"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, invalid("not an ORCID works export (JSON with group[].work-summary[]): " + err.Error())
	}
	var out []Publication
	for _, g := range doc.Group {
		if len(g.Summary) == 0 {
			continue
		}
		w := g.Summary[0] // the group's versions of one work: take the first
		if w.Title.Title.Value == "" {
			continue
		}
		p := Publication{Title: w.Title.Title.Value}
		if w.PublicationDate != nil && w.PublicationDate.Year != nil {
			p.Year, _ = strconv.Atoi(w.PublicationDate.Year.Value)
		}
		if w.JournalTitle != nil {
			p.Venue = w.JournalTitle.Value
		}
		out = append(out, p)
	}
	return out, nil
}

// ParseDBLP reads DBLP's XML for a person page (dblp.org/pid/....xml):
// <dblpperson><r><article|inproceedings...><title/><year/><booktitle|journal/>.
func ParseDBLP(data []byte) ([]Publication, error) {
	var doc struct {
		XMLName xml.Name `xml:"dblpperson"`
		R       []struct {
			Items []struct {
				Title     string `xml:"title"`
				Year      string `xml:"year"`
				Booktitle string `xml:"booktitle"`
				Journal   string `xml:"journal"`
			} `xml:",any"`
		} `xml:"r"`
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	// DBLP writes accents as HTML entities (&uuml;) declared in its DTD,
	// which is never fetched: the HTML names stand in for it.
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "us-ascii", "ascii", "utf-8", "utf8":
			return in, nil
		case "iso-8859-1", "latin1", "latin-1":
			return charmap.ISO8859_1.NewDecoder().Reader(in), nil
		}
		return nil, fmt.Errorf("the encoding %q is not read here (UTF-8, US-ASCII or ISO-8859-1 are)", label)
	}
	if err := dec.Decode(&doc); err != nil {
		return nil, invalid("not DBLP's XML for a person (<dblpperson> with <r> records): " + err.Error())
	}
	var out []Publication
	for _, r := range doc.R {
		for _, it := range r.Items {
			if strings.TrimSpace(it.Title) == "" {
				continue
			}
			p := Publication{Title: it.Title, Venue: it.Booktitle}
			if p.Venue == "" {
				p.Venue = it.Journal
			}
			p.Year, _ = strconv.Atoi(strings.TrimSpace(it.Year))
			out = append(out, p)
		}
	}
	return out, nil
}
