package assignment

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// smallInstance is a random feasible instance: every paper needs 1 to 3
// reviews, some pairs are conflicts, loads leave room.
func smallInstance(seed uint64) *Problem {
	r := rand.New(rand.NewPCG(seed, 7))
	np, nr := 3+r.IntN(5), 4+r.IntN(6)
	pr := &Problem{Demand: make([]int32, np), MinLoad: make([]int32, nr), MaxLoad: make([]int32, nr)}
	for p := range np {
		pr.Demand[p] = int32(1 + r.IntN(3))
	}
	for rv := range nr {
		pr.MinLoad[rv] = int32(r.IntN(2))
		pr.MaxLoad[rv] = pr.MinLoad[rv] + int32(2+r.IntN(4))
	}
	for p := range np {
		for rv := range nr {
			if r.IntN(6) > 0 { // one pair in six is a conflict
				pr.Pairs = append(pr.Pairs, Pair{P: int32(p), R: int32(rv), Cost: int64(r.IntN(201) - 100)})
			}
		}
	}
	return pr
}

// glpk solves the randomized LP with GLPK's glpsol, an independent solver,
// and returns its optimum, or ok=false when GLPK finds it infeasible.
func glpk(t *testing.T, glpsol string, pr *Problem, q Probability) (float64, bool) {
	t.Helper()
	var b strings.Builder
	b.WriteString("Minimize\n obj:")
	for i, a := range pr.Pairs {
		fmt.Fprintf(&b, " %+d x%d", a.Cost, i)
	}
	b.WriteString("\nSubject To\n")
	for p, d := range pr.Demand {
		fmt.Fprintf(&b, " p%d: 0 zero", p) // a paper without pairs still names a variable
		for i, a := range pr.Pairs {
			if int(a.P) == p {
				fmt.Fprintf(&b, " + x%d", i)
			}
		}
		fmt.Fprintf(&b, " = %d\n", d)
	}
	for r := range pr.MinLoad {
		var terms strings.Builder
		for i, a := range pr.Pairs {
			if int(a.R) == r {
				fmt.Fprintf(&terms, " + x%d", i)
			}
		}
		if terms.Len() == 0 {
			continue
		}
		fmt.Fprintf(&b, " lo%d:%s >= %d\n hi%d:%s <= %d\n", r, terms.String(), pr.MinLoad[r], r, terms.String(), pr.MaxLoad[r])
	}
	b.WriteString("Bounds\n zero = 0\n")
	for i := range pr.Pairs {
		fmt.Fprintf(&b, " 0 <= x%d <= %d/%d\n", i, q.Num, q.Den)
	}
	b.WriteString("End\n")
	dir := t.TempDir()
	lp, out := filepath.Join(dir, "p.lp"), filepath.Join(dir, "out.txt")
	// CPLEX LP format has no fractions in bounds: write them as decimals.
	text := regexp.MustCompile(`(\d+)/(\d+)`).ReplaceAllStringFunc(b.String(), func(s string) string {
		n, d, _ := strings.Cut(s, "/")
		nf, _ := strconv.ParseFloat(n, 64)
		df, _ := strconv.ParseFloat(d, 64)
		return strconv.FormatFloat(nf/df, 'g', 17, 64)
	})
	if err := os.WriteFile(lp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if res, err := exec.Command(glpsol, "--lp", lp, "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("glpsol: %v\n%s", err, res)
	}
	report, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(report), "INFEASIBLE") || strings.Contains(string(report), "UNDEFINED") {
		return 0, false
	}
	m := regexp.MustCompile(`Objective:\s+obj = (\S+)`).FindSubmatch(report)
	if m == nil {
		t.Fatalf("no objective in glpsol's report:\n%s", report)
	}
	v, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		t.Fatal(err)
	}
	return v, true
}

// TestRandomizedLPMatchesGLPK: on random small instances, for several
// probability caps, the LP optimum the network simplex finds on the scaled
// network equals GLPK's, and agrees with it on infeasibility.
func TestRandomizedLPMatchesGLPK(t *testing.T) {
	t.Parallel()
	glpsol, err := exec.LookPath("glpsol")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("glpsol is missing: .ci/run installs glpk-utils")
		}
		t.Skip("glpsol not installed (apt-get install glpk-utils)")
	}
	compared, infeasible := 0, 0
	for seed := uint64(1); seed <= 80; seed++ {
		pr := smallInstance(seed)
		for _, q := range []Probability{{1, 1}, {3, 4}, {2, 3}, {1, 2}, {1, 3}} {
			want, feasible := glpk(t, glpsol, pr, q)
			res, err := SolveRandomized(context.Background(), pr, q, seed, nil)
			if !feasible {
				if !errors.Is(err, ErrInfeasible) {
					t.Errorf("seed %d q %v: GLPK finds no solution, we found %v (%v)", seed, q, res, err)
				}
				infeasible++
				continue
			}
			if err != nil {
				t.Fatalf("seed %d q %v: %v (GLPK's optimum %g)", seed, q, err, want)
			}
			if got := res.ExpectedCost(); math.Abs(got-want) > 1e-6*max(1, math.Abs(want)) {
				t.Errorf("seed %d q %v: LP optimum %g, GLPK %g", seed, q, got, want)
			}
			for _, m := range res.Marginals {
				if m.Num <= 0 || m.Num > q.Num {
					t.Fatalf("seed %d q %v: pair %v has probability %d/%d", seed, q, m.Pair, m.Num, q.Den)
				}
			}
			verify(t, pr, res.Sample)
			compared++
		}
	}
	if compared < 100 || infeasible < 20 {
		t.Fatalf("only %d feasible and %d infeasible instances compared", compared, infeasible)
	}
	t.Logf("%d optima equal to GLPK's, %d instances infeasible for both", compared, infeasible)
}

// TestSamplesMatchMarginals draws many assignments with fixed seeds: each
// is feasible, and each pair's frequency matches its probability. The test
// allows 5 standard deviations per pair: a false alarm has probability
// below 6e-7 per pair, 1e-4 over all the pairs tested, and with fixed seeds
// the outcome is the same on every run.
func TestSamplesMatchMarginals(t *testing.T) {
	t.Parallel()
	const draws = 4000
	pairs, instances := 0, 0
	for seed := uint64(1); instances < 3; seed++ {
		pr := smallInstance(seed)
		q := Probability{2, 3}
		res, err := SolveRandomized(context.Background(), pr, q, 0, nil)
		if errors.Is(err, ErrInfeasible) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		instances++
		count := map[[2]int32]int{}
		for s := range uint64(draws) {
			sol := Sample(pr, res.Marginals, q.Den, 1000*seed+s)
			verify(t, pr, sol)
			for _, a := range sol.Pairs {
				count[[2]int32{a.P, a.R}]++
			}
		}
		fractional := 0
		for _, m := range res.Marginals {
			p := float64(m.Num) / float64(q.Den)
			c := count[[2]int32{m.P, m.R}]
			sd := math.Sqrt(draws * p * (1 - p))
			if p == 1 && c != draws || p < 1 && math.Abs(float64(c)-draws*p) > 5*sd {
				t.Errorf("instance %d pair %v: chosen %d of %d times, probability %.4f (%.1f sd off)", seed, m.Pair, c, draws, p, math.Abs(float64(c)-draws*p)/sd)
			}
			if p < 1 {
				fractional++
			}
			pairs++
		}
		if fractional < 4 {
			t.Fatalf("instance %d has only %d fractional pairs: the test proves little", seed, fractional)
		}
		for k, c := range count {
			found := false
			for _, m := range res.Marginals {
				found = found || (m.P == k[0] && m.R == k[1])
			}
			if !found {
				t.Errorf("pair %v was drawn %d times with probability 0", k, c)
			}
		}
	}
	t.Logf("%d pairs checked over %d draws each", pairs, draws)
}

// TestRandomizedAtOneIsTheOptimum: with q = 1 the LP is the assignment
// problem itself, so its optimum and every sample's cost are the optimum.
func TestRandomizedAtOneIsTheOptimum(t *testing.T) {
	t.Parallel()
	for seed := uint64(1); seed <= 20; seed++ {
		pr := smallInstance(seed)
		opt, err := Solve(context.Background(), pr, nil)
		if errors.Is(err, ErrInfeasible) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		res, err := SolveRandomized(context.Background(), pr, Probability{1, 1}, seed, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.ExpectedCostNum != opt.Cost || res.Sample.Cost != opt.Cost {
			t.Errorf("seed %d: LP %d, sample %d, optimum %d", seed, res.ExpectedCostNum, res.Sample.Cost, opt.Cost)
		}
		verify(t, pr, res.Sample)
	}
}

func TestRandomizedExplainsTooFewCandidates(t *testing.T) {
	t.Parallel()
	pr := &Problem{Demand: []int32{2}, MinLoad: []int32{0, 0, 0}, MaxLoad: []int32{1, 1, 1},
		Pairs: []Pair{{0, 0, 1}, {0, 1, 1}, {0, 2, 1}}}
	_, err := SolveRandomized(context.Background(), pr, Probability{1, 2}, 1, nil)
	var ie *InfeasibleError
	if !errors.As(err, &ie) || !strings.Contains(ie.Explanation, "paper 0 needs 2 reviews but has 3 allowed reviewers") || !strings.Contains(ie.Explanation, "at least 4") {
		t.Fatalf("%v", err)
	}
}

// TestScaleRefusesOverflow: a load that the probability's denominator
// would push past the solver's range is refused, not wrapped around.
func TestScaleRefusesOverflow(t *testing.T) {
	t.Parallel()
	pr := &Problem{Demand: []int32{1}, MinLoad: []int32{0, 0}, MaxLoad: []int32{MaxCount / 100, 1}, Pairs: []Pair{{0, 0, 1}, {0, 1, 1}}}
	_, err := SolveRandomized(context.Background(), pr, Probability{999, 1000}, 1, nil)
	if !errors.Is(err, ErrInvalidProblem) || !strings.Contains(err.Error(), "denominator") {
		t.Fatalf("%v", err)
	}
}

func TestParseProbability(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]Probability{"0.5": {1, 2}, "1/3": {1, 3}, "1": {1, 1}, "0.125": {1, 8}, " 2/4 ": {1, 2}} {
		if got, err := ParseProbability(in); err != nil || got != want {
			t.Errorf("%q: %v %v, want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"0", "-0.5", "1.5", "half", "1/1001", "0.0001"} {
		if _, err := ParseProbability(in); err == nil {
			t.Errorf("%q was accepted", in)
		}
	}
}
