package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
)

// reciprocalWorld: Ada's paper #1, Eve's #2 and Bob's #3 each name their
// author as its reviewer, which puts the three in the pool with a load of
// one; Rex, Dan and Fay review too. Ada is eager for Eve's paper and Eve
// for Ada's: the cheapest assignment has them review each other.
func reciprocalWorld(t *testing.T) (*world, []int64, map[string]string) {
	t.Helper()
	w := newWorld(t)
	var ids []int64
	for i, who := range []struct{ tok, name, email string }{
		{w.author, "Ada Author", "ada@uni.example"}, {w.stranger, "Eve Stranger", "eve@elsewhere.example"}, {w.coauthor, "Bob Coauthor", "bob@lab.example"},
	} {
		p := paper()
		p["title"] = fmt.Sprintf("Paper %d on neural differential equations", i+1)
		p["authors"] = []map[string]string{{"name": who.name, "email": who.email}}
		p["fields"] = map[string]any{"reviewing_author": who.email}
		r := w.s.As(t, who.tok, "POST", "/api/v1/venues/dlde-2023/submissions", p)
		if r.StatusCode != 201 {
			t.Fatalf("create: %s", r.Body)
		}
		id := int64(r.Map(t)["id"].(float64))
		if r := w.s.As(t, who.tok, "PUT", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), corpus(t, "midpage4.pdf"), "Content-Type", "application/pdf"); r.StatusCode != 200 {
			t.Fatalf("upload: %s", r.Body)
		}
		ids = append(ids, id)
	}
	// A fourth paper, without its file yet, names nobody.
	p := paper()
	p["title"] = "An unfinished paper"
	p["authors"] = []map[string]string{{"name": "Ada Author", "email": "ada@uni.example"}}
	if r := w.s.As(t, w.author, "POST", "/api/v1/venues/dlde-2023/submissions", p); r.StatusCode != 201 {
		t.Fatalf("create: %s", r.Body)
	}
	tok := w.joinPool(t, [2]string{"dan@far.example", "Dan Distant"}, [2]string{"fay@away.example", "Fay Faraway"})
	tok["ada@uni.example"], tok["eve@elsewhere.example"], tok["bob@lab.example"], tok["rev@example.org"] = "", "", "", ""
	w.jump(t, biddingTime, tok)
	for _, b := range []struct {
		who string
		id  int64
	}{{"ada@uni.example", ids[1]}, {"eve@elsewhere.example", ids[0]}} {
		if r := w.s.As(t, tok[b.who], "PUT", fmt.Sprintf("/api/v1/venues/dlde-2023/bids/%d", b.id), map[string]string{"bid": "eager"}); r.StatusCode >= 300 {
			t.Fatalf("%s bids: %s", b.who, r.Body)
		}
	}
	return w, ids, tok
}

// runPairs starts a run and returns its proposal's pairs as "id/email"
// and each reviewer's load by name.
func runPairs(t *testing.T, w *world, params map[string]any) (map[string]bool, map[string]float64) {
	t.Helper()
	start := w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/assignment-runs", params)
	if start.StatusCode != 202 {
		t.Fatalf("start %v: %s", params, start.Body)
	}
	run := waitRun(t, w, start.Map(t)["id"].(float64))
	if run["status"] != "done" {
		t.Fatalf("run %v: %v", params, run)
	}
	prop := run["proposal"].(map[string]any)
	pairs, loads := map[string]bool{}, map[string]float64{}
	for _, pp := range prop["pairs"].([]any) {
		p := pp.(map[string]any)
		pairs[fmt.Sprintf("%v/%v", p["submission_id"], p["email"])] = true
	}
	for _, rv := range prop["reviewers"].([]any) {
		r := rv.(map[string]any)
		loads[r["name"].(string)] = r["load"].(float64)
	}
	return pairs, loads
}

// TestReciprocalReviewingInEveryMode: the authors a venue's papers name
// join its pool with a review per paper that named them; no run, in any
// mode, has two authors review each other's papers; and without the rule
// the same venue's optimum does.
func TestReciprocalReviewingInEveryMode(t *testing.T) {
	t.Parallel()
	w, ids, tok := reciprocalWorld(t)
	var pool []map[string]any
	w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/reviewers", nil).JSON(t, &pool)
	names := ""
	for _, m := range pool {
		names += fmt.Sprint(m["name"]) + ";"
	}
	if !strings.Contains(names, "Ada Author") || !strings.Contains(names, "Eve Stranger") || !strings.Contains(names, "Bob Coauthor") {
		t.Fatalf("the nominees are not in the pool: %s", names)
	}
	// The chairs see where the rule stands; nobody else does.
	st := w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/reciprocal-reviewing", nil).Map(t)
	if st["on"] != true || st["papers"] != 4.0 || st["named"] != 3.0 || fmt.Sprint(st["missing"]) != "[map[number:4 submission_id:4 title:An unfinished paper]]" {
		t.Errorf("the rule's state: %v", st)
	}
	for _, n := range st["nominees"].([]any) {
		who := n.(map[string]any)
		if who["in_pool"] != true || who["load"] != 1.0 || len(who["numbers"].([]any)) != 1 {
			t.Errorf("nominee: %v", who)
		}
	}
	expectProblem(t, w.s.As(t, tok["rev@example.org"], "GET", "/api/v1/venues/dlde-2023/reciprocal-reviewing", nil), 403, "not_chair")
	mutual := func(pairs map[string]bool) bool {
		authors := []string{"ada@uni.example", "eve@elsewhere.example", "bob@lab.example"}
		for i := range authors {
			for j := range authors {
				if i != j && pairs[fmt.Sprintf("%d/%s", ids[j], authors[i])] && pairs[fmt.Sprintf("%d/%s", ids[i], authors[j])] {
					return true
				}
			}
		}
		return false
	}
	for _, params := range []map[string]any{
		{"mode": "optimal", "bid_weight": 5}, {"mode": "fair", "bid_weight": 5}, {"mode": "randomized", "bid_weight": 5, "max_probability": 1, "seed": 11},
	} {
		pairs, loads := runPairs(t, w, params)
		if mutual(pairs) {
			t.Errorf("%v: Ada and Eve review each other's papers: %v", params["mode"], pairs)
		}
		if loads["Ada Author"] != 1 || loads["Eve Stranger"] != 1 || loads["Bob Coauthor"] != 1 {
			t.Errorf("%v: the nominees' loads are not one per paper that named them: %v", params["mode"], loads)
		}
		for i, a := range []string{"ada@uni.example", "eve@elsewhere.example", "bob@lab.example"} {
			if pairs[fmt.Sprintf("%d/%s", ids[i], a)] {
				t.Errorf("%v: %s reviews their own paper: %v", params["mode"], a, pairs)
			}
		}
	}
	// Without the rule, the same venue's optimum is mutual: the runs above
	// avoided something real.
	y := strings.Replace(venueYAML(t, "dlde-2023"), "reciprocal_reviewing:\n  field: reviewing_author\n  load_per_paper: 1\n", "", 1)
	if r := w.s.As(t, w.chair, "PATCH", "/api/v1/venues/dlde-2023", map[string]any{"settings_yaml": y}); r.StatusCode != 200 {
		t.Fatalf("turning the rule off: %s", r.Body)
	}
	if pairs, _ := runPairs(t, w, map[string]any{"mode": "optimal", "bid_weight": 5}); !mutual(pairs) {
		t.Errorf("without the rule the optimum has no mutual pair; the test proves nothing: %v", pairs)
	}
}
