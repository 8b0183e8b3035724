package httpapi_test

import (
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/app/apptest"
)

// TestReviewersStateTheirCapacity: a reviewer accepts with a smaller load,
// another becomes an emergency reviewer only, a third lowers their load
// later; the chairs see the pool's capacity against the papers' needs, and
// every assignment mode keeps to the stated loads and leaves the emergency
// reviewer out.
func TestReviewersStateTheirCapacity(t *testing.T) {
	t.Parallel()
	w, ids, tok := matchingWorld(t)
	w.jump(t, biddingTime, tok)

	// Gil accepts his invitation with a load of 2, creating his account.
	w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/invitations", map[string]any{"email": "gil@new.example", "role": "reviewer"})
	link := apptest.LinkIn(t, w.s.WaitMail(t, "gil@new.example", "nvit"), "/invitations/")
	gilToken := link[strings.LastIndex(link, "/")+1:]
	if v := w.s.Do(t, "GET", "/api/v1/invitations/"+gilToken, nil).Map(t); v["reviewer_max_load"] != float64(6) {
		t.Fatalf("the invitation does not say the venue's load: %v", v)
	}
	expectProblem(t, w.s.Do(t, "POST", "/api/v1/invitations/"+gilToken+"/accept", map[string]any{"name": "Gil New", "password": apptest.Password, "max_load": 7}), 400, "invalid_request")
	if r := w.s.Do(t, "POST", "/api/v1/invitations/"+gilToken+"/accept", map[string]any{"name": "Gil New", "password": apptest.Password, "max_load": 2}); r.StatusCode != 200 {
		t.Fatalf("gil accepts with a load of 2: %s %s", r.Status, r.Body)
	}
	gil := w.s.Login(t, "gil@new.example")
	if c := w.s.As(t, gil, "GET", "/api/v1/venues/dlde-2023/my-capacity", nil).Map(t); c["max_load"] != float64(2) || c["min_load"] != float64(1) || c["stated"] != true || c["emergency_only"] != false {
		t.Fatalf("gil's capacity: %v", c)
	}
	// A chair's invitation takes no load.
	w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/invitations", map[string]any{"email": "co@chair.example", "role": "chair"})
	coLink := apptest.LinkIn(t, w.s.WaitMail(t, "co@chair.example", "nvit"), "/invitations/")
	expectProblem(t, w.s.Do(t, "POST", "/api/v1/invitations/"+coLink[strings.LastIndex(coLink, "/")+1:]+"/accept", map[string]any{"name": "Co Chair", "password": apptest.Password, "max_load": 2}), 400, "invalid_request")

	// Dan can take one paper only; Fay reviews only in an emergency.
	if r := w.s.As(t, tok["dan@far.example"], "PUT", "/api/v1/venues/dlde-2023/my-capacity", map[string]any{"max_load": 1}); r.StatusCode != 200 {
		t.Fatalf("dan: %s %s", r.Status, r.Body)
	}
	if r := w.s.As(t, tok["fay@away.example"], "PUT", "/api/v1/venues/dlde-2023/my-capacity", map[string]any{"max_load": 2, "emergency_only": true}); r.StatusCode != 200 || r.Map(t)["min_load"] != float64(0) {
		t.Fatalf("fay: %s %s", r.Status, r.Body)
	}
	expectProblem(t, w.s.As(t, tok["dan@far.example"], "PUT", "/api/v1/venues/dlde-2023/my-capacity", map[string]any{"max_load": 0}), 400, "invalid_request")
	expectProblem(t, w.s.As(t, w.author, "PUT", "/api/v1/venues/dlde-2023/my-capacity", map[string]any{"max_load": 1}), 403, "not_reviewer")

	// The chairs see 6+6+6+1+2 against 3 papers x 3 reviews.
	expectProblem(t, w.s.As(t, tok["rev@example.org"], "GET", "/api/v1/venues/dlde-2023/capacity", nil), 403, "not_chair")
	pc := w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/capacity", nil).Map(t)
	if pc["reviewers"] != float64(5) || pc["emergency"] != float64(1) || pc["capacity"] != float64(21) || pc["demand"] != float64(9) || pc["reduced"] != float64(2) || pc["short"] != false {
		t.Fatalf("pool capacity: %v", pc)
	}

	// Paper #1 can go only to Rex, Dan and Gil (Bob and Carol are
	// conflicted, Fay is kept for emergencies), so every mode must fill it
	// with them and still keep Dan at one paper and Gil at two.
	for _, mode := range []map[string]any{{"mode": "optimal"}, {"mode": "fair"}, {"mode": "randomized", "max_probability": 1}} {
		start := w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/assignment-runs", mode)
		if start.StatusCode != 202 {
			t.Fatalf("%v: %s", mode, start.Body)
		}
		run := waitRun(t, w, start.Map(t)["id"].(float64))
		if run["status"] != "done" {
			t.Fatalf("%v: %v", mode, run)
		}
		load := map[string]int{}
		per := map[float64]int{}
		for _, pp := range run["proposal"].(map[string]any)["pairs"].([]any) {
			p := pp.(map[string]any)
			load[p["email"].(string)]++
			per[p["submission_id"].(float64)]++
		}
		if load["dan@far.example"] > 1 || load["gil@new.example"] > 2 || load["fay@away.example"] != 0 {
			t.Errorf("%v: loads %v break what the reviewers stated", mode["mode"], load)
		}
		for _, id := range ids {
			if per[float64(id)] != 3 {
				t.Errorf("%v: paper %d got %d reviewers", mode["mode"], id, per[float64(id)])
			}
		}
	}

	// A chair may give Dan more by hand; he then cannot state less than
	// what he reviews, but declines a paper first.
	if r := w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/assignments", map[string]any{"changes": []map[string]any{
		{"number": 2, "email": "dan@far.example", "assign": true}, {"number": 3, "email": "dan@far.example", "assign": true}}}); r.StatusCode != 204 {
		t.Fatalf("assign dan: %s", r.Body)
	}
	if c := w.s.As(t, tok["dan@far.example"], "GET", "/api/v1/venues/dlde-2023/my-capacity", nil).Map(t); c["assigned"] != float64(2) {
		t.Fatalf("dan's capacity: %v", c)
	}
	expectProblem(t, w.s.As(t, tok["dan@far.example"], "PUT", "/api/v1/venues/dlde-2023/my-capacity", map[string]any{"max_load": 1}), 409, "load_below_assigned")
	if r := w.s.As(t, tok["dan@far.example"], "PUT", "/api/v1/venues/dlde-2023/my-capacity", map[string]any{"max_load": 2}); r.StatusCode != 200 {
		t.Fatalf("dan states 2: %s", r.Body)
	}
	if r := w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/capacity", nil).Map(t); r["capacity"] != float64(22) {
		t.Fatalf("pool capacity after dan's change: %v", r)
	}
}
