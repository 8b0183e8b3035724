package httpapi_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/account"
)

// pageURLs are the browser's pages of the leak world, each paper's where a
// page is about one: the pages chairs, reviewers and authors read, with
// the views a query string makes.
func (lw *leakWorld) pageURLs() []string {
	urls := []string{"/", "/submissions", "/venues", "/venues/dlde-2023", "/venues/dlde-2023/posters", "/venues/dlde-2023/now",
		"/venues/dlde-2023/review", "/venues/dlde-2023/bids", "/venues/dlde-2023/conflicts"}
	for _, p := range []string{"", "/submissions", "/anonymity", "/assignment", "/progress", "/decisions", "/decisions?sort=mean&order=desc",
		"/decisions?show=disagreement", "/schedule", "/programme", "/mail", "/settings", "/reviewers", "/audit"} {
		urls = append(urls, "/venues/dlde-2023/chair"+p)
	}
	urls = append(urls, fmt.Sprintf("/venues/dlde-2023/chair/assignment/runs/%d", int64(lw.run)))
	for _, id := range lw.ids {
		for _, p := range []string{"/venues/dlde-2023/chair/papers/%d", "/venues/dlde-2023/review/%d", "/submissions/%d", "/submissions/%d/history"} {
			urls = append(urls, fmt.Sprintf(p, id))
		}
	}
	return urls
}

// TestNoPageLeaksToAnyRole is TestNothingLeaksToAnyRole for the browser's
// pages: every role, signed in by cookie as a browser is, reads every page,
// and finds no author it may not know and no reviewer it may not know.
func TestNoPageLeaksToAnyRole(t *testing.T) {
	t.Parallel()
	lw := newLeakWorld(t)
	urls := lw.pageURLs()
	// Sanity: the pages answer a chair with what must stay hidden from
	// others, and a signed-in browser is recognised by its cookie.
	chair := lw.w.s.Do(t, "GET", fmt.Sprintf("/venues/dlde-2023/chair/papers/%d", lw.ids[0]), nil, "Cookie", "quire_access="+lw.tokens["chair"])
	if chair.StatusCode != http.StatusOK || !strings.Contains(string(chair.Body), "Alice Müller") || !strings.Contains(string(chair.Body), "Fay Faraway") {
		t.Fatalf("the chair's paper page (%d) does not show the authors and reviewers: the sweep would prove nothing", chair.StatusCode)
	}
	rex := lw.w.s.Do(t, "GET", fmt.Sprintf("/venues/dlde-2023/review/%d", lw.ids[0]), nil, "Cookie", "quire_access="+lw.tokens["rex"])
	if rex.StatusCode != http.StatusOK || !strings.Contains(string(rex.Body), "Learned Step Sizes") {
		t.Fatalf("an assigned reviewer's review page answers %d without the paper: the sweep would read refusals only", rex.StatusCode)
	}
	for _, f := range lw.sweep(t, urls) {
		t.Error(f)
	}
}

// TestNoThumbnailLeaksToAnyRole puts the page pictures of the check report
// into the sweep: every role asks for every paper's pictures through every
// paper. A picture answers only through its own paper, and only to those
// who may read that paper's report (its authors and the chairs free of a
// conflict with it); everyone else gets what a paper they may not see
// gets. Reviewers never get one: the pictures show the file as uploaded.
func TestNoThumbnailLeaksToAnyRole(t *testing.T) {
	t.Parallel()
	lw := newLeakWorld(t)
	s := lw.w.s
	var chairID int64
	if err := s.App.Pool.QueryRow(t.Context(), `SELECT id FROM users WHERE email = 'chair@example.org'`).Scan(&chairID); err != nil {
		t.Fatal(err)
	}
	shas := map[int64][]string{}
	var all []string
	for _, id := range lw.ids {
		sub, err := s.App.Services.Submissions.Get(t.Context(), id, account.Principal{UserID: chairID})
		if err != nil {
			t.Fatal(err)
		}
		// The pictures are drawn after the upload's acknowledgement: as
		// when a chair opens the paper.
		sub = s.App.Services.Submissions.WithThumbnails(t.Context(), sub)
		if sub.Report != nil {
			shas[id] = sub.Report.Thumbnails
			all = append(all, sub.Report.Thumbnails...)
		}
		// The pictures of a paper's earlier revisions are its own too.
		revs, err := s.App.Services.Submissions.History(t.Context(), id, account.Principal{UserID: chairID})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range revs {
			if r.Snapshot.Report != nil {
				shas[id] = append(shas[id], r.Snapshot.Report.Thumbnails...)
			}
		}
	}
	if len(shas[lw.ids[0]]) == 0 || len(shas[lw.ids[1]]) == 0 {
		t.Fatalf("papers #1 and #2 have no pictures (%v): the sweep would prove nothing", shas)
	}
	readers := map[int64][]string{lw.ids[0]: {"ada", "bob", "chair"}, lw.ids[1]: {"eve", "chair", "cora"}, lw.ids[2]: {"eve", "chair", "cora"}}
	served := 0
	for role, tok := range lw.tokens {
		for _, id := range lw.ids {
			for _, sha := range all {
				r := s.Do(t, "GET", fmt.Sprintf("/submissions/%d/thumbs/%s", id, sha), nil, "Cookie", "quire_access="+tok)
				// Anonymous callers are sent to sign in (the client
				// follows), the others get a 404 page.
				got := r.StatusCode == http.StatusOK && r.Header.Get("Content-Type") == "image/png"
				want := tok != "" && slices.Contains(readers[id], role) && slices.Contains(shas[id], sha)
				if got != want {
					t.Errorf("%s asking for picture %.8s through #%d: %d %s, want a picture: %v", role, sha, id, r.StatusCode, r.Header.Get("Content-Type"), want)
				}
				if got {
					served++
				}
			}
		}
	}
	if served == 0 {
		t.Fatal("no picture was served to anyone: the sweep proves nothing")
	}
}
