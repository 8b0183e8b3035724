package expertise

import (
	"strings"
	"testing"
)

const bib = `% my papers
@comment{ignored, title = {Not a paper}}
@string{neurips = "NeurIPS"}
@inproceedings{li2021fno,
  title     = {Fourier Neural Operator for Parametric {P}artial Differential Equations},
  author    = {Li, Zongyi and Kovachki, Nikola},
  booktitle = {International Conference on Learning Representations},
  year      = 2021,
  abstract  = "We learn {resolution-invariant} solution operators of PDEs."
}
@article(chen2018,
  title = "Neural Ordinary Differential Equations",
  journal = {Advances in Neural Information Processing Systems},
  year = {2018})
@misc{notitle, note = {no title here}}
Send mail to me@uni.example for more.
`

func TestParseBibTeX(t *testing.T) {
	t.Parallel()
	got, err := Parse(FormatBibTeX, []byte(bib))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d publications: %+v", len(got), got)
	}
	if got[0].Title != "Fourier Neural Operator for Parametric Partial Differential Equations" || got[0].Year != 2021 ||
		got[0].Venue != "International Conference on Learning Representations" || got[0].Abstract != "We learn resolution-invariant solution operators of PDEs." {
		t.Errorf("first: %+v", got[0])
	}
	if got[1].Title != "Neural Ordinary Differential Equations" || got[1].Year != 2018 || !strings.HasPrefix(got[1].Venue, "Advances") {
		t.Errorf("second: %+v", got[1])
	}
	for _, bad := range []string{"@article{x, title = {unclosed", "@article{x, title = \"unclosed}", "@article{x, title}", "@article{x, title = }"} {
		if _, err := Parse(FormatBibTeX, []byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := Parse(FormatBibTeX, []byte("just prose, no entry")); err == nil {
		t.Error("a file with no entry was accepted")
	}
}

func TestParseORCID(t *testing.T) {
	t.Parallel()
	doc := `{"last-modified-date":null,"group":[
	  {"work-summary":[{"title":{"title":{"value":"Neural Operators for Turbulence"}},"publication-date":{"year":{"value":"2023"}},"journal-title":{"value":"JCP"}}]},
	  {"work-summary":[{"title":{"title":{"value":"Score-Based Generative Modeling"}},"publication-date":null}]},
	  {"work-summary":[]}]}`
	got, err := Parse(FormatORCID, []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Year != 2023 || got[0].Venue != "JCP" || got[1].Year != 0 {
		t.Fatalf("got %+v", got)
	}
	if _, err := Parse(FormatORCID, []byte("<xml/>")); err == nil {
		t.Error("XML accepted as ORCID JSON")
	}
}

func TestParseDBLP(t *testing.T) {
	t.Parallel()
	doc := `<?xml version="1.0" encoding="US-ASCII"?>
<!DOCTYPE dblp SYSTEM "dblp.dtd">
<dblpperson name="Ana M&uuml;ller" pid="12/345" n="2">
<r><inproceedings key="conf/iclr/X21"><author>Ana M&uuml;ller</author><title>Hypersolvers for Neural ODEs.</title><year>2021</year><booktitle>ICLR</booktitle></inproceedings></r>
<r><article key="journals/jcp/Y22"><title>Stiff Solvers, Learned.</title><year>2022</year><journal>J. Comput. Phys.</journal></article></r>
</dblpperson>`
	got, err := Parse(FormatDBLP, []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Title != "Hypersolvers for Neural ODEs." || got[0].Venue != "ICLR" || got[1].Year != 2022 || got[1].Venue != "J. Comput. Phys." {
		t.Fatalf("got %+v", got)
	}
	if _, err := Parse(FormatDBLP, []byte(`{"group":[]}`)); err == nil {
		t.Error("JSON accepted as DBLP XML")
	}
}

func TestParseLimits(t *testing.T) {
	t.Parallel()
	if _, err := Parse(FormatBibTeX, make([]byte, MaxFileBytes+1)); err == nil {
		t.Error("a file over the limit was accepted")
	}
	if _, err := Parse("endnote", []byte(bib)); err == nil {
		t.Error("an unknown format was accepted")
	}
	long := "@misc{x, title = {" + strings.Repeat("word ", 1000) + "}, year = 3000}"
	got, err := Parse(FormatBibTeX, []byte(long))
	if err != nil || len([]rune(got[0].Title)) != MaxTitleRunes || got[0].Year != 0 {
		t.Fatalf("long title: %d runes, year %d, %v", len([]rune(got[0].Title)), got[0].Year, err)
	}
}

// FuzzParse: no input makes a reader panic, loop or return an entry
// without a title or over the limits.
func FuzzParse(f *testing.F) {
	f.Add(FormatBibTeX, []byte(bib))
	f.Add(FormatBibTeX, []byte("@a{b,c={{{d}}},e=\"f\"#g}"))
	f.Add(FormatORCID, []byte(`{"group":[{"work-summary":[{"title":{"title":{"value":"x"}}}]}]}`))
	f.Add(FormatDBLP, []byte(`<dblpperson><r><article><title>x</title></article></r></dblpperson>`))
	f.Fuzz(func(t *testing.T, format string, data []byte) {
		got, err := Parse(format, data)
		if err != nil {
			return
		}
		for _, p := range got {
			if p.Title == "" || len([]rune(p.Title)) > MaxTitleRunes || len([]rune(p.Abstract)) > MaxAbstractRun {
				t.Fatalf("bad entry %+v", p)
			}
		}
	})
}
