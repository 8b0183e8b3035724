package assignment

import "math"

// simplex is a primal network simplex on a spanning-tree basis with block
// search pricing, following the design of LEMON's NetworkSimplex: an
// artificial root joined to every node by an artificial arc whose cost is
// larger than any real path, threaded preorder lists for subtree walks, and
// the strongly feasible leaving-arc rule (which rules out cycling).
//
// Nodes are 0..n-1 plus the root n. Real arcs are 0..m-1; arc m+u is the
// artificial arc of node u. All slices are int32/int64/int8 arrays so the
// NeurIPS-size instance (1.2 M arcs) fits in a few tens of megabytes.
type simplex struct {
	n, m   int
	source []int32
	target []int32
	cost   []int32 // real arcs only; artificial arcs cost art (into the root) or 0
	art    int64
	// capacity holds the arcs [capLo, capHi) only; every other real arc
	// has pairCap and every artificial arc infCap (4 bytes a pair saved).
	capacity     []int32
	capLo, capHi int32
	pairCap      int32
	flow         []int32
	state        []int8
	supply       []int32
	pi           []int64
	parent       []int32
	pred         []int32
	predDir      []int8
	thread       []int32
	revThread    []int32
	succNum      []int32
	lastSucc     []int32
	dirty        []int32

	blockSize int
	nextArc   int
	searchEnd int // pricing looks at arcs [0, searchEnd); see setSearch

	inArc, join, uIn, vIn, uOut, vOut int32
	delta                             int32
}

// blockSizeFactor times sqrt(arcs) is the pricing block. LEMON uses 1;
// with arcs mixed, half that measured best over the instance family of
// docs/bench-assignment.md (0.3 to 1 were tried): fewer arcs priced per
// pivot for a few more pivots, and far fewer pivots where costs tie.
var blockSizeFactor = 0.5

const (
	stateUpper int8 = -1
	stateTree  int8 = 0
	stateLower int8 = 1
	dirUp      int8 = 1
	dirDown    int8 = -1
	infCap          = math.MaxInt32
)

// newSimplex allocates a network of n nodes with room for m real arcs, of
// which [capLo, capHi) have their own capacity and the others pairCap; the
// caller fills source/target/cost[0:m], the capacities and supply.
func newSimplex(n, m, capLo, capHi int, pairCap int32) *simplex {
	all := m + n
	s := &simplex{
		n:         n,
		m:         m,
		capLo:     int32(capLo),
		capHi:     int32(capHi),
		pairCap:   pairCap,
		source:    make([]int32, all),
		target:    make([]int32, all),
		cost:      make([]int32, m),
		capacity:  make([]int32, capHi-capLo),
		flow:      make([]int32, all),
		state:     make([]int8, all),
		supply:    make([]int32, n+1),
		pi:        make([]int64, n+1),
		parent:    make([]int32, n+1),
		pred:      make([]int32, n+1),
		predDir:   make([]int8, n+1),
		thread:    make([]int32, n+1),
		revThread: make([]int32, n+1),
		succNum:   make([]int32, n+1),
		lastSucc:  make([]int32, n+1),
	}
	s.setSearch(m)
	return s
}

// setSearch limits pricing to the first end arcs. Arcs outside stay at
// their lower bound, so widening the range later keeps the basis valid and
// the search simply continues: solving on likely arcs first and then
// verifying (and repairing) against all arcs gives the same optimum.
func (s *simplex) setSearch(end int) {
	s.searchEnd = end
	s.blockSize = max(int(blockSizeFactor*math.Sqrt(float64(end))), 10)
	if s.nextArc >= end {
		s.nextArc = 0
	}
}

// init builds the starting basis: every node hangs from the root on its
// artificial arc, carrying its supply. Requires sum(supply) == 0.
func (s *simplex) init() {
	n, m := s.n, s.m
	var maxc int64
	for _, c := range s.cost[:m] {
		maxc = max(maxc, int64(c), -int64(c))
	}
	art := (maxc + 1) * int64(n+1)
	s.art = art
	for e := range m {
		s.state[e] = stateLower
		s.flow[e] = 0
	}
	root := int32(n)
	s.parent[root] = -1
	s.pred[root] = -1
	s.thread[root] = 0
	s.revThread[0] = root
	s.succNum[root] = int32(n + 1)
	s.lastSucc[root] = root - 1
	s.supply[root] = 0
	s.pi[root] = 0
	for u := range n {
		e := m + u
		s.parent[u] = root
		s.pred[u] = int32(e)
		s.thread[u] = int32(u + 1)
		s.revThread[u+1] = int32(u)
		s.succNum[u] = 1
		s.lastSucc[u] = int32(u)
		s.state[e] = stateTree
		// Supply and transit nodes hang on an arc into the root that costs
		// art, demand nodes on a free arc out of it: every path through the
		// root costs art, and every zero-flow tree arc points to the root,
		// which makes the tree strongly feasible (no cycling).
		if s.supply[u] >= 0 {
			s.predDir[u] = dirUp
			s.pi[u] = -art
			s.source[e], s.target[e] = int32(u), root
			s.flow[e] = s.supply[u]
		} else {
			s.predDir[u] = dirDown
			s.pi[u] = 0
			s.source[e], s.target[e] = root, int32(u)
			s.flow[e] = -s.supply[u]
		}
	}
	s.nextArc = 0
}

// findEnteringArc prices arcs block by block, starting where the last search
// stopped, and picks the most negative reduced cost of the first block that
// has one.
func (s *simplex) findEnteringArc() bool {
	m := s.searchEnd
	pi := s.pi
	var best int64
	in := -1
	e := s.nextArc
	for scanned := 0; scanned < m; {
		end := min(e+s.blockSize, m)
		st := s.state[e:end]
		src := s.source[e:end]
		tgt := s.target[e:end]
		cost := s.cost[e:end]
		_, _, _ = src[len(st)-1], tgt[len(st)-1], cost[len(st)-1]
		for i, sv := range st {
			c := int64(sv) * (int64(cost[i]) + pi[src[i]] - pi[tgt[i]])
			if c < best {
				best = c
				in = e + i
			}
		}
		scanned += end - e
		e = end
		if e == m {
			e = 0
		}
		if best < 0 {
			break
		}
	}
	if best >= 0 {
		return false
	}
	s.nextArc = e
	s.inArc = int32(in)
	return true
}

// crash pivots in the cheapest arcs of every supply node before any
// pricing: a greedy start that places most reviews with short, cheap
// pivots, leaving block search to repair what greed got wrong.
func (s *simplex) crash(arcs []int32) {
	for _, e := range arcs {
		if int64(s.state[e])*(int64(s.cost[e])+s.pi[s.source[e]]-s.pi[s.target[e]]) >= 0 {
			continue
		}
		s.inArc = e
		s.pivot()
	}
}

// capOf is arc e's capacity.
func (s *simplex) capOf(e int32) int32 {
	switch {
	case e >= s.capLo && e < s.capHi:
		return s.capacity[e-s.capLo]
	case int(e) >= s.m:
		return infCap
	}
	return s.pairCap
}

func (s *simplex) findJoinNode() {
	u, v := s.source[s.inArc], s.target[s.inArc]
	for u != v {
		if s.succNum[u] < s.succNum[v] {
			u = s.parent[u]
		} else {
			v = s.parent[v]
		}
	}
	s.join = u
}

// findLeavingArc finds the blocking arc of the cycle closed by inArc and the
// amount delta to push; it reports whether the basis changes (false when
// inArc itself is the bottleneck and only flips bound).
func (s *simplex) findLeavingArc() bool {
	in := s.inArc
	var first, second int32
	if s.state[in] == stateLower {
		first, second = s.source[in], s.target[in]
	} else {
		first, second = s.target[in], s.source[in]
	}
	delta := s.capOf(in)
	result := 0
	for u := first; u != s.join; u = s.parent[u] {
		e := s.pred[u]
		d := s.flow[e]
		if s.predDir[u] == dirDown {
			if c := s.capOf(e); c == infCap {
				d = infCap
			} else {
				d = c - d
			}
		}
		if d < delta {
			delta = d
			s.uOut = u
			result = 1
		}
	}
	for u := second; u != s.join; u = s.parent[u] {
		e := s.pred[u]
		d := s.flow[e]
		if s.predDir[u] == dirUp {
			if c := s.capOf(e); c == infCap {
				d = infCap
			} else {
				d = c - d
			}
		}
		if d <= delta {
			delta = d
			s.uOut = u
			result = 2
		}
	}
	if result == 1 {
		s.uIn, s.vIn = first, second
	} else {
		s.uIn, s.vIn = second, first
	}
	s.delta = delta
	return result != 0
}

func (s *simplex) changeFlow(change bool) {
	in := s.inArc
	if s.delta > 0 {
		val := int32(s.state[in]) * s.delta
		s.flow[in] += val
		for u := s.source[in]; u != s.join; u = s.parent[u] {
			s.flow[s.pred[u]] -= int32(s.predDir[u]) * val
		}
		for u := s.target[in]; u != s.join; u = s.parent[u] {
			s.flow[s.pred[u]] += int32(s.predDir[u]) * val
		}
	}
	if change {
		s.state[in] = stateTree
		out := s.pred[s.uOut]
		if s.flow[out] == 0 {
			s.state[out] = stateLower
		} else {
			s.state[out] = stateUpper
		}
	} else {
		s.state[in] = -s.state[in]
	}
}

// updatePotential shifts the potentials of the re-hung subtree so inArc
// gets reduced cost zero.
func (s *simplex) updatePotential() {
	sigma := s.pi[s.vIn] - s.pi[s.uIn] - int64(s.predDir[s.uIn])*int64(s.cost[s.inArc])
	end := s.thread[s.lastSucc[s.uIn]]
	for u := s.uIn; u != end; u = s.thread[u] {
		s.pi[u] += sigma
	}
}

// pivot performs one simplex iteration for the entering arc s.inArc.
func (s *simplex) pivot() {
	s.findJoinNode()
	change := s.findLeavingArc()
	s.changeFlow(change)
	if change {
		s.updateTreeStructure()
		s.updatePotential()
	}
}

// artificialFlow is the supply still routed over artificial arcs: zero once
// the basis is a feasible assignment.
func (s *simplex) artificialFlow() int64 {
	var t int64
	for _, f := range s.flow[s.m : s.m+s.n] {
		t += int64(f)
	}
	return t
}

// totalCost is the cost of the current flow, artificial arcs included.
func (s *simplex) totalCost() int64 {
	var t int64
	for e, f := range s.flow[:s.m] {
		t += int64(f) * int64(s.cost[e])
	}
	for e := s.m; e < s.m+s.n; e++ {
		if s.target[e] == int32(s.n) { // into the root: costs art
			t += int64(s.flow[e]) * s.art
		}
	}
	return t
}

// lowerBound is a Lagrangian lower bound on the real problem's optimum from
// the current potentials: cost(x) = sum(rc*x) - sum(pi*b) >= sum(cap*min(0,rc)) - sum(pi*b).
// It only feeds progress reports, so it is computed in float64, which
// cannot overflow where int64 products of potentials and capacities could.
func (s *simplex) lowerBound() float64 {
	var lb float64
	for e := range s.m {
		rc := int64(s.cost[e]) + s.pi[s.source[e]] - s.pi[s.target[e]]
		if rc < 0 {
			lb += float64(rc) * float64(s.capOf(int32(e)))
		}
	}
	for u := range s.n {
		lb -= float64(s.pi[u]) * float64(s.supply[u])
	}
	return lb
}
