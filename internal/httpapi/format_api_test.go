package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestFormatInTheAPI: the report of an upload carries what the format
// check measured and each rule broken, with the measured and the
// template's values; the chairs' list carries the report; a venue whose
// rule refuses answers 422 format_violation with the report and keeps the
// previous version.
func TestFormatInTheAPI(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.create(t)
	r := w.upload(t, id, corpus(t, "fmt-fontsize.pdf"))
	if r.StatusCode != 200 {
		t.Fatalf("upload: %s %s", r.Status, r.Body)
	}
	f := r.Map(t)["report"].(map[string]any)["format"].(map[string]any)
	if f["template"] != "NeurIPS" || f["body_font_size"] != 8.5 || f["leading"] != float64(10) || len(f["text_blocks"].([]any)) != 4 {
		t.Fatalf("format report: %v", f)
	}
	v := f["violations"].([]any)[0].(map[string]any)
	if v["rule"] != "font_size" || v["action"] != "warn" || v["measured"].(map[string]any)["pt"] != 8.5 || v["template"].(map[string]any)["pt"] != float64(10) ||
		v["message"] != "body text 8.5 pt on pages 1–4, template at least 10 pt" || fmt.Sprint(v["pages"]) != "[1 2 3 4]" {
		t.Errorf("violation: %v", v)
	}
	list := w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/submissions", nil)
	if !strings.Contains(string(list.Body), `"message":"body text 8.5 pt on pages 1–4, template at least 10 pt"`) {
		t.Errorf("the chairs' list lacks the finding: %s", list.Body)
	}

	// Refusing: the venue's rules say so.
	admin := w.s.Login(t, "admin@example.org")
	y := strings.Replace(venueYAML(t, "strict-2023"), "  action: warn\n", "  action: refuse\n", 1)
	if r := w.s.As(t, admin, "POST", "/api/v1/venues", map[string]any{"settings_yaml": y, "chairs": []string{"chair@example.org"}}); r.StatusCode != 201 {
		t.Fatalf("venue: %s", r.Body)
	}
	r = w.s.As(t, w.author, "POST", "/api/v1/venues/strict-2023/submissions", paper())
	if r.StatusCode != 201 {
		t.Fatalf("create: %s", r.Body)
	}
	strict := int64(r.Map(t)["id"].(float64))
	if r = w.upload(t, strict, corpus(t, "fmt-ok.pdf")); r.StatusCode != 200 {
		t.Fatalf("the paper in format: %s", r.Body)
	}
	m := expectProblem(t, w.upload(t, strict, corpus(t, "fmt-geometry.pdf")), 422, "format_violation")
	if !strings.Contains(m["detail"].(string), "text block 6.9 x 9.4 in on pages 1–4, template 5.5 x 9 in") || m["report"].(map[string]any)["format"] == nil {
		t.Errorf("refusal: %v", m)
	}
	cur := w.s.As(t, w.author, "GET", fmt.Sprintf("/api/v1/submissions/%d", strict), nil).Map(t)
	if cur["pdf"].(map[string]any)["sha256"] != sha(corpus(t, "fmt-ok.pdf")) || cur["revision"] != float64(1) {
		t.Errorf("the previous version was not kept: %v", cur)
	}
}
