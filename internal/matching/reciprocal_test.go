package matching

import (
	"context"
	"fmt"
	"testing"

	"github.com/quirehq/quire/internal/assignment"
)

// mutualWorld is n (at least 5) authors who also review: author i wrote paper i and
// may not review it. Each paper needs two reviews, each reviewer takes
// two. Pairs of neighbours (0 and 1, 2 and 3, ...) are each other's
// cheapest reviewers, so every unconstrained optimum has them review each
// other; the rest cost more the further apart they are.
func mutualWorld(n int) (*assignment.Problem, authorship) {
	pr := &assignment.Problem{}
	a := authorship{byReviewer: map[int32][]int32{}, byPaper: map[int32][]int32{}}
	for i := range n {
		pr.Demand = append(pr.Demand, 2)
		pr.MinLoad = append(pr.MinLoad, 2)
		pr.MaxLoad = append(pr.MaxLoad, 2)
		a.byReviewer[int32(i)] = []int32{int32(i)}
		a.byPaper[int32(i)] = []int32{int32(i)}
	}
	for p := range n {
		for r := range n {
			if p == r {
				continue // a conflict: their own paper
			}
			cost := int64(100 + 10*((r-p+n)%n))
			if p^1 == r {
				cost = 0
			}
			pr.Pairs = append(pr.Pairs, assignment.Pair{P: int32(p), R: int32(r), Cost: cost})
		}
	}
	return pr, a
}

func countMutual(sol *assignment.Solution, kept [][2]int32, a authorship) int {
	in := map[[2]int32]bool{}
	for _, x := range sol.Pairs {
		in[[2]int32{x.P, x.R}] = true
	}
	for _, k := range kept {
		in[k] = true
	}
	n := 0
	for k := range in {
		for _, p2 := range a.byReviewer[k[1]] {
			for _, r2 := range a.byPaper[k[0]] {
				if in[[2]int32{p2, r2}] {
					n++
				}
			}
		}
	}
	return n / 2
}

// TestNoMutualReviewsInEveryMode: the rounds leave no two authors
// reviewing each other's papers in an optimal, a fair and a randomized
// run, while every paper gets its reviews and every reviewer their load;
// without them the same problems are full of mutual pairs. (With four
// authors each reviewing two of the other three no assignment is free of
// mutual pairs: the rounds end in a problem the solver calls infeasible.)
func TestNoMutualReviewsInEveryMode(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	half, err := assignment.ParseProbability("0.5")
	if err != nil {
		t.Fatal(err)
	}
	modes := map[string]func(*assignment.Problem) (*assignment.Solution, error){
		"optimal": func(pr *assignment.Problem) (*assignment.Solution, error) { return assignment.Solve(ctx, pr, nil) },
		"fair": func(pr *assignment.Problem) (*assignment.Solution, error) {
			f, err := assignment.SolveFair(ctx, pr, nil)
			if err != nil {
				return nil, err
			}
			return f.Solution, nil
		},
		"randomized": func(pr *assignment.Problem) (*assignment.Solution, error) {
			r, err := assignment.SolveRandomized(ctx, pr, half, 7, nil)
			if err != nil {
				return nil, err
			}
			return r.Sample, nil
		},
	}
	for name, solve := range modes {
		for _, n := range []int{9, 30} {
			t.Run(fmt.Sprintf("%s/%d", name, n), func(t *testing.T) {
				pr, a := mutualWorld(n)
				plain, err := solve(pr)
				if err != nil {
					t.Fatal(err)
				}
				if name == "optimal" && countMutual(plain, nil, a) == 0 {
					t.Fatal("the unconstrained optimum has no mutual pair: the test proves nothing")
				}
				pr, a = mutualWorld(n)
				all := len(pr.Pairs)
				sol, forbidden, err := withoutMutualReviews(pr, nil, a, solve)
				if err != nil {
					t.Fatal(err)
				}
				if m := countMutual(sol, nil, a); m != 0 {
					t.Errorf("%d mutual pairs left", m)
				}
				if len(pr.Pairs) != all-len(forbidden) {
					t.Errorf("%d pairs left of %d with %d forbidden", len(pr.Pairs), all, len(forbidden))
				}
				need, load := map[int32]int{}, map[int32]int{}
				for _, x := range sol.Pairs {
					need[x.P]++
					load[x.R]++
					if x.P == x.R {
						t.Errorf("author %d reviews their own paper", x.R)
					}
				}
				for i := range int32(n) {
					if need[i] != 2 || load[i] != 2 {
						t.Errorf("paper %d has %d reviews, reviewer %d %d papers; want 2 and 2", i, need[i], i, load[i])
					}
				}
			})
		}
	}
}

// TestKeptPairsStayAndTheirPartnerGoes: a pair the chairs kept is never
// forbidden; the solver's side of a mutual pair with it is.
func TestKeptPairsStayAndTheirPartnerGoes(t *testing.T) {
	t.Parallel()
	pr, a := mutualWorld(9)
	// Reviewer 1 keeps paper 0; paper 0 now needs one more review and
	// reviewer 1 one more paper.
	kept := [][2]int32{{0, 1}}
	pr.Demand[0], pr.MinLoad[1], pr.MaxLoad[1] = 1, 1, 1
	pairs := pr.Pairs[:0:0]
	for _, x := range pr.Pairs {
		if x.P != 0 || x.R != 1 {
			pairs = append(pairs, x)
		}
	}
	pr.Pairs = pairs
	sol, forbidden, err := withoutMutualReviews(pr, kept, a, func(pr *assignment.Problem) (*assignment.Solution, error) {
		return assignment.Solve(context.Background(), pr, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	if m := countMutual(sol, kept, a); m != 0 {
		t.Errorf("%d mutual pairs left", m)
	}
	for _, f := range forbidden {
		if f == kept[0] {
			t.Errorf("the kept pair was forbidden")
		}
	}
	for _, x := range sol.Pairs {
		if x.P == 1 && x.R == 0 {
			t.Errorf("reviewer 0 reviews paper 1 while its author keeps reviewing paper 0")
		}
	}
}

// TestTheOtherSideWhenTheCostlierIsNeeded: forbidding the costlier side
// of a mutual pair would leave its reviewer nothing to review; the round
// forbids the other side instead.
func TestTheOtherSideWhenTheCostlierIsNeeded(t *testing.T) {
	t.Parallel()
	// Reviewer 0 wrote paper 0 and may review only paper 1 (cost 10);
	// reviewer 1 wrote paper 1 and may review paper 0 (5) or paper 2
	// (100); reviewer 2 may review papers 0 (100) and 2 (0).
	pr := &assignment.Problem{Demand: []int32{1, 1, 1}, MinLoad: []int32{1, 1, 1}, MaxLoad: []int32{1, 1, 1}, Pairs: []assignment.Pair{
		{P: 1, R: 0, Cost: 10}, {P: 0, R: 1, Cost: 5}, {P: 2, R: 1, Cost: 100}, {P: 0, R: 2, Cost: 100}, {P: 2, R: 2, Cost: 0},
	}}
	a := authorship{byReviewer: map[int32][]int32{0: {0}, 1: {1}}, byPaper: map[int32][]int32{0: {0}, 1: {1}}}
	sol, forbidden, err := withoutMutualReviews(pr, nil, a, func(pr *assignment.Problem) (*assignment.Solution, error) {
		return assignment.Solve(context.Background(), pr, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(forbidden) != 1 || forbidden[0] != [2]int32{0, 1} {
		t.Errorf("forbade %v, want reviewer 1's paper 0", forbidden)
	}
	if countMutual(sol, nil, a) != 0 || sol.Cost != 210 {
		t.Errorf("solution %+v", sol)
	}
}
