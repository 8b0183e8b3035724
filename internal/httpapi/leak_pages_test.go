package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
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
