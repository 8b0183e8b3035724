package assignment

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// bruteFair enumerates every assignment of a tiny instance and returns the
// least possible worst pair cost and, at that bound, the least total.
func bruteFair(pr *Problem) (worst, total int64, ok bool) {
	worst, total = math.MaxInt64, math.MaxInt64
	byPaper := make([][]Pair, len(pr.Demand))
	for _, a := range pr.Pairs {
		byPaper[a.P] = append(byPaper[a.P], a)
	}
	load := make([]int32, len(pr.MinLoad))
	var rec func(p int, w, sum int64)
	rec = func(p int, w, sum int64) {
		if p == len(pr.Demand) {
			for r := range load {
				if load[r] < pr.MinLoad[r] || load[r] > pr.MaxLoad[r] {
					return
				}
			}
			if w < worst || (w == worst && sum < total) {
				worst, total, ok = w, sum, true
			}
			return
		}
		ps := byPaper[p]
		var pick func(i int, left int32, w, sum int64)
		pick = func(i int, left int32, w, sum int64) {
			if left == 0 {
				rec(p+1, w, sum)
				return
			}
			if i == len(ps) {
				return
			}
			a := ps[i]
			load[a.R]++
			pick(i+1, left-1, max(w, a.Cost), sum+a.Cost)
			load[a.R]--
			pick(i+1, left, w, sum)
		}
		pick(0, pr.Demand[p], w, sum)
	}
	rec(0, math.MinInt64, 0)
	return worst, total, ok
}

// TestFairMatchesBruteForce: on random tiny instances the fair solve's
// worst pair is the least any assignment achieves, and among assignments
// with that worst pair its total cost is the least; infeasible instances
// are infeasible for both.
func TestFairMatchesBruteForce(t *testing.T) {
	t.Parallel()
	compared := 0
	for seed := uint64(1); seed <= 150; seed++ {
		r := rand.New(rand.NewPCG(seed, 3))
		np, nr := 2+r.IntN(3), 3+r.IntN(3)
		pr := &Problem{Demand: make([]int32, np), MinLoad: make([]int32, nr), MaxLoad: make([]int32, nr)}
		for p := range np {
			pr.Demand[p] = int32(1 + r.IntN(2))
		}
		for rv := range nr {
			pr.MinLoad[rv] = int32(r.IntN(2))
			pr.MaxLoad[rv] = pr.MinLoad[rv] + int32(1+r.IntN(2))
		}
		for p := range np {
			for rv := range nr {
				if r.IntN(5) > 0 {
					pr.Pairs = append(pr.Pairs, Pair{P: int32(p), R: int32(rv), Cost: int64(r.IntN(21) - 10)})
				}
			}
		}
		worst, total, ok := bruteFair(pr)
		fair, err := SolveFair(context.Background(), pr, nil)
		if !ok {
			if !errors.Is(err, ErrInfeasible) {
				t.Fatalf("seed %d: brute force finds no assignment, SolveFair %v", seed, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("seed %d: %v (brute force: worst %d total %d)", seed, err, worst, total)
		}
		var got int64 = math.MinInt64
		for _, a := range fair.Solution.Pairs {
			got = max(got, a.Cost)
		}
		if fair.Threshold != worst || got != worst || fair.Solution.Cost != total {
			t.Fatalf("seed %d: threshold %d, worst pair %d, total %d; brute force worst %d, total %d", seed, fair.Threshold, got, fair.Solution.Cost, worst, total)
		}
		verify(t, pr, fair.Solution)
		compared++
	}
	if compared < 40 {
		t.Fatalf("only %d feasible instances compared", compared)
	}
	t.Logf("%d instances equal to brute force", compared)
}
