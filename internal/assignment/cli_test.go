package assignment

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := RunCLI(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCLIGenSolve(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	inst, sol := filepath.Join(dir, "dlde.txt"), filepath.Join(dir, "dlde.sol")
	if code, _, stderr := run("gen", "--preset", "dlde", "--seed", "5", "--out", inst); code != ExitOK {
		t.Fatalf("gen: %d %s", code, stderr)
	}
	code, stdout, stderr := run("solve", inst, "--out", sol)
	if code != ExitOK || !strings.Contains(stdout, "cost ") || !strings.Contains(stdout, "time ") {
		t.Fatalf("solve: %d %q %q", code, stdout, stderr)
	}
	f, err := os.Open(inst)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pr, err := ReadProblem(f)
	if err != nil {
		t.Fatal(err)
	}
	sf, err := os.Open(sol)
	if err != nil {
		t.Fatal(err)
	}
	defer sf.Close()
	pairs, cost, hasCost, err := ReadSolution(sf)
	if err != nil || !hasCost {
		t.Fatalf("read solution: %v %v", hasCost, err)
	}
	costOf := map[[2]int32]int64{}
	for _, a := range pr.Pairs {
		costOf[[2]int32{a.P, a.R}] = a.Cost
	}
	for i := range pairs {
		pairs[i].Cost = costOf[[2]int32{pairs[i].P, pairs[i].R}]
	}
	verify(t, pr, &Solution{Pairs: pairs, Cost: cost})
	if !strings.Contains(stdout, "cost "+itoa(cost)+"\n") {
		t.Fatalf("stdout %q does not report cost %d", stdout, cost)
	}
	// Without --out the assignment goes to stdout, the summary to stderr.
	code, stdout, stderr = run("solve", "--quiet", inst)
	if code != ExitOK || !strings.HasPrefix(stdout, "# cost "+itoa(cost)+"\n") || !strings.Contains(stderr, "cost ") {
		t.Fatalf("solve to stdout: %d %q... %q", code, stdout[:min(len(stdout), 40)], stderr)
	}
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func TestCLIErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	infeasible := write("infeasible.txt", "2 1\n2\n1\n0 2\n0 0 1\n1 0 1\n")
	broken := write("broken.txt", "1 1\n1\n0 1\n0 0\n")
	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"no command", nil, ExitUsage, "usage:"},
		{"unknown command", []string{"frobnicate"}, ExitUsage, `unknown command "frobnicate"`},
		{"solve without file", []string{"solve"}, ExitUsage, "want one INSTANCE"},
		{"solve missing file", []string{"solve", filepath.Join(dir, "nope.txt")}, ExitError, "no such file"},
		{"solve malformed", []string{"solve", broken}, ExitError, "broken.txt: line 4: 2 fields"},
		{"solve infeasible", []string{"solve", infeasible}, ExitInfeasible, "infeasible: paper 0 needs 2 but only 1 reviewers may review it"},
		{"gen without out", []string{"gen"}, ExitUsage, "want --out FILE"},
		{"gen bad preset", []string{"gen", "--preset", "x", "--out", filepath.Join(dir, "x")}, ExitUsage, "unknown preset"},
		{"gen bad config", []string{"gen", "--papers", "10", "--reviewers", "5", "--candidates", "9", "--out", filepath.Join(dir, "y")}, ExitUsage, "candidates 9"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, _, stderr := run(tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.err) {
				t.Fatalf("exit %d, stderr %q; want %d containing %q", code, stderr, tc.code, tc.err)
			}
		})
	}
}

// TestCLIRandomized: a randomized solve of the DLDE-size instance writes a
// draw and the marginals; each paper's probabilities add up to its demand,
// none exceeds the cap, and the same seed draws the same assignment.
func TestCLIRandomized(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	inst := filepath.Join(dir, "dlde.txt")
	if code, _, stderr := run("gen", "--preset", "dlde", "--seed", "5", "--out", inst); code != ExitOK {
		t.Fatalf("gen: %d %s", code, stderr)
	}
	f, err := os.Open(inst)
	if err != nil {
		t.Fatal(err)
	}
	pr, err := ReadProblem(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	draw := func(seed, marg string) (string, string) {
		t.Helper()
		out := filepath.Join(dir, "sol-"+seed)
		code, stdout, stderr := run("solve", inst, "--quiet", "--mode", "randomized", "--max-prob", "0.5", "--seed", seed, "--out", out, "--marginals", marg)
		if code != ExitOK {
			t.Fatalf("randomized solve: %d %s", code, stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return string(b), stdout
	}
	marg := filepath.Join(dir, "marginals.txt")
	a, summary := draw("7", marg)
	for _, want := range []string{"max probability 0.5\n", "seed 7\n", "expected cost ", "optimal cost ", "randomisation cost ", "% of the optimum"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}
	if b, _ := draw("7", marg); a != b {
		t.Error("the same seed drew two different assignments")
	}
	if c, _ := draw("8", filepath.Join(dir, "m8.txt")); a == c {
		t.Error("seeds 7 and 8 drew the same assignment")
	}
	lines, err := os.ReadFile(marg)
	if err != nil {
		t.Fatal(err)
	}
	perPaper := make([]float64, len(pr.Demand))
	for _, l := range strings.Split(strings.TrimSpace(string(lines)), "\n")[1:] {
		f := strings.Fields(l)
		p, _ := strconv.Atoi(f[0])
		q, err := strconv.ParseFloat(f[2], 64)
		if err != nil || q <= 0 || q > 0.5 {
			t.Fatalf("marginal line %q", l)
		}
		perPaper[p] += q
	}
	for p, d := range pr.Demand {
		if diff := perPaper[p] - float64(d); diff > 1e-9 || diff < -1e-9 {
			t.Errorf("paper %d: probabilities add up to %g, demand %d", p, perPaper[p], d)
		}
	}
	if code, _, stderr := run("solve", inst, "--mode", "randomized", "--max-prob", "2"); code != ExitUsage || !strings.Contains(stderr, "(0, 1]") {
		t.Errorf("a cap of 2: %d %s", code, stderr)
	}
	if code, _, stderr := run("solve", inst, "--mode", "lottery"); code != ExitUsage || !strings.Contains(stderr, "optimal, fair or randomized") {
		t.Errorf("an unknown mode: %d %s", code, stderr)
	}
}
