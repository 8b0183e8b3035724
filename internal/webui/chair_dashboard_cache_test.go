package webui_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
)

// TestDashboardAndHomeShowEveryWriteAtOnce: the chair dashboard's figures
// and a reviewer's progress on the home page are kept per data version of
// the venue. Writes made through a second replica on the same database
// (an assignment, a review, a decision) show on this one's very next page,
// and so does a deadline passing, which writes nothing.
func TestDashboardAndHomeShowEveryWriteAtOnce(t *testing.T) {
	t.Parallel()
	a, ids := chairWorld(t)
	b := apptest.Start(t, apptest.Options{Env: map[string]string{"DATABASE_URL": a.App.Config.DatabaseURL}})
	b.Clock.Set(chairReviewingTime)
	chairOnB := b.Login(t, "chair@example.org")

	chair := newBrowser(t, a)
	chair.signIn("chair@example.org", apptest.Password)
	rex := newBrowser(t, a)
	rex.signIn("rex@rev.example", apptest.Password)
	// see reads a page twice (the second from the cache when nothing
	// changed) and wants both to say the same, and to say want.
	see := func(who *browser, path string, want, notWant string) {
		t.Helper()
		first, second := who.get(path), who.get(path)
		if first.status != http.StatusOK || second.status != http.StatusOK {
			t.Fatalf("GET %s: %d, %d", path, first.status, second.status)
		}
		for _, p := range []page{first, second} {
			text := strings.Join(strings.Fields(p.body), " ")
			if !strings.Contains(text, want) || (notWant != "" && strings.Contains(text, notWant)) {
				t.Fatalf("GET %s: want %q (and not %q) in %s", path, want, notWant, text)
			}
		}
	}
	const dashboard = "/venues/dlde-2023/chair"

	see(chair, dashboard, "0 of 6", "")
	see(chair, dashboard, "0 assigned", "")
	see(rex, "/", "nothing assigned to you yet", "")
	for _, pair := range []struct {
		id    int64
		email string
	}{{ids[0], "rex@rev.example"}, {ids[0], "fay@away.example"}} {
		if r := b.As(t, chairOnB, "POST", "/api/v1/venues/dlde-2023/assignments", map[string]any{"changes": []map[string]any{{"number": 1, "email": pair.email, "assign": true}}}); r.StatusCode != http.StatusNoContent {
			t.Fatalf("assigning on B: %s", r.Body)
		}
	}
	see(chair, dashboard, "2 assigned", "")
	see(rex, "/", "Submit your reviews: 0 of 1 done", "")

	chairReview(t, b, "rex@rev.example", ids[0], 4)
	see(chair, dashboard, "1 of 6", "")
	see(rex, "/", "Submit your reviews: 1 of 1 done", "")

	see(chair, dashboard, "2 open", "")
	if r := b.As(t, chairOnB, "PUT", fmt.Sprintf("/api/v1/submissions/%d/decision", ids[1]), map[string]string{"category": "accept-poster"}); r.StatusCode != http.StatusNoContent {
		t.Fatalf("deciding on B: %s", r.Body)
	}
	see(chair, dashboard, "1 open", "")

	// The review deadline passes on A: Fay's review is late, with no write.
	see(chair, dashboard, "1 of 6", "reviewer late")
	a.Clock.Set(time.Date(2023, 10, 25, 12, 0, 0, 0, time.UTC))
	chair.signIn("chair@example.org", apptest.Password)
	see(chair, dashboard, "1 reviewer late", "")
}

// TestHomeShowsEveryGateWriteAtOnce: a reviewer's home decides their
// bidding and review deadlines on the venue's overrides and extensions,
// kept per data version. An extension granted or a phase closed through a
// second replica on the same database shows on this one's very next page.
func TestHomeShowsEveryGateWriteAtOnce(t *testing.T) {
	t.Parallel()
	a, _ := chairWorld(t)
	b := apptest.Start(t, apptest.Options{Env: map[string]string{"DATABASE_URL": a.App.Config.DatabaseURL}})
	b.Clock.Set(chairReviewingTime)
	chairOnB := b.Login(t, "chair@example.org")
	rex := newBrowser(t, a)
	rex.signIn("rex@rev.example", apptest.Password)
	see := func(want, notWant string) {
		t.Helper()
		for range 2 { // the second from the cache
			p := rex.get("/")
			text := strings.Join(strings.Fields(p.body), " ")
			if p.status != http.StatusOK || !strings.Contains(text, want) || (notWant != "" && strings.Contains(text, notWant)) {
				t.Fatalf("GET /: %d, want %q (and not %q) in %s", p.status, want, notWant, text)
			}
		}
	}
	onB := func(path string, body map[string]any) {
		t.Helper()
		if r := b.As(t, chairOnB, "POST", "/api/v1/venues/dlde-2023/"+path, body); r.StatusCode != http.StatusCreated {
			t.Fatalf("POST %s on B: %s", path, r.Body)
		}
	}

	see("Reviews are due", "Bid on the papers")
	onB("extensions", map[string]any{"action": "bid", "reviewer": "rex@rev.example", "until": "2023-10-16 AoE", "reason": "joined late"})
	see("Bid on the papers", "")
	see("16 October 2023, Anywhere on Earth", "")

	onB("overrides", map[string]any{"phase": "reviewing", "kind": "close", "reason": "all reviews are in"})
	see("Bid on the papers", "Reviews are due")

	onB("extensions", map[string]any{"action": "review", "reviewer": "rex@rev.example", "until": "2023-10-20 AoE", "reason": "illness"})
	see("Reviews are due", "")
	see("20 October 2023, Anywhere on Earth", "")
}
