package webui_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestReviewRatingsInChromium: the chair rates a review on the paper's
// page; after the release its reviewer reads the tally on their reviewing
// page, without the chair's note.
func TestReviewRatingsInChromium(t *testing.T) {
	t.Parallel()
	s, ids := paperWorld(t) // rex and fay reviewed #1
	tb := newTab(t, s)
	tb.signIn("chair@example.org", fmt.Sprintf("/venues/dlde-2023/chair/papers/%d", ids[0]))
	first := `[data-rating="1"]`
	tb.do("rating Reviewer 1's review helpful",
		chromedp.Click(chromedp.CSS(first+" summary")),
		chromedp.Click(chromedp.CSS("#f-helpful-1-yes")),
		chromedp.SendKeys(chromedp.CSS("#f-note-1"), "Precise about the proof gap"),
		chromedp.Click(chromedp.CSS(first+" button[type=submit]")))
	tb.see("[role=status]", "Your rating of the review is saved")
	tb.see(first+" [data-ratings]", "Chair: helpful — Precise about the proof gap")
	tb.checkAccessibility("a paper with a rated review")

	chair := s.Login(t, "chair@example.org")
	for _, id := range ids {
		if r := s.As(t, chair, "PUT", fmt.Sprintf("/api/v1/submissions/%d/decision", id), map[string]string{"category": "accept-poster"}); r.StatusCode != http.StatusNoContent {
			t.Fatalf("decide: %s", r.Body)
		}
	}
	if r := s.As(t, chair, "PUT", "/api/v1/venues/dlde-2023/release", map[string]string{}); r.StatusCode != http.StatusOK {
		t.Fatalf("release: %s", r.Body)
	}
	var rated string
	for _, email := range []string{"rex@rev.example", "fay@away.example"} {
		rt := newTab(t, s)
		rt.signIn(email, "/venues/dlde-2023/review")
		txt := rt.text("[data-my-ratings]")
		if txt == "" {
			t.Fatalf("%s sees no tally", email)
		}
		if rt.eval(`String(document.body.innerText.includes("proof gap"))`) != "false" {
			t.Fatalf("%s reads the chair's note", email)
		}
		rated += email + ": " + txt + "\n"
	}
	if want := "found 1 of them helpful"; !strings.Contains(rated, want) {
		t.Fatalf("no reviewer's tally says %q:\n%s", want, rated)
	}
}
