package assignment

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// buildNetwork places every pair on exactly one arc (the mixing is a
// permutation of each region), and reviewerGreedy picks, for each reviewer
// with a minimum load, exactly that many of their cheapest pairs.
func TestBuildNetworkArcs(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 300 {
		sp := randSpec{papers: 40, reviewers: 30, density: 0.5, costLo: 0, costHi: int64(1 + i%7*100), demandHi: 3, loadHi: 5}
		pr := randomProblem(rng, sp)
		deg := degrees(pr)
		nw := buildNetwork(pr, deg, func(d int32) int { return int(d) + 1 + i%3 })
		s := nw.s
		var got, want []Pair
		for e := range s.m {
			if a, ok := nw.pairAt(e); ok {
				got = append(got, a)
			} else if s.source[e] < int32(len(pr.Demand)) || s.target[e] != int32(s.n-1) {
				t.Fatalf("instance %d: arc %d is neither a pair nor spare capacity", i, e)
			}
		}
		want = append(want, pr.Pairs...)
		byPair := func(a, b Pair) int {
			if a.P != b.P {
				return int(a.P - b.P)
			}
			return int(a.R - b.R)
		}
		slices.SortFunc(got, byPair)
		slices.SortFunc(want, byPair)
		if !slices.Equal(got, want) {
			t.Fatalf("instance %d: the network's pairs differ from the problem's", i)
		}

		// reviewerGreedy against sorting each reviewer's costs.
		costs := make([][]int64, len(pr.MinLoad))
		for _, a := range pr.Pairs {
			costs[a.R] = append(costs[a.R], a.Cost)
		}
		picked := make([][]int64, len(pr.MinLoad))
		for _, e := range nw.minGreedy {
			a, ok := nw.pairAt(int(e))
			if !ok {
				t.Fatalf("instance %d: greedy arc %d is not a pair", i, e)
			}
			picked[a.R] = append(picked[a.R], a.Cost)
		}
		for r, lo := range pr.MinLoad {
			slices.Sort(costs[r])
			slices.Sort(picked[r])
			k := min(int(lo), len(costs[r]))
			if !slices.Equal(picked[r], costs[r][:k]) {
				t.Fatalf("instance %d: reviewer %d (min %d) greedy costs %v, cheapest %v", i, r, lo, picked[r], costs[r][:k])
			}
		}
	}
}
