package httpapi_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/app/apptest"
)

// TestUploadWhenTheCheckerCannotRun: the server runs with its tools in
// QUIRE_TOOLS_DIR; when pdftohtml disappears from there, uploads answer 503
// and record nothing, /readyz and /metrics say which tool, and once it is
// back the same upload is judged again.
func TestUploadWhenTheCheckerCannotRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, name := range []string{"pdftohtml", "pdftoppm", "prlimit"} {
		real, err := exec.LookPath(name)
		if err != nil {
			t.Fatalf("%s is needed: %v", name, err)
		}
		if err := os.Symlink(real, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	w := newWorld(t, apptest.Options{Env: map[string]string{"QUIRE_TOOLS_DIR": dir}})
	id := w.create(t)

	// A scan is the author's: the venue's "no text" rule decides.
	r := w.upload(t, id, corpus(t, "scanned.pdf"))
	if r.StatusCode != 200 {
		t.Fatalf("scanned upload: %s %s", r.Status, r.Body)
	}
	if sub := r.Map(t)["submission"].(map[string]any); sub["verdict"] != "undecided_accepted" || !strings.Contains(string(r.Body), `"no_text"`) {
		t.Fatalf("a scanned file must get the no-text rule: %s", r.Body)
	}
	good := corpus(t, "midpage4.pdf")
	if r := w.upload(t, id, good); r.StatusCode != 200 {
		t.Fatalf("good upload: %s %s", r.Status, r.Body)
	}
	metric := func(line string) bool {
		m := w.s.Do(t, "GET", "/metrics", nil)
		return strings.Contains(string(m.Body), line+"\n")
	}
	if !metric(`quire_pdfcheck_tool_up{tool="pdftohtml"} 1`) || !metric("quire_pdfcheck_failures_total 0") {
		t.Fatalf("metrics before the tool went: %s", w.s.Do(t, "GET", "/metrics", nil).Body)
	}

	if err := os.Remove(filepath.Join(dir, "pdftohtml")); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"sixpage.pdf", "scanned.pdf"} {
		r := w.upload(t, id, corpus(t, file))
		m := expectProblem(t, r, 503, "check_failed")
		if d, _ := m["detail"].(string); !strings.Contains(d, "not stored") || !strings.Contains(d, "previous version is unchanged") {
			t.Errorf("%s: the detail must say nothing was stored: %q", file, d)
		}
		if r.Header.Get("Content-Type") != "application/problem+json" || r.Header.Get("Retry-After") == "" {
			t.Errorf("%s: headers %v", file, r.Header)
		}
		if _, ok := m["report"]; ok {
			t.Errorf("%s: a report for a file that was not checked: %s", file, r.Body)
		}
	}
	cur := w.s.As(t, w.author, "GET", fmt.Sprintf("/api/v1/submissions/%d", id), nil).Map(t)
	if cur["pdf"].(map[string]any)["sha256"] != sha(good) || cur["revision"] != float64(2) || cur["verdict"] != "ok" {
		t.Fatalf("the previous revision was disturbed: %v", cur)
	}
	ready := w.s.Do(t, "GET", "/readyz", nil)
	if ready.StatusCode != 503 || !strings.Contains(string(ready.Body), "pdftohtml") || !strings.Contains(string(ready.Body), "poppler-utils") {
		t.Errorf("readyz without pdftohtml: %s %s", ready.Status, ready.Body)
	}
	if !metric(`quire_pdfcheck_tool_up{tool="pdftohtml"} 0`) || !metric(`quire_pdfcheck_tool_up{tool="prlimit"} 1`) || !metric("quire_pdfcheck_failures_total 2") {
		t.Errorf("metrics without pdftohtml: %s", w.s.Do(t, "GET", "/metrics", nil).Body)
	}

	// Put back, the same file is judged on its merits.
	real, _ := exec.LookPath("pdftohtml")
	if err := os.Symlink(real, filepath.Join(dir, "pdftohtml")); err != nil {
		t.Fatal(err)
	}
	expectProblem(t, w.upload(t, id, corpus(t, "sixpage.pdf")), 422, "over_page_limit")
	if ready := w.s.Do(t, "GET", "/readyz", nil); ready.StatusCode != 200 {
		t.Errorf("readyz with the tool back: %s %s", ready.Status, ready.Body)
	}
	if !metric(`quire_pdfcheck_tool_up{tool="pdftohtml"} 1`) {
		t.Errorf("metrics with the tool back: %s", w.s.Do(t, "GET", "/metrics", nil).Body)
	}
}
