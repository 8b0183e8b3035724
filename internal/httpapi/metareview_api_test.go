package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestMetaReview: a chair writes the meta-review, checked; chairs see who
// wrote it; authors see it only where the venue shows it and only once
// decisions are released, never who wrote it; nobody outside the venue
// learns it exists.
func TestMetaReview(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.create(t)
	if r := w.upload(t, id, corpus(t, "midpage4.pdf")); r.StatusCode != 200 {
		t.Fatalf("upload: %s", r.Body)
	}
	path := fmt.Sprintf("/api/v1/submissions/%d/meta-review", id)
	p := expectProblem(t, w.s.As(t, w.chair, "PUT", path, map[string]string{"recommendation": "maybe", "body": " "}), 400, "invalid_request")
	if s := fmt.Sprint(p["errors"]); !strings.Contains(s, "recommendation") || !strings.Contains(s, "body") {
		t.Fatalf("problems: %v", p)
	}
	expectProblem(t, w.s.As(t, w.author, "PUT", path, map[string]string{"recommendation": "accept-poster", "body": "Mine is great."}), 403, "not_chair")
	if r := w.s.As(t, w.chair, "PUT", path, map[string]string{"recommendation": "accept-poster", "body": "Sound and clear; the reviewers agree."}); r.StatusCode != 204 {
		t.Fatalf("write: %s", r.Body)
	}
	m := w.s.As(t, w.chair, "GET", path, nil).Map(t)
	if m["written"] != true || m["label"] != "Accept as a poster" || m["written_by"] != "Chair" {
		t.Fatalf("the chair's view: %v", m)
	}
	expectProblem(t, w.s.As(t, w.author, "GET", path, nil), 403, "not_visible")
	expectProblem(t, w.s.As(t, w.stranger, "GET", path, nil), 404, "submission_not_found")
	expectProblem(t, w.s.As(t, w.other, "GET", path, nil), 404, "submission_not_found")

	// Released, in a venue that does not show authors the meta-review.
	if r := w.s.As(t, w.chair, "PUT", fmt.Sprintf("/api/v1/submissions/%d/decision", id), map[string]string{"category": "accept-poster"}); r.StatusCode != 204 {
		t.Fatalf("decide: %s", r.Body)
	}
	if r := w.s.As(t, w.chair, "PUT", "/api/v1/venues/dlde-2023/release", map[string]string{}); r.StatusCode != 200 {
		t.Fatalf("release: %s", r.Body)
	}
	if p := expectProblem(t, w.s.As(t, w.author, "GET", path, nil), 403, "not_visible"); !strings.Contains(p["detail"].(string), "does not show authors") {
		t.Fatalf("why: %v", p)
	}
	// The venue shows it now: authors read it, without who wrote it.
	// (One review per paper: the pool has one reviewer.)
	y := strings.ReplaceAll(venueYAML(t, "dlde-2023"), "reviews_per_paper: 3", "reviews_per_paper: 1") + "\nmeta_reviews:\n  authors_see: true\n"
	if r := w.s.As(t, w.chair, "PATCH", "/api/v1/venues/dlde-2023", map[string]string{"settings_yaml": y}); r.StatusCode != 200 {
		t.Fatalf("settings: %s %s", r.Status, r.Body)
	}
	m = w.s.As(t, w.coauthor, "GET", path, nil).Map(t)
	if m["written"] != true || m["body"] != "Sound and clear; the reviewers agree." || m["written_by"] != nil {
		t.Fatalf("the author's view: %v", m)
	}
	if strings.Contains(string(w.s.As(t, w.author, "GET", path, nil).Body), "Chair") {
		t.Fatal("the author learns which chair wrote it")
	}
	// Removed, it is gone for everyone.
	expectProblem(t, w.s.As(t, w.author, "DELETE", path, nil), 403, "not_chair")
	if r := w.s.As(t, w.chair, "DELETE", path, nil); r.StatusCode != 204 {
		t.Fatalf("delete: %s", r.Body)
	}
	if m := w.s.As(t, w.author, "GET", path, nil).Map(t); m["written"] != false {
		t.Fatalf("after removal: %v", m)
	}
}
