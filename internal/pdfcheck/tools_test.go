package pdfcheck

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// toolDir is a tools folder for QUIRE_TOOLS_DIR: symlinks to the real
// pdftohtml, pdftoppm and prlimit, except the names in fake, which get that
// shell script instead ("" leaves the tool out).
func toolDir(t *testing.T, fake map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{toolPdftohtml, toolPdftoppm, toolPrlimit} {
		script, faked := fake[name]
		switch {
		case faked && script == "":
		case faked:
			if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+script+"\n"), 0o755); err != nil {
				t.Fatal(err)
			}
		default:
			real, err := exec.LookPath(name)
			if err != nil {
				t.Fatalf("%s is needed for this test: %v", name, err)
			}
			if err := os.Symlink(real, filepath.Join(dir, name)); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

func TestProbe(t *testing.T) {
	t.Parallel()
	// A prlimit that runs the command without applying any limit.
	const unconfined = `while [ $# -gt 0 ] && [ "$1" != "--" ]; do shift; done
[ $# -gt 0 ] && shift
[ $# -gt 0 ] && exec "$@"
echo unlimited unlimited`
	tests := []struct {
		name string
		fake map[string]string
		// broken names the tools the probe must report, with words each
		// message must contain.
		broken map[string][]string
	}{
		{"all present", nil, nil},
		{"no pdftohtml", map[string]string{toolPdftohtml: ""},
			map[string][]string{toolPdftohtml: {"not found in", "poppler-utils", "QUIRE_TOOLS_DIR (--tools-dir)"}}},
		{"no poppler at all", map[string]string{toolPdftohtml: "", toolPdftoppm: ""},
			map[string][]string{toolPdftohtml: {"poppler-utils"}, toolPdftoppm: {"poppler-utils", "thumbnails"}}},
		{"no prlimit", map[string]string{toolPrlimit: ""},
			map[string][]string{toolPrlimit: {"util-linux", "QUIRE_TOOLS_DIR"}}},
		{"pdftohtml broken", map[string]string{toolPdftohtml: "echo 'error while loading shared libraries' >&2; exit 127"},
			map[string][]string{toolPdftohtml: {"failed on a one-page test PDF", "shared libraries", "poppler-utils"}}},
		{"pdftoppm draws nothing", map[string]string{toolPdftoppm: "exit 0"},
			map[string][]string{toolPdftoppm: {"failed on a one-page test PDF", "no pages drawn"}}},
		{"prlimit does not limit", map[string]string{toolPrlimit: unconfined},
			map[string][]string{toolPrlimit: {"limits were not applied", "util-linux"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tb := NewToolbox(toolDir(t, tt.fake))
			err := tb.Probe(context.Background())
			status := tb.Status()
			if len(status) != len(tools) {
				t.Fatalf("status of %d tools, want %d: %+v", len(status), len(tools), status)
			}
			for _, s := range status {
				words, broken := tt.broken[s.Name]
				if s.OK() == broken {
					t.Errorf("%s: ok %v, want %v (%s)", s.Name, s.OK(), !broken, s.Problem)
				}
				for _, w := range words {
					if !strings.Contains(s.Problem, w) {
						t.Errorf("%s: message %q lacks %q", s.Name, s.Problem, w)
					}
				}
			}
			if len(tt.broken) == 0 {
				if err != nil {
					t.Fatalf("probe: %v", err)
				}
				return
			}
			var te *ToolsError
			if !errors.As(err, &te) || !errors.Is(err, ErrCheckFailed) || len(te.Failed) != len(tt.broken) {
				t.Fatalf("probe: %v; want a ToolsError naming %d tools", err, len(tt.broken))
			}
			if n := strings.Count(err.Error(), "\n"); n != len(tt.broken) {
				t.Errorf("%d message lines, want one per tool:\n%v", n, err)
			}
		})
	}
}

// TestCheckWithoutTools: a checker whose tool is missing or broken gives
// no verdict at all, never the "no text" of a scanned file, and counts
// the failure.
func TestCheckWithoutTools(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		fake map[string]string
	}{
		// Found by the parent before a worker starts.
		{"pdftohtml missing", map[string]string{toolPdftohtml: ""}},
		{"prlimit missing", map[string]string{toolPrlimit: ""}},
		// Found by the worker: the tool runs but fails on the built-in
		// PDF too, so the failure is not the file's.
		{"pdftohtml broken", map[string]string{toolPdftohtml: "exit 1"}},
		{"pdftohtml silent", map[string]string{toolPdftohtml: "exit 0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := testChecker(t, "1", CheckerOptions{ToolsDir: toolDir(t, tt.fake)})
			rep, err := c.Check(context.Background(), "testdata/midpage4.pdf", DefaultRules(), Identity{}, "")
			if !errors.Is(err, ErrCheckFailed) || IsRefusal(err) {
				t.Fatalf("error %v (report %+v); want check_failed, not a refusal", err, rep)
			}
			var ce *CheckError
			if rep.Verdict != "" || errors.As(err, &ce) && ce.Report != nil {
				t.Errorf("a verdict for a file that was not checked: %+v", rep)
			}
			if c.Failures() != 1 {
				t.Errorf("%d failures counted, want 1", c.Failures())
			}
			if ok := allOK(c.Tools().Status()); ok {
				t.Errorf("the toolbox still reports every tool working: %+v", c.Tools().Status())
			}
		})
	}
}

func allOK(status []ToolStatus) bool {
	for _, s := range status {
		if !s.OK() {
			return false
		}
	}
	return len(status) > 0
}

// TestScannedStillNoText: with every tool working, an image-only file is
// the author's, and gets the "no text" rule, not a failure.
func TestScannedStillNoText(t *testing.T) {
	t.Parallel()
	c := testChecker(t, "1", CheckerOptions{ToolsDir: toolDir(t, nil)})
	rep, err := c.Check(context.Background(), "testdata/scanned.pdf", DefaultRules(), Identity{}, "")
	if err != nil || rep.Verdict != VerdictUndecidedAccepted || !hasWarning(rep, "no_text") || hasWarning(rep, "text_extraction_failed") {
		t.Fatalf("%+v, %v; want undecided_accepted with no_text", rep, err)
	}
	if c.Failures() != 0 {
		t.Errorf("%d failures counted for a scanned file", c.Failures())
	}
}

func hasWarning(rep Report, code string) bool {
	for _, w := range rep.Warnings {
		if w.Code == code {
			return true
		}
	}
	return false
}

func TestCLIWithoutPdftohtml(t *testing.T) {
	t.Parallel()
	opts := testChecker(t, "1", CheckerOptions{}).opts
	var out, errb bytes.Buffer
	dir := toolDir(t, map[string]string{toolPdftohtml: ""})
	code := runCLI([]string{"--json", "--tools-dir", dir, "testdata/midpage4.pdf"}, &out, &errb, opts)
	if code != 2 || out.Len() != 0 {
		t.Fatalf("exit %d, stdout %q; want 2 and no report", code, out.String())
	}
	for _, want := range []string{"pdftohtml", "poppler-utils", "QUIRE_TOOLS_DIR"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("stderr lacks %q: %s", want, errb.String())
		}
	}
}
