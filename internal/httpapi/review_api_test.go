package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
)

var reviewingTime = time.Date(2023, 10, 14, 12, 0, 0, 0, time.UTC)

func goodReview(overall int) map[string]any {
	return map[string]any{"overall": overall, "confidence": 4, "summary": "A neat idea.", "strengths": "Clear.", "weaknesses": "Small experiments.", "confidential": "Possibly a resubmission."}
}

// reviewWorld is matchingWorld with a committed assignment: Rex and Fay on
// paper #1; Rex, Carol and Dan on #2.
func reviewWorld(t *testing.T) (*world, []int64, map[string]string) {
	t.Helper()
	w, ids, tok := matchingWorld(t)
	changes := []map[string]any{
		{"number": 1, "email": "rev@example.org", "assign": true}, {"number": 1, "email": "fay@away.example", "assign": true},
		{"number": 2, "email": "rev@example.org", "assign": true}, {"number": 2, "email": "carol@uni.example", "assign": true},
		{"number": 2, "email": "dan@far.example", "assign": true},
	}
	if r := w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/assignments", map[string]any{"changes": changes}); r.StatusCode != 204 {
		t.Fatalf("assign: %s", r.Body)
	}
	w.jump(t, reviewingTime, tok)
	return w, ids, tok
}

func TestReviewingDraftsSubmitEditAndVisibility(t *testing.T) {
	t.Parallel()
	w, ids, tok := reviewWorld(t)
	rex, fay := tok["rev@example.org"], tok["fay@away.example"]
	mine := fmt.Sprintf("/api/v1/submissions/%d/reviews/mine", ids[0])

	// The form comes with the empty review; only assigned reviewers get it.
	got := w.s.As(t, rex, "GET", mine, nil).Map(t)
	if len(got["form"].([]any)) == 0 {
		t.Fatalf("no form: %v", got)
	}
	expectProblem(t, w.s.As(t, tok["dan@far.example"], "GET", mine, nil), 404, "submission_not_found")
	expectProblem(t, w.s.As(t, w.author, "GET", mine, nil), 403, "not_assigned")

	// Validation names every bad field; drafts may be incomplete.
	m := expectProblem(t, w.s.As(t, rex, "PUT", mine, map[string]any{"fields": map[string]any{"overall": 9, "colour": "red"}, "submit": true}), 400, "invalid_request")
	errs := string(mustJSON(t, m["errors"]))
	for _, f := range []string{"fields.overall", "fields.colour", "fields.summary"} {
		if !strings.Contains(errs, f) {
			t.Errorf("%s not reported: %s", f, errs)
		}
	}
	draft := w.s.As(t, rex, "PUT", mine, map[string]any{"fields": map[string]any{"overall": 2}})
	if draft.StatusCode != 200 || draft.Map(t)["status"] != "draft" {
		t.Fatalf("draft: %s", draft.Body)
	}
	// Drafts are invisible to everyone else, chairs included.
	var list map[string]any
	list = w.s.As(t, w.chair, "GET", fmt.Sprintf("/api/v1/submissions/%d/reviews", ids[0]), nil).Map(t)
	if len(list["reviews"].([]any)) != 0 {
		t.Fatalf("a draft is visible to the chair: %v", list)
	}

	// Fay cannot see Rex's review until she submits her own.
	if r := w.s.As(t, rex, "PUT", mine, map[string]any{"fields": goodReview(2), "submit": true}); r.StatusCode != 200 || r.Map(t)["label"] != "Reviewer 1" {
		t.Fatalf("submit: %s", r.Body)
	}
	list = w.s.As(t, fay, "GET", fmt.Sprintf("/api/v1/submissions/%d/reviews", ids[0]), nil).Map(t)
	if len(list["reviews"].([]any)) != 0 {
		t.Fatal("a reviewer sees others' reviews before submitting their own")
	}
	expectProblem(t, w.s.As(t, fay, "POST", fmt.Sprintf("/api/v1/submissions/%d/comments", ids[0]), map[string]string{"kind": "discussion", "body": "hi"}), 403, "may_not_comment")
	if r := w.s.As(t, fay, "PUT", mine, map[string]any{"fields": goodReview(5), "submit": true}); r.StatusCode != 200 {
		t.Fatalf("fay submits: %s", r.Body)
	}
	list = w.s.As(t, fay, "GET", fmt.Sprintf("/api/v1/submissions/%d/reviews", ids[0]), nil).Map(t)
	reviews := list["reviews"].([]any)
	if len(reviews) != 2 {
		t.Fatalf("after submitting: %v", list)
	}
	for _, rv := range reviews {
		r := rv.(map[string]any)
		if r["own"] == true {
			continue
		}
		if r["label"] != "Reviewer 1" || r["reviewer_name"] != nil || r["fields"].(map[string]any)["confidential"] != nil {
			t.Fatalf("another reviewer's review shows too much: %v", r)
		}
	}
	// Chairs see names and chair-only fields.
	list = w.s.As(t, w.chair, "GET", fmt.Sprintf("/api/v1/submissions/%d/reviews", ids[0]), nil).Map(t)
	first := list["reviews"].([]any)[0].(map[string]any)
	if first["reviewer_name"] != "Rex Reviewer" || first["fields"].(map[string]any)["confidential"] == nil {
		t.Fatalf("chair view: %v", first)
	}
	// Authors see nothing before decisions are released.
	list = w.s.As(t, w.author, "GET", fmt.Sprintf("/api/v1/submissions/%d/reviews", ids[0]), nil).Map(t)
	if len(list["reviews"].([]any)) != 0 {
		t.Fatal("authors see reviews before release")
	}

	// Discussion under pseudonyms; chair notes for chairs only.
	if r := w.s.As(t, fay, "POST", fmt.Sprintf("/api/v1/submissions/%d/comments", ids[0]), map[string]string{"kind": "discussion", "body": "Scores differ by three; Rex?"}); r.StatusCode != 201 || r.Map(t)["by"] != "Reviewer 2" {
		t.Fatalf("comment: %s", r.Body)
	}
	w.s.As(t, w.chair, "POST", fmt.Sprintf("/api/v1/submissions/%d/comments", ids[0]), map[string]string{"kind": "chair_note", "body": "Check for a dual submission."})
	expectProblem(t, w.s.As(t, fay, "POST", fmt.Sprintf("/api/v1/submissions/%d/comments", ids[0]), map[string]string{"kind": "chair_note", "body": "x"}), 403, "may_not_comment")
	var comments []map[string]any
	w.s.As(t, rex, "GET", fmt.Sprintf("/api/v1/submissions/%d/comments", ids[0]), nil).JSON(t, &comments)
	if len(comments) != 1 || comments[0]["by"] != "Reviewer 2" || comments[0]["name"] != nil {
		t.Fatalf("reviewer reads: %v", comments)
	}
	w.s.As(t, w.chair, "GET", fmt.Sprintf("/api/v1/submissions/%d/comments", ids[0]), nil).JSON(t, &comments)
	if len(comments) != 2 || comments[0]["name"] != "Fay Faraway" {
		t.Fatalf("chair reads: %v", comments)
	}

	// Edits after submission are kept and marked.
	if r := w.s.As(t, rex, "PUT", mine, map[string]any{"fields": goodReview(3)}); r.StatusCode != 200 || r.Map(t)["edited_after_submit"] != true || r.Map(t)["status"] != "submitted" {
		t.Fatalf("edit after submit: %s", r.Body)
	}
	// Progress: scores 3 and 5 disagree; #2 has nothing yet.
	prog := w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/progress", nil).Map(t)
	p1 := prog["papers"].([]any)[0].(map[string]any)
	if p1["done"] != float64(2) || p1["mean_score"] != float64(4) || p1["disagreement"] != true {
		t.Fatalf("progress: %v", p1)
	}

	// After the review deadline (2023-10-18 AoE) edits are refused, except with an extension.
	w.jump(t, time.Date(2023, 10, 20, 0, 0, 0, 0, time.UTC), tok)
	expectProblem(t, w.s.As(t, tok["rev@example.org"], "PUT", mine, map[string]any{"fields": goodReview(4)}), 403, "deadline_passed")
	carolMine := fmt.Sprintf("/api/v1/submissions/%d/reviews/mine", ids[1])
	expectProblem(t, w.s.As(t, tok["carol@uni.example"], "PUT", carolMine, map[string]any{"fields": goodReview(4), "submit": true}), 403, "deadline_passed")
	w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/extensions", map[string]string{"action": "review", "reviewer": "carol@uni.example", "until": "2023-10-22 AoE", "reason": "flu"})
	if r := w.s.As(t, tok["carol@uni.example"], "PUT", carolMine, map[string]any{"fields": goodReview(4), "submit": true}); r.StatusCode != 200 {
		t.Fatalf("with an extension: %s", r.Body)
	}
	// Late reviewers (Rex, Dan on #2) are reminded once a day.
	n := w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/progress/remind-late", nil).Map(t)["reminded"]
	if n != float64(2) {
		t.Fatalf("reminded %v", n)
	}
	w.s.WaitMail(t, "dan@far.example", "overdue")
	_ = apptest.Epoch
}
