package publication

import (
	"fmt"
	"io"
	"strings"

	"github.com/quirehq/quire/internal/venue"
)

// Key is a paper's citation key: the venue's slug and the paper's number,
// stable for as long as the venue exists.
func Key(slug string, number int) string { return fmt.Sprintf("%s-%d", slug, number) }

// WriteBibTeX writes papers as @inproceedings entries with the venue as
// the booktitle, and note = {Non-archival} where the venue is.
func WriteBibTeX(w io.Writer, v Venue, papers []Paper) error {
	for i, p := range papers {
		if i > 0 {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
		if _, err := io.WriteString(w, bibEntry(v, p)); err != nil {
			return err
		}
	}
	return nil
}

func bibEntry(v Venue, p Paper) string {
	var b strings.Builder
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(&b, "  %s = {%s},\n", name, bibEscape(value))
		}
	}
	kind := "inproceedings"
	if !p.Accepted {
		kind = "unpublished"
	}
	fmt.Fprintf(&b, "@%s{%s,\n", kind, Key(v.Slug, p.Number))
	field("title", p.Title)
	names := make([]string, 0, len(p.Authors))
	for _, a := range p.Authors {
		names = append(names, bibName(a.Name))
	}
	if len(names) > 0 {
		fmt.Fprintf(&b, "  author = {%s},\n", strings.Join(names, " and "))
	}
	if p.Accepted {
		field("booktitle", v.Name)
	}
	if !p.Date.IsZero() {
		fmt.Fprintf(&b, "  year = {%d},\n", p.Date.Year())
		fmt.Fprintf(&b, "  month = %s,\n", strings.ToLower(p.Date.Month().String()[:3]))
	}
	field("url", p.Page)
	field("abstract", p.Abstract)
	field("keywords", strings.Join(p.Keywords, ", "))
	field("copyright", p.Licence.Name)
	note := ""
	if p.Archival == venue.NonArchival {
		note = "Non-archival"
	}
	if !p.Accepted {
		note = strings.TrimPrefix(note+". Submitted to "+v.Name+", not accepted", ". ")
	}
	field("note", note)
	b.WriteString("}\n")
	return b.String()
}

// bibName keeps a name BibTeX would misread in one brace group: one with a
// comma (read as "Last, First") or the word "and" (read as two names).
func bibName(name string) string {
	e := bibEscape(name)
	if strings.Contains(name, ",") || strings.Contains(" "+strings.ToLower(name)+" ", " and ") {
		return "{" + e + "}"
	}
	return e
}

// bibEscape writes text so that TeX prints it as it is: every character
// TeX gives a meaning escaped, braces balanced by construction.
func bibEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\textbackslash{}`)
		case '{', '}', '&', '%', '$', '#', '_':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '~':
			b.WriteString(`\textasciitilde{}`)
		case '^':
			b.WriteString(`\textasciicircum{}`)
		case '\r', '\n', '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// CSLItem is a paper as CSL-JSON, the citation processors' input format
// (citeproc, Zotero, pandoc): its fields are the schema's names.
type CSLItem struct {
	ID             string         `json:"id"`
	Type           string         `json:"type"`
	Title          string         `json:"title"`
	Author         []CSLName      `json:"author,omitempty"`
	ContainerTitle string         `json:"container-title,omitempty"`
	EventTitle     string         `json:"event-title,omitempty"`
	EventPlace     string         `json:"event-place,omitempty"`
	Issued         *CSLDate       `json:"issued,omitempty"`
	Abstract       string         `json:"abstract,omitempty"`
	Keyword        string         `json:"keyword,omitempty"`
	URL            string         `json:"URL,omitempty"`
	Note           string         `json:"note,omitempty"`
	Genre          string         `json:"genre,omitempty"`
	Custom         map[string]any `json:"custom,omitempty"`
}

// CSLName is a person's name, split where it can be.
type CSLName struct {
	Family  string `json:"family,omitempty"`
	Given   string `json:"given,omitempty"`
	Literal string `json:"literal,omitempty"`
}

// CSLDate is a date as date-parts.
type CSLDate struct {
	DateParts [][]int `json:"date-parts"`
}

// CSL is papers as CSL-JSON items.
func CSL(v Venue, papers []Paper) []CSLItem {
	out := make([]CSLItem, 0, len(papers))
	for _, p := range papers {
		it := CSLItem{ID: Key(v.Slug, p.Number), Type: "paper-conference", Title: p.Title, EventTitle: v.Name,
			Abstract: p.Abstract, Keyword: strings.Join(p.Keywords, ", "), URL: p.Page, Genre: p.Archival.Label() + " report",
			Custom: map[string]any{"license": p.Licence.Name, "archival": p.Archival == venue.ArchivalYes}}
		if p.Accepted {
			it.ContainerTitle = v.Name
		} else {
			it.Type, it.Genre = "manuscript", "Submitted to "+v.Name+", not accepted"
		}
		if p.Licence.URL != "" {
			it.Custom["license_url"] = p.Licence.URL
		}
		if p.PDF != "" {
			it.Custom["pdf"] = p.PDF
		}
		if p.Archival == venue.NonArchival {
			it.Note = "Non-archival"
		}
		if !p.Date.IsZero() {
			it.Issued = &CSLDate{DateParts: [][]int{{p.Date.Year(), int(p.Date.Month()), p.Date.Day()}}}
		}
		for _, a := range p.Authors {
			it.Author = append(it.Author, cslName(a.Name))
		}
		out = append(out, it)
	}
	return out
}

// cslName splits "Given Names Family" at the last space; a name of one
// word, or one with a comma, stays whole (literal) rather than be guessed.
func cslName(name string) CSLName {
	name = strings.Join(strings.Fields(name), " ")
	i := strings.LastIndexByte(name, ' ')
	if i < 0 || strings.Contains(name, ",") {
		return CSLName{Literal: name}
	}
	return CSLName{Given: name[:i], Family: name[i+1:]}
}
