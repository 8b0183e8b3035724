package assignment

import "math"

// flowNet is Dinic's maximum flow on a CSR graph with paired residual arcs.
// The feasibility check builds it for the assignment network (source ->
// paper -> reviewer -> sink, with minimum loads as reserved sink arcs) to
// find how many reviews can be placed and which papers or reviewers are left
// short.
type flowNet struct {
	n     int
	start []int32
	head  []int32
	cap   []int32
	rev   []int32
	level []int32
	it    []int32
	queue []int32
}

type arcSpec struct {
	from, to int32
	cap      int32
}

// newFlowNet builds the CSR graph; it returns, for each input arc, the index
// of its forward residual arc.
func newFlowNet(n int, arcs []arcSpec) (*flowNet, []int32) {
	g := &flowNet{
		n:     n,
		start: make([]int32, n+1),
		head:  make([]int32, 2*len(arcs)),
		cap:   make([]int32, 2*len(arcs)),
		rev:   make([]int32, 2*len(arcs)),
		level: make([]int32, n),
		it:    make([]int32, n),
		queue: make([]int32, 0, n),
	}
	for _, a := range arcs {
		g.start[a.from+1]++
		g.start[a.to+1]++
	}
	for u := range n {
		g.start[u+1] += g.start[u]
	}
	pos := append([]int32(nil), g.start[:n]...)
	fwd := make([]int32, len(arcs))
	for i, a := range arcs {
		x, y := pos[a.from], pos[a.to]
		pos[a.from]++
		pos[a.to]++
		g.head[x], g.cap[x], g.rev[x] = a.to, a.cap, y
		g.head[y], g.cap[y], g.rev[y] = a.from, 0, x
		fwd[i] = x
	}
	return g, fwd
}

func (g *flowNet) bfs(s, t int32) bool {
	for i := range g.level {
		g.level[i] = -1
	}
	g.level[s] = 0
	q := append(g.queue[:0], s)
	for i := 0; i < len(q); i++ {
		u := q[i]
		for a := g.start[u]; a < g.start[u+1]; a++ {
			if v := g.head[a]; g.cap[a] > 0 && g.level[v] < 0 {
				g.level[v] = g.level[u] + 1
				q = append(q, v)
			}
		}
	}
	g.queue = q
	return g.level[t] >= 0
}

func (g *flowNet) dfs(u, t, f int32) int32 {
	if u == t {
		return f
	}
	for ; g.it[u] < g.start[u+1]; g.it[u]++ {
		a := g.it[u]
		v := g.head[a]
		if g.cap[a] > 0 && g.level[v] == g.level[u]+1 {
			if d := g.dfs(v, t, min(f, g.cap[a])); d > 0 {
				g.cap[a] -= d
				g.cap[g.rev[a]] += d
				return d
			}
		}
	}
	g.level[u] = -1 // dead end for the rest of this phase
	return 0
}

func (g *flowNet) maxFlow(s, t int32) int64 {
	var total int64
	for g.bfs(s, t) {
		copy(g.it, g.start[:g.n])
		for {
			f := g.dfs(s, t, math.MaxInt32)
			if f == 0 {
				break
			}
			total += int64(f)
		}
	}
	return total
}

// placement is the outcome of one maximum-flow run on the assignment
// network: how many reviews fit, and how far each paper and each reviewer's
// minimum load fall short.
type placement struct {
	placed     int64
	paperShort []int32 // papers left short
	shortBy    []int32 // how many reviews each of paperShort misses
	minShort   []int32 // reviewers whose minimum load is not met
}

// place computes the maximum placement for loads lo..hi (hi already capped
// by the reviewer's allowed pairs). With withMin false, minimum loads are
// ignored; otherwise reviewer r's first lo[r] papers go over a reserved arc
// to the sink and the remaining capacity shares an arc carrying at most
// D - sum(lo), so a full placement meets every minimum load.
func place(pr *Problem, lo, hi []int32, withMin bool) placement {
	np, nr := len(pr.Demand), len(pr.MinLoad)
	x, s, t := int32(np+nr), int32(np+nr+1), int32(np+nr+2)
	var needed, mandatory int64
	for _, d := range pr.Demand {
		needed += int64(d)
	}
	arcs := make([]arcSpec, 0, len(pr.Pairs)+np+2*nr+1)
	for p, d := range pr.Demand {
		arcs = append(arcs, arcSpec{s, int32(p), d})
	}
	for r := range nr {
		rn := int32(np + r)
		if withMin {
			mandatory += int64(lo[r])
			arcs = append(arcs, arcSpec{rn, t, lo[r]}, arcSpec{rn, x, max(hi[r]-lo[r], 0)})
		} else {
			arcs = append(arcs, arcSpec{rn, t, 0}, arcSpec{rn, x, hi[r]})
		}
	}
	free := needed - mandatory
	arcs = append(arcs, arcSpec{x, t, int32(max(min(free, math.MaxInt32), 0))})
	for _, a := range pr.Pairs {
		arcs = append(arcs, arcSpec{a.P, int32(np) + a.R, pr.pairCap()})
	}
	g, fwd := newFlowNet(np+nr+3, arcs)
	res := placement{placed: g.maxFlow(s, t)}
	for p := range np {
		if c := g.cap[fwd[p]]; c > 0 {
			res.paperShort = append(res.paperShort, int32(p))
			res.shortBy = append(res.shortBy, c)
		}
	}
	if withMin {
		for r := range nr {
			if g.cap[fwd[np+2*r]] > 0 {
				res.minShort = append(res.minShort, int32(r))
			}
		}
	}
	return res
}
