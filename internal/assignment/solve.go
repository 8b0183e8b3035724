package assignment

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// ErrInternal means the solver and the feasibility check disagree: a bug.
var ErrInternal = errors.New("assignment: the solver found no assignment although the feasibility check found one (please report this instance)")

// progressEvery bounds how often Solve calls its progress function.
const progressEvery = 100 * time.Millisecond

// checkEvery is how many pivots pass between looks at the clock and the
// context; a pivot takes microseconds, so this keeps both cheap and prompt.
const checkEvery = 512

// Solve returns a minimum-cost assignment, or an *InfeasibleError explaining
// why none exists. progress (may be nil) is called at most every 100 ms and
// once at the end; cancelling ctx stops the solver within milliseconds.
func Solve(ctx context.Context, pr *Problem, progress func(Progress)) (*Solution, error) {
	return solveWith(ctx, pr, progress, options{now: time.Now, tier: firstTierSize})
}

// options are the solver's dependencies, replaceable in tests.
type options struct {
	now  func() time.Time
	tier func(demand int32) int // pairs per paper priced in the first round
}

func solveWith(ctx context.Context, pr *Problem, progress func(Progress), opt options) (*Solution, error) {
	nw, err := solveNetwork(ctx, pr, progress, opt)
	if err != nil {
		return nil, err
	}
	sol := nw.extract(pr)
	if progress != nil {
		progress(Progress{Phase: PhaseDone, Fraction: 1, Pivots: nw.pivots, Placed: nw.needed, Needed: nw.needed})
	}
	return sol, nil
}

// solveNetwork checks pr and runs the network simplex to optimality,
// returning the solved network (its arc flows are the pairs' flows).
func solveNetwork(ctx context.Context, pr *Problem, progress func(Progress), opt options) (*network, error) {
	now := opt.now
	reporting := progress != nil
	if progress == nil {
		progress = func(Progress) {}
	}
	progress(Progress{Phase: PhaseCheck})
	if err := pr.Validate(); err != nil {
		return nil, err
	}
	deg := degrees(pr)
	if err := checkCounts(pr, deg); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("assignment solve: %w", err)
	}
	nw := buildNetwork(pr, deg, opt.tier)
	s, needed := nw.s, nw.needed
	s.init()
	// Greedy start: first every reviewer's minimum load from their
	// cheapest pairs (so the basis starts out meeting the lower bounds,
	// 10% fewer pivots than filling them last), then the reviewers' spare
	// capacity (which lifts their potentials so the papers' pairs price
	// negative), each paper's cheapest pairs, then spare capacity and
	// papers again for what could not be placed.
	spareArcs := make([]int32, 0, nw.spareEnd-nw.firstTier)
	for e := nw.firstTier; e < nw.spareEnd; e++ {
		spareArcs = append(spareArcs, int32(e))
	}
	s.crash(nw.minGreedy)
	s.crash(spareArcs)
	s.crash(nw.greedy)
	s.crash(spareArcs)
	s.crash(nw.greedy)

	var pivots int64
	last := now()
	var gap0 int64 = -1
	bestLB := math.Inf(-1) // bounds from different potentials: keep the best
	report := func() Progress {
		placed := needed - s.artificialFlow()/2 // each unplaced review rides two artificial arcs
		p := Progress{Phase: PhasePlace, Pivots: pivots, Placed: placed, Needed: needed}
		if placed < needed {
			p.Fraction = float64(placed) / float64(needed)
			return p
		}
		p.Phase = PhaseOptimise
		bestLB = max(bestLB, s.lowerBound())
		p.Gap = int64(min(max(float64(s.totalCost())-bestLB, 0), 1e18))
		if gap0 < 0 {
			gap0 = p.Gap
		}
		if gap0 > 0 {
			p.Fraction = min(max(1-math.Log1p(float64(p.Gap))/math.Log1p(float64(gap0)), 0), 1)
		}
		return p
	}
	// Optimise over each paper's most promising pairs first, then over all
	// pairs; the second round proves optimality and usually needs few pivots.
	for _, end := range []int{nw.spareEnd, s.m} {
		s.setSearch(end)
		for s.findEnteringArc() {
			s.pivot()
			pivots++
			if pivots%checkEvery == 0 {
				if err := ctx.Err(); err != nil {
					return nil, fmt.Errorf("assignment solve after %d pivots: %w", pivots, err)
				}
				if t := now(); reporting && t.Sub(last) >= progressEvery {
					last = t
					progress(report())
				}
			}
		}
	}
	if s.artificialFlow() != 0 {
		// No feasible flow. The max-flow check says why in the chairs'
		// terms; it runs only now, since on a feasible request (nearly all
		// of them) it would cost a tenth of the time and a third of the
		// memory for nothing.
		if err := checkFlow(pr, deg); err != nil {
			return nil, err
		}
		return nil, ErrInternal
	}
	nw.pivots = pivots
	return nw, nil
}

// degrees is the capacity of the allowed pairs per paper (first
// len(Demand) entries) and per reviewer (the rest): their number, times
// the pair capacity when that is not 1.
func degrees(pr *Problem) []int32 {
	np := len(pr.Demand)
	deg := make([]int32, np+len(pr.MinLoad))
	for _, a := range pr.Pairs {
		deg[a.P]++
		deg[np+int(a.R)]++
	}
	if c := int64(pr.pairCap()); c > 1 {
		for i, d := range deg {
			deg[i] = int32(min(int64(d)*c, math.MaxInt32))
		}
	}
	return deg
}

// network is the simplex network of a problem plus the bookkeeping to map
// arcs back to pairs.
type network struct {
	s      *simplex
	needed int64
	// Arc order: [0, firstTier) each paper's cheapest pairs,
	// [firstTier, spareEnd) reviewers' spare capacity, [spareEnd, m) the
	// remaining pairs.
	firstTier, spareEnd int
	np                  int     // papers: reviewer r is node np + r
	greedy              []int32 // each paper's d_p cheapest arcs
	minGreedy           []int32 // each reviewer's minload cheapest arcs
	pivots              int64   // spent by the solve
}

// firstTierSize is how many of a paper's cheapest pairs are priced in the
// first round: a few times its demand covers nearly every pair an optimal
// assignment uses.
func firstTierSize(demand int32) int { return 6*int(demand) + 6 }

// buildNetwork turns the problem into a transportation network with node
// supplies, which handles the minimum loads exactly: paper p supplies d_p,
// reviewer r demands lo_r, and an extra node x demands the D - L reviews
// not forced by minimum loads, reachable from r over an arc of capacity
// hi_r - lo_r. Any feasible flow is an assignment meeting every bound and
// vice versa, with the same cost.
func buildNetwork(pr *Problem, deg []int32, tier func(int32) int) *network {
	np, nr := len(pr.Demand), len(pr.MinLoad)
	x := np + nr
	needed, mandatory := sum(pr.Demand), sum(pr.MinLoad)

	// Group pairs by paper, cheapest first. Ties are broken by a hash of
	// the pair, then input order: deterministic, and a greedy start over
	// few distinct costs spreads over the reviewers instead of piling onto
	// the lowest-numbered ones. Sorting packed (cost, hash, position) keys
	// avoids a comparison closure.
	start, order := groupByPaper(pr)
	var keys []uint64
	first := 0
	for p := range np {
		group := order[start[p]:start[p+1]]
		keys = keys[:0]
		for j, i := range group {
			a := pr.Pairs[i]
			keys = append(keys, uint64(a.Cost+MaxCost)<<33|tieBreak(a.P, a.R)<<22|uint64(j))
		}
		slices.Sort(keys)
		for j, k := range keys {
			keys[j] = uint64(group[k&(1<<22-1)])
		}
		for j, k := range keys {
			group[j] = int32(k)
		}
		first += min(len(group), tier(pr.Demand[p]))
	}

	extra := 0
	for r := range nr {
		if spare(pr, deg, r) > 0 {
			extra++
		}
	}
	m := len(pr.Pairs) + extra
	nw := &network{s: newSimplex(np+nr+1, m, first, first+extra, pr.pairCap()), needed: needed, np: np}
	s := nw.s
	// Arcs are spread over their region with a stride (LEMON's arc
	// mixing): a pricing block then holds a few arcs of many papers rather
	// than all the arcs of a few, which finds better entering arcs.
	var mixLo, mixSize, mixAt, mixRound, mixSkip int
	mix := func(from, n int) {
		mixLo, mixSize, mixAt, mixRound = from, n, 0, 0
		mixSkip = max(n/(np+nr+1), 3)
	}
	addPair := func(idx int32) int32 {
		e := mixLo + mixAt
		if mixAt += mixSkip; mixAt >= mixSize {
			mixRound++
			mixAt = mixRound
		}
		a := pr.Pairs[idx]
		s.source[e] = a.P
		s.target[e] = int32(np) + a.R
		s.cost[e] = int32(a.Cost) // |cost| <= MaxCost < 2^31
		return int32(e)
	}
	mix(0, first)
	nw.greedy = make([]int32, 0, needed)
	for p := range np {
		group := order[start[p]:start[p+1]]
		for j, idx := range group[:min(len(group), tier(pr.Demand[p]))] {
			e := addPair(idx)
			if j < int(pr.Demand[p]) {
				nw.greedy = append(nw.greedy, e)
			}
		}
	}
	e := first
	nw.firstTier = e
	for r := range nr {
		if c := spare(pr, deg, r); c > 0 {
			s.source[e] = int32(np + r)
			s.target[e] = int32(x)
			s.capacity[e-first] = c
			e++
		}
	}
	nw.spareEnd = e
	mix(e, m-e)
	for p := range np {
		group := order[start[p]:start[p+1]]
		for _, idx := range group[min(len(group), tier(pr.Demand[p])):] {
			addPair(idx)
		}
	}

	nw.minGreedy = reviewerGreedy(pr, nw)
	copy(s.supply, pr.Demand)
	for r, lo := range pr.MinLoad {
		s.supply[np+r] = -lo
	}
	s.supply[x] = -int32(needed - mandatory)
	return nw
}

// tieBreak orders a paper's pairs of equal cost by a hash of the pair
// (11 bits), not by reviewer: with few distinct costs the greedy start
// would otherwise pile every paper onto the lowest-numbered reviewers.
func tieBreak(p, r int32) uint64 {
	h := uint64(uint32(p))<<32 | uint64(uint32(r))
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h & (1<<11 - 1)
}

// spare is how many papers reviewer r may take beyond the minimum load; the
// maximum load is capped by the allowed pairs so it always fits in int32.
func spare(pr *Problem, deg []int32, r int) int32 {
	return max(min(pr.MaxLoad[r], deg[len(pr.Demand)+r])-pr.MinLoad[r], 0)
}

// pairAt is the pair of arc e, if e is a pair's arc.
func (nw *network) pairAt(e int) (Pair, bool) {
	if e >= nw.firstTier && e < nw.spareEnd || e >= nw.s.m {
		return Pair{}, false
	}
	s := nw.s
	return Pair{P: s.source[e], R: s.target[e] - int32(nw.np), Cost: int64(s.cost[e])}, true
}

func (nw *network) extract(pr *Problem) *Solution {
	sol := &Solution{Pairs: make([]Pair, 0, nw.needed)}
	for e, f := range nw.s.flow[:nw.s.m] {
		if a, ok := nw.pairAt(e); ok && f != 0 {
			sol.Pairs = append(sol.Pairs, a)
			sol.Cost += a.Cost
		}
	}
	slices.SortFunc(sol.Pairs, func(a, b Pair) int {
		return cmp.Or(cmp.Compare(a.P, b.P), cmp.Compare(a.R, b.R))
	})
	return sol
}

// reviewerGreedy lists, for every reviewer with a minimum load, the arcs of
// their minload cheapest pairs: after the papers' greedy pass these fill the
// reviewers still short of their minimum. One pass over the arcs keeps
// each reviewer's cheapest so far in a small heap, so it needs memory per
// unit of minimum load, not per pair.
func reviewerGreedy(pr *Problem, nw *network) []int32 {
	nr := len(pr.MinLoad)
	if sum(pr.MinLoad) == 0 {
		return nil
	}
	s := nw.s
	// want[r] is min(minload, pairs of r), so the lists hold at most one
	// entry per pair whatever the loads claim.
	want := make([]int32, nr)
	for e := range s.m {
		if a, ok := nw.pairAt(e); ok {
			want[a.R]++
		}
	}
	start := make([]int32, nr+1)
	for r, lo := range pr.MinLoad {
		want[r] = min(want[r], lo)
		start[r+1] = start[r] + want[r]
	}
	// best[start[r]:start[r]+have[r]] is a max-heap of (cost, arc) keys:
	// the want[r] cheapest so far, the dearest on top. The arc breaks
	// ties, and arcs are mixed, so ties spread over papers.
	best := make([]uint64, start[nr])
	have := make([]int32, nr)
	for e := range s.m {
		a, ok := nw.pairAt(e)
		if !ok || want[a.R] == 0 {
			continue
		}
		r := a.R
		k := uint64(a.Cost+MaxCost)<<32 | uint64(e)
		h := best[start[r] : start[r]+want[r]]
		if n := have[r]; n < want[r] {
			have[r]++
			for n > 0 && h[(n-1)/2] < k { // sift up
				h[n] = h[(n-1)/2]
				n = (n - 1) / 2
			}
			h[n] = k
			continue
		}
		if k >= h[0] {
			continue
		}
		n := int32(0) // replace the top, sift down
		for {
			c := 2*n + 1
			if c >= int32(len(h)) {
				break
			}
			if c+1 < int32(len(h)) && h[c+1] > h[c] {
				c++
			}
			if h[c] <= k {
				break
			}
			h[n] = h[c]
			n = c
		}
		h[n] = k
	}
	for r := range nr {
		slices.Sort(best[start[r]:start[r+1]]) // cheapest first
	}
	out := make([]int32, 0, start[nr])
	for r := range nr {
		for _, k := range best[start[r] : start[r]+have[r]] {
			out = append(out, int32(k&(1<<32-1)))
		}
	}
	return out
}
