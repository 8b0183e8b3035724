package httpapi_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// fieldsForLeaks are fields of every visibility the leak world's venue
// adds to the demo's, asked of every track, and a person field marked for
// reviewers, which names an author and so must reach no reviewer anyway.
const fieldsForLeaks = `submission_fields:
  - {key: memo_reviewers, label: For the reviewers, kind: long_text, visibility: reviewers}
  - {key: memo_chairs, label: For the chairs, kind: text, visibility: chairs_only}
  - {key: memo_public, label: For everyone later, kind: url, visibility: public_after_acceptance}
  - {key: named_author, label: Who reviews for this paper, kind: person, visibility: reviewers}
`

// fieldMarkers are each paper's answers, by visibility; a marker is text
// found nowhere else.
var fieldMarkers = map[int]map[string]string{
	0: {"reviewers": "F1-REVIEWERS-5d0c", "chairs": "F1-CHAIRS-91ab", "public": "https://f1-public-77e2.example.org/code"},
	1: {"reviewers": "F2-REVIEWERS-c3f8", "chairs": "F2-CHAIRS-e410", "public": "https://f2-public-0b5d.example.org/code"},
}

// fieldReaders are who may read each visibility of each paper of the leak
// world, outside the public site: its authors and the chairs free of a
// conflict with it read all; its assigned reviewers the reviewers' fields.
var fieldReaders = map[int]map[string][]string{
	0: {"reviewers": {"ada", "bob", "chair", "rex", "fay", "eve"}, "chairs": {"ada", "bob", "chair"}, "public": {"ada", "bob", "chair"}},
	1: {"reviewers": {"eve", "chair", "cora", "rex", "carol", "dan"}, "chairs": {"eve", "chair", "cora"}, "public": {"eve", "chair", "cora"}},
}

// addFieldAnswers gives the leak world's venue fields of every visibility
// and papers #1 and #2 answers to them (set in the database: the
// submission deadline is past), and tells the sweep who must not find
// which answer.
func (lw *leakWorld) addFieldAnswers(t *testing.T) {
	t.Helper()
	s := lw.w.s
	y := strings.Replace(venueYAML(t, "dlde-2023"), "submission_fields:\n", fieldsForLeaks, 1)
	if r := s.As(t, lw.tokens["chair"], "PATCH", "/api/v1/venues/dlde-2023", map[string]any{"settings_yaml": y}); r.StatusCode != 200 {
		t.Fatalf("adding the fields: %s", r.Body)
	}
	authors := map[int]string{0: "ada@uni.example", 1: "eve@elsewhere.example"}
	if lw.hidden == nil {
		lw.hidden = map[string][]string{}
	}
	for i, m := range fieldMarkers {
		answers := fmt.Sprintf(`{"memo_reviewers": %q, "memo_chairs": %q, "memo_public": %q, "named_author": %q, "reviewing_author": %q}`,
			"**"+m["reviewers"]+"**", m["chairs"], m["public"], authors[i], authors[i])
		if _, err := s.App.Pool.Exec(context.Background(), `INSERT INTO submission_field_values (submission_id, answers, updated_at) VALUES ($1, $2, now())
			ON CONFLICT (submission_id) DO UPDATE SET answers = EXCLUDED.answers`, lw.ids[i], answers); err != nil {
			t.Fatal(err)
		}
		for role := range lw.tokens {
			for vis, marker := range m {
				if !slices.Contains(fieldReaders[i][vis], role) {
					lw.hidden[role] = append(lw.hidden[role], marker)
				}
			}
		}
	}
}

// TestNoSubmissionFieldLeaks is the sweep over every GET of the contract
// and every page, with answers of every visibility on two papers: a
// chairs-only answer reaches only the paper's authors and chairs, a
// reviewers' one also its assigned reviewers, a public one nobody else
// before the paper is public, and a person field (its answer an author's
// email, which the sweep looks for anyway) no reviewer.
func TestNoSubmissionFieldLeaks(t *testing.T) {
	t.Parallel()
	lw := newLeakWorld(t)
	lw.addFieldAnswers(t)
	s := lw.w.s
	// Sanity: each answer is there for those who may read it, in the
	// API, the pages and the export; else the sweep proves nothing.
	for i, id := range lw.ids[:2] {
		for vis, marker := range fieldMarkers[i] {
			for _, role := range fieldReaders[i][vis] {
				r := s.As(t, lw.tokens[role], "GET", fmt.Sprintf("/api/v1/submissions/%d", id), nil)
				if !strings.Contains(string(r.Body), marker) {
					t.Errorf("%s does not read the %s answer of #%d: %s", role, vis, i+1, r.Body)
				}
			}
		}
	}
	chair := string(s.As(t, lw.tokens["chair"], "GET", fmt.Sprintf("/api/v1/submissions/%d", lw.ids[0]), nil).Body)
	if !strings.Contains(chair, `"named_author":"ada@uni.example"`) {
		t.Errorf("the chair does not read the person field: %s", chair)
	}
	csv := string(s.As(t, lw.tokens["chair"], "GET", "/api/v1/venues/dlde-2023/submissions?format=csv", nil).Body)
	for _, m := range []string{"F1-CHAIRS-91ab", "F2-CHAIRS-e410", "field:named_author"} {
		if !strings.Contains(csv, m) {
			t.Errorf("the chairs' CSV lacks %s", m)
		}
	}
	pages := map[string]string{"rex": fmt.Sprintf("/venues/dlde-2023/review/%d", lw.ids[0]), "chair": fmt.Sprintf("/venues/dlde-2023/chair/papers/%d", lw.ids[0])}
	for role, u := range pages {
		page := string(s.Do(t, "GET", u, nil, "Cookie", "quire_access="+lw.tokens[role]).Body)
		if !strings.Contains(page, "<strong>F1-REVIEWERS-5d0c</strong>") {
			t.Errorf("%s's page %s does not show the reviewers' answer, rendered", role, u)
		}
	}
	// The reciprocal rule's state names each paper's reviewing author.
	rule := string(s.As(t, lw.tokens["chair"], "GET", "/api/v1/venues/dlde-2023/reciprocal-reviewing", nil).Body)
	if !strings.Contains(rule, "ada@uni.example") || !strings.Contains(rule, "eve@elsewhere.example") {
		t.Errorf("the chair does not see who reviews for the papers: %s", rule)
	}
	urls := append(lw.getURLs(t), lw.pageURLs()...)
	urls = append(urls, "/venues/dlde-2023/chair/reciprocal")
	for _, f := range lw.sweep(t, urls) {
		t.Error(f)
	}
}
