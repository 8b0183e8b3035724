package httpapi_test

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/quirehq/quire/api"
)

// The four papers of the publication world, by number: what each must and
// must not show publicly after the release.
var publicationTitles = map[int]string{
	1: "Published Spotlight Paper", // accepted, camera-ready, consented
	2: "Unconsented Poster Paper",  // accepted, no consent
	3: "Opted In Rejected Paper",   // rejected, its authors asked
	4: "Private Rejected Paper",    // rejected, nobody asked
}

func abstractOf(n int) string { return "The abstract of " + publicationTitles[n] + "." }

// publicationWorld is DLDE III after the release with the four papers
// above, all Ada's.
func publicationWorld(t *testing.T) (*world, map[int]int64) {
	t.Helper()
	w := newWorld(t)
	ids := map[int]int64{}
	for n := 1; n <= 4; n++ {
		p := paper()
		p["title"], p["abstract"] = publicationTitles[n], abstractOf(n)
		r := w.s.As(t, w.author, "POST", "/api/v1/venues/dlde-2023/submissions", p)
		if r.StatusCode != 201 {
			t.Fatalf("create: %s", r.Body)
		}
		m := r.Map(t)
		id := int64(m["id"].(float64))
		ids[int(m["number"].(float64))] = id
		if r := w.s.As(t, w.author, "PUT", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), corpus(t, "midpage4.pdf"), "Content-Type", "application/pdf"); r.StatusCode != 200 {
			t.Fatalf("upload: %s", r.Body)
		}
	}
	w.jump(t, time.Date(2023, 10, 20, 12, 0, 0, 0, time.UTC), nil)
	for n, cat := range map[int]string{1: "accept-spotlight", 2: "accept-poster", 3: "reject", 4: "reject"} {
		if r := w.s.As(t, w.chair, "PUT", fmt.Sprintf("/api/v1/submissions/%d/decision", ids[n]), map[string]string{"category": cat}); r.StatusCode != 204 {
			t.Fatalf("decide #%d: %s", n, r.Body)
		}
	}
	w.jump(t, time.Date(2023, 10, 28, 12, 0, 0, 0, time.UTC), nil)
	if r := w.s.As(t, w.chair, "PUT", "/api/v1/venues/dlde-2023/release", nil); r.StatusCode != 200 {
		t.Fatalf("release: %s", r.Body)
	}
	if r := w.s.As(t, w.author, "PUT", fmt.Sprintf("/api/v1/submissions/%d/camera-ready", ids[1]), corpus(t, "midpage4.pdf"), "Content-Type", "application/pdf"); r.StatusCode != 200 {
		t.Fatalf("camera-ready: %s", r.Body)
	}
	for n, lic := range map[int]string{1: "cc-by-4.0", 3: "all-rights-reserved"} {
		if r := w.s.As(t, w.author, "PUT", fmt.Sprintf("/api/v1/submissions/%d/publication", ids[n]), map[string]any{"consent": true, "licence": lic}); r.StatusCode != 200 {
			t.Fatalf("consent #%d: %s", n, r.Body)
		}
	}
	w.stranger = w.s.Login(t, "eve@elsewhere.example")
	return w, ids
}

// publicURLs is every GET of the contract a stranger may call about the
// venue (each paper number, each format), and the public pages.
func publicURLs(t *testing.T) []string {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(api.Spec)
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for path, item := range doc.Paths.Map() {
		if item.Get == nil || !strings.HasPrefix(path, "/venues/{venue}") {
			continue
		}
		for n := 1; n <= 4; n++ {
			u := "/api/v1" + strings.NewReplacer("{venue}", "dlde-2023", "{number}", fmt.Sprint(n)).Replace(path)
			urls = append(urls, u)
			for _, f := range []string{"bibtex", "csl-json", "csv", "ics"} {
				urls = append(urls, u+"?format="+f)
			}
			if !strings.Contains(path, "{number}") {
				break
			}
		}
	}
	urls = append(urls, "/venues", "/venues/dlde-2023", "/venues/dlde-2023/now", "/venues/dlde-2023/posters", "/api/v1/venues")
	for n := 1; n <= 4; n++ {
		urls = append(urls, fmt.Sprintf("/venues/dlde-2023/papers/%d", n))
	}
	sort.Strings(urls)
	return urls
}

// TestUnpublishedPapersAreNowherePublic: after the release, a rejected
// paper whose authors did not opt in, and the abstract and file of an
// accepted paper without consent, appear in no public answer of the API
// or the site, to anyone without a role in the venue, signed in or not;
// the published ones do.
func TestUnpublishedPapersAreNowherePublic(t *testing.T) {
	t.Parallel()
	w, _ := publicationWorld(t)
	forbiddenText := []string{publicationTitles[4], abstractOf(4), abstractOf(2)}
	seen := map[string]bool{}
	urls := publicURLs(t)
	if len(urls) < 30 {
		t.Fatalf("only %d URLs", len(urls))
	}
	// Reviewers of the venue read its submissions to bid on them, by
	// design (the double-blind sweep guards that); the public is anyone
	// else, signed in or not.
	for role, tok := range map[string]string{"anonymous": "", "stranger": w.stranger} {
		for _, u := range urls {
			var r = w.s.Do(t, "GET", u, nil)
			switch {
			case tok == "":
			case strings.HasPrefix(u, "/api/"):
				r = w.s.As(t, tok, "GET", u, nil)
			default:
				r = w.s.Do(t, "GET", u, nil, "Cookie", "quire_access="+tok)
			}
			if r.StatusCode >= 500 {
				t.Errorf("%s GET %s: %s %s", role, u, r.Status, r.Body)
			}
			text := readable(t, r)
			for _, s := range forbiddenText {
				if strings.Contains(text, s) {
					t.Errorf("%s reads %q in GET %s (%d)", role, s, u, r.StatusCode)
				}
			}
			for _, s := range []string{abstractOf(1), publicationTitles[3], "Licence: CC BY 4.0"} {
				if r.StatusCode == http.StatusOK && strings.Contains(text, s) {
					seen[s] = true
				}
			}
		}
	}
	// The sweep reaches what is public, so its silence means something.
	for _, s := range []string{abstractOf(1), publicationTitles[3], "Licence: CC BY 4.0"} {
		if !seen[s] {
			t.Errorf("no public answer shows %q: the sweep proves nothing", s)
		}
	}
}
