package pdfgen_test

// The demo venue's submissions (internal/demo/submissions.go) are data for
// this package; these tests hold them to what `make run` promises: forty
// plausible DLDE III papers, their PDFs made fast at start-up, and the
// checker's verdicts matching the mistakes each one is meant to show.

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/quirehq/quire/internal/demo"
	"github.com/quirehq/quire/internal/demo/pdfgen"
	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/venue"
)

// Kinds of demo paper, by what its spec asks for.
const (
	ordinary  = "ordinary"
	overLimit = "over the limit"
	leaking   = "leaking"
	active    = "runs a script"
)

func kindOf(s demo.Submission, limit int) string {
	p := s.Paper()
	switch {
	case int(math.Ceil(p.BodyPages)) > limit:
		return overLimit
	case p.AuthorBlock, p.MetadataAuthor != "", p.Footer != pdfgen.AnonymousFooter, p.Lead != "":
		return leaking
	case p.OpenScript != "":
		return active
	}
	return ordinary
}

func TestDemoSubmissions(t *testing.T) {
	t.Parallel()
	v, err := venue.DemoVenue()
	if err != nil {
		t.Fatal(err)
	}
	reviewers := map[string]bool{}
	for _, r := range demo.Reviewers {
		reviewers[r.Email] = true
	}
	submitters := map[string]int{}
	kinds := map[string]int{}
	parts := map[string]int{}
	titles := map[string]bool{}
	for _, s := range demo.Submissions {
		t.Run(s.Title, func(t *testing.T) {
			if titles[s.Title] {
				t.Error("duplicate title")
			}
			titles[s.Title] = true
			words := len(strings.Fields(s.Abstract))
			if words < 100 || words > 250 || len(s.Abstract) > v.AbstractMaxChars {
				t.Errorf("abstract of %d words, %d characters; want 100-250 words, at most %d characters", words, len(s.Abstract), v.AbstractMaxChars)
			}
			if !slices.ContainsFunc(v.Tracks, func(tr venue.Track) bool { return tr.Key == s.Track }) {
				t.Errorf("track %q is not a track of %s", s.Track, v.Slug)
			}
			if !slices.ContainsFunc(s.Keywords, func(k string) bool { return slices.Contains(v.Keywords, k) }) {
				t.Errorf("keywords %v: none from the venue's list", s.Keywords)
			}
			if len(s.Authors) == 0 {
				t.Fatal("no authors")
			}
			if !slices.ContainsFunc(demo.Authors, func(p demo.Person) bool { return p.Email == s.Authors[0] }) {
				t.Errorf("the submitter %s is not one of the demo authors", s.Authors[0])
			}
			submitters[s.Authors[0]]++
			seen := map[string]bool{}
			for _, e := range s.Authors {
				if _, ok := demo.PersonByEmail(e); !ok || seen[e] {
					t.Errorf("author %s unknown or listed twice", e)
				}
				seen[e] = true
			}
			if s.PDF.Title != "" || s.PDF.Abstract != "" || len(s.PDF.Authors) > 0 {
				t.Error("the PDF spec repeats what Paper fills in from the form")
			}
			p := s.Paper()
			if p.Title != s.Title || p.Abstract != s.Abstract || len(p.Authors) != len(s.Authors) {
				t.Errorf("Paper() = title %q, %d authors", p.Title, len(p.Authors))
			}
			if p.ReferencesCount < 10 {
				t.Errorf("%d references", p.ReferencesCount)
			}
			kinds[kindOf(s, v.Pages.Limit)]++
			for part, on := range map[string]bool{"acknowledgements": p.Acknowledgements, "appendix": p.Appendix, "checklist": p.Checklist} {
				if on {
					parts[part]++
				}
			}
		})
	}
	if n := len(demo.Submissions); n < 38 || n > 42 {
		t.Errorf("%d demo submissions, want about 40", n)
	}
	if kinds[overLimit] != 3 || kinds[leaking] != 4 || kinds[active] != 1 {
		t.Errorf("kinds %v, want 3 over the limit, 4 leaking and 1 running a script", kinds)
	}
	for _, part := range []string{"acknowledgements", "appendix", "checklist"} {
		if parts[part] < 2 {
			t.Errorf("only %d papers with %s", parts[part], part)
		}
	}
	for _, a := range demo.Authors {
		if submitters[a.Email] == 0 {
			t.Errorf("demo author %s submits nothing", a.Email)
		}
	}
}

// demoPDFs makes every demo paper, as `make run` does at start-up.
func demoPDFs() [][]byte {
	out := make([][]byte, len(demo.Submissions))
	for i, s := range demo.Submissions {
		out[i] = pdfgen.Bytes(s.Paper())
	}
	return out
}

// The time to make the whole set (about 60 ms on 2 cores, made at every
// first `make run`) is measured by BenchmarkDemoPDFs, not asserted: timed
// tests flake on shared machines.
func BenchmarkDemoPDFs(b *testing.B) {
	for b.Loop() {
		demoPDFs()
	}
}

// TestDemoPDFsChecked sends every demo paper through the real checker with
// its authors' identity: the ordinary ones pass with no leak, the three
// over the limit are refused with the body length their spec gives, and
// the leaking ones are flagged.
func TestDemoPDFsChecked(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("checks forty files in child processes")
	}
	c := testChecker(t)
	v, err := venue.DemoVenue()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var wg sync.WaitGroup
	for i, s := range demo.Submissions {
		wg.Go(func() {
			var id pdfcheck.Identity
			for _, e := range s.Authors {
				p, _ := demo.PersonByEmail(e)
				id.Names = append(id.Names, p.Name)
				id.Emails = append(id.Emails, p.Email)
				id.Affiliations = append(id.Affiliations, p.Affiliation)
			}
			path := filepath.Join(dir, strconv.Itoa(i)+".pdf")
			if err := os.WriteFile(path, pdfgen.Bytes(s.Paper()), 0o644); err != nil {
				t.Error(err)
				return
			}
			rep, err := c.Check(context.Background(), path, pdfcheck.DefaultRules(), id, "")
			want := int(math.Ceil(s.Paper().BodyPages))
			kind := kindOf(s, v.Pages.Limit)
			var ce *pdfcheck.CheckError
			switch {
			case kind == overLimit && (!errors.As(err, &ce) || ce.Code != "over_page_limit"):
				t.Errorf("%s: Check = %v, want over_page_limit", s.Title, err)
			case kind != overLimit && err != nil:
				t.Errorf("%s: Check: %v", s.Title, err)
			case rep.BodyPages != want:
				t.Errorf("%s: %d body pages, want %d (%s)", s.Title, rep.BodyPages, want, rep.BodyEnd)
			case kind == leaking && len(rep.Leaks) == 0:
				t.Errorf("%s: no leak found", s.Title)
			case kind == active && (len(rep.Leaks) != 1 || rep.Leaks[0].Code != "active_content" || rep.Leaks[0].InText):
				t.Errorf("%s: want the script named and nothing held, got %+v", s.Title, rep.Leaks)
			case kind != leaking && kind != active && len(rep.Leaks) > 0:
				t.Errorf("%s: unexpected leaks %+v", s.Title, rep.Leaks)
			}
		})
	}
	wg.Wait()
}
