package assignment

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// `quire assign bench` at a hundredth of the size, against a LEMON built
// from tools/lemon/solve.cc: every row of the family solves, both solvers
// agree on the optimum (bench fails otherwise), and the table has a line
// per row. Skipped where g++ or LEMON's headers are missing.
func TestBenchAgainstLEMON(t *testing.T) {
	gxx, err := exec.LookPath("g++")
	if err != nil {
		t.Skip("g++ not installed")
	}
	if _, err := os.Stat("/usr/include/lemon/network_simplex.h"); err != nil {
		t.Skip("LEMON not installed (apt-get install liblemon-dev)")
	}
	dir := t.TempDir()
	lemon := filepath.Join(dir, "lemon-solve")
	if out, err := exec.Command(gxx, "-O2", "-o", lemon, "../../tools/lemon/solve.cc").CombinedOutput(); err != nil {
		t.Fatalf("building LEMON's solver: %v\n%s", err, out)
	}
	t.Setenv(cliEnv, "1") // this test binary stands in for quire
	code, stdout, stderr := run("bench", "--lemon", lemon, "--quire", os.Args[0], "--dir", dir, "--runs", "1", "--scale", "0.01")
	if code != ExitOK {
		t.Fatalf("bench: %d\n%s\n%s", code, stdout, stderr)
	}
	for _, row := range Family() {
		if !strings.Contains(stdout, "| "+row.Name+" | ") {
			t.Errorf("no line for %s in\n%s", row.Name, stdout)
		}
	}
}
