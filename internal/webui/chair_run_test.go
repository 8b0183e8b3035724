package webui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
)

// proposeRun starts an optimal run as the browser's chair and waits for
// its page to show the proposal; it returns the run page's path.
func proposeRun(t *testing.T, b *browser) string {
	t.Helper()
	start := b.post("/venues/dlde-2023/chair/assignment/runs", url.Values{"csrf": {b.csrf()}, "affinity_weight": {"1"}, "bid_weight": {"1"}, "external_weight": {"0.5"}})
	if start.status != http.StatusSeeOther {
		t.Fatalf("starting a run: %d %s", start.status, start.body)
	}
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if p := b.get(start.location); strings.Contains(p.body, "The proposal is ready.") {
			return start.location
		}
	}
	t.Fatal("the run did not finish")
	return ""
}

// reviewersOf reads who reviews paper n in the per-paper table of a run page.
func reviewersOf(p page, n int) string {
	m := regexp.MustCompile(`(?s)<tr[^>]*data-paper="` + fmt.Sprint(n) + `"><th scope="row">\d+</th><td>[^<]*</td>\s*<td>(.*?)</td>`).FindStringSubmatch(p.body)
	if m == nil {
		return ""
	}
	return m[1]
}

// TestAChairChangesAPairBeforeCommitting: the proposal by name, what it
// changes, one pair changed (and the changes it refuses), then committed.
func TestAChairChangesAPairBeforeCommitting(t *testing.T) {
	t.Parallel()
	s, _ := chairWorld(t)
	join(t, s, "val@vacant.example", "Val Vacant", "reviewer")
	join(t, s, "cora@uni.example", "Cora Colleague", "chair") // conflicted with both papers (Ada's domain)
	chair := s.Login(t, "chair@example.org")
	if r := s.As(t, chair, "POST", "/api/v1/venues/dlde-2023/conflicts", map[string]any{"submission": 2, "reviewer": "val@vacant.example", "note": "co-author last year"}); r.StatusCode != http.StatusNoContent {
		t.Fatalf("a conflict: %s", r.Body)
	}
	b := newBrowser(t, s)
	b.signIn("chair@example.org", apptest.Password)
	run := proposeRun(t, b)

	p := b.get(run)
	mustContain(t, p, "Compared with the assignment now: <strong>6 pairs added</strong>, <strong>0 pairs removed</strong>", "data-load-changes", "Reviewers (affinity, bid)")
	if strings.Contains(reviewersOf(p, 2), "Val Vacant") {
		t.Fatal("the conflicted reviewer is proposed for #2")
	}
	// Whoever the solver left out of #1 (four reviewers, three places).
	on1 := reviewersOf(p, 1)
	var in, out string
	for _, r := range []struct{ name, email string }{{"Rex Reviewer", "rex@rev.example"}, {"Fay Faraway", "fay@away.example"}, {"Dan Distant", "dan@far.example"}, {"Val Vacant", "val@vacant.example"}} {
		if strings.Contains(on1, r.name) {
			if r.name != "Val Vacant" { // Val's only paper: taking it breaks Val's minimum load
				in = r.email
			}
		} else {
			out = r.email
		}
	}
	if in == "" || out == "" {
		t.Fatalf("#1 is reviewed by: %s", on1)
	}

	// Refused: someone on the paper already; a conflict; nothing changes.
	bad := b.get(run + "?" + url.Values{"number": {"1"}, "from": {in}, "to": {in}}.Encode())
	mustContain(t, bad, "reviews #1 already", "disabled>Commit this assignment with 1 change")
	bad = b.get(run + "?" + url.Values{"number": {"2"}, "from": {"rex@rev.example"}, "to": {"val@vacant.example"}}.Encode())
	mustContain(t, bad, "Val Vacant has a conflict of interest with #2")
	if !strings.Contains(on1, "Val Vacant") {
		t.Fatalf("Val, who can review only #1, is not on it: %s", on1)
	}
	bad = b.get(run + "?" + url.Values{"number": {"1"}, "from": {"val@vacant.example"}, "to": {out}}.Encode())
	mustContain(t, bad, "Val Vacant would review 0 papers, fewer than their minimum of 1")
	if got := b.post(run+"/commit", url.Values{"csrf": {b.csrf()}, "change": {"2:rex@rev.example:val@vacant.example"}}); got.status != http.StatusSeeOther || !strings.Contains(got.location, "#changes") {
		t.Errorf("committing a refused change: %d %q", got.status, got.location)
	}
	if r := s.As(t, chair, "GET", "/api/v1/venues/dlde-2023/assignments?format=csv", nil); strings.Count(string(r.Body), "\n") > 1 {
		t.Fatalf("a refused change committed something:\n%s", r.Body)
	}

	// A good change: shown, counted, carried to the commit.
	good := b.get(run + "?" + url.Values{"number": {"1"}, "from": {in}, "to": {out}}.Encode())
	change := "1:" + in + ":" + out
	mustContain(t, good, `<span class="badge">your change</span>`, `<input type="hidden" name="change" value="`+change+`">`,
		">Commit this assignment with 1 change<", "undo<span class=\"vh\"> this change</span>")
	if !strings.Contains(reviewersOf(good, 1), `class="changed"`) {
		t.Error("the changed pair is not marked")
	}
	// The conflicted chair sees neither paper, and cannot change one.
	cora := newBrowser(t, s)
	cora.signIn("cora@uni.example", apptest.Password)
	cp := cora.get(run + "?" + url.Values{"number": {"1"}, "from": {in}, "to": {out}}.Encode())
	if strings.Contains(cp.body, "Neural ODEs") || strings.Contains(cp.body, "Fourier Operators") || !strings.Contains(cp.body, "there is no submission #1 in this run") {
		t.Errorf("the conflicted chair's run page (%d) shows a paper or takes the change", cp.status)
	}

	got := b.post(run+"/commit", url.Values{"csrf": {b.csrf()}, "change": {change}})
	if got.status != http.StatusSeeOther || got.location != run+"?committed=1" {
		t.Fatalf("commit: %d %q %s", got.status, got.location, got.body)
	}
	csv := string(s.As(t, chair, "GET", "/api/v1/venues/dlde-2023/assignments?format=csv", nil).Body)
	if !strings.Contains(csv, "1,review,"+out) || strings.Contains(csv, "1,review,"+in) || strings.Count(csv, "\n") != 7 {
		t.Errorf("after the commit (%s for %s):\n%s", out, in, csv)
	}
}
