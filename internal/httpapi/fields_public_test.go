package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestPublicFieldsShowOnlyOnPublishedPapers: after the release, a
// published paper's answers marked public_after_acceptance are on its
// public page and in the API, and nothing else of its answers is; an
// unpublished paper's public answers are nowhere public.
func TestPublicFieldsShowOnlyOnPublishedPapers(t *testing.T) {
	t.Parallel()
	w, ids := publicationWorld(t)
	for n, id := range ids {
		answers := fmt.Sprintf(`{"tldr": "TLDR-OF-%d", "code": "https://code.example.org/paper-%d", "topic_group": "TOPIC-OF-%d", "reviewing_author": "ada@uni.example"}`, n, n, n)
		if _, err := w.s.App.Pool.Exec(context.Background(), `INSERT INTO submission_field_values (submission_id, answers, updated_at) VALUES ($1, $2, now())
			ON CONFLICT (submission_id) DO UPDATE SET answers = EXCLUDED.answers`, id, answers); err != nil {
			t.Fatal(err)
		}
	}
	// #1 (accepted, consented) and #3 (rejected, opted in) are public.
	for _, n := range []int{1, 3} {
		page := w.s.Do(t, "GET", fmt.Sprintf("/venues/dlde-2023/papers/%d", n), nil)
		body := string(page.Body)
		if page.StatusCode != http.StatusOK || !strings.Contains(body, fmt.Sprintf("TLDR-OF-%d", n)) ||
			!strings.Contains(body, fmt.Sprintf(`href="https://code.example.org/paper-%d"`, n)) || !strings.Contains(body, "TL;DR") {
			t.Errorf("paper %d's public page lacks its public answers (%d)", n, page.StatusCode)
		}
		api := string(w.s.Do(t, "GET", fmt.Sprintf("/api/v1/venues/dlde-2023/papers/%d", n), nil).Body)
		if !strings.Contains(api, `{"key":"tldr","label":"TL;DR","value":"TLDR-OF-`+fmt.Sprint(n)+`"}`) {
			t.Errorf("paper %d in the API lacks its TL;DR: %s", n, api)
		}
	}
	// Nothing else of the answers, and nothing of the unpublished papers'.
	for _, u := range publicURLs(t) {
		text := readable(t, w.s.Do(t, "GET", u, nil))
		for _, bad := range []string{"TOPIC-OF-", "TLDR-OF-2", "TLDR-OF-4", "paper-2", "paper-4", "ada@uni.example"} {
			if strings.Contains(text, bad) {
				t.Errorf("GET %s shows %q to anyone", u, bad)
			}
		}
	}
}
