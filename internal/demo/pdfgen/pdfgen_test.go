package pdfgen_test

import (
	"bytes"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/demo/pdfgen"
)

const abstract = "Neural ordinary differential equations model continuous-time dynamics with a learned vector field, " +
	"but training them is slow because adaptive solvers take many steps on stiff problems. We propose hypersolvers " +
	"that learn a correction to a cheap base solver, trading a small amount of accuracy for large speedups. On image " +
	"classification and density estimation, hypersolvers reach the accuracy of an adaptive Runge-Kutta method with an " +
	"order of magnitude fewer function evaluations. We analyse the local truncation error and show that the learned " +
	"correction reduces it uniformly over the distribution of initial conditions seen in training."

func paper(bodyPages float64) pdfgen.Paper {
	return pdfgen.Paper{
		Title:           "Hypersolvers for Fast Continuous-Depth Models",
		Abstract:        abstract,
		Authors:         []string{"Hannah Fischer\nZurich Technical Institute\nh.fischer@eth.example.ch", "Ngozi Okafor\nLagos Institute of Technology\nr.okafor@ml-lab.example.edu"},
		BodyPages:       bodyPages,
		ReferencesCount: 12,
		Footer:          pdfgen.AnonymousFooter,
	}
}

// writeTemp writes the paper for the poppler tools, which read files only.
func writeTemp(t *testing.T, p pdfgen.Paper) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "paper.pdf")
	var buf bytes.Buffer
	if err := pdfgen.Write(&buf, p); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not installed (Debian poppler-utils)", name)
	}
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

var pagesLine = regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`)

// pdfinfoPages parses the file with poppler and returns its page count and
// the whole pdfinfo output.
func pdfinfoPages(t *testing.T, path string) (int, string) {
	t.Helper()
	out := run(t, "pdfinfo", "-enc", "UTF-8", path)
	m := pagesLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo printed no page count:\n%s", out)
	}
	n, _ := strconv.Atoi(m[1])
	return n, out
}

// pageText is the text of page n (from 1), with white space collapsed.
func pageText(t *testing.T, path string, n int) string {
	t.Helper()
	nn := strconv.Itoa(n)
	return strings.Join(strings.Fields(run(t, "pdftotext", "-enc", "UTF-8", "-f", nn, "-l", nn, path, "-")), " ")
}

// TestPoppler checks that poppler reads every generated file, with the page
// count the layout implies, and finds each part where the spec puts it.
func TestPoppler(t *testing.T) {
	t.Parallel()
	withParts := paper(2.5)
	withParts.Acknowledgements, withParts.Appendix, withParts.Checklist = true, true, true
	tests := []struct {
		name  string
		paper pdfgen.Paper
		// pages is the page count; want maps a page to text it must hold.
		pages int
		want  map[int][]string
		// absent maps a page to text it must not hold.
		absent map[int][]string
	}{
		{"half-way down page 4", paper(3.5), 4,
			map[int][]string{1: {"Hypersolvers for Fast Continuous-Depth Models", "Anonymous Author(s)", "Abstract", "1 Introduction", pdfgen.AnonymousFooter}, 4: {"References", "[12]"}},
			map[int][]string{1: {"Hannah Fischer", "References"}}},
		{"four full pages", paper(4), 5,
			map[int][]string{2: {"2 Background"}, 5: {"References", "[1]"}},
			map[int][]string{4: {"References"}}},
		{"spills onto page 6", paper(5.2), 6,
			map[int][]string{1: {"1 Introduction"}, 5: {"8 Conclusion"}, 6: {"References"}},
			map[int][]string{5: {"References"}}},
		{"every part", withParts, 0, // the appendix and checklist lengths vary with the text
			map[int][]string{3: {"Acknowledgments and Disclosure of Funding", "References"}},
			map[int][]string{3: {"A Additional Experiments"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := writeTemp(t, tt.paper)
			n, info := pdfinfoPages(t, path)
			if tt.pages > 0 && n != tt.pages {
				t.Errorf("pdfinfo: %d pages, want %d", n, tt.pages)
			}
			if !strings.Contains(info, "612 x 792 pts (letter)") || !regexp.MustCompile(`(?m)^PDF version:\s+1\.4$`).MatchString(info) {
				t.Errorf("not a US Letter PDF 1.4:\n%s", info)
			}
			for pg, texts := range tt.want {
				got := pageText(t, path, pg)
				for _, s := range texts {
					if !strings.Contains(got, s) {
						t.Errorf("page %d lacks %q:\n%s", pg, s, got)
					}
				}
			}
			for pg, texts := range tt.absent {
				got := pageText(t, path, pg)
				for _, s := range texts {
					if strings.Contains(got, s) {
						t.Errorf("page %d holds %q", pg, s)
					}
				}
			}
		})
	}
}

// TestParts checks that the optional parts come in their order, each part
// after the one before it, with the checklist last.
func TestParts(t *testing.T) {
	t.Parallel()
	p := paper(3)
	p.Acknowledgements, p.Appendix, p.Checklist = true, true, true
	path := writeTemp(t, p)
	n, _ := pdfinfoPages(t, path)
	text := strings.Join(strings.Fields(run(t, "pdftotext", "-enc", "UTF-8", path, "-")), " ")
	order := []string{"1 Introduction", "4 Experiments", "Figure 1:", "5 Conclusion", "Acknowledgments and Disclosure of Funding",
		"References", "[12]", "A Additional Experiments", "B Implementation Details", "NeurIPS Paper Checklist", "10. Broader impacts."}
	at := 0
	for _, s := range order {
		i := strings.Index(text[at:], s)
		if i < 0 {
			t.Fatalf("%q missing or out of order (looked after offset %d)", s, at)
		}
		at += i + len(s)
	}
	if last := pageText(t, path, n); !strings.Contains(last, "Justification") {
		t.Errorf("the last page (%d) is not the checklist's: %s", n, last)
	}
	// Body text comes from the abstract's words.
	if !strings.Contains(text, "hypersolvers") || !strings.Contains(text, "truncation") {
		t.Error("body text does not use the abstract's vocabulary")
	}
}

func TestLeaksInFile(t *testing.T) {
	t.Parallel()
	p := paper(2)
	p.AuthorBlock = true
	p.MetadataAuthor = "Hannah Fischer; Ngozi Okafor"
	p.Footer = pdfgen.PreprintFooter
	path := writeTemp(t, p)
	_, info := pdfinfoPages(t, path)
	if !regexp.MustCompile(`(?m)^Author:\s+Hannah Fischer; Ngozi Okafor$`).MatchString(info) {
		t.Errorf("Info /Author not set:\n%s", info)
	}
	first := pageText(t, path, 1)
	for _, s := range []string{"Hannah Fischer", "Zurich Technical Institute", "r.okafor@ml-lab.example.edu", "Preprint. Under review."} {
		if !strings.Contains(first, s) {
			t.Errorf("page 1 lacks %q", s)
		}
	}
	if strings.Contains(first, "Anonymous") {
		t.Error("page 1 says Anonymous despite the author block")
	}

	_, info = pdfinfoPages(t, writeTemp(t, paper(2)))
	if strings.Contains(info, "Author:") {
		t.Errorf("an anonymous paper names an Info /Author:\n%s", info)
	}
}

// TestUnicode checks text outside ASCII: WinAnsi in the pages, UTF-16 in
// the Info dictionary, and a question mark for what WinAnsi lacks.
func TestUnicode(t *testing.T) {
	t.Parallel()
	p := paper(1.5)
	p.Title = "Schrödinger Bridges – and Fokker–Planck Flows"
	p.MetadataAuthor = "José Müller 陈"
	p.Authors = []string{"José Müller"}
	p.AuthorBlock = true
	path := writeTemp(t, p)
	_, info := pdfinfoPages(t, path)
	if !strings.Contains(info, "José Müller 陈") || !strings.Contains(info, "Schrödinger Bridges – and Fokker–Planck Flows") {
		t.Errorf("Info strings garbled:\n%s", info)
	}
	if first := pageText(t, path, 1); !strings.Contains(first, "Schrödinger Bridges – and Fokker–Planck Flows") || !strings.Contains(first, "José Müller") {
		t.Errorf("page text garbled: %s", first)
	}
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	p := paper(3.7)
	p.Acknowledgements, p.Appendix, p.Checklist, p.MetadataAuthor = true, true, true, "A. Nonymous"
	a, b := pdfgen.Bytes(p), pdfgen.Bytes(p)
	if !bytes.Equal(a, b) {
		t.Fatal("the same spec gave different bytes")
	}
	var w bytes.Buffer
	if err := pdfgen.Write(&w, p); err != nil || !bytes.Equal(w.Bytes(), a) {
		t.Fatalf("Write and Bytes differ (err %v)", err)
	}
	if bytes.Contains(a, []byte("/CreationDate (D:2024")) || !bytes.Contains(a, []byte("/ID [<")) {
		t.Error("missing the fixed /ID or dated outside the workshop's run-up")
	}
	q := p
	q.Abstract += " A closing sentence changes the text."
	if bytes.Equal(pdfgen.Bytes(q), a) {
		t.Error("a different abstract gave the same file")
	}
}

func TestInvalid(t *testing.T) {
	t.Parallel()
	tests := map[string]pdfgen.Paper{
		"no title":           {BodyPages: 3},
		"no body":            {Title: "T", BodyPages: 0},
		"negative body":      {Title: "T", BodyPages: -1},
		"NaN body":           {Title: "T", BodyPages: math.NaN()},
		"too long":           {Title: "T", BodyPages: 31},
		"negative refs":      {Title: "T", BodyPages: 2, ReferencesCount: -1},
		"absurd bibliograph": {Title: "T", BodyPages: 2, ReferencesCount: 1000},
	}
	for name, p := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := pdfgen.Write(&buf, p); !errors.Is(err, pdfgen.ErrInvalidPaper) {
				t.Errorf("Write = %v, want ErrInvalidPaper", err)
			}
			if buf.Len() != 0 {
				t.Error("Write wrote part of a refused paper")
			}
			defer func() {
				if recover() == nil {
					t.Error("Bytes did not panic")
				}
			}()
			pdfgen.Bytes(p)
		})
	}
}

// failingWriter refuses every write, to show Write reports it.
type failingWriter struct{}

var errDiskFull = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestWriteError(t *testing.T) {
	t.Parallel()
	if err := pdfgen.Write(failingWriter{}, paper(1)); !errors.Is(err, errDiskFull) {
		t.Errorf("Write = %v, want the writer's error", err)
	}
}
