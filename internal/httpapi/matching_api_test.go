package httpapi_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
)

// reviewerAccounts joins people to the venue's pool through invitations.
func (w *world) joinPool(t *testing.T, people ...[2]string) map[string]string {
	t.Helper()
	tokens := map[string]string{}
	for _, p := range people {
		existing := map[string]bool{"bob@lab.example": true, "rev@example.org": true, "ada@uni.example": true, "eve@elsewhere.example": true}
		if !existing[p[0]] {
			w.s.CreateUser(t, p[0], p[1], false)
		}
		tok := w.s.Login(t, p[0])
		if p[0] != "rev@example.org" {
			w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/invitations", map[string]any{"email": p[0], "role": "reviewer"})
			link := apptest.LinkIn(t, w.s.WaitMail(t, p[0], "nvit"), "/invitations/")
			if r := w.s.As(t, tok, "POST", "/api/v1/invitations/"+link[strings.LastIndex(link, "/")+1:]+"/accept", nil); r.StatusCode != 200 {
				t.Fatalf("join %s: %s", p[0], r.Body)
			}
		}
		tokens[p[0]] = tok
	}
	return tokens
}

// matchingWorld: three papers in review and a pool of five, one of whom
// (Bob) co-authored paper #1 and one (Carol) shares Ada's email domain.
func matchingWorld(t *testing.T) (*world, []int64, map[string]string) {
	t.Helper()
	w := newWorld(t)
	// Paper #1 is Ada's and Bob's; #2 and #3 are Eve's alone.
	ids := []int64{w.create(t)}
	for i := 0; i < 2; i++ {
		p := paper()
		p["authors"] = []map[string]string{{"name": "Eve Stranger", "email": "eve@elsewhere.example"}}
		r := w.s.As(t, w.stranger, "POST", "/api/v1/venues/dlde-2023/submissions", p)
		if r.StatusCode != 201 {
			t.Fatalf("create: %s", r.Body)
		}
		ids = append(ids, int64(r.Map(t)["id"].(float64)))
	}
	for i, id := range ids {
		tok := w.author
		if i > 0 {
			tok = w.stranger
		}
		if r := w.s.As(t, tok, "PUT", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), corpus(t, "midpage4.pdf"), "Content-Type", "application/pdf"); r.StatusCode != 200 {
			t.Fatalf("upload: %s", r.Body)
		}
	}
	tokens := w.joinPool(t, [2]string{"rev@example.org", "Rex Reviewer"}, [2]string{"bob@lab.example", "Bob Coauthor"},
		[2]string{"carol@uni.example", "Carol Colleague"}, [2]string{"dan@far.example", "Dan Distant"}, [2]string{"fay@away.example", "Fay Faraway"})
	return w, ids, tokens
}

func (w *world) jump(t *testing.T, to time.Time, tokens map[string]string) {
	t.Helper()
	w.s.Clock.Set(to)
	w.chair, w.author = w.s.Login(t, "chair@example.org"), w.s.Login(t, "ada@uni.example")
	for e := range tokens {
		tokens[e] = w.s.Login(t, e)
	}
}

var biddingTime = time.Date(2023, 10, 10, 12, 0, 0, 0, time.UTC)

func TestConflictsFromEverySource(t *testing.T) {
	t.Parallel()
	w, ids, tok := matchingWorld(t)
	// Ada declares Dan for paper #1, choosing him from the pool.
	var pool []map[string]any
	w.s.As(t, w.author, "GET", "/api/v1/venues/dlde-2023/reviewers", nil).JSON(t, &pool)
	var dan float64
	for _, m := range pool {
		if m["name"] == "Dan Distant" {
			dan = m["id"].(float64)
		}
		if _, leaks := m["email"]; leaks {
			t.Fatal("the pool must not list emails")
		}
	}
	if r := w.s.As(t, w.author, "PUT", fmt.Sprintf("/api/v1/submissions/%d/conflicts", ids[0]), map[string]any{"reviewers": []float64{dan}}); r.StatusCode != 204 {
		t.Fatalf("author declares: %s", r.Body)
	}
	expectProblem(t, w.s.As(t, w.stranger, "PUT", fmt.Sprintf("/api/v1/submissions/%d/conflicts", ids[0]), map[string]any{"reviewers": []float64{dan}}), 404, "submission_not_found")
	// Fay declares paper #3 herself.
	if r := w.s.As(t, tok["fay@away.example"], "PUT", "/api/v1/venues/dlde-2023/my-conflicts", map[string]any{"submissions": []int64{ids[2]}}); r.StatusCode != 204 {
		t.Fatalf("reviewer declares: %s", r.Body)
	}
	// The chair adds one and sets Carol's aside for paper #1 (same domain, wrongly).
	if r := w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/conflicts", map[string]any{"submission": 2, "reviewer": "rev@example.org", "note": "former student"}); r.StatusCode != 204 {
		t.Fatalf("chair adds: %s", r.Body)
	}
	expectProblem(t, w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/conflicts", map[string]any{"submission": 1, "reviewer": "carol@uni.example", "waive": true}), 400, "invalid_request")
	if r := w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/conflicts", map[string]any{"submission": 1, "reviewer": "carol@uni.example", "waive": true, "note": "different campus"}); r.StatusCode != 204 {
		t.Fatalf("chair waives: %s", r.Body)
	}
	expectProblem(t, w.s.As(t, tok["rev@example.org"], "GET", "/api/v1/venues/dlde-2023/conflicts", nil), 403, "not_chair")

	var list []map[string]any
	w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/conflicts", nil).JSON(t, &list)
	got := map[string]bool{}
	for _, c := range list {
		got[fmt.Sprintf("#%v %s %s waived=%v", c["number"], c["email"], c["source"], c["waived"])] = true
	}
	for _, want := range []string{
		"#1 bob@lab.example reviewer_is_author waived=false",
		"#1 carol@uni.example same_email_domain waived=true",
		"#1 dan@far.example declared_by_author waived=false",
		"#3 fay@away.example declared_by_reviewer waived=false",
		"#2 rev@example.org added_by_chair waived=false",
	} {
		if !got[want] {
			t.Errorf("missing conflict %q in %v", want, got)
		}
	}
	if len(list) != 5 {
		t.Errorf("unexpected conflicts: %v", got)
	}
}

func TestBiddingHidesConflictsAndFollowsThePhase(t *testing.T) {
	t.Parallel()
	w, ids, tok := matchingWorld(t)
	carol := tok["carol@uni.example"]
	// Before the submission deadline there is no bidding.
	expectProblem(t, w.s.As(t, carol, "PUT", fmt.Sprintf("/api/v1/venues/dlde-2023/bids/%d", ids[1]), map[string]string{"bid": "eager"}), 403, "not_open")
	w.jump(t, biddingTime, tok)
	carol = tok["carol@uni.example"]
	var items []map[string]any
	w.s.As(t, carol, "GET", "/api/v1/venues/dlde-2023/bids", nil).JSON(t, &items)
	for _, it := range items {
		if it["submission_id"] == float64(ids[0]) {
			t.Fatal("a conflicted submission is listed for bidding")
		}
		for _, k := range []string{"authors", "email"} {
			if _, ok := it[k]; ok {
				t.Fatalf("bidding list shows %s", k)
			}
		}
	}
	if len(items) != 2 {
		t.Fatalf("bidding list: %v", items)
	}
	expectProblem(t, w.s.As(t, carol, "PUT", fmt.Sprintf("/api/v1/venues/dlde-2023/bids/%d", ids[0]), map[string]string{"bid": "eager"}), 404, "submission_not_found")
	if r := w.s.As(t, carol, "PUT", fmt.Sprintf("/api/v1/venues/dlde-2023/bids/%d", ids[1]), map[string]string{"bid": "eager"}); r.StatusCode != 204 {
		t.Fatalf("bid: %s", r.Body)
	}
	if r := w.s.As(t, carol, "PUT", fmt.Sprintf("/api/v1/venues/dlde-2023/bids/%d", ids[1]), map[string]string{"bid": "pinch"}); r.StatusCode != 204 {
		t.Fatalf("changed bid: %s", r.Body)
	}
	w.s.As(t, carol, "GET", "/api/v1/venues/dlde-2023/bids", nil).JSON(t, &items)
	found := false
	for _, it := range items {
		if it["submission_id"] == float64(ids[1]) {
			found = it["bid"] == "pinch"
		}
	}
	if !found {
		t.Fatalf("the changed bid is not shown: %v", items)
	}
	expectProblem(t, w.s.As(t, w.author, "GET", "/api/v1/venues/dlde-2023/bids", nil), 403, "not_reviewer")
	// After bidding closes, bids are refused.
	w.jump(t, time.Date(2023, 10, 13, 0, 0, 0, 0, time.UTC), tok)
	expectProblem(t, w.s.As(t, tok["carol@uni.example"], "PUT", fmt.Sprintf("/api/v1/venues/dlde-2023/bids/%d", ids[1]), map[string]string{"bid": "eager"}), 403, "deadline_passed")
}

func waitRun(t *testing.T, w *world, id float64) map[string]any {
	t.Helper()
	deadline := time.Now().Add(time.Minute) // a bound, not a budget: the solver is benchmarked
	for time.Now().Before(deadline) {
		r := w.s.As(t, w.chair, "GET", fmt.Sprintf("/api/v1/venues/dlde-2023/assignment-runs/%v", id), nil).Map(t)
		if r["status"] != "running" {
			return r
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the run did not finish")
	return nil
}

func TestAutomaticAssignmentProposeCommitDecline(t *testing.T) {
	t.Parallel()
	w, ids, tok := matchingWorld(t)
	w.jump(t, biddingTime, tok)
	// Dan will not review #2; Rex is eager for #3.
	w.s.As(t, tok["dan@far.example"], "PUT", fmt.Sprintf("/api/v1/venues/dlde-2023/bids/%d", ids[1]), map[string]string{"bid": "not_willing"})
	w.s.As(t, tok["rev@example.org"], "PUT", fmt.Sprintf("/api/v1/venues/dlde-2023/bids/%d", ids[2]), map[string]string{"bid": "eager"})

	expectProblem(t, w.s.As(t, tok["rev@example.org"], "POST", "/api/v1/venues/dlde-2023/assignment-runs", map[string]any{}), 403, "not_chair")
	start := w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/assignment-runs", map[string]any{"bid_weight": 2})
	if start.StatusCode != 202 {
		t.Fatalf("start: %s", start.Body)
	}
	run := waitRun(t, w, start.Map(t)["id"].(float64))
	if run["status"] != "done" {
		t.Fatalf("run: %v", run)
	}
	prop := run["proposal"].(map[string]any)
	per := map[float64]int{}
	for _, pp := range prop["pairs"].([]any) {
		p := pp.(map[string]any)
		per[p["submission_id"].(float64)]++
		key := fmt.Sprintf("%v/%v", p["submission_id"], p["email"])
		for _, forbidden := range []string{
			fmt.Sprintf("%d/bob@lab.example", ids[0]), fmt.Sprintf("%d/carol@uni.example", ids[0]), fmt.Sprintf("%d/dan@far.example", ids[1]),
		} {
			if key == forbidden {
				t.Fatalf("forbidden pair proposed: %s", key)
			}
		}
	}
	for _, id := range ids {
		if per[float64(id)] != 3 {
			t.Fatalf("paper %d got %d reviewers: %v", id, per[float64(id)], prop["pairs"])
		}
	}
	for _, rv := range prop["reviewers"].([]any) {
		r := rv.(map[string]any)
		if r["load"].(float64) < r["min_load"].(float64) || r["load"].(float64) > r["max_load"].(float64) {
			t.Fatalf("load out of bounds: %v", r)
		}
		if r["name"] == "Rex Reviewer" && r["eager"] != float64(1) {
			t.Fatalf("Rex's eager bid was not honoured: %v", r)
		}
	}
	// Nothing is assigned until the chair commits.
	var mine []map[string]any
	w.s.As(t, tok["rev@example.org"], "GET", "/api/v1/venues/dlde-2023/my-assignments", nil).JSON(t, &mine)
	if len(mine) != 0 {
		t.Fatal("a proposal must not assign anyone")
	}
	if r := w.s.As(t, w.chair, "POST", fmt.Sprintf("/api/v1/venues/dlde-2023/assignment-runs/%v/commit", run["id"]), nil); r.StatusCode != 204 {
		t.Fatalf("commit: %s", r.Body)
	}
	expectProblem(t, w.s.As(t, w.chair, "POST", fmt.Sprintf("/api/v1/venues/dlde-2023/assignment-runs/%v/commit", run["id"]), nil), 409, "run_not_committable")
	csvOut := w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/assignments", nil)
	rows, err := csv.NewReader(bytes.NewReader(csvOut.Body)).ReadAll()
	if err != nil || len(rows) != 10 {
		t.Fatalf("export: %v %q", err, csvOut.Body)
	}
	w.s.As(t, tok["rev@example.org"], "GET", "/api/v1/venues/dlde-2023/my-assignments", nil).JSON(t, &mine)
	if len(mine) == 0 {
		t.Fatal("Rex has no assignment after the commit")
	}
	for _, m := range mine {
		if _, ok := m["authors"]; ok {
			t.Fatal("assignments show authors")
		}
	}
	// Rex declines one; the chairs hear of it.
	if r := w.s.As(t, tok["rev@example.org"], "POST", fmt.Sprintf("/api/v1/venues/dlde-2023/my-assignments/%v/decline", mine[0]["submission_id"]), map[string]string{"reason": "travelling"}); r.StatusCode != 204 {
		t.Fatalf("decline: %s", r.Body)
	}
	w.s.WaitMail(t, "chair@example.org", "declined")
	w.s.As(t, tok["rev@example.org"], "GET", "/api/v1/venues/dlde-2023/my-assignments", nil).JSON(t, &mine)
	if mine[0]["declined"] != true {
		t.Fatalf("decline not shown: %v", mine[0])
	}
}

func TestManualAssignmentChecksConflictsAndInfeasibilityIsExplained(t *testing.T) {
	t.Parallel()
	w, ids, tok := matchingWorld(t)
	_ = tok
	m := expectProblem(t, w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/assignments", map[string]any{"changes": []map[string]any{{"number": 1, "email": "bob@lab.example", "assign": true}}}), 409, "conflict_of_interest")
	if !strings.Contains(m["detail"].(string), "nothing was changed") {
		t.Fatalf("detail: %v", m["detail"])
	}
	if r := w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/assignments", "paper,action,email\n2,review,dan@far.example\n3,review,fay@away.example\n", "Content-Type", "text/csv"); r.StatusCode != 204 {
		t.Fatalf("csv import: %s", r.Body)
	}
	bad := "paper,action,email\n2,review,dan@far.example\n9,review,fay@away.example\n3,promote,fay@away.example\n"
	m = expectProblem(t, w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/assignments", bad, "Content-Type", "text/csv"), 400, "invalid_request")
	if errs := string(mustJSON(t, m["errors"])); !strings.Contains(errs, "line 4") {
		t.Fatalf("bad lines not named: %s", errs)
	}
	_ = ids

	// Everyone but Rex declares every paper: 9 reviews needed, Rex can give 3 at most.
	for _, e := range []string{"bob@lab.example", "carol@uni.example", "dan@far.example", "fay@away.example"} {
		w.s.As(t, tok[e], "PUT", "/api/v1/venues/dlde-2023/my-conflicts", map[string]any{"submissions": ids})
	}
	w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/assignments", map[string]any{"changes": []map[string]any{{"number": 2, "email": "dan@far.example", "assign": false}, {"number": 3, "email": "fay@away.example", "assign": false}}})
	start := w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/assignment-runs", nil)
	run := waitRun(t, w, start.Map(t)["id"].(float64))
	if run["status"] != "infeasible" {
		t.Fatalf("run: %v", run)
	}
	if ex, _ := run["explanation"].(string); !strings.Contains(ex, "cannot be placed") || !strings.Contains(ex, "#1") || strings.Contains(ex, "paper 0") {
		t.Fatalf("the explanation must give numbers and name papers: %q", ex)
	}
}

// TestTargetedConflictCheckAgreesWithTheFullOne compares the per-request
// check (which reads one pair's data) with the venue-wide computation, for
// every paper and every reviewer and chair, with declared conflicts and a
// waiver in play.
func TestTargetedConflictCheckAgreesWithTheFullOne(t *testing.T) {
	t.Parallel()
	w, ids, tok := matchingWorld(t)
	w.s.As(t, tok["fay@away.example"], "PUT", "/api/v1/venues/dlde-2023/my-conflicts", map[string]any{"submissions": []int64{ids[2]}})
	w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/conflicts", map[string]any{"submission": 2, "reviewer": "rev@example.org", "note": "former student"})
	w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/conflicts", map[string]any{"submission": 1, "reviewer": "carol@uni.example", "waive": true, "note": "other campus"})
	w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/conflicts", map[string]any{"submission": 1, "reviewer": "bob@lab.example", "waive": true, "note": "tried to waive authorship"})
	ctx := t.Context()
	sv := w.s.App.Services
	rec, err := sv.Venues.BySlug(ctx, w.s.App.Pool, "dlde-2023")
	if err != nil {
		t.Fatal(err)
	}
	people := []string{"rev@example.org", "bob@lab.example", "carol@uni.example", "dan@far.example", "fay@away.example", "chair@example.org", "ada@uni.example"}
	conflicted := 0
	for _, email := range people {
		u, ok, err := sv.Accounts.ByEmail(ctx, w.s.App.Pool, email)
		if err != nil || !ok {
			t.Fatalf("%s: %v", email, err)
		}
		full, err := sv.Matching.ConflictedPapers(ctx, w.s.App.Pool, rec, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			got, err := sv.Matching.Conflicted(ctx, w.s.App.Pool, rec, id, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got != full[id] {
				t.Errorf("%s on submission %d: targeted %v, venue-wide %v", email, id, got, full[id])
			}
			if got {
				conflicted++
			}
		}
	}
	if conflicted < 4 { // Bob and Ada (authors), Fay and Rex (declared)
		t.Fatalf("only %d conflicts: the comparison proves little", conflicted)
	}
}

// TestRandomizedAssignmentRun: a chair asks for a randomized run; the
// proposal is one draw meeting every demand and conflict, with each pair's
// probability at most the cap and each paper's adding up to its demand, the
// expected cost against the optimum, and the papers' score distribution;
// the same seed draws the same proposal. A cap no paper can meet is
// explained in the venue's terms.
func TestRandomizedAssignmentRun(t *testing.T) {
	t.Parallel()
	w, ids, tok := matchingWorld(t)
	more := w.joinPool(t, [2]string{"gus@far.example", "Gus Far"}, [2]string{"hal@away.example", "Hal Away"}, [2]string{"ivy@elsewhere.org", "Ivy Else"})
	for k, v := range more {
		tok[k] = v
	}
	w.jump(t, biddingTime, tok)

	// Paper #1 has six allowed reviewers (Bob and Carol are conflicted):
	// with no pair above 0.4 it would need eight.
	start := w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/assignment-runs", map[string]any{"mode": "randomized", "max_probability": 0.4})
	if start.StatusCode != 202 {
		t.Fatalf("start: %s", start.Body)
	}
	run := waitRun(t, w, start.Map(t)["id"].(float64))
	if run["status"] != "infeasible" || !strings.Contains(run["explanation"].(string), "#1 needs 3 reviews but has 6 allowed reviewers") ||
		!strings.Contains(run["explanation"].(string), "at least 8") {
		t.Fatalf("cap 0.4: %v", run)
	}
	expectProblem(t, w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/assignment-runs", map[string]any{"mode": "randomized", "max_probability": 0.12345}), 400, "invalid_request")
	expectProblem(t, w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/assignment-runs", map[string]any{"seed": 5}), 400, "invalid_request")

	draw := func() map[string]any {
		t.Helper()
		start := w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/assignment-runs", map[string]any{"mode": "randomized", "max_probability": 0.75, "seed": 42})
		if start.StatusCode != 202 {
			t.Fatalf("start: %s", start.Body)
		}
		run := waitRun(t, w, start.Map(t)["id"].(float64))
		if run["status"] != "done" {
			t.Fatalf("run: %v", run)
		}
		return run["proposal"].(map[string]any)
	}
	prop := draw()
	if prop["params"].(map[string]any)["seed"] != float64(42) || !strings.Contains(prop["randomisation_cost"].(string), "% of the optimum") {
		t.Fatalf("proposal: %v", prop)
	}
	sums := map[float64]float64{}
	for _, m := range prop["marginals"].([]any) {
		mp := m.(map[string]any)
		if p := mp["probability"].(float64); p <= 0 || p > 0.75 {
			t.Fatalf("pair with probability %v", mp)
		}
		sums[mp["submission_id"].(float64)] += mp["probability"].(float64)
	}
	per := map[float64]int{}
	for _, pp := range prop["pairs"].([]any) {
		p := pp.(map[string]any)
		per[p["submission_id"].(float64)]++
		if p["submission_id"] == float64(ids[0]) && (p["email"] == "bob@lab.example" || p["email"] == "carol@uni.example") {
			t.Fatalf("a conflicted pair was drawn: %v", p)
		}
	}
	for _, id := range ids {
		if per[float64(id)] != 3 || sums[float64(id)] < 2.999 || sums[float64(id)] > 3.001 {
			t.Fatalf("paper %d: %d reviewers drawn, probabilities add up to %v", id, per[float64(id)], sums[float64(id)])
		}
	}
	if sc := prop["scores"].(map[string]any); len(sc["deciles"].([]any)) != 9 || sc["min"].(float64) > sc["max"].(float64) {
		t.Fatalf("scores: %v", sc)
	}
	if again := draw(); fmt.Sprint(again["pairs"]) != fmt.Sprint(prop["pairs"]) {
		t.Fatal("the same seed drew another assignment")
	}

	// A chair who shares Ada's university is conflicted with #1: the run
	// shows them neither its pairs nor who might have reviewed it.
	w.s.CreateUser(t, "dean@uni.example", "Dean Colleague", false)
	w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/invitations", map[string]any{"email": "dean@uni.example", "role": "chair"})
	link := apptest.LinkIn(t, w.s.WaitMail(t, "dean@uni.example", "nvit"), "/invitations/")
	dean := w.s.Login(t, "dean@uni.example")
	if r := w.s.As(t, dean, "POST", "/api/v1/invitations/"+link[strings.LastIndex(link, "/")+1:]+"/accept", nil); r.StatusCode != 200 {
		t.Fatalf("dean: %s", r.Body)
	}
	var seen struct {
		Proposal struct {
			Marginals []struct {
				SubmissionID int64 `json:"submission_id"`
			}
			Pairs []struct {
				SubmissionID int64 `json:"submission_id"`
			}
		}
	}
	rs := w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/assignment-runs", map[string]any{"mode": "randomized", "max_probability": 0.75, "seed": 42})
	runID := rs.Map(t)["id"].(float64)
	waitRun(t, w, runID)
	w.s.As(t, dean, "GET", fmt.Sprintf("/api/v1/venues/dlde-2023/assignment-runs/%v", runID), nil).JSON(t, &seen)
	if len(seen.Proposal.Marginals) == 0 {
		t.Fatal("the conflicted chair sees no probabilities at all: the check proves nothing")
	}
	for _, m := range seen.Proposal.Marginals {
		if m.SubmissionID == ids[0] {
			t.Fatalf("the conflicted chair sees who might review #1: %+v", seen.Proposal.Marginals)
		}
	}
	for _, p := range seen.Proposal.Pairs {
		if p.SubmissionID == ids[0] {
			t.Fatal("the conflicted chair sees #1's pairs")
		}
	}

	// The fair mode: its worst pair is no worse than the optimum's, its
	// total no better.
	runOf := func(mode string) map[string]any {
		t.Helper()
		start := w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/assignment-runs", map[string]any{"mode": mode})
		if start.StatusCode != 202 {
			t.Fatalf("%s: %s", mode, start.Body)
		}
		run := waitRun(t, w, start.Map(t)["id"].(float64))
		if run["status"] != "done" {
			t.Fatalf("%s run: %v", mode, run)
		}
		return run["proposal"].(map[string]any)
	}
	minAffinity := func(p map[string]any) float64 {
		m := 2.0
		for _, pp := range p["pairs"].([]any) {
			m = min(m, pp.(map[string]any)["affinity"].(float64))
		}
		return m
	}
	opt, fair := runOf("optimal"), runOf("fair")
	if minAffinity(fair) < minAffinity(opt) || fair["cost"].(float64) < opt["cost"].(float64) || fair["params"].(map[string]any)["mode"] != "fair" {
		t.Fatalf("fair %v (worst %v) against optimal %v (worst %v)", fair["cost"], minAffinity(fair), opt["cost"], minAffinity(opt))
	}
}
