package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestEmergencyReviewers: a paper never had its three reviewers, a
// reviewer declines another; the chairs see both papers short, with why,
// and a proposal from the emergency pool within its stated loads. Given
// with a deadline past the venue's, the emergency reviewer is mailed and
// can still review after the venue's deadline, when a missed review counts
// as fallen through.
func TestEmergencyReviewers(t *testing.T) {
	t.Parallel()
	w, ids, tok := matchingWorld(t)
	w.jump(t, biddingTime, tok)
	fay := tok["fay@away.example"]
	if r := w.s.As(t, fay, "PUT", "/api/v1/venues/dlde-2023/my-capacity", map[string]any{"max_load": 1, "emergency_only": true}); r.StatusCode != 200 {
		t.Fatalf("fay: %s", r.Body)
	}
	// #1 can have only Rex and Dan (Bob and Carol are conflicted, Fay is
	// for emergencies); #2 and #3 get three each.
	var changes []map[string]any
	for _, c := range []struct {
		n  int
		rv []string
	}{{1, []string{"rev@example.org", "dan@far.example"}}, {2, []string{"rev@example.org", "carol@uni.example", "dan@far.example"}},
		{3, []string{"rev@example.org", "bob@lab.example", "carol@uni.example"}}} {
		for _, e := range c.rv {
			changes = append(changes, map[string]any{"number": c.n, "email": e, "assign": true})
		}
	}
	if r := w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/assignments", map[string]any{"changes": changes}); r.StatusCode != 204 {
		t.Fatalf("assign: %s", r.Body)
	}
	w.jump(t, reviewingTime, tok)
	fay, dan := tok["fay@away.example"], tok["dan@far.example"]
	if r := w.s.As(t, dan, "POST", fmt.Sprintf("/api/v1/venues/dlde-2023/my-assignments/%d/decline", ids[1]), map[string]string{"reason": "I am ill"}); r.StatusCode != 204 {
		t.Fatalf("dan declines #2: %s", r.Body)
	}

	expectProblem(t, w.s.As(t, tok["rev@example.org"], "GET", "/api/v1/venues/dlde-2023/emergency", nil), 403, "not_chair")
	plan := w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/emergency", nil).Map(t)
	papers := plan["papers"].([]any)
	if len(papers) != 2 {
		t.Fatalf("short papers: %v", papers)
	}
	if p := papers[1].(map[string]any); p["number"] != float64(2) || p["coming"] != float64(2) || !strings.Contains(fmt.Sprint(p["dropped"]), "Dan Distant why:declined: I am ill") {
		t.Fatalf("#2: %v", p)
	}
	// Fay can take one: one review cannot be filled.
	if plan["unfilled"] != float64(1) || len(plan["proposal"].([]any)) != 1 {
		t.Fatalf("plan with Fay at one paper: %v", plan)
	}
	if r := w.s.As(t, fay, "PUT", "/api/v1/venues/dlde-2023/my-capacity", map[string]any{"max_load": 2, "emergency_only": true}); r.StatusCode != 200 {
		t.Fatalf("fay: %s", r.Body)
	}
	plan = w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/emergency", nil).Map(t)
	if plan["unfilled"] != float64(0) || len(plan["proposal"].([]any)) != 2 {
		t.Fatalf("plan with Fay at two papers: %v", plan)
	}

	due := time.Date(2023, 10, 22, 11, 59, 59, 0, time.UTC) // four days after the venue's deadline
	pick := func(n int, email string) map[string]any { return map[string]any{"number": n, "email": email} }
	expectProblem(t, w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/emergency", map[string]any{"picks": []any{pick(1, "fay@away.example")},
		"due": w.s.Clock.Now().Add(-time.Hour).Format(time.RFC3339)}), 400, "invalid_request")
	expectProblem(t, w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/emergency", map[string]any{"picks": []any{pick(1, "fay@away.example"), pick(1, "bob@lab.example")},
		"due": due.Format(time.RFC3339)}), 400, "invalid_request")
	if r := w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/emergency", map[string]any{"picks": []any{pick(1, "fay@away.example"), pick(2, "fay@away.example")},
		"due": due.Format(time.RFC3339)}); r.StatusCode != 204 {
		t.Fatalf("emergency: %s %s", r.Status, r.Body)
	}
	w.s.WaitMail(t, "fay@away.example", "emergency review of #1")
	var mine []map[string]any
	w.s.As(t, fay, "GET", "/api/v1/venues/dlde-2023/my-assignments", nil).JSON(t, &mine)
	if len(mine) != 2 || mine[0]["due"] != due.Format(time.RFC3339) {
		t.Fatalf("fay's emergency assignments do not say their deadline: %v", mine)
	}
	w.s.WaitMail(t, "fay@away.example", "emergency review of #2")
	if plan := w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/emergency", nil).Map(t); len(plan["papers"].([]any)) != 0 {
		t.Fatalf("after the emergency reviews: %v", plan["papers"])
	}

	// Past the venue's deadline: Dan's review of #1 did not come, Fay's is
	// still due and she can submit it; Dan cannot.
	w.jump(t, time.Date(2023, 10, 20, 12, 0, 0, 0, time.UTC), tok)
	fay, dan = tok["fay@away.example"], tok["dan@far.example"]
	plan = w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/emergency", nil).Map(t)
	if !strings.Contains(fmt.Sprint(plan["papers"]), "Dan Distant why:no review by the deadline") {
		t.Fatalf("a missed review must count as fallen through: %v", plan["papers"])
	}
	if strings.Contains(fmt.Sprint(plan["papers"]), "Fay") {
		t.Fatalf("Fay's emergency review is within its own deadline: %v", plan["papers"])
	}
	if r := w.s.As(t, fay, "PUT", fmt.Sprintf("/api/v1/submissions/%d/reviews/mine", ids[0]), map[string]any{"fields": goodReview(4), "submit": true}); r.StatusCode != 200 {
		t.Fatalf("fay's emergency review after the venue's deadline: %s %s", r.Status, r.Body)
	}
	if r := w.s.As(t, dan, "PUT", fmt.Sprintf("/api/v1/submissions/%d/reviews/mine", ids[0]), map[string]any{"fields": goodReview(4), "submit": true}); r.StatusCode < 400 {
		t.Fatalf("dan's review after the deadline: %s", r.Status)
	}
}
