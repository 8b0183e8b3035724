package pdfgen_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/demo/pdfgen"
	"github.com/quirehq/quire/internal/pdfcheck"
)

// workerEnv turns the test binary into the PDF checker's worker, as
// internal/pdfcheck's own tests do, so the generated files go through the
// real sandboxed check.
const workerEnv = "QUIRE_PDFGEN_TEST_WORKER"

func TestMain(m *testing.M) {
	if os.Getenv(workerEnv) == "1" {
		os.Exit(pdfcheck.RunWorker(os.Stdin, os.Stdout))
	}
	os.Exit(m.Run())
}

func testChecker(t testing.TB) *pdfcheck.Checker {
	t.Helper()
	if _, err := exec.LookPath("pdftohtml"); err != nil {
		t.Skip("pdftohtml not installed (Debian poppler-utils)")
	}
	return pdfcheck.NewChecker(pdfcheck.CheckerOptions{
		WorkerCommand: []string{os.Args[0]},
		Env:           []string{workerEnv + "=1"},
	})
}

// check writes the paper to a file and checks it with DLDE III's rules.
func check(t *testing.T, c *pdfcheck.Checker, p pdfgen.Paper, id pdfcheck.Identity) (pdfcheck.Report, error) {
	t.Helper()
	return c.Check(context.Background(), writeTemp(t, p), pdfcheck.DefaultRules(), id, "")
}

var fischer = pdfcheck.Identity{
	Names:        []string{"Hannah Fischer", "Ngozi Okafor"},
	Emails:       []string{"h.fischer@eth.example.ch", "r.okafor@ml-lab.example.edu"},
	Affiliations: []string{"Zurich Technical Institute", "Lagos Institute of Technology"},
}

func leakCodes(r pdfcheck.Report) []string {
	var out []string
	for _, f := range r.Leaks {
		out = append(out, f.Code)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestChecker is the contract with the PDF checker: the body page count it
// finds is the one the spec asks for, and each kind of leak is reported.
func TestChecker(t *testing.T) {
	t.Parallel()
	c := testChecker(t)
	with := func(bodyPages float64, edit func(*pdfgen.Paper)) pdfgen.Paper {
		p := paper(bodyPages)
		if edit != nil {
			edit(&p)
		}
		return p
	}
	tests := []struct {
		name      string
		paper     pdfgen.Paper
		bodyPages int
		verdict   string
		first     string // kind@page of the section that ended the body
		leaks     []string
	}{
		{"ends mid-page 4", with(3.5, nil), 4, pdfcheck.VerdictOK, "references@4", nil},
		{"references at the top of page 5", with(4, nil), 4, pdfcheck.VerdictOK, "references@5", nil},
		{"two lines on page 5", with(4.03, nil), 5, pdfcheck.VerdictOverLimit, "references@5", nil},
		{"six body pages", with(5.2, nil), 6, pdfcheck.VerdictOverLimit, "references@6", nil},
		{"six full pages", with(6, nil), 6, pdfcheck.VerdictOverLimit, "references@7", nil},
		{"short paper", with(1.6, nil), 2, pdfcheck.VerdictOK, "references@2", nil},
		{"acknowledgements end the body", with(3.4, func(p *pdfgen.Paper) { p.Acknowledgements = true }), 4, pdfcheck.VerdictOK, "acknowledgements@4", nil},
		{"acknowledgements at the top of page 5", with(4, func(p *pdfgen.Paper) { p.Acknowledgements = true }), 4, pdfcheck.VerdictOK, "acknowledgements@5", nil},
		{"appendix and checklist are not counted", with(3.8, func(p *pdfgen.Paper) { p.Appendix, p.Checklist = true, true }), 4, pdfcheck.VerdictOK, "references@4", nil},
		{"everything after four full pages", with(4, func(p *pdfgen.Paper) { p.Acknowledgements, p.Appendix, p.Checklist = true, true, true }), 4, pdfcheck.VerdictOK, "acknowledgements@5", nil},
		{"author block", with(3, func(p *pdfgen.Paper) { p.AuthorBlock = true }), 3, pdfcheck.VerdictOK, "references@4",
			[]string{"affiliation", "author_email", "author_name", "email_on_first_page"}},
		{"metadata author", with(3, func(p *pdfgen.Paper) { p.MetadataAuthor = "Hannah Fischer" }), 3, pdfcheck.VerdictOK, "references@4",
			[]string{"author_name"}},
		{"preprint footer", with(3, func(p *pdfgen.Paper) { p.Footer = pdfgen.PreprintFooter }), 3, pdfcheck.VerdictOK, "references@4",
			[]string{"non_anonymous_build"}},
		{"camera-ready footer", with(3, func(p *pdfgen.Paper) { p.Footer = pdfgen.FinalFooter }), 3, pdfcheck.VerdictOK, "references@4",
			[]string{"non_anonymous_build"}},
		{"no footer", with(2.5, func(p *pdfgen.Paper) { p.Footer = "" }), 3, pdfcheck.VerdictOK, "references@3", nil},
		{"a script run when opened", with(3, func(p *pdfgen.Paper) { p.OpenScript = `app.launchURL("https://example.org/opened");` }), 3, pdfcheck.VerdictOK, "references@4",
			[]string{"active_content"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep, err := check(t, c, tt.paper, fischer)
			if tt.verdict == pdfcheck.VerdictOverLimit {
				var ce *pdfcheck.CheckError
				if !errors.As(err, &ce) || ce.Code != "over_page_limit" || ce.Report == nil {
					t.Fatalf("Check = %v, want an over_page_limit refusal with its report", err)
				}
			} else if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if rep.BodyPages != tt.bodyPages || rep.Verdict != tt.verdict {
				t.Errorf("%d body pages, verdict %s; want %d, %s (%s)", rep.BodyPages, rep.Verdict, tt.bodyPages, tt.verdict, rep.BodyEnd)
			}
			if rep.BodyFontSize != 10 {
				t.Errorf("body font size %v, want 10", rep.BodyFontSize)
			}
			first := ""
			for _, s := range rep.Sections {
				if s.Excluded {
					first = s.Kind + "@" + strconv.Itoa(s.Page)
					break
				}
			}
			if first != tt.first {
				t.Errorf("first excluded section %q, want %q (%s)", first, tt.first, rep.BodyEnd)
			}
			if got := leakCodes(rep); !slices.Equal(got, tt.leaks) {
				t.Errorf("leaks %v, want %v: %+v", got, tt.leaks, rep.Leaks)
			}
			// Every page after the body is one of the excluded kinds.
			for _, pg := range rep.Pages {
				if pg.Number > rep.BodyPages && pg.Kind == pdfcheck.KindBody {
					t.Errorf("page %d after the body is classified as body", pg.Number)
				}
				if pg.Size != "letter" {
					t.Errorf("page %d is %s", pg.Number, pg.Size)
				}
			}
		})
	}
}

// TestCheckerPartKinds checks the checker sees the appendix and the
// checklist as such, page by page.
func TestCheckerPartKinds(t *testing.T) {
	t.Parallel()
	c := testChecker(t)
	p := paper(2)
	p.ReferencesCount = 6
	p.Appendix, p.Checklist = true, true
	rep, err := check(t, c, p, fischer)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	var kinds []string
	for _, pg := range rep.Pages {
		kinds = append(kinds, pg.Kind)
	}
	got := strings.Join(slices.Compact(kinds), " ")
	if want := "body references appendix checklist"; got != want {
		t.Errorf("page kinds %v, want runs of %q", kinds, want)
	}
}

// TestOpenScriptCleaned: the demo paper that runs a script when opened
// reaches reviewers without it (read back with qpdf).
func TestOpenScriptCleaned(t *testing.T) {
	t.Parallel()
	c := testChecker(t)
	if _, err := exec.LookPath("qpdf"); err != nil {
		t.Skip("qpdf not installed")
	}
	p := paper(3)
	p.OpenScript = `app.launchURL("https://example.org/opened");`
	in := writeTemp(t, p)
	out := in + ".copy.pdf"
	if _, err := c.Check(context.Background(), in, pdfcheck.DefaultRules(), fischer, out); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]bool{in: true, out: false} {
		j, err := exec.Command("qpdf", "--json=2", "--decode-level=all", "--json-stream-data=none", file).Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{`"/OpenAction"`, `"/JavaScript"`, "launchURL"} {
			if strings.Contains(string(j), k) != want {
				t.Errorf("%s: has %s = %v, want %v", file, k, !want, want)
			}
		}
	}
}
