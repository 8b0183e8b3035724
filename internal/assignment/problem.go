// Package assignment computes optimal reviewer assignments.
//
// The problem is a transportation problem with lower bounds: every paper needs
// an exact number of reviews, every reviewer takes between a minimum and a
// maximum number of papers, and only listed (paper, reviewer) pairs may be
// used, each at most once, at an integer cost (lower is better). Solve finds a
// minimum-cost assignment exactly with a network simplex; CheckFeasible
// explains, in numbers, why a request cannot be met.
package assignment

import (
	"errors"
	"fmt"
)

// Bounds that keep every sum in int64 and every flow in int32, and stop a
// hostile instance from making the parser allocate without limit.
const (
	MaxPapers    = 1 << 22
	MaxReviewers = 1 << 22
	MaxPairs     = 1 << 26
	MaxCost      = 1_000_000_000
	MaxCount     = 1 << 24 // bound on a paper's demand and a reviewer's load
)

var (
	// ErrInvalidProblem marks a problem that breaks the format's rules (ids out
	// of range, negative loads, duplicate pairs, ...), as opposed to a valid
	// problem that has no solution.
	ErrInvalidProblem = errors.New("invalid assignment problem")
	// ErrInfeasible is matched by every *InfeasibleError.
	ErrInfeasible = errors.New("assignment infeasible")
)

// Pair is an allowed (paper, reviewer) pair and its cost.
type Pair struct {
	P, R int32
	Cost int64
}

// Problem is one assignment request. Ids are 0-based indices into Demand
// (papers) and MinLoad/MaxLoad (reviewers).
type Problem struct {
	Demand  []int32
	MinLoad []int32
	MaxLoad []int32
	Pairs   []Pair
	// PairCap is how many units of flow a pair may carry; 0 means 1, an
	// assignment. The randomized mode solves its LP on a copy scaled by a
	// denominator, with PairCap the numerator of the largest probability.
	PairCap int32
}

// pairCap is PairCap with its default.
func (pr *Problem) pairCap() int32 { return max(pr.PairCap, 1) }

// Solution is an optimal assignment, sorted by paper then reviewer.
type Solution struct {
	Pairs []Pair
	Cost  int64
}

// Phase names what the solver is doing when it reports progress.
type Phase string

const (
	PhaseCheck    Phase = "check"    // validating and checking feasibility
	PhasePlace    Phase = "place"    // finding a first complete assignment
	PhaseOptimise Phase = "optimise" // improving it to optimality
	PhaseDone     Phase = "done"
)

// Progress is reported periodically while solving. Fraction is in [0,1]: in
// PhasePlace it is the share of reviews placed; in PhaseOptimise it falls out
// of the optimality gap on a log scale (Gap is cost minus a proven lower
// bound, so it is exact even when the fraction is only indicative).
type Progress struct {
	Phase    Phase
	Fraction float64
	Pivots   int64
	Placed   int64
	Needed   int64
	Gap      int64
}

// Papers returns the number of papers.
func (pr *Problem) Papers() int { return len(pr.Demand) }

// Reviewers returns the number of reviewers.
func (pr *Problem) Reviewers() int { return len(pr.MinLoad) }

// Validate checks the structural rules; it does not check feasibility.
// Duplicate pairs are rejected rather than merged: two costs for one pair
// usually mean a bug upstream that merging would hide.
func (pr *Problem) Validate() error {
	np, nr := len(pr.Demand), len(pr.MinLoad)
	if np > MaxPapers || nr > MaxReviewers {
		return fmt.Errorf("%w: %d papers and %d reviewers exceed the limits %d and %d", ErrInvalidProblem, np, nr, MaxPapers, MaxReviewers)
	}
	if len(pr.MaxLoad) != nr {
		return fmt.Errorf("%w: %d minimum loads but %d maximum loads", ErrInvalidProblem, nr, len(pr.MaxLoad))
	}
	if pr.PairCap < 0 || pr.PairCap > MaxCount {
		return fmt.Errorf("%w: pair capacity %d, want 0..%d", ErrInvalidProblem, pr.PairCap, MaxCount)
	}
	if len(pr.Pairs) > MaxPairs {
		return fmt.Errorf("%w: %d pairs exceed the limit %d", ErrInvalidProblem, len(pr.Pairs), MaxPairs)
	}
	for p, d := range pr.Demand {
		if d < 0 || d > MaxCount {
			return fmt.Errorf("%w: paper %d needs %d reviews, want 0..%d", ErrInvalidProblem, p, d, MaxCount)
		}
	}
	for r := range nr {
		lo, hi := pr.MinLoad[r], pr.MaxLoad[r]
		if lo < 0 || hi > MaxCount || lo > hi {
			return fmt.Errorf("%w: reviewer %d has loads %d..%d, want 0 <= min <= max <= %d", ErrInvalidProblem, r, lo, hi, MaxCount)
		}
	}
	for i, a := range pr.Pairs {
		if a.P < 0 || int(a.P) >= np || a.R < 0 || int(a.R) >= nr {
			return &PairError{Index: i, Pair: a, Reason: fmt.Sprintf("id out of range (%d papers, %d reviewers)", np, nr)}
		}
		if a.Cost < -MaxCost || a.Cost > MaxCost {
			return &PairError{Index: i, Pair: a, Reason: fmt.Sprintf("cost outside -%d..%d", MaxCost, MaxCost)}
		}
	}
	if i, j := findDuplicate(pr); i >= 0 {
		return &PairError{Index: j, Pair: pr.Pairs[j], Reason: "duplicate pair", Duplicate: true, First: i}
	}
	return nil
}

// PairError reports a bad pair by its index in Problem.Pairs, so the parser
// can turn it into a line number.
type PairError struct {
	Index     int
	Pair      Pair
	Reason    string
	Duplicate bool
	First     int // for duplicates: index of the earlier occurrence
}

func (e *PairError) Error() string {
	if e.Duplicate {
		return fmt.Sprintf("%v: pair %d (paper %d, reviewer %d) duplicates pair %d", ErrInvalidProblem, e.Index, e.Pair.P, e.Pair.R, e.First)
	}
	return fmt.Sprintf("%v: pair %d (paper %d, reviewer %d, cost %d): %s", ErrInvalidProblem, e.Index, e.Pair.P, e.Pair.R, e.Pair.Cost, e.Reason)
}

func (e *PairError) Unwrap() error { return ErrInvalidProblem }

// findDuplicate returns the indices of the first duplicated pair found, or
// -1, -1. It groups pairs by paper (counting sort) and stamps reviewers, so it
// is linear and needs no map.
func findDuplicate(pr *Problem) (int, int) {
	start, order := groupByPaper(pr)
	nr := len(pr.MinLoad)
	seen := make([]int32, nr) // index of the pair that used reviewer r for the current paper
	stamp := make([]int32, nr)
	for p := range pr.Demand {
		for _, i := range order[start[p]:start[p+1]] {
			r := pr.Pairs[i].R
			if stamp[r] == int32(p)+1 {
				return int(seen[r]), int(i)
			}
			stamp[r] = int32(p) + 1
			seen[r] = i
		}
	}
	return -1, -1
}

// groupByPaper is a counting sort of pair indices by paper: the pairs of
// paper p are order[start[p]:start[p+1]], in input order.
func groupByPaper(pr *Problem) (start, order []int32) {
	np := len(pr.Demand)
	start = make([]int32, np+1)
	for _, a := range pr.Pairs {
		start[a.P+1]++
	}
	for p := range np {
		start[p+1] += start[p]
	}
	order = make([]int32, len(pr.Pairs))
	fill := append([]int32(nil), start[:np]...)
	for i, a := range pr.Pairs {
		order[fill[a.P]] = int32(i)
		fill[a.P]++
	}
	return start, order
}
