package httpapi_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// TestReviewRatings: the chairs rate each review of a paper, helpful or
// not, with a note; only chairs rate and read the ratings; each reviewer's
// record adds up across the venue; a reviewer learns their own tally only
// after the release, and never the note or who rated.
func TestReviewRatings(t *testing.T) {
	t.Parallel()
	w, ids, tok := reviewWorld(t)
	rex, fay := tok["rev@example.org"], tok["fay@away.example"]
	for _, who := range []string{rex, fay} {
		if r := w.s.As(t, who, "PUT", fmt.Sprintf("/api/v1/submissions/%d/reviews/mine", ids[0]), map[string]any{"fields": goodReview(4), "submit": true}); r.StatusCode != 200 {
			t.Fatalf("review: %s", r.Body)
		}
	}
	// Which pseudonym is whose, as the chairs see it.
	label := map[string]int{}
	var list struct {
		Reviews []map[string]any `json:"reviews"`
	}
	w.s.As(t, w.chair, "GET", fmt.Sprintf("/api/v1/submissions/%d/reviews", ids[0]), nil).JSON(t, &list)
	for _, r := range list.Reviews {
		n, _ := strconv.Atoi(strings.TrimPrefix(r["label"].(string), "Reviewer "))
		label[r["reviewer_email"].(string)] = n
	}
	rate := func(tok string, pseudonym int, helpful bool, note string) *struct{ status int } {
		r := w.s.As(t, tok, "PUT", fmt.Sprintf("/api/v1/submissions/%d/reviews/%d/rating", ids[0], pseudonym), map[string]any{"helpful": helpful, "note": note})
		return &struct{ status int }{r.StatusCode}
	}
	expectProblem(t, w.s.As(t, rex, "PUT", fmt.Sprintf("/api/v1/submissions/%d/reviews/%d/rating", ids[0], label["fay@away.example"]), map[string]any{"helpful": false}), 403, "not_chair")
	expectProblem(t, w.s.As(t, w.chair, "PUT", fmt.Sprintf("/api/v1/submissions/%d/reviews/9/rating", ids[0]), map[string]any{"helpful": true}), 404, "review_not_found")
	if r := rate(w.chair, label["rev@example.org"], false, ""); r.status != 204 {
		t.Fatalf("rating rex: %d", r.status)
	}
	// A second rating by the same chair replaces the first.
	if r := rate(w.chair, label["rev@example.org"], true, "Clear and kind 4f2a"); r.status != 204 {
		t.Fatalf("rating rex again: %d", r.status)
	}
	if r := rate(w.chair, label["fay@away.example"], false, "Two lines, no argument"); r.status != 204 {
		t.Fatalf("rating fay: %d", r.status)
	}
	var ratings []map[string]any
	w.s.As(t, w.chair, "GET", fmt.Sprintf("/api/v1/submissions/%d/review-ratings", ids[0]), nil).JSON(t, &ratings)
	if len(ratings) != 2 || ratings[0]["mine"] != true {
		t.Fatalf("ratings: %v", ratings)
	}
	expectProblem(t, w.s.As(t, rex, "GET", fmt.Sprintf("/api/v1/submissions/%d/review-ratings", ids[0]), nil), 403, "not_chair")

	var records []map[string]any
	w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/review-ratings", nil).JSON(t, &records)
	got := map[float64]string{}
	for _, r := range records {
		got[r["reviewer_id"].(float64)] = fmt.Sprintf("%v/%v/%v", r["reviews"], r["rated"], r["helpful"])
	}
	if len(got) != 2 || !strings.Contains(fmt.Sprint(got), "1/1/1") || !strings.Contains(fmt.Sprint(got), "1/1/0") {
		t.Fatalf("records: %v", records)
	}

	// Before the release Rex learns nothing; after it, his tally only.
	if m := w.s.As(t, rex, "GET", "/api/v1/venues/dlde-2023/my-review-ratings", nil).Map(t); m["released"] != false || m["rated"] != float64(0) {
		t.Fatalf("rex before the release: %v", m)
	}
	expectProblem(t, w.s.As(t, w.author, "GET", "/api/v1/venues/dlde-2023/my-review-ratings", nil), 403, "not_reviewer")
	for _, id := range ids {
		if r := w.s.As(t, w.chair, "PUT", fmt.Sprintf("/api/v1/submissions/%d/decision", id), map[string]string{"category": "accept-poster"}); r.StatusCode != 204 {
			t.Fatalf("decide: %s", r.Body)
		}
	}
	if r := w.s.As(t, w.chair, "PUT", "/api/v1/venues/dlde-2023/release", map[string]string{}); r.StatusCode != 200 {
		t.Fatalf("release: %s", r.Body)
	}
	r := w.s.As(t, rex, "GET", "/api/v1/venues/dlde-2023/my-review-ratings", nil)
	if m := r.Map(t); m["released"] != true || m["reviews"] != float64(1) || m["rated"] != float64(1) || m["helpful"] != float64(1) {
		t.Fatalf("rex after the release: %v", m)
	}
	for _, path := range []string{"/api/v1/venues/dlde-2023/my-review-ratings", fmt.Sprintf("/api/v1/submissions/%d/reviews", ids[0]), fmt.Sprintf("/api/v1/submissions/%d/reviews/mine", ids[0])} {
		if b := string(w.s.As(t, rex, "GET", path, nil).Body); strings.Contains(b, "4f2a") || strings.Contains(b, "Two lines") {
			t.Errorf("%s shows rex a chair's note: %s", path, b)
		}
	}
	if b := string(w.s.As(t, w.author, "GET", fmt.Sprintf("/api/v1/submissions/%d/reviews", ids[0]), nil).Body); strings.Contains(b, "4f2a") {
		t.Errorf("the authors read a chair's note: %s", b)
	}
}
