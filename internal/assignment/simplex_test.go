package assignment

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// arcCost is an arc's cost, artificial arcs included.
func (s *simplex) arcCost(e int) int64 {
	if e < s.m {
		return int64(s.cost[e])
	}
	if s.target[e] == int32(s.n) {
		return s.art
	}
	return 0
}

// checkTree verifies every invariant of the basis: the thread is a preorder
// of the tree with consistent reverse links, subtree sizes and last
// successors; tree arcs have zero reduced cost; flows respect bounds and
// conservation; and the tree is strongly feasible (positive flow can be
// pushed from every node to the root), which rules out cycling.
func checkTree(s *simplex) error {
	n, root := s.n, int32(s.n)
	seen := make([]bool, n+1)
	pos := make([]int, n+1)
	order := make([]int32, 0, n+1)
	u := root
	for range n + 1 {
		if seen[u] {
			return fmt.Errorf("thread revisits node %d", u)
		}
		seen[u] = true
		pos[u] = len(order)
		order = append(order, u)
		if s.revThread[s.thread[u]] != u {
			return fmt.Errorf("revThread[thread[%d]] != %d", u, u)
		}
		u = s.thread[u]
	}
	if u != root {
		return fmt.Errorf("thread does not return to the root")
	}
	for v := range int32(n + 1) {
		size := int(s.succNum[v])
		if pos[v]+size > n+1 || order[pos[v]+size-1] != s.lastSucc[v] {
			return fmt.Errorf("node %d: succNum %d / lastSucc %d do not match the thread", v, size, s.lastSucc[v])
		}
		for _, w := range order[pos[v]+1 : pos[v]+size] {
			if s.parent[w] < 0 || pos[s.parent[w]] < pos[v] || pos[s.parent[w]] >= pos[v]+size {
				return fmt.Errorf("node %d in the thread segment of %d but its parent is outside", w, v)
			}
		}
		if v == root {
			continue
		}
		e := s.pred[v]
		p := s.parent[v]
		if s.state[e] != stateTree {
			return fmt.Errorf("pred arc %d of node %d not in the tree", e, v)
		}
		if (s.predDir[v] == dirUp) != (s.source[e] == v && s.target[e] == p) || (s.predDir[v] == dirDown) != (s.source[e] == p && s.target[e] == v) {
			return fmt.Errorf("pred arc %d of node %d does not join it to its parent %d as predDir says", e, v, p)
		}
		if rc := s.arcCost(int(e)) + s.pi[s.source[e]] - s.pi[s.target[e]]; rc != 0 {
			return fmt.Errorf("tree arc %d has reduced cost %d", e, rc)
		}
		if s.predDir[v] == dirUp && s.flow[e] == s.capOf(e) || s.predDir[v] == dirDown && s.flow[e] == 0 {
			return fmt.Errorf("tree not strongly feasible at node %d (arc %d flow %d)", v, e, s.flow[e])
		}
	}
	bal := make([]int64, n+1)
	for e := range s.m + s.n {
		f := s.flow[e]
		if f < 0 || f > s.capOf(int32(e)) {
			return fmt.Errorf("arc %d flow %d outside 0..%d", e, f, s.capOf(int32(e)))
		}
		if s.state[e] == stateLower && f != 0 || s.state[e] == stateUpper && f != s.capOf(int32(e)) {
			return fmt.Errorf("non-tree arc %d (state %d) has flow %d", e, s.state[e], f)
		}
		bal[s.source[e]] += int64(f)
		bal[s.target[e]] -= int64(f)
	}
	for v := range n {
		if bal[v] != int64(s.supply[v]) {
			return fmt.Errorf("node %d sends %d, supply %d", v, bal[v], s.supply[v])
		}
	}
	return nil
}

func TestSimplexInvariants(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(11, 12))
	sp := randSpec{papers: 12, reviewers: 9, density: 0.6, costLo: 0, costHi: 4, demandHi: 2, loadHi: 5}
	solved := 0
	for i := 0; i < 400; i++ {
		pr := randomProblem(rng, sp)
		deg := degrees(pr)
		if checkCounts(pr, deg) != nil || checkFlow(pr, deg) != nil {
			continue
		}
		nw := buildNetwork(pr, deg, func(int32) int { return 2 })
		s := nw.s
		s.init()
		if err := checkTree(s); err != nil {
			t.Fatalf("instance %d after init: %v", i, err)
		}
		if i%2 == 0 { // half with the greedy start, half without
			var spare []int32
			for e := nw.firstTier; e < nw.spareEnd; e++ {
				spare = append(spare, int32(e))
			}
			for _, arcs := range [][]int32{spare, nw.greedy, nw.minGreedy, spare, nw.greedy} {
				s.crash(arcs)
				if err := checkTree(s); err != nil {
					t.Fatalf("instance %d after crash: %v", i, err)
				}
			}
		}
		for _, end := range []int{nw.spareEnd, s.m} {
			s.setSearch(end)
			for pivots := 0; s.findEnteringArc(); pivots++ {
				if pivots > 100000 {
					t.Fatalf("instance %d: no convergence (cycling?)", i)
				}
				s.pivot()
				if err := checkTree(s); err != nil {
					t.Fatalf("instance %d after pivot %d: %v", i, pivots, err)
				}
			}
		}
		if s.artificialFlow() != 0 {
			t.Fatalf("instance %d: feasible but artificial flow remains", i)
		}
		solved++
	}
	t.Logf("%d feasible instances checked", solved)
	if solved < 60 {
		t.Fatalf("only %d feasible instances checked", solved)
	}
}
