package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

type venueSummary struct {
	Slug        string
	Phase       string
	EventDate   string     `json:"event_date"`
	Archived    *time.Time `json:"archived_at"`
	Submissions int64
	Reviewers   int64
	Chairs      int64
}

// TestVenueListAndArchive: the public list shows open calls and filters by
// phase and date; administrators see every venue with its counts; an
// archived venue leaves the public list, refuses every deadline-gated
// action and stays readable; only administrators archive.
func TestVenueListAndArchive(t *testing.T) {
	t.Parallel()
	w := newWorld(t) // dlde-2023 and other-2023, both open for submissions at the test clock
	admin := w.s.Login(t, "admin@example.org")
	late := strings.ReplaceAll(venueYAML(t, "late-2024"), "2023-", "2024-")
	if r := w.s.As(t, admin, "POST", "/api/v1/venues", map[string]any{"settings_yaml": late, "chairs": []string{"chair@example.org"}}); r.StatusCode != 201 {
		t.Fatalf("create: %s", r.Body)
	}
	w.create(t)

	list := func(query string) []venueSummary {
		t.Helper()
		var out []venueSummary
		w.s.Do(t, "GET", "/api/v1/venues"+query, nil).JSON(t, &out)
		return out
	}
	slugs := func(vs []venueSummary) string {
		var s []string
		for _, v := range vs {
			s = append(s, v.Slug+":"+v.Phase)
		}
		return strings.Join(s, " ")
	}
	// Open calls first (nearest deadline), then the rest.
	if got := slugs(list("")); got != "dlde-2023:submission other-2023:submission late-2024:before_open" {
		t.Fatalf("public list: %s", got)
	}
	if got := slugs(list("?phase=submission")); got != "dlde-2023:submission other-2023:submission" {
		t.Fatalf("open calls: %s", got)
	}
	if got := slugs(list("?from=2024-01-01")); got != "late-2024:before_open" {
		t.Fatalf("from 2024: %s", got)
	}
	if got := slugs(list("?to=2023-12-31&phase=submission")); got != "dlde-2023:submission other-2023:submission" {
		t.Fatalf("to 2023: %s", got)
	}
	for _, v := range list("") {
		if v.Submissions != 0 || v.Reviewers != 0 || v.Chairs != 0 {
			t.Fatalf("the public list shows counts: %+v", v)
		}
	}
	expectProblem(t, w.s.As(t, w.chair, "GET", "/api/v1/admin/venues", nil), 403, "not_admin")
	var all []venueSummary
	w.s.As(t, admin, "GET", "/api/v1/admin/venues", nil).JSON(t, &all)
	counts := map[string]string{}
	for _, v := range all {
		counts[v.Slug] = fmt.Sprintf("%d/%d/%d", v.Submissions, v.Reviewers, v.Chairs)
	}
	if counts["dlde-2023"] != "1/1/1" || counts["late-2024"] != "0/0/1" || len(all) != 3 {
		t.Fatalf("admin counts: %v", counts)
	}

	// Archiving: only administrators; the venue leaves the public list.
	expectProblem(t, w.s.As(t, w.chair, "PUT", "/api/v1/venues/other-2023/archived", map[string]bool{"archived": true}), 403, "not_admin")
	if r := w.s.As(t, admin, "PUT", "/api/v1/venues/other-2023/archived", map[string]bool{"archived": true}); r.StatusCode != 204 {
		t.Fatalf("archive: %s", r.Body)
	}
	if got := slugs(list("")); strings.Contains(got, "other-2023") {
		t.Fatalf("an archived venue is listed: %s", got)
	}
	w.s.As(t, admin, "GET", "/api/v1/admin/venues", nil).JSON(t, &all)
	for _, v := range all {
		if v.Slug == "other-2023" && (v.Archived == nil || v.Phase != "closed") {
			t.Fatalf("the administrators' list: %+v", v)
		}
	}
	// Readable, but nothing can be submitted.
	if r := w.s.Do(t, "GET", "/api/v1/venues/other-2023", nil); r.StatusCode != 200 {
		t.Fatalf("an archived venue is not readable: %s", r.Status)
	}
	eves := paper()
	eves["authors"] = []map[string]string{{"name": "Eve Stranger", "email": "eve@elsewhere.example"}}
	expectProblem(t, w.s.As(t, w.stranger, "POST", "/api/v1/venues/other-2023/submissions", eves), 409, "venue_archived")
	if r := w.s.As(t, admin, "PUT", "/api/v1/venues/other-2023/archived", map[string]bool{"archived": false}); r.StatusCode != 204 {
		t.Fatalf("unarchive: %s", r.Body)
	}
	if r := w.s.As(t, w.stranger, "POST", "/api/v1/venues/other-2023/submissions", eves); r.StatusCode != 201 {
		t.Fatalf("after unarchiving: %s", r.Body)
	}
	expectProblem(t, w.s.As(t, admin, "PUT", "/api/v1/venues/nowhere/archived", map[string]bool{"archived": true}), 404, "venue_not_found")
}
