package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRefusesWithoutPdftohtml: on a machine whose PATH has every tool but
// pdftohtml, `pdfcheck`, `serve` and `dev` stop with a message naming the
// Debian package and the setting, instead of taking every paper for a scan.
func TestRefusesWithoutPdftohtml(t *testing.T) {
	t.Parallel()
	bin := t.TempDir()
	for _, name := range []string{"pdftoppm", "prlimit"} {
		real, err := exec.LookPath(name)
		if err != nil {
			t.Fatalf("%s is needed: %v", name, err)
		}
		if err := os.Symlink(real, filepath.Join(bin, name)); err != nil {
			t.Fatal(err)
		}
	}
	paper := filepath.Join("..", "..", "internal", "pdfcheck", "testdata", "spill5.pdf")
	env := []string{"PATH=" + bin, "QUIRE_TOOLS_DIR=", "QUIRE_DATA_DIR=" + t.TempDir(),
		// serve must refuse before it touches the database: none answers here.
		"DATABASE_URL=postgres://quire@127.0.0.1:1/quire"}
	for _, args := range [][]string{{"pdfcheck", "--json", paper}, {"serve"}, {"dev"}} {
		t.Run(args[0], func(t *testing.T) {
			t.Parallel()
			cmd := quire(t, env, args...)
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() == 0 {
				t.Fatalf("%v: %v, want a non-zero exit\n%s", args, err, stderr.String())
			}
			for _, want := range []string{"pdftohtml: not found", "poppler-utils", "QUIRE_TOOLS_DIR (--tools-dir)"} {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("%v: stderr lacks %q:\n%s", args, want, stderr.String())
				}
			}
			if strings.Contains(stderr.String(), "prlimit: not found") || strings.Contains(stderr.String(), "pdftoppm: not found") {
				t.Errorf("%v: a message for a tool that is there:\n%s", args, stderr.String())
			}
			if strings.Contains(stdout.String(), "verdict") {
				t.Errorf("%v: a verdict without the checker: %s", args, stdout.String())
			}
		})
	}
}
