package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestAuthorResponse: with an author response phase between the review
// deadline (18 October AoE) and its own deadline (21 October AoE), authors
// read the reviews and answer them: refused before the phase and after its
// deadline (the last second inside accepted, the next refused); a draft is
// theirs alone; the first submission mails each reviewer once; a reviewer
// revises their review after reading it, and the chairs' history marks
// that revision as after the response.
func TestAuthorResponse(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// One review a paper (the pool has one reviewer) and a response phase.
	y := strings.ReplaceAll(venueYAML(t, "dlde-2023"), "reviews_per_paper: 3", "reviews_per_paper: 1")
	y = strings.Replace(y, "  review: 2023-10-18 AoE\n", "  review: 2023-10-18 AoE\n  author_response: 2023-10-21 AoE\n", 1)
	if !strings.Contains(y, "author_response: 2023-10-21 AoE") {
		t.Fatal("the venue file has no review deadline line to extend")
	}
	if r := w.s.As(t, w.chair, "PATCH", "/api/v1/venues/dlde-2023", map[string]string{"settings_yaml": y}); r.StatusCode != 200 {
		t.Fatalf("settings: %s", r.Body)
	}
	id := w.create(t)
	if r := w.upload(t, id, corpus(t, "midpage4.pdf")); r.StatusCode != 200 {
		t.Fatalf("upload: %s", r.Body)
	}
	if r := w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/assignments", map[string]any{"changes": []map[string]any{{"number": 1, "email": "rev@example.org", "assign": true}}}); r.StatusCode != 204 {
		t.Fatalf("assign: %s", r.Body)
	}
	path := fmt.Sprintf("/api/v1/submissions/%d/response", id)
	relog := func(at time.Time) {
		w.s.Clock.Set(at)
		w.chair, w.author, w.reviewer = w.s.Login(t, "chair@example.org"), w.s.Login(t, "ada@uni.example"), w.s.Login(t, "rev@example.org")
		w.stranger = w.s.Login(t, "eve@elsewhere.example")
	}
	relog(reviewingTime)
	if r := w.s.As(t, w.reviewer, "PUT", fmt.Sprintf("/api/v1/submissions/%d/reviews/mine", id), map[string]any{"fields": goodReview(2), "submit": true}); r.StatusCode != 200 {
		t.Fatalf("review: %s", r.Body)
	}
	// Before the phase: no response, and no reviews for the authors yet.
	expectProblem(t, w.s.As(t, w.author, "PUT", path, map[string]any{"body": "Too early."}), 403, "not_open")

	// In the phase (the review deadline, 18 October AoE, has passed).
	relog(time.Date(2023, 10, 19, 12, 0, 0, 0, time.UTC))
	var venueNow struct{ Phase string }
	w.s.Do(t, "GET", "/api/v1/venues/dlde-2023", nil).JSON(t, &venueNow)
	if venueNow.Phase != "author_response" {
		t.Fatalf("phase: %s", venueNow.Phase)
	}
	var reviews struct{ Reviews []map[string]any }
	w.s.As(t, w.author, "GET", fmt.Sprintf("/api/v1/submissions/%d/reviews", id), nil).JSON(t, &reviews)
	if len(reviews.Reviews) != 1 {
		t.Fatalf("the authors do not see the review to answer: %v", reviews)
	}
	expectProblem(t, w.s.As(t, w.author, "GET", fmt.Sprintf("/api/v1/submissions/%d/decision", id), nil), 403, "not_released")
	if r := w.s.As(t, w.author, "PUT", path, map[string]any{"body": "Thank you. A draft."}); r.StatusCode != 200 || r.Map(t)["status"] != "draft" {
		t.Fatalf("draft: %s", r.Body)
	}
	if m := w.s.As(t, w.reviewer, "GET", path, nil).Map(t); m["status"] != "none" || m["body"] != "" {
		t.Fatalf("a reviewer reads a draft: %v", m)
	}
	expectProblem(t, w.s.As(t, w.author, "PUT", path, map[string]any{"body": strings.Repeat("x", 5001), "submit": true}), 400, "invalid_request")
	if r := w.s.As(t, w.author, "PUT", path, map[string]any{"body": "We ran the larger experiment the review asks for.", "submit": true}); r.StatusCode != 200 || r.Map(t)["status"] != "submitted" {
		t.Fatalf("submit: %s", r.Body)
	}
	w.s.WaitMail(t, "rev@example.org", "responded to the reviews")
	if r := w.s.As(t, w.author, "PUT", path, map[string]any{"body": "We ran the larger experiment the review asks for; see the table.", "submit": true}); r.StatusCode != 200 {
		t.Fatalf("edit: %s", r.Body)
	}
	if m := w.s.As(t, w.reviewer, "GET", path, nil).Map(t); m["status"] != "submitted" || !strings.Contains(m["body"].(string), "see the table") {
		t.Fatalf("the reviewer's view: %v", m)
	}
	expectProblem(t, w.s.As(t, w.stranger, "GET", path, nil), 404, "submission_not_found")

	// The reviewer revises their score after reading it; the history shows it.
	relog(time.Date(2023, 10, 19, 13, 0, 0, 0, time.UTC))
	if r := w.s.As(t, w.reviewer, "PUT", fmt.Sprintf("/api/v1/submissions/%d/reviews/mine", id), map[string]any{"fields": goodReview(4), "submit": true}); r.StatusCode != 200 {
		t.Fatalf("revise: %s", r.Body)
	}
	var hist []struct {
		Version       int
		AfterResponse bool `json:"after_response"`
		Fields        map[string]any
	}
	w.s.As(t, w.chair, "GET", fmt.Sprintf("/api/v1/submissions/%d/reviews/history", id), nil).JSON(t, &hist)
	if len(hist) != 2 || hist[0].AfterResponse || !hist[1].AfterResponse || hist[0].Fields["overall"] != float64(2) || hist[1].Fields["overall"] != float64(4) {
		t.Fatalf("history: %+v", hist)
	}
	expectProblem(t, w.s.As(t, w.author, "GET", fmt.Sprintf("/api/v1/submissions/%d/reviews/history", id), nil), 403, "not_chair")

	// The deadline, 21 October AoE: its last second is in, the next is out.
	relog(time.Date(2023, 10, 22, 11, 59, 59, 0, time.UTC))
	if r := w.s.As(t, w.author, "PUT", path, map[string]any{"body": "Last word.", "submit": true}); r.StatusCode != 200 {
		t.Fatalf("at the last second: %s", r.Body)
	}
	relog(time.Date(2023, 10, 22, 12, 0, 0, 0, time.UTC))
	expectProblem(t, w.s.As(t, w.author, "PUT", path, map[string]any{"body": "Too late.", "submit": true}), 403, "deadline_passed")
	if r := w.s.As(t, w.reviewer, "PUT", fmt.Sprintf("/api/v1/submissions/%d/reviews/mine", id), map[string]any{"fields": goodReview(5), "submit": true}); r.StatusCode == 200 {
		t.Fatal("a review was revised after the response phase")
	}
	w.s.WaitOutboxSettled(t)
	if n := mailsTo(w.s, "rev@example.org", "responded to the reviews"); n != 1 {
		t.Fatalf("the reviewer was told %d times, want once", n)
	}
}
