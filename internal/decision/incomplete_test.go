package decision_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/venue"
)

// incompletePaper adds a submission by Ada with no PDF and returns its id
// and number.
func incompletePaper(t *testing.T, s *apptest.Server, title string) (int64, int) {
	t.Helper()
	r := s.As(t, s.Login(t, "ada@uni.example"), "POST", "/api/v1/venues/dlde-2023/submissions", map[string]any{
		"title": title, "abstract": "Never finished.", "keywords": []string{"neural ODEs"},
		"authors": []map[string]string{{"name": "Ada Author", "email": "ada@uni.example"}}, "track": "new-work", "declaration": true})
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("creating: %s", r.Body)
	}
	m := r.Map(t)
	return int64(m["id"].(float64)), int(m["number"].(float64))
}

func problemOf(t *testing.T, r *apptest.Response, status int, code string) map[string]any {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("status %d, want %d: %s", r.StatusCode, status, r.Body)
	}
	m := r.Map(t)
	if m["code"] != code {
		t.Fatalf("code %v, want %s: %s", m["code"], code, r.Body)
	}
	return m
}

// TestAnIncompletePaperCannotBeAccepted: a paper without a PDF is refused
// an accepting decision, alone (409 submission_incomplete naming it) or in
// bulk (the same 409, by line, and nothing recorded); rejecting it works.
func TestAnIncompletePaperCannotBeAccepted(t *testing.T) {
	t.Parallel()
	s, _, ids := releaseWorld(t, 2)
	id, number := incompletePaper(t, s, "The unfinished paper")
	chair := s.Login(t, "chair@example.org")

	m := problemOf(t, s.As(t, chair, "PUT", fmt.Sprintf("/api/v1/submissions/%d/decision", id), map[string]any{"category": "accept-poster"}),
		http.StatusConflict, "submission_incomplete")
	if !strings.Contains(fmt.Sprint(m["detail"]), fmt.Sprintf("#%d", number)) {
		t.Errorf("the refusal does not name the paper: %v", m["detail"])
	}

	bulk := map[string]any{"items": []map[string]any{{"number": 1, "category": "accept-poster"}, {"number": number, "category": "accept-spotlight"}, {"number": 2, "category": "reject"}}}
	m = problemOf(t, s.As(t, chair, "POST", "/api/v1/venues/dlde-2023/decisions", bulk), http.StatusConflict, "submission_incomplete")
	if fs := fmt.Sprint(m["errors"]); !strings.Contains(fs, "line 2") || strings.Contains(fs, "line 1") || !strings.Contains(fs, fmt.Sprintf("#%d", number)) {
		t.Errorf("the bulk refusal does not point at the incomplete paper's line alone: %v", m["errors"])
	}
	var n int
	if err := s.App.Pool.QueryRow(context.Background(), "SELECT count(*) FROM decisions d JOIN submissions s ON s.id = d.submission_id WHERE s.venue_id = (SELECT venue_id FROM submissions WHERE id = $1)", ids[1]).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("a refused bulk decision recorded %d decisions: it is all or nothing", n)
	}

	// A mix of a typo and an incomplete paper is a plain invalid request,
	// still naming both lines.
	mixed := map[string]any{"items": []map[string]any{{"number": 999, "category": "accept-poster"}, {"number": number, "category": "accept-poster"}}}
	m = problemOf(t, s.As(t, chair, "POST", "/api/v1/venues/dlde-2023/decisions", mixed), http.StatusBadRequest, "invalid_request")
	if fs := fmt.Sprint(m["errors"]); !strings.Contains(fs, "line 1") || !strings.Contains(fs, "line 2") {
		t.Errorf("the mixed refusal misses a line: %v", m["errors"])
	}

	if r := s.As(t, chair, "PUT", fmt.Sprintf("/api/v1/submissions/%d/decision", id), map[string]any{"category": "reject"}); r.StatusCode >= 300 {
		t.Errorf("rejecting the incomplete paper: %s", r.Body)
	}
	if r := s.As(t, chair, "POST", "/api/v1/venues/dlde-2023/decisions", map[string]any{"items": []map[string]any{{"number": 1, "category": "accept-poster"}}}); r.StatusCode != http.StatusNoContent {
		t.Errorf("accepting a complete paper: %s", r.Body)
	}
}

// TestOnlyCompleteAcceptedPapersArePublished: accepting decisions recorded
// before acceptance needed a PDF (written here straight into the
// database), on a paper without one and on a withdrawn one, reach no public
// list, programme, schedule, poster page, CSV or calendar after the release;
// the complete accepted paper does.
func TestOnlyCompleteAcceptedPapersArePublished(t *testing.T) {
	t.Parallel()
	s, chair, ids := releaseWorld(t, 2)
	ctx := context.Background()
	decide(t, s, chair, ids, "accept-spotlight", 1)
	decide(t, s, chair, ids, "accept-poster", 2)
	ghost, _ := incompletePaper(t, s, "Ghost paper without a file")
	if _, err := s.App.Pool.Exec(ctx, `INSERT INTO decisions (submission_id, category, note, decided_by, decided_at, on_time)
		VALUES ($1, 'accept-spotlight', '', $2, $3, true)`, ghost, chair.UserID, s.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	// #2 is withdrawn after its acceptance.
	if _, err := s.App.Pool.Exec(ctx, "UPDATE submissions SET withdrawn_at = $2 WHERE id = $1", ids[2], s.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2023, 10, 27, 12, 0, 0, 0, time.UTC)
	s.Clock.Set(at)
	if _, err := s.App.Services.Decisions.Release(ctx, "dlde-2023", chair, nil, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	public := map[string]string{}
	for _, u := range []string{"/api/v1/venues/dlde-2023/programme", "/api/v1/venues/dlde-2023/programme?format=csv", "/api/v1/venues/dlde-2023/programme?format=ics",
		"/api/v1/venues/dlde-2023/schedule", "/venues/dlde-2023", "/venues/dlde-2023/posters", "/venues/dlde-2023/now"} {
		r := s.Do(t, "GET", u, nil)
		if r.StatusCode >= 500 {
			t.Fatalf("GET %s: %s", u, r.Status)
		}
		public[u] = string(r.Body)
	}
	if !strings.Contains(public["/api/v1/venues/dlde-2023/programme"], "Paper number 1") {
		t.Fatalf("the accepted complete paper is not in the public programme: %s", public["/api/v1/venues/dlde-2023/programme"])
	}
	for u, body := range public {
		for _, bad := range []string{"Ghost paper", "Paper number 2"} {
			if strings.Contains(body, bad) {
				t.Errorf("GET %s shows %q", u, bad)
			}
		}
	}
	papers, err := s.App.Services.Decisions.Placed(ctx, mustVenue(t, s))
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range papers {
		if x.SubmissionID == ghost || x.SubmissionID == ids[2] {
			t.Errorf("the programme a schedule is checked against holds #%d", x.Number)
		}
	}
}

func mustVenue(t *testing.T, s *apptest.Server) venue.Record {
	t.Helper()
	rec, err := s.App.Services.Venues.BySlug(context.Background(), s.App.Pool, "dlde-2023")
	if err != nil {
		t.Fatal(err)
	}
	return rec
}
