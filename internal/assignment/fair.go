package assignment

import (
	"context"
	"fmt"
	"slices"
)

// Fair is the answer of SolveFair.
type Fair struct {
	// Threshold is the least possible cost of the worst pair any
	// assignment must use: no assignment does better for its worst-served
	// paper.
	Threshold int64
	Solution  *Solution
	// Checks is how many feasibility checks the search took.
	Checks int
}

// SolveFair computes a max-min fair assignment, lexicographically: first
// the smallest cost C such that every paper can get all its reviews from
// pairs costing at most C (the bottleneck: the worst review any paper gets
// is as good as it can be), then, among the assignments that use no pair
// above C, the one of least total cost. Both steps are exact: the first is
// a binary search over the distinct costs, each step a maximum-flow
// feasibility check; the second is the plain solve on the pairs left.
//
// Maximising the minimum of the papers' total scores instead (the objective
// of PeerReview4All) is NP-hard over integral assignments; the bottleneck
// is the exact, polynomial notion of "no paper gets only poor matches"
// (docs/matching.md).
func SolveFair(ctx context.Context, pr *Problem, progress func(Progress)) (*Fair, error) {
	if err := CheckFeasible(pr); err != nil {
		return nil, err
	}
	costs := make([]int64, 0, len(pr.Pairs))
	for _, a := range pr.Pairs {
		costs = append(costs, a.Cost)
	}
	slices.Sort(costs)
	costs = slices.Compact(costs)
	if len(costs) == 0 { // nothing to place
		sol, err := Solve(ctx, pr, progress)
		return &Fair{Solution: sol}, err
	}
	// Every paper's worst review costs at least its d-th cheapest pair, so
	// the search starts at the largest of those.
	lo := max(slices.Index(costs, lowerBound(pr)), 0)
	hi := len(costs) - 1 // all pairs: feasible, checked above
	out := &Fair{}
	for lo < hi {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("assignment fair search: %w", err)
		}
		mid := lo + (hi-lo)/2
		out.Checks++
		if CheckFeasible(below(pr, costs[mid])) == nil {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	out.Threshold = costs[lo]
	sol, err := Solve(ctx, below(pr, out.Threshold), progress)
	if err != nil {
		return nil, err
	}
	out.Solution = sol
	return out, nil
}

// below is pr with only the pairs costing at most c.
func below(pr *Problem, c int64) *Problem {
	out := &Problem{Demand: pr.Demand, MinLoad: pr.MinLoad, MaxLoad: pr.MaxLoad, PairCap: pr.PairCap}
	for _, a := range pr.Pairs {
		if a.Cost <= c {
			out.Pairs = append(out.Pairs, a)
		}
	}
	return out
}

// lowerBound is the largest, over papers, of a paper's d-th cheapest pair
// cost: no assignment can do better for that paper's worst review.
func lowerBound(pr *Problem) int64 {
	start, order := groupByPaper(pr)
	best := int64(-MaxCost)
	var costs []int64
	for p, d := range pr.Demand {
		if d == 0 {
			continue
		}
		costs = costs[:0]
		for _, i := range order[start[p]:start[p+1]] {
			costs = append(costs, pr.Pairs[i].Cost)
		}
		slices.Sort(costs)
		if int(d) <= len(costs) {
			best = max(best, costs[d-1])
		}
	}
	return best
}
