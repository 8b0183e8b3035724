package assignment

import (
	"math"
	"math/rand/v2"
	"testing"
)

// bruteForce enumerates every subset of pairs: the slowest, most obviously
// correct answer, for instances with at most ~16 pairs.
func bruteForce(pr *Problem) (cost int64, ok bool) {
	n := len(pr.Pairs)
	best := int64(math.MaxInt64)
	need := make([]int32, len(pr.Demand))
	load := make([]int32, len(pr.MinLoad))
	for mask := 0; mask < 1<<n; mask++ {
		clear(need)
		clear(load)
		var c int64
		for i, a := range pr.Pairs {
			if mask&(1<<i) != 0 {
				need[a.P]++
				load[a.R]++
				c += a.Cost
			}
		}
		good := true
		for p, d := range pr.Demand {
			good = good && need[p] == d
		}
		for r, l := range load {
			good = good && l >= pr.MinLoad[r] && l <= pr.MaxLoad[r]
		}
		if good && c < best {
			best = c
		}
	}
	return best, best != math.MaxInt64
}

// referenceSSP is an independent method: successive shortest paths with
// Bellman-Ford on a source/sink network where minimum loads are arcs of cost
// -M (M larger than any assignment's cost spread), so a min-cost maximum
// flow saturates them whenever possible. Feasible iff the flow carries every
// review and every reserved unit.
func referenceSSP(pr *Problem) (cost int64, ok bool) {
	np, nr := len(pr.Demand), len(pr.MinLoad)
	s, t := np+nr, np+nr+1
	n := np + nr + 2
	type arc struct {
		to, rev int
		cap     int64
		cost    int64
	}
	adj := make([][]arc, n)
	add := func(u, v int, c, w int64) {
		adj[u] = append(adj[u], arc{v, len(adj[v]), c, w})
		adj[v] = append(adj[v], arc{u, len(adj[u]) - 1, 0, -w})
	}
	var spread int64
	for _, a := range pr.Pairs {
		spread += max(a.Cost, -a.Cost)
	}
	bigM := 2*spread + 1
	var needed, reserved int64
	for p, d := range pr.Demand {
		add(s, p, int64(d), 0)
		needed += int64(d)
	}
	for _, a := range pr.Pairs {
		add(int(a.P), np+int(a.R), 1, a.Cost)
	}
	for r := range nr {
		add(np+r, t, int64(pr.MinLoad[r]), -bigM)
		add(np+r, t, int64(pr.MaxLoad[r]-pr.MinLoad[r]), 0)
		reserved += int64(pr.MinLoad[r])
	}
	var flow, total int64
	for {
		dist := make([]int64, n)
		for i := range dist {
			dist[i] = math.MaxInt64
		}
		prevNode, prevArc := make([]int, n), make([]int, n)
		dist[s] = 0
		for changed := true; changed; {
			changed = false
			for u := range n {
				if dist[u] == math.MaxInt64 {
					continue
				}
				for i, a := range adj[u] {
					if a.cap > 0 && dist[u]+a.cost < dist[a.to] {
						dist[a.to] = dist[u] + a.cost
						prevNode[a.to], prevArc[a.to] = u, i
						changed = true
					}
				}
			}
		}
		if dist[t] == math.MaxInt64 {
			break
		}
		f := int64(math.MaxInt64)
		for v := t; v != s; v = prevNode[v] {
			f = min(f, adj[prevNode[v]][prevArc[v]].cap)
		}
		for v := t; v != s; v = prevNode[v] {
			a := &adj[prevNode[v]][prevArc[v]]
			a.cap -= f
			adj[v][a.rev].cap += f
		}
		flow += f
		total += f * dist[t]
	}
	var got int64
	for r := range nr {
		for _, a := range adj[np+r] {
			if a.to == t && a.cost == -bigM {
				got += int64(pr.MinLoad[r]) - a.cap
			}
		}
	}
	if flow != needed || got != reserved {
		return 0, false
	}
	return total + bigM*reserved, true
}

type randSpec struct {
	papers, reviewers int
	density           float64
	costLo, costHi    int64
	demandHi, loadHi  int32
}

func randomProblem(rng *rand.Rand, sp randSpec) *Problem {
	np := 1 + rng.IntN(sp.papers)
	nr := 1 + rng.IntN(sp.reviewers)
	pr := &Problem{Demand: make([]int32, np), MinLoad: make([]int32, nr), MaxLoad: make([]int32, nr)}
	for p := range np {
		pr.Demand[p] = rng.Int32N(sp.demandHi + 1)
	}
	for r := range nr {
		a, b := rng.Int32N(sp.loadHi+1), rng.Int32N(sp.loadHi+1)
		if rng.IntN(2) == 0 {
			a = 0
		}
		pr.MinLoad[r], pr.MaxLoad[r] = min(a, b), max(a, b)
	}
	for p := range np {
		for r := range nr {
			if rng.Float64() < sp.density {
				c := sp.costLo + rng.Int64N(sp.costHi-sp.costLo+1)
				pr.Pairs = append(pr.Pairs, Pair{P: int32(p), R: int32(r), Cost: c})
			}
		}
	}
	rng.Shuffle(len(pr.Pairs), func(i, j int) { pr.Pairs[i], pr.Pairs[j] = pr.Pairs[j], pr.Pairs[i] })
	return pr
}

// verify checks a solution against the problem: allowed, distinct pairs,
// exact demands, loads within bounds, and the reported cost.
func verify(t *testing.T, pr *Problem, sol *Solution) {
	t.Helper()
	allowed := make(map[[2]int32]int64, len(pr.Pairs))
	for _, a := range pr.Pairs {
		allowed[[2]int32{a.P, a.R}] = a.Cost
	}
	need := make([]int32, len(pr.Demand))
	load := make([]int32, len(pr.MinLoad))
	used := map[[2]int32]bool{}
	var cost int64
	for _, a := range sol.Pairs {
		k := [2]int32{a.P, a.R}
		c, ok := allowed[k]
		if !ok || used[k] || c != a.Cost {
			t.Fatalf("pair %+v not allowed, repeated, or with the wrong cost", a)
		}
		used[k] = true
		need[a.P]++
		load[a.R]++
		cost += a.Cost
	}
	for p, d := range pr.Demand {
		if need[p] != d {
			t.Fatalf("paper %d got %d reviews, needs %d", p, need[p], d)
		}
	}
	for r, l := range load {
		if l < pr.MinLoad[r] || l > pr.MaxLoad[r] {
			t.Fatalf("reviewer %d has load %d, want %d..%d", r, l, pr.MinLoad[r], pr.MaxLoad[r])
		}
	}
	if cost != sol.Cost {
		t.Fatalf("reported cost %d, pairs add up to %d", sol.Cost, cost)
	}
}
