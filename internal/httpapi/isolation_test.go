package httpapi_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/quirehq/quire/api"
)

// bodies are plausible requests for the operations that change a
// submission, so the handler (not only the contract's validator) answers.
var bodies = map[string]any{
	"updateSubmission":       paper(),
	"waivePageCheck":         map[string]string{"reason": "x"},
	"releaseAnonymityHold":   map[string]string{"reason": "x"},
	"requireAnonymityFix":    map[string]string{"until": "2023-12-01 AoE"},
	"deskRejectForAnonymity": map[string]string{"reason": "x"},
	"setDecision":            map[string]string{"category": "reject"},
	"addComment":             map[string]string{"kind": "discussion", "body": "x"},
	"saveMyReview":           map[string]any{"fields": map[string]any{}, "submit": false},
	"declineAssignment":      map[string]string{"reason": "x"},
}

// TestOtherVenuesSubmissionsDoNotExist: to the chair, a reviewer and an
// author of one venue, a submission of another venue answers exactly as a
// submission that does not exist, on every operation of the contract that
// names a submission, whether asked through its own venue or through
// theirs. Nothing of it, not even that it exists, crosses over.
func TestOtherVenuesSubmissionsDoNotExist(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.create(t) // Ada's paper in dlde-2023, so she is an author there
	// Eve's paper in other-2023.
	r := w.s.As(t, w.stranger, "POST", "/api/v1/venues/other-2023/submissions", map[string]any{
		"title": "A Paper Elsewhere", "abstract": "Somewhere else entirely.", "track": "new-work", "declaration": true,
		"authors": []map[string]string{{"name": "Eve Stranger", "email": "eve@elsewhere.example"}}})
	if r.StatusCode != 201 {
		t.Fatalf("create: %s", r.Body)
	}
	theirs := int64(r.Map(t)["id"].(float64))
	if r := w.s.As(t, w.stranger, "PUT", fmt.Sprintf("/api/v1/submissions/%d/pdf", theirs), corpus(t, "midpage4.pdf"), "Content-Type", "application/pdf"); r.StatusCode != 200 {
		t.Fatalf("upload: %s", r.Body)
	}
	const missing = 987654
	doc, err := openapi3.NewLoader().LoadFromData(api.Spec)
	if err != nil {
		t.Fatal(err)
	}
	type op struct{ method, path, id string }
	var ops []op
	for path, item := range doc.Paths.Map() {
		if !strings.Contains(path, "{id}") || strings.Contains(path, "/invitations/") {
			continue
		}
		for method, o := range item.Operations() {
			ops = append(ops, op{method, path, o.OperationID})
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].path+ops[i].method < ops[j].path+ops[j].method })
	if len(ops) < 25 {
		t.Fatalf("only %d operations name a submission: the test is not reading the contract", len(ops))
	}
	roles := map[string]string{"chair of dlde-2023": w.chair, "reviewer of dlde-2023": w.reviewer, "author in dlde-2023": w.author}
	calls := 0
	for who, tok := range roles {
		for _, o := range ops {
			for _, slug := range []string{"dlde-2023", "other-2023"} {
				if !strings.Contains(o.path, "{venue}") && slug == "other-2023" {
					continue
				}
				url := func(id int64) string {
					return "/api/v1" + strings.NewReplacer("{venue}", slug, "{id}", fmt.Sprint(id), "{seq}", "1").Replace(o.path)
				}
				var body any = map[string]any{}
				if b, ok := bodies[o.id]; ok {
					body = b
				}
				headers := []string{}
				if strings.HasSuffix(o.path, "/pdf") || strings.HasSuffix(o.path, "/supplementary") || strings.HasSuffix(o.path, "/camera-ready") {
					if o.method != "GET" {
						body, headers = corpus(t, "midpage4.pdf"), []string{"Content-Type", "application/pdf"}
					}
				}
				real := w.s.As(t, tok, o.method, url(theirs), body, headers...)
				none := w.s.As(t, tok, o.method, url(missing), body, headers...)
				calls++
				code := func(b []byte) string {
					s := string(b)
					if i := strings.Index(s, `"code":"`); i >= 0 {
						s = s[i+8:]
						return s[:strings.Index(s, `"`)]
					}
					return ""
				}
				if real.StatusCode < 300 || real.StatusCode != none.StatusCode || code(real.Body) != code(none.Body) {
					t.Errorf("%s %s %s: another venue's submission answers %d %s, a missing one %d %s",
						who, o.method, url(theirs), real.StatusCode, code(real.Body), none.StatusCode, code(none.Body))
				}
			}
		}
	}
	t.Logf("%d operations, %d calls in pairs", len(ops), calls)
	// The comparison can tell: to the paper's own author and its venue's
	// chair, the real submission answers otherwise than a missing one.
	for who, tok := range map[string]string{"its author": w.stranger, "its chair": w.other} {
		u := fmt.Sprintf("/api/v1/submissions/%d", theirs)
		if r := w.s.As(t, tok, "GET", u, nil); r.StatusCode != 200 {
			t.Errorf("%s cannot see the submission: %s", who, r.Status)
		}
	}
}
