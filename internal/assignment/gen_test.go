package assignment

import (
	"bytes"
	"context"
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
