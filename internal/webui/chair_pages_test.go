package webui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
)

// chairReviewingTime is after bidding and before the review deadline.
var chairReviewingTime = time.Date(2023, 10, 14, 12, 0, 0, 0, time.UTC)

var chairReviewers = []string{"rex@rev.example", "fay@away.example", "dan@far.example"}

// chairWorld is startUI with two papers by Ada in the new-work track (each
// needs three reviews), both with an accepted PDF, and three reviewers in
// the pool, none of them conflicted. The clock stands in the reviewing
// period; nobody is assigned yet. It returns the submission ids.
func chairWorld(t *testing.T) (*apptest.Server, []int64) {
	t.Helper()
	s := startUI(t)
	s.CreateUser(t, "ada@uni.example", "Ada Author", false)
	ada := s.Login(t, "ada@uni.example")
	pdf, err := os.ReadFile(filepath.Join("..", "pdfcheck", "testdata", "midpage4.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i, title := range []string{"Neural ODEs with Learned Step Sizes", "Fourier Operators for Turbulence"} {
		r := s.As(t, ada, "POST", "/api/v1/venues/dlde-2023/submissions", map[string]any{
			"title": title, "abstract": fmt.Sprintf("Paper %d about neural differential equations.", i+1),
			"authors":  []map[string]string{{"name": "Ada Author", "email": "ada@uni.example", "affiliation": "University of Examples"}},
			"keywords": []string{"neural differential equations"}, "track": "new-work", "declaration": true,
		})
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("creating a paper: %s", r.Body)
		}
		id := int64(r.Map(t)["id"].(float64))
		if r := s.As(t, ada, "PUT", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), pdf, "Content-Type", "application/pdf"); r.StatusCode != http.StatusOK {
			t.Fatalf("uploading: %s", r.Body)
		}
		ids = append(ids, id)
	}
	chair := s.Login(t, "chair@example.org")
	for i, email := range chairReviewers {
		s.CreateUser(t, email, []string{"Rex Reviewer", "Fay Faraway", "Dan Distant"}[i], false)
		if r := s.As(t, chair, "POST", "/api/v1/venues/dlde-2023/invitations", map[string]any{"email": email, "role": "reviewer"}); r.StatusCode >= 300 {
			t.Fatalf("inviting %s: %s", email, r.Body)
		}
		link := apptest.LinkIn(t, s.WaitMail(t, email, "nvit"), "/invitations/")
		if r := s.As(t, s.Login(t, email), "POST", "/api/v1/invitations/"+link[strings.LastIndex(link, "/")+1:]+"/accept", nil); r.StatusCode != http.StatusOK {
			t.Fatalf("%s accepting: %s", email, r.Body)
		}
	}
	s.Clock.Set(chairReviewingTime)
	return s, ids
}

// chairReview submits a complete review of paper id by a reviewer.
func chairReview(t *testing.T, s *apptest.Server, email string, id int64, overall int) {
	t.Helper()
	fields := map[string]any{"overall": overall, "confidence": 4, "summary": "A neat idea.", "strengths": "Clear.", "weaknesses": "Small experiments."}
	if r := s.As(t, s.Login(t, email), "PUT", fmt.Sprintf("/api/v1/submissions/%d/reviews/mine", id), map[string]any{"fields": fields, "submit": true}); r.StatusCode != http.StatusOK {
		t.Fatalf("%s reviewing %d: %s", email, id, r.Body)
	}
}

var chairPagePaths = []string{"", "/submissions", "/anonymity", "/assignment", "/progress", "/decisions", "/audit"}

func TestChairPagesAreForChairsOnly(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "eve@elsewhere.example", "Eve Stranger", false)
	anon := newBrowser(t, s)
	eve := newBrowser(t, s)
	eve.signIn("eve@elsewhere.example", apptest.Password)
	chair := newBrowser(t, s)
	chair.signIn("chair@example.org", apptest.Password)
	for _, p := range chairPagePaths {
		path := "/venues/dlde-2023/chair" + p
		if got := anon.get(path); got.status != http.StatusSeeOther || !strings.HasPrefix(got.location, "/login?next=") {
			t.Errorf("signed out, GET %s: %d to %q", path, got.status, got.location)
		}
		if got := eve.get(path); got.status != http.StatusForbidden || !strings.Contains(got.body, "This needs the chair role in this venue.") {
			t.Errorf("not a chair, GET %s: %d", path, got.status)
		}
		got := chair.get(path)
		if got.status != http.StatusOK || !strings.Contains(got.body, `aria-label="Chair pages"`) {
			t.Errorf("the chair, GET %s: %d", path, got.status)
		}
	}
	if got := chair.get("/venues/nope/chair"); got.status != http.StatusNotFound {
		t.Errorf("unknown venue: %d", got.status)
	}
	// A form without its CSRF field changes nothing.
	if got := chair.post("/venues/dlde-2023/chair/release", url.Values{"now": {"1"}}); got.status != http.StatusForbidden {
		t.Errorf("release without CSRF: %d", got.status)
	}
	if got := eve.post("/venues/dlde-2023/chair/release", url.Values{"now": {"1"}, "csrf": {eve.csrf()}}); got.status != http.StatusForbidden {
		t.Errorf("release by a non-chair: %d", got.status)
	}
	mustContain(t, chair.get("/venues/dlde-2023/chair/decisions"), "Not released: authors see nothing yet.")
}

// TestChairFlowWithoutScript drives every chair form as a browser without
// script does: post, follow the redirect, read the page.
func TestChairFlowWithoutScript(t *testing.T) {
	t.Parallel()
	s, ids := chairWorld(t)
	b := newBrowser(t, s)
	b.signIn("chair@example.org", apptest.Password)
	base := "/venues/dlde-2023/chair"

	dash := b.get(base)
	mustContain(t, dash, `<p class="big">2</p>`, "Submitted</span>: 2", "0 of 6", "0 assigned", "2 open", "Reviews due")

	subs := b.get(base + "/submissions?track=new-work&status=submitted&leaks=no")
	mustContain(t, subs, "2 submissions matching the filters", "Neural ODEs with Learned Step Sizes", "Ada Author",
		`/api/v1/venues/dlde-2023/submissions?format=csv&amp;leaks=false&amp;status=submitted&amp;track=new-work`, `<option value="new-work" selected>`)
	mustContain(t, b.get(base+"/submissions?status=withdrawn"), "No submission matches.")

	// Weights are checked next to their fields, and nothing starts.
	bad := b.post(base+"/assignment/runs", url.Values{"csrf": {b.csrf()}, "affinity_weight": {"lots"}, "bid_weight": {"1"}, "external_weight": {"2"}})
	if bad.status != http.StatusBadRequest {
		t.Errorf("bad weights: %d", bad.status)
	}
	mustContain(t, bad, `id="f-affinity_weight-error">Must be a number, 0 or more.`, `id="f-external_weight-error">Must be at most 1`, `value="lots"`)

	// A randomized run: with three reviewers for papers needing three, only
	// a cap of 1 is possible, and it costs nothing against the optimum.
	bad = b.post(base+"/assignment/runs", url.Values{"csrf": {b.csrf()}, "mode": {"randomized"}, "max_probability": {"2"}, "seed": {"x"}})
	mustContain(t, bad, `id="f-max_probability-error">Must be a probability`, `id="f-seed-error">Must be a whole number`)
	rnd := b.post(base+"/assignment/runs", url.Values{"csrf": {b.csrf()}, "mode": {"randomized"}, "max_probability": {"1"}, "seed": {"9"}})
	if rnd.status != http.StatusSeeOther {
		t.Fatalf("starting a randomized run: %d %s", rnd.status, rnd.body)
	}
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(100 * time.Millisecond) {
		if p := b.get(rnd.location); !strings.Contains(p.body, "data-run-progress") || time.Now().After(deadline) {
			mustContain(t, p, "data-randomized", "seed <code>9</code>", "randomisation cost 0.00% of the optimum", "data-marginals", "data-scores")
			break
		}
	}

	// The assignment page compares the finished runs' score distributions.
	mustContain(t, b.get(base+"/assignment"), "data-modes", `<svg class="chart" id="modes-chart"`, "randomized q=1", "<polyline")

	start := b.post(base+"/assignment/runs", url.Values{"csrf": {b.csrf()}, "affinity_weight": {"1"}, "bid_weight": {"1"}, "external_weight": {"0.5"}})
	runPath := start.location
	if start.status != http.StatusSeeOther || !regexp.MustCompile(`^/venues/dlde-2023/chair/assignment/runs/\d+$`).MatchString(runPath) {
		t.Fatalf("starting a run: %d to %q", start.status, runPath)
	}
	var run page
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(100 * time.Millisecond) {
		run = b.get(runPath)
		if !strings.Contains(run.body, "data-run-progress") || time.Now().After(deadline) {
			break
		}
		// Still running: the page refreshes itself without script.
		mustContain(t, run, `<meta http-equiv="refresh"`, `<script src="/static/chair.js" defer>`)
	}
	mustContain(t, run, "The proposal is ready.", "6 reviews in all", "Rex Reviewer", "3 of 3", "Commit this assignment")
	commit := b.post(runPath+"/commit", url.Values{"csrf": {b.csrf()}})
	if commit.status != http.StatusSeeOther || commit.location != runPath+"?committed=1" {
		t.Fatalf("commit: %d to %q: %s", commit.status, commit.location, commit.body)
	}
	mustContain(t, b.get(commit.location), "The proposal is now the venue", "This proposal was committed")
	if again := b.post(runPath+"/commit", url.Values{"csrf": {b.csrf()}}); again.status != http.StatusConflict {
		t.Errorf("committing twice: %d", again.status)
	}

	// Manual changes: errors by the field, then a real one.
	man := b.post(base+"/assignment/manual", url.Values{"csrf": {b.csrf()}, "number": {"9"}, "email": {"rex@rev.example"}, "action": {"assign"}})
	mustContain(t, man, `id="f-number-error">No submission #9 is in review at this venue.`)
	man = b.post(base+"/assignment/manual", url.Values{"csrf": {b.csrf()}, "number": {"1"}, "email": {"nobody@x.example"}, "action": {"assign"}})
	mustContain(t, man, `id="f-email-error">This is not a reviewer of this venue.`, `value="nobody@x.example"`)
	if got := b.post(base+"/assignment/manual", url.Values{"csrf": {b.csrf()}, "number": {"2"}, "email": {"dan@far.example"}, "action": {"unassign"}}); got.location != base+"/assignment?changed=1" {
		t.Fatalf("unassign: %d %s", got.status, got.body)
	}

	chairReview(t, s, "rex@rev.example", ids[0], 5)
	chairReview(t, s, "fay@away.example", ids[0], 2)
	chairReview(t, s, "dan@far.example", ids[0], 4)
	chairReview(t, s, "rex@rev.example", ids[1], 4)
	prog := b.get(base + "/progress")
	mustContain(t, prog, "4 of 6 reviews submitted", `<title id="scores-new-work-title">`, `<title id="load-title">`,
		`<th scope="row">5 Strong accept</th><td>1</td>`, `<th scope="row">4 Accept</th><td>2</td>`, "<td>3.67</td><td>1.25</td><td><strong>Yes</strong>", "Nobody is late.")
	// After the review deadline, Fay (one of two done) and Dan (his only
	// review was removed) differ: Fay is late, Dan is not assigned anything.
	s.Clock.Set(time.Date(2023, 10, 20, 12, 0, 0, 0, time.UTC))
	b.signIn("chair@example.org", apptest.Password)
	mustContain(t, b.get(base+"/progress"), "1 reviewer missed the deadline")
	rem := b.post(base+"/progress/remind", url.Values{"csrf": {b.csrf()}})
	if rem.location != base+"/progress?reminded=1" {
		t.Fatalf("remind: %d %q", rem.status, rem.location)
	}
	mustContain(t, b.get(rem.location), "Reminders were sent to 1 late reviewer.")

	// Decisions: a row's error stays on its row.
	dec := b.post(fmt.Sprintf("%s/decisions/%d", base, ids[0]), url.Values{"csrf": {b.csrf()}, "number": {"1"}, "category": {""}})
	mustContain(t, dec, `id="f-category-error" role="alert">Choose one of the decisions.`)
	dec = b.post(fmt.Sprintf("%s/decisions/%d", base, ids[0]), url.Values{"csrf": {b.csrf()}, "number": {"1"}, "category": {"accept-spotlight"}, "note": {"Keep the talk to 12 minutes."},
		"meta": {"All three reviewers found the method sound."}})
	if dec.location != fmt.Sprintf("%s/decisions?decided=1#row-%d", base, ids[0]) {
		t.Fatalf("decide: %d %q %s", dec.status, dec.location, dec.body)
	}
	table := b.get(base + "/decisions?decided=1")
	mustContain(t, table, "The decision on #1 was recorded.", `<option value="accept-spotlight" selected>`, `value="Keep the talk to 12 minutes."`,
		"1</strong> submission is still open", "#1 to ada@uni.example", "12 minutes", "Not yet",
		`<details class="meta" open>`, "All three reviewers found the method sound.</textarea>")
	// An emptied box removes it; a refused one leaves the decision as it was.
	long := strings.Repeat("x", 20001)
	if p := b.post(fmt.Sprintf("%s/decisions/%d", base, ids[0]), url.Values{"csrf": {b.csrf()}, "number": {"1"}, "category": {"reject"}, "meta": {long}}); p.status != http.StatusBadRequest {
		t.Fatalf("a meta-review too long: %d", p.status)
	}
	mustContain(t, b.get(base+"/decisions"), `<option value="accept-spotlight" selected>`)
	b.post(fmt.Sprintf("%s/decisions/%d", base, ids[0]), url.Values{"csrf": {b.csrf()}, "number": {"1"}, "category": {"accept-spotlight"}, "meta": {""}})
	if strings.Contains(b.get(base+"/decisions").body, "All three reviewers found the method sound.") {
		t.Fatal("an emptied meta-review box did not remove it")
	}

	// Release: a bad instant is explained next to the field; a good one is scheduled, then cancelled.
	rel := b.post(base+"/release", url.Values{"csrf": {b.csrf()}, "at": {"next friday"}})
	mustContain(t, rel, `id="f-at-error">Bad deadline`, `value="next friday"`)
	rel = b.post(base+"/release", url.Values{"csrf": {b.csrf()}, "at": {"2023-10-27 AoE"}})
	mustContain(t, rel, "Schedule the release for 2023-10-27 23:59:59 AoE?", `name="at" value="2023-10-27 AoE"`)
	rel = b.post(base+"/release", url.Values{"csrf": {b.csrf()}, "at": {"2023-10-27 AoE"}, "confirm": {"1"}})
	if rel.location != base+"/decisions?scheduled=1#release" {
		t.Fatalf("schedule: %d %q %s", rel.status, rel.location, rel.body)
	}
	mustContain(t, b.get(base+"/decisions?scheduled=1"), "The release is scheduled for 2023-10-27 23:59:59 AoE.", "Cancel the scheduled release")
	if got := b.post(base+"/release/cancel", url.Values{"csrf": {b.csrf()}}); got.location != base+"/decisions?cancelled=1#release" {
		t.Fatalf("cancel: %d %s", got.status, got.body)
	}
	if got := b.post(base+"/release", url.Values{"csrf": {b.csrf()}, "now": {"1"}, "confirm": {"1"}}); got.location != base+"/decisions?released=1#release" {
		t.Fatalf("release now: %d %s", got.status, got.body)
	}
	mustContain(t, b.get(base+"/decisions?released=1"), "The decisions are released.", "Released 2023-10-20", `<td data-told>Released</td>`)
	mustContain(t, b.get(base), `<p class="big">Released</p>`)

	audit := b.get(base + "/audit")
	mustContain(t, audit, "decision.release", "/api/v1/venues/dlde-2023/audit?format=csv")
}
