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
	// Greedy start: the reviewers' spare capacity (which lifts their
	// potentials so the papers' pairs price negative), each paper's cheapest
	// pairs, the cheapest pairs of reviewers still below their minimum,
	// then spare capacity and papers again for what could not be placed.
	spareArcs := make([]int32, 0, nw.spareEnd-nw.firstTier)
	for e := nw.firstTier; e < nw.spareEnd; e++ {
		spareArcs = append(spareArcs, int32(e))
	}
	s.crash(spareArcs)
	s.crash(nw.greedy)
	s.crash(nw.minGreedy)
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
				if t := now(); t.Sub(last) >= progressEvery {
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
	// remaining pairs. pairOf maps a pair arc to its index in Problem.Pairs.
	firstTier, spareEnd int
	pairOf              []int32
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

	// Group pairs by paper, cheapest first (ties in input order, so the
	// order, and hence the optimum found among ties, is deterministic).
	// Sorting packed (cost, position) keys avoids a comparison closure.
	start, order := groupByPaper(pr)
	var keys []uint64
	for p := range np {
		group := order[start[p]:start[p+1]]
		keys = keys[:0]
		for j, i := range group {
			keys = append(keys, uint64(pr.Pairs[i].Cost+MaxCost)<<32|uint64(j))
		}
		slices.Sort(keys)
		for j, k := range keys {
			keys[j] = uint64(group[k&(1<<32-1)])
		}
		for j, k := range keys {
			group[j] = int32(k)
		}
	}

	extra := 0
	for r := range nr {
		if spare(pr, deg, r) > 0 {
			extra++
		}
	}
	m := len(pr.Pairs) + extra
	nw := &network{s: newSimplex(np+nr+1, m), needed: needed, pairOf: make([]int32, m)}
	s := nw.s
	e := 0
	addPair := func(i int32) {
		a := pr.Pairs[i]
		s.source[e] = a.P
		s.target[e] = int32(np) + a.R
		s.cost[e] = int32(a.Cost) // |cost| <= MaxCost < 2^31
		s.capacity[e] = pr.pairCap()
		nw.pairOf[e] = i
		e++
	}
	nw.greedy = make([]int32, 0, needed)
	for p := range np {
		group := order[start[p]:start[p+1]]
		for j, i := range group[:min(len(group), tier(pr.Demand[p]))] {
			if j < int(pr.Demand[p]) {
				nw.greedy = append(nw.greedy, int32(e))
			}
			addPair(i)
		}
	}
	nw.firstTier = e
	for r := range nr {
		if c := spare(pr, deg, r); c > 0 {
			s.source[e] = int32(np + r)
			s.target[e] = int32(x)
			s.capacity[e] = c
			nw.pairOf[e] = -1
			e++
		}
	}
	nw.spareEnd = e
	for p := range np {
		group := order[start[p]:start[p+1]]
		for _, i := range group[min(len(group), tier(pr.Demand[p])):] {
			addPair(i)
		}
	}

	nw.minGreedy = reviewerGreedy(pr, s, nw.pairOf)
	copy(s.supply, pr.Demand)
	for r, lo := range pr.MinLoad {
		s.supply[np+r] = -lo
	}
	s.supply[x] = -int32(needed - mandatory)
	return nw
}

// spare is how many papers reviewer r may take beyond the minimum load; the
// maximum load is capped by the allowed pairs so it always fits in int32.
func spare(pr *Problem, deg []int32, r int) int32 {
	return max(min(pr.MaxLoad[r], deg[len(pr.Demand)+r])-pr.MinLoad[r], 0)
}

func (nw *network) extract(pr *Problem) *Solution {
	sol := &Solution{Pairs: make([]Pair, 0, nw.needed)}
	for e, f := range nw.s.flow[:nw.s.m] {
		if f != 0 && nw.pairOf[e] >= 0 {
			a := pr.Pairs[nw.pairOf[e]]
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
// reviewers still short of their minimum.
func reviewerGreedy(pr *Problem, s *simplex, pairOf []int32) []int32 {
	np, nr := len(pr.Demand), len(pr.MinLoad)
	if sum(pr.MinLoad) == 0 {
		return nil
	}
	start := make([]int32, nr+1)
	for e, i := range pairOf {
		if i >= 0 && pr.MinLoad[pr.Pairs[i].R] > 0 {
			start[s.target[e]-int32(np)+1]++
		}
	}
	for r := range nr {
		start[r+1] += start[r]
	}
	keys := make([]uint64, start[nr])
	fill := slices.Clone(start[:nr])
	for e, i := range pairOf {
		if i >= 0 && pr.MinLoad[pr.Pairs[i].R] > 0 {
			r := s.target[e] - int32(np)
			keys[fill[r]] = uint64(int64(s.cost[e])+MaxCost)<<32 | uint64(e)
			fill[r]++
		}
	}
	var out []int32
	for r := range nr {
		group := keys[start[r]:start[r+1]]
		lo := min(len(group), int(pr.MinLoad[r]))
		if lo <= 8 {
			// Selection: a few passes beat sorting the whole group.
			for j := range lo {
				best := j
				for k := j + 1; k < len(group); k++ {
					if group[k] < group[best] {
						best = k
					}
				}
				group[j], group[best] = group[best], group[j]
			}
		} else {
			slices.Sort(group)
		}
		for _, k := range group[:lo] {
			out = append(out, int32(k&(1<<32-1)))
		}
	}
	return out
}
