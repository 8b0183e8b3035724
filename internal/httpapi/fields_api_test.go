package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
)

// publishedPaper is a recently published paper with its answers.
func publishedPaper() map[string]any {
	p := paper()
	p["track"] = "recently-published"
	p["fields"] = map[string]any{
		"published_venue": "Journal of Computational Physics 489",
		"published_year":  2023,
		"published_link":  "https://doi.example.org/10.5555/jcp.2023.112270",
		"topic_group":     "Deep learning to create or solve differential equations",
		"tldr":            "Step sizes learned per sample.",
	}
	return p
}

func problemFields(t *testing.T, m map[string]any) map[string]string {
	t.Helper()
	out := map[string]string{}
	list, _ := m["errors"].([]any)
	for _, e := range list {
		f := e.(map[string]any)
		out[f["field"].(string)] = f["message"].(string)
	}
	return out
}

func TestSubmissionFieldsSchemaIsServed(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var all, published []map[string]any
	w.s.Do(t, "GET", "/api/v1/venues/dlde-2023/submission-fields", nil).JSON(t, &all)
	w.s.Do(t, "GET", "/api/v1/venues/dlde-2023/submission-fields?track=recently-published", nil).JSON(t, &published)
	if len(all) != 7 || len(published) != 7 {
		t.Fatalf("schema: %d fields, %d for the published track: %v", len(all), len(published), all)
	}
	var newWork []map[string]any
	w.s.Do(t, "GET", "/api/v1/venues/dlde-2023/submission-fields?track=new-work", nil).JSON(t, &newWork)
	if len(newWork) != 4 {
		t.Errorf("new work asks %d fields, want 4: %v", len(newWork), newWork)
	}
	year := published[1]
	if year["key"] != "published_year" || year["kind"] != "number" || year["min"] != 2021.0 || year["integer"] != true || year["required"] != true || year["visibility"] != "reviewers" {
		t.Errorf("the year's spec: %v", year)
	}
	expectProblem(t, w.s.Do(t, "GET", "/api/v1/venues/dlde-2023/submission-fields?track=posters", nil), 400, "invalid_request")
}

func TestSubmissionFieldsAreCheckedStoredAndExported(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// Without its answers, a published paper is refused, each field named.
	p := paper()
	p["track"] = "recently-published"
	m := expectProblem(t, w.s.As(t, w.author, "POST", "/api/v1/venues/dlde-2023/submissions", p), 400, "invalid_request")
	got := problemFields(t, m)
	for _, f := range []string{"fields.published_venue", "fields.published_year", "fields.published_link"} {
		if got[f] != "is required" {
			t.Errorf("%s: %q, want required (%v)", f, got[f], got)
		}
	}
	p = publishedPaper()
	p["fields"].(map[string]any)["published_link"] = "doi.example.org/10.5555"
	p["fields"].(map[string]any)["published_year"] = 2019
	m = expectProblem(t, w.s.As(t, w.author, "POST", "/api/v1/venues/dlde-2023/submissions", p), 400, "invalid_request")
	got = problemFields(t, m)
	if !strings.Contains(got["fields.published_link"], "not a web address") || !strings.Contains(got["fields.published_year"], "at least 2021") || len(got) != 2 {
		t.Errorf("bad answers: %v", got)
	}
	// A value of the wrong shape is the contract's refusal.
	p = publishedPaper()
	p["fields"].(map[string]any)["tldr"] = map[string]any{"x": 1}
	if r := w.s.As(t, w.author, "POST", "/api/v1/venues/dlde-2023/submissions", p); r.StatusCode != 400 {
		t.Errorf("an object as an answer: %d %s", r.StatusCode, r.Body)
	}

	r := w.s.As(t, w.author, "POST", "/api/v1/venues/dlde-2023/submissions", publishedPaper())
	if r.StatusCode != 201 {
		t.Fatalf("create: %s", r.Body)
	}
	id := int64(r.Map(t)["id"].(float64))
	fields := r.Map(t)["fields"].(map[string]any)
	if fields["published_year"] != 2023.0 || fields["published_link"] != "https://doi.example.org/10.5555/jcp.2023.112270" || len(fields) != 5 {
		t.Errorf("the authors read back: %v", fields)
	}
	// An edit without fields keeps them; one with them replaces them all.
	edit := paper()
	edit["track"] = "recently-published"
	r = w.s.As(t, w.author, "PATCH", fmt.Sprintf("/api/v1/submissions/%d", id), edit)
	if r.StatusCode != 200 || len(r.Map(t)["fields"].(map[string]any)) != 5 {
		t.Fatalf("an edit without fields: %s", r.Body)
	}
	// Moving to new work, the published paper's answers are not asked.
	edit["track"] = "new-work"
	m = expectProblem(t, w.s.As(t, w.author, "PATCH", fmt.Sprintf("/api/v1/submissions/%d", id), edit), 400, "invalid_request")
	if got := problemFields(t, m); !strings.Contains(got["fields.published_link"], "not asked of the track") {
		t.Errorf("moving track: %v", got)
	}
	edit["fields"] = map[string]any{"code": "https://code.example.org/steps", "tldr": ""}
	r = w.s.As(t, w.author, "PATCH", fmt.Sprintf("/api/v1/submissions/%d", id), edit)
	if f := r.Map(t)["fields"].(map[string]any); r.StatusCode != 200 || len(f) != 1 || f["code"] != "https://code.example.org/steps" {
		t.Fatalf("new work's answers: %s", r.Body)
	}
	edit["track"] = "recently-published"
	edit["fields"] = publishedPaper()["fields"]
	if r := w.s.As(t, w.author, "PATCH", fmt.Sprintf("/api/v1/submissions/%d", id), edit); r.StatusCode != 200 {
		t.Fatalf("back to published: %s", r.Body)
	}

	// The chairs' export has a column per field.
	csv := string(w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/submissions?format=csv", nil).Body)
	head := strings.SplitN(csv, "\n", 2)[0]
	if !strings.HasSuffix(head, "field:published_venue,field:published_year,field:published_link,field:topic_group,field:tldr,field:code,field:reviewing_author") {
		t.Errorf("CSV header: %s", head)
	}
	if !strings.Contains(csv, "Journal of Computational Physics 489,2023,https://doi.example.org/10.5555/jcp.2023.112270,Deep learning to create or solve differential equations,Step sizes learned per sample.,,") {
		t.Errorf("CSV row:\n%s", csv)
	}
	var list []map[string]any
	w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/submissions", nil).JSON(t, &list)
	if len(list) != 1 || len(list[0]["fields"].(map[string]any)) != 5 {
		t.Errorf("the chairs' list: %v", list)
	}
}
