package assignment

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestGenerateDeterministic(t *testing.T) {
	t.Parallel()
	c := NeurIPSConfig(2, 42)
	c.Papers, c.Reviewers, c.Candidates = 300, 250, 30
	write := func(c GenConfig) string {
		var b bytes.Buffer
		if err := WriteProblem(&b, mustGenerate(t, c)); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	a, b := write(c), write(c)
	if a != b {
		t.Fatal("same config, different instances")
	}
	c.Seed++
	if write(c) == a {
		t.Fatal("different seeds, same instance")
	}
	pr := mustGenerate(t, c)
	if len(pr.Pairs) != 300*30 {
		t.Fatalf("%d pairs, want %d", len(pr.Pairs), 300*30)
	}
	var eager int
	for _, p := range pr.Pairs {
		if p.Cost < 0 || p.Cost > AffinityScale+NoBidCost {
			t.Fatalf("cost %d outside 0..%d", p.Cost, AffinityScale+NoBidCost)
		}
		if p.Cost < NoBidCost {
			eager++ // a lower bound on the eager pairs: cheap ones must be eager
		}
	}
	if eager == 0 {
		t.Fatal("no eager pairs")
	}
}

func TestGenerateSolves(t *testing.T) {
	t.Parallel()
	for _, c := range []GenConfig{DLDEConfig(1), DLDEConfig(2), func() GenConfig {
		c := NeurIPSConfig(2, 3)
		c.Papers, c.Reviewers = 1235, 1000
		return c
	}()} {
		pr := mustGenerate(t, c)
		sol, err := Solve(context.Background(), pr, nil)
		if err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		verify(t, pr, sol)
	}
}

// The family's options each do what they say, on small instances, and
// every such instance solves to a verified assignment.
func TestGenerateFamilyOptions(t *testing.T) {
	t.Parallel()
	small := func(f func(*GenConfig)) GenConfig {
		c := NeurIPSConfig(2, 9)
		c.Papers, c.Reviewers, c.Candidates = 600, 500, 40
		f(&c)
		return c
	}
	deg := func(pr *Problem) []int {
		d := make([]int, len(pr.MinLoad))
		for _, a := range pr.Pairs {
			d[a.R]++
		}
		return d
	}
	base := mustGenerate(t, small(func(*GenConfig) {}))
	for _, tc := range []struct {
		name  string
		cfg   GenConfig
		check func(*Problem) string
	}{
		{"cost scale 3", small(func(c *GenConfig) { c.CostScale = 3 }), func(pr *Problem) string {
			seen := map[int64]bool{}
			for _, a := range pr.Pairs {
				if a.Cost < 0 || a.Cost > 3 {
					return "cost outside 0..3"
				}
				seen[a.Cost] = true
			}
			if len(seen) < 3 {
				return "fewer than 3 distinct costs"
			}
			return ""
		}},
		{"uniform 10^6", small(func(c *GenConfig) { c.CostScale, c.UniformCosts = 1_000_000, true }), func(pr *Problem) string {
			var hi int64
			for _, a := range pr.Pairs {
				if a.Cost < 0 || a.Cost > 1_000_000 {
					return "cost outside 0..10^6"
				}
				hi = max(hi, a.Cost)
			}
			if hi < 900_000 {
				return "uniform costs do not reach the top of the scale"
			}
			return ""
		}},
		{"conflicts", small(func(c *GenConfig) { c.Conflicts = 0.3 }), func(pr *Problem) string {
			// 30% struck, give or take the sampling and the reviewers' top-up.
			if n := len(pr.Pairs); n > 600*40*75/100 || n < 600*40*60/100 {
				return "pairs not about 70% of the candidates"
			}
			return ""
		}},
		{"zipf", small(func(c *GenConfig) { c.Zipf = 1 }), func(pr *Problem) string {
			d, b := deg(pr), deg(base)
			slices.Sort(d)
			slices.Sort(b)
			if d[len(d)-1] <= b[len(b)-1] {
				return "the most popular reviewer is no more popular than without skew"
			}
			if d[0] < 5 {
				return "a reviewer has fewer than 2 x min load + 1 pairs"
			}
			return ""
		}},
	} {
		pr := mustGenerate(t, tc.cfg)
		if msg := tc.check(pr); msg != "" {
			t.Errorf("%s: %s", tc.name, msg)
		}
		if i, j := findDuplicate(pr); i >= 0 {
			t.Fatalf("%s: duplicate pairs %d and %d", tc.name, i, j)
		}
		sol, err := Solve(context.Background(), pr, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		verify(t, pr, sol)
	}
}

// Every family row's gen command line, run through the CLI, writes
// exactly what Generate gives for its config (checked on small sizes).
func TestGenArgsRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, row := range Family() {
		c := row.Cfg
		c.Papers, c.Reviewers, c.Candidates = 300, 250, min(c.Candidates, 40)
		path := filepath.Join(dir, row.Name+".txt")
		args := GenArgs(c)
		if args[0] != "assign" {
			t.Fatalf("%s: %v", row.Name, args)
		}
		if code, _, stderr := run(append(args[1:], "--out", path)...); code != ExitOK {
			t.Fatalf("%s: gen %v: %d %s", row.Name, args, code, stderr)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := WriteProblem(&want, mustGenerate(t, c)); err != nil {
			t.Fatal(err)
		}
		if string(got) != want.String() {
			t.Errorf("%s: the CLI's instance differs from Generate's", row.Name)
		}
	}
}
