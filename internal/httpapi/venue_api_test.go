package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/venue"
)

func TestChairsEditSettingsAsAWhole(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	_, chairA, chairB := twoVenues(t, s)

	// The full file (grace included) is for chairs only.
	exp := s.As(t, chairA, "GET", "/api/v1/venues/venue-a/settings", nil)
	if exp.StatusCode != 200 || !strings.Contains(string(exp.Body), "grace: 30m") {
		t.Fatalf("export: %s %s", exp.Status, exp.Body)
	}
	expectProblem(t, s.As(t, chairB, "GET", "/api/v1/venues/venue-a/settings", nil), 403, "not_chair")

	// Round trip: importing the export changes nothing.
	r := s.As(t, chairA, "PATCH", "/api/v1/venues/venue-a", map[string]string{"settings_yaml": string(exp.Body)})
	if r.StatusCode != 200 {
		t.Fatalf("patch with its own export: %s %s", r.Status, r.Body)
	}
	if again := s.As(t, chairA, "GET", "/api/v1/venues/venue-a/settings", nil); string(again.Body) != string(exp.Body) {
		t.Fatalf("round trip changed the file:\n%s\n---\n%s", exp.Body, again.Body)
	}

	// A bad file is rejected whole, with every problem by its path.
	bad := strings.Replace(string(exp.Body), "decision: 2023-10-24 AoE", "decision: 2023-10-01 AoE", 1)
	bad = strings.Replace(bad, "reviews_per_paper: 3", "reviews_per_paper: 3\n    colour: blue", 1)
	m := expectProblem(t, s.As(t, chairA, "PATCH", "/api/v1/venues/venue-a", map[string]string{"settings_yaml": bad}), 400, "invalid_settings")
	errs := string(mustJSON(t, m["errors"]))
	if !strings.Contains(errs, "colour") {
		t.Fatalf("unknown field not named: %s", errs)
	}
	if again := s.As(t, chairA, "GET", "/api/v1/venues/venue-a/settings", nil); string(again.Body) != string(exp.Body) {
		t.Fatal("a rejected file changed the venue")
	}
	order := strings.Replace(string(exp.Body), "decision: 2023-10-24 AoE", "decision: 2023-10-01 AoE", 1)
	m = expectProblem(t, s.As(t, chairA, "PATCH", "/api/v1/venues/venue-a", map[string]string{"settings_yaml": order}), 400, "invalid_settings")
	if errs := string(mustJSON(t, m["errors"])); !strings.Contains(errs, "deadlines.decision") {
		t.Fatalf("decision before submission not reported at its path: %s", errs)
	}
	slug := strings.Replace(string(exp.Body), "slug: venue-a", "slug: venue-z", 1)
	expectProblem(t, s.As(t, chairA, "PATCH", "/api/v1/venues/venue-a", map[string]string{"settings_yaml": slug}), 400, "invalid_settings")
	expectProblem(t, s.As(t, chairB, "PATCH", "/api/v1/venues/venue-a", map[string]string{"settings_yaml": string(exp.Body)}), 403, "not_chair")

	// With two reviewers in the pool, a track asking for three reviews per paper cannot be met.
	for _, e := range []string{"p1@example.org", "p2@example.org"} {
		s.CreateUser(t, e, "Pool "+e, false)
		s.As(t, chairA, "POST", "/api/v1/venues/venue-a/invitations", map[string]any{"email": e, "role": "reviewer"})
		link := apptest.LinkIn(t, s.WaitMail(t, e, ""), "/invitations/")
		s.As(t, s.Login(t, e), "POST", "/api/v1/invitations/"+link[strings.LastIndex(link, "/")+1:]+"/accept", nil)
	}
	m = expectProblem(t, s.As(t, chairA, "PATCH", "/api/v1/venues/venue-a", map[string]string{"settings_yaml": string(exp.Body)}), 400, "invalid_settings")
	if errs := string(mustJSON(t, m["errors"])); !strings.Contains(errs, "tracks[0].reviews_per_paper") {
		t.Fatalf("pool check: %s", errs)
	}
}

func TestPhaseOverridesAndExtensionsAreRecorded(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	_, chairA, chairB := twoVenues(t, s)
	phase := func() string { return s.Do(t, "GET", "/api/v1/venues/venue-a", nil).Map(t)["phase"].(string) }
	if got := phase(); got != "submission" {
		t.Fatalf("phase on %s = %s", s.Clock.Now(), got)
	}
	expectProblem(t, s.As(t, chairB, "POST", "/api/v1/venues/venue-a/overrides", map[string]string{"phase": "submission", "kind": "close", "reason": "x"}), 403, "not_chair")
	r := s.As(t, chairA, "POST", "/api/v1/venues/venue-a/overrides", map[string]string{"phase": "submission", "kind": "close", "reason": "server maintenance"})
	if r.StatusCode != 201 || r.Map(t)["by"] != "Chair A" {
		t.Fatalf("override: %s %s", r.Status, r.Body)
	}
	if got := phase(); got == "submission" {
		t.Fatal("closing submission early did not end the phase")
	}
	list := s.As(t, chairA, "GET", "/api/v1/venues/venue-a/overrides", nil)
	if !strings.Contains(string(list.Body), "server maintenance") {
		t.Fatalf("overrides: %s", list.Body)
	}
	// Venue B is untouched.
	if got := s.Do(t, "GET", "/api/v1/venues/venue-b", nil).Map(t)["phase"]; got != "submission" {
		t.Fatalf("venue-b phase %v", got)
	}

	// Extensions need a reviewer of the venue, a parseable instant and a reason.
	expectProblem(t, s.As(t, chairA, "POST", "/api/v1/venues/venue-a/extensions", map[string]string{"action": "review", "reviewer": "stranger@example.org", "until": "2023-10-20 AoE", "reason": "r"}), 400, "invalid_request")
	expectProblem(t, s.As(t, chairA, "POST", "/api/v1/venues/venue-a/extensions", map[string]string{"action": "submit", "submission": "17", "until": "next tuesday", "reason": "r"}), 400, "invalid_request")
	e := s.As(t, chairA, "POST", "/api/v1/venues/venue-a/extensions", map[string]string{"action": "submit", "submission": "17", "until": "2023-10-10 AoE", "reason": "visa office closed"})
	if e.StatusCode != 201 {
		t.Fatalf("extension: %s %s", e.Status, e.Body)
	}
	m := e.Map(t)
	if m["until"] != "2023-10-11T11:59:59Z" || m["until_aoe"] != "2023-10-10 23:59:59 AoE" || m["granted_by"] != "Chair A" {
		t.Fatalf("extension: %v", m)
	}
	if l := s.As(t, chairA, "GET", "/api/v1/venues/venue-a/extensions", nil); !strings.Contains(string(l.Body), "visa office closed") {
		t.Fatalf("extensions: %s", l.Body)
	}
	audit := s.App.Pool.QueryRow(t.Context(), "SELECT count(*) FROM audit_log WHERE action IN ('phase.close', 'extension.grant')")
	var n int
	if err := audit.Scan(&n); err != nil || n != 2 {
		t.Fatalf("audit entries: %d %v", n, err)
	}
}

// The gate's refusal becomes a deadline_passed problem stating the deadline
// in UTC and AoE.
func TestDeadlineRefusalProblem(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	set, err := venue.DemoVenue()
	if err != nil {
		t.Fatal(err)
	}
	last := time.Date(2023, 10, 9, 11, 59, 59, 0, time.UTC)
	s.App.Echo.GET("/test/submit-at/:offset", func(c echo.Context) error {
		d, err := time.ParseDuration(c.Param("offset"))
		if err != nil {
			return err
		}
		if _, err := set.Gate(venue.ActionSubmit, last.Add(d), nil, nil); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	})
	if r := s.Do(t, "GET", "/test/submit-at/0s", nil); r.StatusCode != 204 {
		t.Fatalf("11:59:59Z is inside: %s %s", r.Status, r.Body)
	}
	// One second later is in the hidden grace window: still accepted.
	if r := s.Do(t, "GET", "/test/submit-at/1s", nil); r.StatusCode != 204 {
		t.Fatalf("grace: %s %s", r.Status, r.Body)
	}
	m := expectProblem(t, s.Do(t, "GET", "/test/submit-at/31m", nil), 403, "deadline_passed")
	if m["deadline_utc"] != "2023-10-09T11:59:59Z" || m["deadline_aoe"] != "2023-10-08 23:59:59 AoE" {
		t.Fatalf("deadline fields: %v", m)
	}
	if d := m["detail"].(string); !strings.Contains(d, "AoE") || !strings.Contains(d, "UTC") || strings.Contains(d, "grace") {
		t.Fatalf("detail: %s", d)
	}
}
