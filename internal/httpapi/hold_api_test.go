package httpapi_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/app/apptest"
)

// heldPaper is #1 of the matching world with Alice Müller added as an
// author and Rex assigned to it, before the submission deadline.
func heldPaper(t *testing.T) (*world, []int64, map[string]string) {
	t.Helper()
	w, ids, tok := matchingWorld(t)
	w.addAlice(t, ids[0])
	changes := []map[string]any{{"number": 1, "email": "rev@example.org", "assign": true}, {"number": 2, "email": "rev@example.org", "assign": true}}
	if r := w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/assignments", map[string]any{"changes": changes}); r.StatusCode != 204 {
		t.Fatalf("assign: %s", r.Body)
	}
	return w, ids, tok
}

func myAssignment(t *testing.T, w *world, token string, id int64) map[string]any {
	t.Helper()
	var list []map[string]any
	w.s.As(t, token, "GET", "/api/v1/venues/dlde-2023/my-assignments", nil).JSON(t, &list)
	for _, a := range list {
		if a["submission_id"] == float64(id) {
			return a
		}
	}
	t.Fatalf("submission %d is not among the reviewer's assignments: %v", id, list)
	return nil
}

// reviewerGetsNothing checks that a reviewer of a held paper learns that it
// is held, and nothing else: no bytes of any file, no finding.
func reviewerGetsNothing(t *testing.T, w *world, token string, id int64) {
	t.Helper()
	if a := myAssignment(t, w, token, id); a["held"] != true {
		t.Errorf("the assignment of a held paper says held=%v", a["held"])
	}
	for _, u := range []string{"/pdf?copy=anonymised", "/pdf", "/supplementary"} {
		r := w.s.As(t, token, "GET", fmt.Sprintf("/api/v1/submissions/%d%s", id, u), nil)
		if bytes.Contains(r.Body, []byte("%PDF")) || bytes.Contains(r.Body, []byte("Alice")) || bytes.Contains(r.Body, []byte("page 1")) {
			t.Errorf("GET %s of a held paper gave the reviewer %s: %.200s", u, r.Status, r.Body)
		}
		if u == "/pdf?copy=anonymised" {
			pb := expectProblem(t, r, 403, "anonymity_hold")
			if d, _ := pb["detail"].(string); !strings.HasPrefix(d, "held: anonymity check") {
				t.Errorf("detail %q", d)
			}
		}
	}
	var sub map[string]any
	w.s.As(t, token, "GET", fmt.Sprintf("/api/v1/submissions/%d", id), nil).JSON(t, &sub)
	if _, ok := sub["anonymity"]; ok {
		t.Errorf("a reviewer sees the hold's details: %v", sub["anonymity"])
	}
}

func reviewerGetsPDF(t *testing.T, w *world, token string, id int64) string {
	t.Helper()
	if a := myAssignment(t, w, token, id); a["held"] != false {
		t.Errorf("the assignment says held=%v", a["held"])
	}
	r := w.s.As(t, token, "GET", fmt.Sprintf("/api/v1/submissions/%d/pdf?copy=anonymised", id), nil)
	if r.StatusCode != 200 || !bytes.HasPrefix(r.Body, []byte("%PDF")) {
		t.Fatalf("the reviewer cannot download the paper: %s %.200s", r.Status, r.Body)
	}
	return readable(t, r)
}

func TestAnonymityHoldFixAndWaiver(t *testing.T) {
	t.Parallel()
	w, ids, tok := heldPaper(t)
	rex, id := tok["rev@example.org"], ids[0]

	// The final build with its author block: accepted, held, and the
	// authors are told precisely.
	up := w.upload(t, id, corpus(t, "authorblock.pdf"))
	if up.StatusCode != 200 {
		t.Fatalf("upload: %s", up.Body)
	}
	var res struct {
		Submission struct {
			Anonymity struct {
				Held     bool
				PdfHeld  bool `json:"pdf_held"`
				Findings []struct {
					Code, Where, Text string
					Page, Line        int
				}
			}
		}
	}
	up.JSON(t, &res)
	hold := res.Submission.Anonymity
	if !hold.Held || !hold.PdfHeld || len(hold.Findings) == 0 {
		t.Fatalf("the author block did not hold the paper: %s", up.Body)
	}
	name := false
	for _, f := range hold.Findings {
		if f.Code == "author_name" && f.Page == 1 && f.Line > 0 && strings.Contains(f.Text, "Alice Müller") {
			name = true
		}
	}
	if !name {
		t.Errorf("no finding names Alice Müller on page 1 with its line: %+v", hold.Findings)
	}
	m := w.s.WaitMail(t, "alice@uni.example", "held")
	if !strings.Contains(m.Text, "page 1, line") || !strings.Contains(m.Text, "Alice Müller") {
		t.Errorf("the mail to the authors is not precise:\n%s", m.Text)
	}
	reviewerGetsNothing(t, w, rex, id)
	// #2, clean, is served as before.
	reviewerGetsPDF(t, w, rex, ids[1])

	// The chairs see it in their list, with the findings.
	var held []map[string]any
	w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/anonymity-holds", nil).JSON(t, &held)
	if len(held) != 1 || held[0]["id"] != float64(id) || len(held[0]["anonymity"].(map[string]any)["findings"].([]any)) == 0 {
		t.Fatalf("the chairs' list: %v", held)
	}
	expectProblem(t, w.s.As(t, w.author, "GET", "/api/v1/venues/dlde-2023/anonymity-holds", nil), 403, "not_chair")
	expectProblem(t, w.s.As(t, w.author, "POST", fmt.Sprintf("/api/v1/submissions/%d/anonymity-hold/release", id), map[string]string{"reason": "fine"}), 403, "not_chair")
	expectProblem(t, w.s.As(t, rex, "POST", fmt.Sprintf("/api/v1/submissions/%d/anonymity-hold/release", id), map[string]string{"reason": "fine"}), 403, "not_chair")

	// A fixed upload ends the hold: the reviewer gets the clean copy.
	if r := w.upload(t, id, corpus(t, "midpage4.pdf")); r.StatusCode != 200 {
		t.Fatalf("fixed upload: %s", r.Body)
	}
	if text := reviewerGetsPDF(t, w, rex, id); strings.Contains(text, "Alice") || strings.Contains(text, "tuebingen") {
		t.Errorf("the clean copy names the author")
	}
	expectProblem(t, w.s.As(t, w.chair, "POST", fmt.Sprintf("/api/v1/submissions/%d/anonymity-hold/release", id), map[string]string{"reason": "x"}), 409, "not_held")

	// The author block again: held again, whatever happened before.
	if r := w.upload(t, id, corpus(t, "authorblock.pdf")); r.StatusCode != 200 {
		t.Fatalf("upload: %s", r.Body)
	}
	reviewerGetsNothing(t, w, rex, id)

	// After the deadline, a chair asks for a fix by a date: the author may
	// upload until then, and only this submission.
	w.jump(t, reviewingTime, tok)
	rex = tok["rev@example.org"]
	expectProblem(t, w.upload(t, id, corpus(t, "midpage4.pdf")), 403, "deadline_passed")
	expectProblem(t, w.s.As(t, w.chair, "POST", fmt.Sprintf("/api/v1/submissions/%d/anonymity-hold/require-fix", id), map[string]string{"until": "2023-10-01 AoE"}), 400, "invalid_request")
	fix := w.s.As(t, w.chair, "POST", fmt.Sprintf("/api/v1/submissions/%d/anonymity-hold/require-fix", id), map[string]string{"until": "2023-10-16 AoE", "note": "Remove the author block."})
	if fix.StatusCode != 200 || !strings.Contains(string(fix.Body), `"fix_required"`) {
		t.Fatalf("require fix: %s", fix.Body)
	}
	if m := w.s.WaitMail(t, "ada@uni.example", "anonymous version is needed"); !strings.Contains(m.Text, "Remove the author block.") {
		t.Errorf("the fix mail lacks the chairs' note:\n%s", m.Text)
	}
	reviewerGetsNothing(t, w, rex, id)

	// The chair releases it as it is instead: a waiver, with who and why.
	expectProblem(t, w.s.As(t, w.chair, "POST", fmt.Sprintf("/api/v1/submissions/%d/anonymity-hold/release", id), map[string]string{"reason": ""}), 400, "invalid_request")
	rel := w.s.As(t, w.chair, "POST", fmt.Sprintf("/api/v1/submissions/%d/anonymity-hold/release", id), map[string]string{"reason": "the names are of a cited dataset's curators"})
	if rel.StatusCode != 200 || !strings.Contains(string(rel.Body), "cited dataset") {
		t.Fatalf("release: %s", rel.Body)
	}
	if text := reviewerGetsPDF(t, w, rex, id); !strings.Contains(text, "Alice") {
		t.Errorf("the released copy is not the file the chair released")
	}
	audit := string(w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/audit", nil).Body)
	for _, want := range []string{"anonymity.release", "cited dataset", "anonymity.require_fix", "Chair"} {
		if !strings.Contains(audit, want) {
			t.Errorf("the audit log lacks %q", want)
		}
	}
	held = nil
	w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/anonymity-holds", nil).JSON(t, &held)
	if len(held) != 0 {
		t.Errorf("a released paper is still listed as held: %v", held)
	}
}

func TestAnonymityHoldDeskRejectAndRestore(t *testing.T) {
	t.Parallel()
	w, ids, tok := heldPaper(t)
	rex, id := tok["rev@example.org"], ids[0]
	if r := w.upload(t, id, corpus(t, "authorblock.pdf")); r.StatusCode != 200 {
		t.Fatalf("upload: %s", r.Body)
	}
	if r := w.upload(t, id, corpus(t, "midpage4.pdf")); r.StatusCode != 200 {
		t.Fatalf("upload: %s", r.Body)
	}
	reviewerGetsPDF(t, w, rex, id)
	// Restoring the leaking revision brings the hold back with it.
	var revs []map[string]any
	w.s.As(t, w.chair, "GET", fmt.Sprintf("/api/v1/submissions/%d/revisions", id), nil).JSON(t, &revs)
	var pdfs []int // the world's first upload, the author block, the fix
	for _, r := range revs {
		if r["kind"] == "pdf" {
			pdfs = append(pdfs, int(r["seq"].(float64)))
		}
	}
	if len(pdfs) != 3 {
		t.Fatalf("revisions: %v", revs)
	}
	seq := pdfs[1]
	if r := w.s.As(t, w.chair, "POST", fmt.Sprintf("/api/v1/submissions/%d/revisions/%d/restore", id, seq), nil); r.StatusCode != 200 {
		t.Fatalf("restore: %s", r.Body)
	}
	reviewerGetsNothing(t, w, rex, id)

	w.jump(t, reviewingTime, tok)
	rex = tok["rev@example.org"]
	dr := w.s.As(t, w.chair, "POST", fmt.Sprintf("/api/v1/submissions/%d/anonymity-hold/desk-reject", id), map[string]string{"reason": "the paper names its authors"})
	if dr.StatusCode != 200 || !strings.Contains(string(dr.Body), `"desk_rejected"`) {
		t.Fatalf("desk reject: %s", dr.Body)
	}
	var dec map[string]any
	w.s.As(t, w.chair, "GET", fmt.Sprintf("/api/v1/submissions/%d/decision", id), nil).JSON(t, &dec)
	if dec["category"] != "reject" || !strings.Contains(fmt.Sprint(dec["note"]), "names its authors") {
		t.Errorf("the desk rejection is not a recorded decision: %v", dec)
	}
	reviewerGetsNothing(t, w, rex, id)
	expectProblem(t, w.s.As(t, w.chair, "POST", fmt.Sprintf("/api/v1/submissions/%d/anonymity-hold/release", id), map[string]string{"reason": "x"}), 409, "desk_rejected")
	// A clean paper cannot be desk-rejected through the hold.
	expectProblem(t, w.s.As(t, w.chair, "POST", fmt.Sprintf("/api/v1/submissions/%d/anonymity-hold/desk-reject", ids[1]), map[string]string{"reason": "x"}), 409, "not_held")
}

func zipOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	for name, b := range files {
		f, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return z.Bytes()
}

// TestSupplementaryHold: a ZIP reaches reviewers as uploaded, so whatever
// in it names the authors, or cannot be checked, holds the supplementary
// material alone; the paper is still served.
func TestSupplementaryHold(t *testing.T) {
	t.Parallel()
	w, ids, tok := heldPaper(t)
	rex, id := tok["rev@example.org"], ids[0]
	supp := func(body []byte) *apptest.Response {
		t.Helper()
		r := w.s.As(t, w.author, "PUT", fmt.Sprintf("/api/v1/submissions/%d/supplementary", id), body, "Content-Type", "application/zip")
		if r.StatusCode != 200 {
			t.Fatalf("supplementary: %s", r.Body)
		}
		return r
	}
	heldSupp := func(want bool, what string) {
		t.Helper()
		r := w.s.As(t, rex, "GET", fmt.Sprintf("/api/v1/submissions/%d/supplementary", id), nil)
		if want {
			expectProblem(t, r, 403, "anonymity_hold")
		} else if r.StatusCode != 200 || !bytes.HasPrefix(r.Body, []byte("PK")) {
			t.Errorf("%s: the reviewer cannot download the supplementary material: %s", what, r.Status)
		}
		reviewerGetsPDF(t, w, rex, id) // the paper is served either way
	}

	supp(zipOf(t, map[string][]byte{"code/train.py": []byte("import torch\nprint('hello')\n"), "README.md": []byte("Run train.py.\n")}))
	heldSupp(false, "clean code")

	cases := []struct {
		name  string
		files map[string][]byte
		where string
	}{
		{"a README naming an author", map[string][]byte{"README.md": []byte("Code by Bob Coauthor, Example Lab.\n")}, "archive: README.md"},
		{"an e-mail in a comment", map[string][]byte{"src/model.py": []byte("# contact: ada@uni.example\nx = 1\n")}, "archive: src/model.py"},
		{"a home folder in a path", map[string][]byte{"home/ada-author/run.sh": []byte("echo run\n")}, "archive entry name home/ada-author/run.sh"},
		{"a PDF with its author in the metadata", map[string][]byte{"extra/appendix.pdf": corpus(t, "leaks.pdf")}, "archive: extra/appendix.pdf, metadata"},
		{"a picture", map[string][]byte{"figures/plot.png": []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")}, "archive: figures/plot.png"},
	}
	for _, c := range cases {
		r := supp(zipOf(t, c.files))
		var res struct {
			Submission struct {
				Anonymity struct {
					SupplementaryHeld bool `json:"supplementary_held"`
					Findings          []struct{ Where string }
				}
			}
		}
		r.JSON(t, &res)
		found := false
		for _, f := range res.Submission.Anonymity.Findings {
			found = found || strings.HasPrefix(f.Where, "supplementary material, "+c.where)
		}
		if !res.Submission.Anonymity.SupplementaryHeld || !found {
			t.Errorf("%s: held %v, findings %+v, want one at %q", c.name, res.Submission.Anonymity.SupplementaryHeld, res.Submission.Anonymity.Findings, c.where)
		}
		heldSupp(true, c.name)
	}
	// The picture is fine: a chair releases the supplementary material.
	if r := w.s.As(t, w.chair, "POST", fmt.Sprintf("/api/v1/submissions/%d/anonymity-hold/release", id), map[string]string{"reason": "the plot shows no names"}); r.StatusCode != 200 {
		t.Fatalf("release: %s", r.Body)
	}
	heldSupp(false, "released")
	expectProblem(t, w.s.As(t, w.author, "PUT", fmt.Sprintf("/api/v1/submissions/%d/supplementary", id), []byte("PK\x03\x04broken"), "Content-Type", "application/zip"), 422, "invalid_zip")
	heldSupp(false, "after a refused upload")
}
