package assignment

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

func TestSolveMatchesBruteForce(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	sp := randSpec{papers: 4, reviewers: 4, density: 0.7, costLo: -2, costHi: 4, demandHi: 2, loadHi: 3}
	feasible := 0
	for i := 0; i < 600; i++ {
		pr := randomProblem(rng, sp)
		if len(pr.Pairs) > 14 {
			continue
		}
		want, ok := bruteForce(pr)
		sol, err := Solve(context.Background(), pr, nil)
		if !ok {
			if !errors.Is(err, ErrInfeasible) {
				t.Fatalf("instance %d: brute force finds no assignment, Solve returned %v, %v", i, sol, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("instance %d: %v (brute force cost %d)", i, err, want)
		}
		verify(t, pr, sol)
		if sol.Cost != want {
			t.Fatalf("instance %d: cost %d, brute force %d", i, sol.Cost, want)
		}
		feasible++
	}
	if feasible < 100 {
		t.Fatalf("only %d feasible instances: the generator no longer exercises the solver", feasible)
	}
}

func TestSolveMatchesReference(t *testing.T) {
	t.Parallel()
	specs := []struct {
		name string
		sp   randSpec
	}{
		{"sparse ties", randSpec{papers: 25, reviewers: 15, density: 0.45, costLo: 0, costHi: 3, demandHi: 2, loadHi: 6}},
		{"dense wide costs", randSpec{papers: 20, reviewers: 12, density: 0.8, costLo: -50, costHi: 1000, demandHi: 3, loadHi: 6}},
		{"tight loads", randSpec{papers: 30, reviewers: 10, density: 0.6, costLo: 1, costHi: 20, demandHi: 2, loadHi: 7}},
		{"extreme costs", randSpec{papers: 15, reviewers: 10, density: 0.7, costLo: -MaxCost, costHi: MaxCost, demandHi: 3, loadHi: 6}},
		{"larger", randSpec{papers: 70, reviewers: 40, density: 0.3, costLo: 0, costHi: 50, demandHi: 2, loadHi: 8}},
	}
	for _, tc := range specs {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(7, uint64(len(tc.name))))
			feasible := 0
			for i := 0; i < 200; i++ {
				pr := randomProblem(rng, tc.sp)
				want, ok := referenceSSP(pr)
				sol, err := Solve(context.Background(), pr, nil)
				// A first round over only each paper's cheapest pair must
				// still end at the optimum after the full round.
				narrow, nerr := solveWith(context.Background(), pr, nil, options{now: time.Now, tier: func(int32) int { return 1 }})
				if (nerr == nil) != (err == nil) || (err == nil && narrow.Cost != sol.Cost) {
					t.Fatalf("instance %d: narrow first round gives %v, %v; full gives %v, %v", i, narrow, nerr, sol, err)
				}
				ferr := CheckFeasible(pr)
				if ok != (ferr == nil) {
					t.Fatalf("instance %d: reference feasible=%v, CheckFeasible=%v", i, ok, ferr)
				}
				if !ok {
					var ie *InfeasibleError
					if !errors.As(err, &ie) || ie.Explanation == "" {
						t.Fatalf("instance %d: want an explained infeasibility, got %v", i, err)
					}
					checkSuggestions(t, pr, ie)
					continue
				}
				if err != nil {
					t.Fatalf("instance %d: %v", i, err)
				}
				verify(t, pr, sol)
				if sol.Cost != want {
					t.Fatalf("instance %d: cost %d, reference %d", i, sol.Cost, want)
				}
				feasible++
			}
			t.Logf("%d of 200 feasible", feasible)
			if feasible < 30 || feasible > 190 {
				t.Fatalf("%d of 200 feasible: the mix no longer covers both outcomes", feasible)
			}
		})
	}
}

// checkSuggestions applies each computed suggestion to a copy of the problem
// and checks with the reference solver that it removes the obstacle it names.
func checkSuggestions(t *testing.T, pr *Problem, ie *InfeasibleError) {
	t.Helper()
	clone := func() *Problem {
		return &Problem{
			Demand:  append([]int32(nil), pr.Demand...),
			MinLoad: append([]int32(nil), pr.MinLoad...),
			MaxLoad: append([]int32(nil), pr.MaxLoad...),
			Pairs:   append([]Pair(nil), pr.Pairs...),
		}
	}
	noMin := func(q *Problem) {
		for r := range q.MinLoad {
			q.MinLoad[r] = 0
		}
	}
	switch ie.Reason {
	case ReasonCapacity:
		if ie.Available >= ie.Needed || ie.Deficit != ie.Needed-ie.Available {
			t.Fatalf("capacity error with inconsistent numbers: %+v", ie)
		}
		if ie.RaiseMaxLoadTo > 0 {
			q := clone()
			noMin(q)
			for r := range q.MaxLoad {
				q.MaxLoad[r] = max(q.MaxLoad[r], ie.RaiseMaxLoadTo)
			}
			if _, ok := referenceSSP(q); !ok {
				t.Fatalf("raising the maximum load to %d does not help: %s", ie.RaiseMaxLoadTo, ie)
			}
			q = clone()
			noMin(q)
			for r := range q.MaxLoad {
				q.MaxLoad[r] = max(q.MaxLoad[r], ie.RaiseMaxLoadTo-1)
			}
			if _, ok := referenceSSP(q); ok {
				t.Fatalf("maximum load %d is not the smallest that helps: %s", ie.RaiseMaxLoadTo, ie)
			}
		}
		q := clone()
		noMin(q)
		for range ie.Invite {
			r := int32(len(q.MinLoad))
			q.MinLoad = append(q.MinLoad, 0)
			q.MaxLoad = append(q.MaxLoad, ie.InviteLoad)
			for p := range q.Demand {
				q.Pairs = append(q.Pairs, Pair{P: int32(p), R: r})
			}
		}
		if _, ok := referenceSSP(q); !ok {
			t.Fatalf("inviting %d reviewers does not help: %s", ie.Invite, ie)
		}
	case ReasonMinLoad, ReasonMinLoadTotal:
		q := clone()
		for r := range q.MinLoad {
			q.MinLoad[r] = min(q.MinLoad[r], ie.LowerMinLoadTo)
		}
		if _, ok := referenceSSP(q); !ok {
			t.Fatalf("lowering the minimum load to %d does not help: %s", ie.LowerMinLoadTo, ie)
		}
		q = clone()
		for r := range q.MinLoad {
			q.MinLoad[r] = min(q.MinLoad[r], ie.LowerMinLoadTo+1)
		}
		if _, ok := referenceSSP(q); ok {
			t.Fatalf("minimum load %d is not the largest that works: %s", ie.LowerMinLoadTo, ie)
		}
	case ReasonPaperCandidates, ReasonReviewerCandidates:
		if len(ie.Papers)+len(ie.Reviewers) == 0 || ie.Deficit <= 0 {
			t.Fatalf("%s names nobody: %+v", ie.Reason, ie)
		}
	default:
		t.Fatalf("unknown reason %q", ie.Reason)
	}
}

// Minimum loads on every reviewer with heavily tied costs: the start that
// fills minimum loads first, the hashed tie order and the mixed arcs must
// still reach the optimum of an independent method, whatever the width of
// the first pricing round.
func TestSolveMinLoadsWithTies(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(29, 1))
	feasible := 0
	for i := range 300 {
		sp := randSpec{papers: 40, reviewers: 25, density: 0.5, costLo: 0, costHi: int64(1 + i%3), demandHi: 3, loadHi: 6}
		pr := randomProblem(rng, sp)
		for r := range pr.MinLoad {
			pr.MinLoad[r] = min(pr.MaxLoad[r], 1+rng.Int32N(3))
			pr.MaxLoad[r] = max(pr.MaxLoad[r], pr.MinLoad[r])
		}
		want, ok := referenceSSP(pr)
		for _, tier := range []func(int32) int{firstTierSize, func(int32) int { return 1 }, func(d int32) int { return int(d) }} {
			sol, err := solveWith(context.Background(), pr, nil, options{now: time.Now, tier: tier})
			if !ok {
				if !errors.Is(err, ErrInfeasible) {
					t.Fatalf("instance %d: reference finds no assignment, Solve returned %v", i, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("instance %d: %v (reference cost %d)", i, err, want)
			}
			verify(t, pr, sol)
			if sol.Cost != want {
				t.Fatalf("instance %d: cost %d, reference %d", i, sol.Cost, want)
			}
		}
		if ok {
			feasible++
		}
	}
	if feasible < 50 {
		t.Fatalf("only %d feasible instances", feasible)
	}
}
