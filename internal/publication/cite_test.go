package publication_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/quirehq/quire/internal/publication"
	"github.com/quirehq/quire/internal/venue"
)

// bibEntry is one entry as a strict BibTeX reader sees it.
type bibEntry struct {
	Type, Key string
	Fields    map[string]string
}

// parseBibTeX reads BibTeX as BibTeX itself does, strictly: every entry
// @type{key, name = {value} | number | macro, ...}, braces balanced,
// no field twice, nothing between entries but white space. Values keep
// their TeX; unTeX reads the escapes back.
func parseBibTeX(src string) ([]bibEntry, error) {
	var out []bibEntry
	i := 0
	ws := func() {
		for i < len(src) && unicode.IsSpace(rune(src[i])) {
			i++
		}
	}
	word := func(allowed string) string {
		start := i
		for i < len(src) && (src[i] >= 'a' && src[i] <= 'z' || src[i] >= 'A' && src[i] <= 'Z' || src[i] >= '0' && src[i] <= '9' || strings.IndexByte(allowed, src[i]) >= 0) {
			i++
		}
		return src[start:i]
	}
	expect := func(c byte) error {
		ws()
		if i >= len(src) || src[i] != c {
			return fmt.Errorf("offset %d: want %q", i, c)
		}
		i++
		return nil
	}
	for {
		ws()
		if i == len(src) {
			return out, nil
		}
		if err := expect('@'); err != nil {
			return nil, err
		}
		e := bibEntry{Type: strings.ToLower(word("")), Fields: map[string]string{}}
		if err := expect('{'); err != nil {
			return nil, err
		}
		ws()
		if e.Key = word("_:.-"); e.Key == "" {
			return nil, fmt.Errorf("offset %d: no key", i)
		}
		for {
			ws()
			if i < len(src) && src[i] == '}' {
				i++
				break
			}
			if err := expect(','); err != nil {
				return nil, err
			}
			ws()
			if i < len(src) && src[i] == '}' {
				i++
				break
			}
			name := strings.ToLower(word("_-"))
			if name == "" {
				return nil, fmt.Errorf("offset %d: no field name", i)
			}
			if _, dup := e.Fields[name]; dup {
				return nil, fmt.Errorf("%s: field %s twice", e.Key, name)
			}
			if err := expect('='); err != nil {
				return nil, err
			}
			ws()
			switch {
			case i < len(src) && src[i] == '{':
				depth, start := 0, i+1
				for ; i < len(src); i++ {
					switch src[i] {
					case '\\':
						i++
					case '{':
						depth++
					case '}':
						depth--
					}
					if depth == 0 {
						break
					}
				}
				if i >= len(src) {
					return nil, fmt.Errorf("%s.%s: unbalanced braces", e.Key, name)
				}
				e.Fields[name] = src[start:i]
				i++
			default:
				v := word("")
				if v == "" {
					return nil, fmt.Errorf("%s.%s: no value", e.Key, name)
				}
				e.Fields[name] = v
			}
		}
		out = append(out, e)
	}
}

var unTeX = strings.NewReplacer(`\textbackslash{}`, `\`, `\textasciitilde{}`, "~", `\textasciicircum{}`, "^",
	`\{`, "{", `\}`, "}", `\&`, "&", `\%`, "%", `\$`, "$", `\#`, "#", `\_`, "_")

func sample() (publication.Venue, []publication.Paper) {
	day := time.Date(2023, 12, 16, 0, 0, 0, 0, time.UTC)
	v := publication.Venue{Slug: "dlde-2023", Name: "The Symbiosis of Deep Learning and Differential Equations (DLDE III)", Archival: venue.NonArchival, Date: day}
	cc, _ := venue.LicenceByKey("cc-by-4.0")
	arr, _ := venue.LicenceByKey("all-rights-reserved")
	return v, []publication.Paper{
		{Number: 7, Title: `Neural ODEs & {friends}: 100% of $x_1$ #solved \o/ ~ ^`, Abstract: "Line one.\nLine two.",
			Authors:  []publication.Author{{Name: "Ada Lovelace"}, {Name: "Smith, Jr., John"}, {Name: "Tom and Jerry"}, {Name: "Plato"}},
			Keywords: []string{"neural ODEs", "PINNs"}, Accepted: true, Licence: cc, Archival: venue.NonArchival, Date: day,
			Page: "https://quire.example/venues/dlde-2023/papers/7", PDF: "https://quire.example/api/v1/venues/dlde-2023/papers/7/pdf"},
		{Number: 9, Title: "Élan vital: Université", Authors: []publication.Author{{Name: "Zoë Ünal"}}, Accepted: true, Licence: arr,
			Archival: venue.NonArchival, Date: day, Page: "https://quire.example/venues/dlde-2023/papers/9"},
	}
}

func TestBibTeXParses(t *testing.T) {
	t.Parallel()
	v, papers := sample()
	var b bytes.Buffer
	if err := publication.WriteBibTeX(&b, v, papers); err != nil {
		t.Fatal(err)
	}
	entries, err := parseBibTeX(b.String())
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if len(entries) != 2 || entries[0].Type != "inproceedings" || entries[0].Key != "dlde-2023-7" {
		t.Fatalf("entries: %+v", entries)
	}
	e := entries[0].Fields
	want := map[string]string{
		"title":     papers[0].Title,
		"booktitle": v.Name,
		"author":    "Ada Lovelace and {Smith, Jr., John} and {Tom and Jerry} and Plato",
		"year":      "2023",
		"month":     "dec",
		"note":      "Non-archival",
		"copyright": "CC BY 4.0",
		"url":       papers[0].Page,
		"abstract":  "Line one. Line two.",
		"keywords":  "neural ODEs, PINNs",
	}
	for k, w := range want {
		if got := unTeX.Replace(e[k]); got != w {
			t.Errorf("%s = %q, want %q", k, got, w)
		}
	}
	if got := entries[1].Fields["title"]; got != "Élan vital: Université" {
		t.Errorf("UTF-8 stays as written: %q", got)
	}
	// An archival venue's entries carry no note.
	v.Archival, papers[0].Archival = venue.ArchivalYes, venue.ArchivalYes
	b.Reset()
	_ = publication.WriteBibTeX(&b, v, papers[:1])
	if entries, err := parseBibTeX(b.String()); err != nil || entries[0].Fields["note"] != "" {
		t.Errorf("archival: %v %+v", err, entries)
	}
}

func TestStrictBibTeXReaderRefuses(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{
		"@inproceedings{k, title = {open}",
		"@inproceedings{k, title = {a}, title = {b}}",
		"x @misc{k}",
		"@misc{k, title = }",
	} {
		if _, err := parseBibTeX(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestCSLJSONValidates(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/csl-data.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("csl-data.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("csl-data.json")
	if err != nil {
		t.Fatal(err)
	}
	v, papers := sample()
	items := publication.CSL(v, papers)
	out, err := json.Marshal(items)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Fatalf("CSL-JSON does not validate: %v\n%s", err, out)
	}
	// The schema is strict: a misspelt field fails, so the test can.
	bad := strings.Replace(string(out), `"container-title"`, `"container_title"`, 1)
	if inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(bad)); schema.Validate(inst) == nil {
		t.Error("the schema accepted a misspelt field")
	}
	it := items[0]
	if it.Type != "paper-conference" || it.ContainerTitle != v.Name || it.Note != "Non-archival" || it.Issued.DateParts[0][2] != 16 ||
		it.Author[0] != (publication.CSLName{Given: "Ada", Family: "Lovelace"}) || it.Author[1].Literal != "Smith, Jr., John" || it.Author[3].Literal != "Plato" ||
		it.Custom["license"] != "CC BY 4.0" || it.Custom["pdf"] != papers[0].PDF {
		t.Errorf("item: %+v", it)
	}
}
