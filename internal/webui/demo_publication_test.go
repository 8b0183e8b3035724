package webui_test

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/demo"
)

// TestDemoAfterReleasePublishesWhatItShould walks the demo venue past its
// release as its chairs and authors would: the chair decides every paper
// (accepting what can be accepted), releases, the authors of all accepted
// papers but one consent and two upload their camera-ready version. Then,
// as anyone on the web: every consented paper has its page with the
// Highwire Press tags of its title and authors, the non-archival status
// and the licence, a PDF where there is a final version, and its entry in
// the venue's BibTeX and CSL-JSON; the accepted paper without consent and
// every rejected paper are nowhere.
func TestDemoAfterReleasePublishesWhatItShould(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("loading the demo runs 43 PDF checks")
	}
	s := apptest.Start(t, apptest.Options{Env: map[string]string{"QUIRE_DEMO": "true"}})
	chair := s.Session(t, demo.Chair.Email).Access
	var subs []struct {
		ID      int64  `json:"id"`
		Number  int    `json:"number"`
		Title   string `json:"title"`
		Authors []struct{ Name, Email string }
	}
	s.As(t, chair, "GET", "/api/v1/venues/dlde-2023/submissions", nil).JSON(t, &subs)
	if len(subs) != len(demo.Submissions) {
		t.Fatalf("%d demo papers, want %d", len(subs), len(demo.Submissions))
	}

	s.Clock.Set(chairReviewingTime)
	chair = s.Session(t, demo.Chair.Email).Access
	var accepted, rejected []int // indices into subs
	for i, p := range subs {
		cat := []string{"accept-poster", "accept-spotlight", "reject"}[i%3]
		if cat != "reject" {
			r := s.As(t, chair, "PUT", fmt.Sprintf("/api/v1/submissions/%d/decision", p.ID), map[string]string{"category": cat})
			if r.StatusCode == http.StatusNoContent {
				accepted = append(accepted, i)
				continue
			}
			if r.StatusCode >= 500 {
				t.Fatalf("accepting #%d: %s", p.Number, r.Body)
			}
			// A paper without a PDF or held for naming its authors
			// cannot be accepted: the chair rejects it instead.
		}
		if r := s.As(t, chair, "PUT", fmt.Sprintf("/api/v1/submissions/%d/decision", p.ID), map[string]string{"category": "reject"}); r.StatusCode != http.StatusNoContent {
			t.Fatalf("rejecting #%d: %s", p.Number, r.Body)
		}
		rejected = append(rejected, i)
	}
	if len(accepted) < 10 || len(rejected) < 10 {
		t.Fatalf("%d accepted, %d rejected: the walk should have both", len(accepted), len(rejected))
	}
	s.Clock.Set(time.Date(2023, 10, 28, 12, 0, 0, 0, time.UTC))
	chair = s.Session(t, demo.Chair.Email).Access
	if r := s.As(t, chair, "PUT", "/api/v1/venues/dlde-2023/release", nil); r.StatusCode != http.StatusOK {
		t.Fatalf("release: %s", r.Body)
	}

	pdf, err := os.ReadFile(filepath.Join("..", "pdfcheck", "testdata", "midpage4.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	private := accepted[0] // its authors say no
	published := accepted[1:]
	for k, i := range published {
		p := subs[i]
		author := s.Session(t, p.Authors[0].Email).Access
		if k < 2 {
			if r := s.As(t, author, "PUT", fmt.Sprintf("/api/v1/submissions/%d/camera-ready", p.ID), pdf, "Content-Type", "application/pdf"); r.StatusCode != http.StatusOK {
				t.Fatalf("camera-ready of #%d: %s", p.Number, r.Body)
			}
		}
		if r := s.As(t, author, "PUT", fmt.Sprintf("/api/v1/submissions/%d/publication", p.ID), map[string]any{"consent": true, "licence": "cc-by-4.0"}); r.StatusCode != http.StatusOK {
			t.Fatalf("consent of #%d: %s", p.Number, r.Body)
		}
	}
	if r := s.As(t, s.Session(t, subs[private].Authors[0].Email).Access, "PUT", fmt.Sprintf("/api/v1/submissions/%d/publication", subs[private].ID), map[string]any{"consent": false, "licence": "cc-by-4.0"}); r.StatusCode != http.StatusOK {
		t.Fatalf("declining #%d: %s", subs[private].Number, r.Body)
	}

	anon := newBrowser(t, s)
	bib := anon.get("/api/v1/venues/dlde-2023/papers?format=bibtex")
	csl := anon.get("/api/v1/venues/dlde-2023/papers?format=csl-json")
	venuePage := anon.get("/venues/dlde-2023")
	if bib.status != http.StatusOK || csl.status != http.StatusOK || venuePage.status != http.StatusOK {
		t.Fatalf("exports %d %d, venue page %d", bib.status, csl.status, venuePage.status)
	}
	for k, i := range published {
		p := subs[i]
		page := anon.get(fmt.Sprintf("/venues/dlde-2023/papers/%d", p.Number))
		if page.status != http.StatusOK {
			t.Errorf("#%d: %d", p.Number, page.status)
			continue
		}
		tags := metaTags(t, page.body)
		var names []string
		for _, a := range p.Authors {
			names = append(names, a.Name)
		}
		if got := tags["citation_title"]; len(got) != 1 || got[0] != p.Title {
			t.Errorf("#%d citation_title %q, want %q", p.Number, got, p.Title)
		}
		if got := tags["citation_author"]; fmt.Sprint(got) != fmt.Sprint(names) {
			t.Errorf("#%d citation_author %q, want %q", p.Number, got, names)
		}
		if got := tags["citation_conference_title"]; len(got) != 1 || !strings.Contains(got[0], "DLDE III") {
			t.Errorf("#%d citation_conference_title %q", p.Number, got)
		}
		for _, w := range []string{"Non-archival report", ">CC BY 4.0</a>"} {
			if !strings.Contains(page.body, w) {
				t.Errorf("#%d's page lacks %q", p.Number, w)
			}
		}
		pdfURL := tags["citation_pdf_url"]
		if k < 2 {
			if len(pdfURL) != 1 {
				t.Errorf("#%d has its final version but no citation_pdf_url", p.Number)
			} else if f := anon.get(strings.TrimPrefix(pdfURL[0], strings.TrimSuffix(s.App.Config.BaseURL.String(), "/"))); f.status != http.StatusOK || !bytes.HasPrefix([]byte(f.body), []byte("%PDF")) {
				t.Errorf("#%d's PDF: %d", p.Number, f.status)
			}
		}
		for what, key := range map[string]string{bib.body: bibKey(p.Number), csl.body: cslID(p.Number), venuePage.body: fmt.Sprintf(`href="/venues/dlde-2023/papers/%d"`, p.Number)} {
			if !strings.Contains(what, key) {
				t.Errorf("#%d is missing (%s)", p.Number, key)
			}
		}
	}
	for _, i := range append([]int{private}, rejected...) {
		p := subs[i]
		for _, u := range []string{"/venues/dlde-2023/papers/%d", "/api/v1/venues/dlde-2023/papers/%d/pdf", "/api/v1/venues/dlde-2023/papers/%d"} {
			if r := anon.get(fmt.Sprintf(u, p.Number)); r.status != http.StatusNotFound {
				t.Errorf("#%d, not to be public: %s answers %d", p.Number, fmt.Sprintf(u, p.Number), r.status)
			}
		}
		if strings.Contains(bib.body, bibKey(p.Number)) || strings.Contains(csl.body, cslID(p.Number)) || strings.Contains(csl.body, jsonEscaped(p.Title)) ||
			strings.Contains(venuePage.body, fmt.Sprintf(`href="/venues/dlde-2023/papers/%d"`, p.Number)) {
			t.Errorf("#%d, not to be public, is in the exports or on the venue page", p.Number)
		}
	}
}

func bibKey(n int) string { return fmt.Sprintf("{dlde-2023-%d,", n) }
func cslID(n int) string  { return fmt.Sprintf(`"dlde-2023-%d"`, n) }

// jsonEscaped is how a title stands inside a JSON string (the CSL-JSON),
// for a plain-text search of the body; enough for the demo's titles.
func jsonEscaped(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)
}
