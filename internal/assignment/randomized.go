package assignment

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Probability is an exact fraction Num/Den, 0 < Num <= Den.
type Probability struct{ Num, Den int32 }

// MaxDenominator bounds a probability's denominator: the LP is solved on
// the problem scaled by it, and every demand and load times it must stay
// far inside int32.
const MaxDenominator = 1000

// ParseProbability reads "0.5", "1/3" or "1" into a reduced fraction.
func ParseProbability(s string) (Probability, error) {
	r, ok := new(big.Rat).SetString(strings.TrimSpace(s))
	if !ok || r.Sign() <= 0 || r.Cmp(big.NewRat(1, 1)) > 0 {
		return Probability{}, fmt.Errorf("max probability %q must be a number in (0, 1], such as 0.5 or 1/3", s)
	}
	if !r.Denom().IsInt64() || r.Denom().Int64() > MaxDenominator {
		return Probability{}, fmt.Errorf("max probability %q needs a denominator above %d; round it (for example to three decimals)", s, MaxDenominator)
	}
	return Probability{Num: int32(r.Num().Int64()), Den: int32(r.Denom().Int64())}, nil
}

func (q Probability) String() string {
	return strconv.FormatFloat(float64(q.Num)/float64(q.Den), 'g', -1, 64)
}

// Marginal is one pair's probability of being assigned: Num/Den of the
// Randomized result.
type Marginal struct {
	Pair
	Num int32
}

// Randomized is the answer of SolveRandomized.
type Randomized struct {
	// Q is the largest probability any pair may have.
	Q Probability
	// Marginals are the pairs with a positive probability, by paper then
	// reviewer; each is Num/Q.Den.
	Marginals []Marginal
	// ExpectedCost is the LP optimum: the sum of cost times probability,
	// as the fraction ExpectedCostNum/Q.Den.
	ExpectedCostNum int64
	// Seed drew Sample; the same instance, Q and seed give the same sample.
	Seed   uint64
	Sample *Solution
}

// ExpectedCost is ExpectedCostNum/Q.Den.
func (r *Randomized) ExpectedCost() float64 { return float64(r.ExpectedCostNum) / float64(r.Q.Den) }

// SolveRandomized computes the randomized assignment of Jecmen et al.
// (NeurIPS 2020): the fractional assignment of least expected cost in which
// every pair has probability at most q (a linear program), then one
// integral assignment drawn from it with seed so that every pair is chosen
// with exactly its probability.
//
// The LP is a flow problem: with q = a/b, scaling every demand and load by
// b and giving each pair capacity a turns it into an integral min-cost flow,
// which the network simplex solves exactly (the network matrix is totally
// unimodular, so its integral optimum is the LP's optimum times b). Sample
// draws the assignment by dependent rounding (see there), which keeps every
// paper's demand and every reviewer's load bounds in every draw.
func SolveRandomized(ctx context.Context, pr *Problem, q Probability, seed uint64, progress func(Progress)) (*Randomized, error) {
	if q.Num <= 0 || q.Den <= 0 || q.Num > q.Den || q.Den > MaxDenominator {
		return nil, fmt.Errorf("%w: max probability %d/%d, want a fraction in (0, 1] with denominator at most %d", ErrInvalidProblem, q.Num, q.Den, MaxDenominator)
	}
	if err := pr.Validate(); err != nil {
		return nil, err
	}
	if err := checkCandidates(pr, q); err != nil {
		return nil, err
	}
	scaled, err := scale(pr, q)
	if err != nil {
		return nil, err
	}
	nw, err := solveNetwork(ctx, scaled, progress, options{now: time.Now, tier: firstTierSize})
	if err != nil {
		return nil, err
	}
	res := &Randomized{Q: q, Seed: seed}
	for e, f := range nw.s.flow[:nw.s.m] {
		if a, ok := nw.pairAt(e); ok && f > 0 {
			res.Marginals = append(res.Marginals, Marginal{Pair: a, Num: f})
			res.ExpectedCostNum += a.Cost * int64(f)
		}
	}
	slices.SortFunc(res.Marginals, func(a, b Marginal) int { return cmp.Or(cmp.Compare(a.P, b.P), cmp.Compare(a.R, b.R)) })
	res.Sample = Sample(pr, res.Marginals, q.Den, seed)
	return res, nil
}

// checkCandidates explains, in the caller's units, a paper that cannot get
// its reviews when no pair may exceed probability q: it needs d/q allowed
// reviewers.
func checkCandidates(pr *Problem, q Probability) error {
	count := make([]int64, len(pr.Demand))
	for _, a := range pr.Pairs {
		count[a.P]++
	}
	var notes []string
	var papers []int32
	for p, d := range pr.Demand {
		if count[p]*int64(q.Num) < int64(d)*int64(q.Den) {
			papers = append(papers, int32(p))
			notes = append(notes, fmt.Sprintf("paper %d needs %d reviews but has %d allowed reviewers, and with no pair above probability %s it needs at least %d",
				p, d, count[p], q, (int64(d)*int64(q.Den)+int64(q.Num)-1)/int64(q.Num)))
		}
	}
	if len(papers) == 0 {
		return nil
	}
	return &InfeasibleError{Reason: ReasonPaperCandidates, Papers: papers, LowerMinLoadTo: -1,
		Explanation: listNotes(notes) + "; raise the maximum probability or allow more reviewers for " + plural(len(papers), "this paper", "these papers")}
}

// scale is pr with demands and loads times q.Den and pairs of capacity
// q.Num; a count that would leave the solver's range is refused.
func scale(pr *Problem, q Probability) (*Problem, error) {
	var bad error
	mul := func(xs []int32) []int32 {
		out := make([]int32, len(xs))
		for i, x := range xs {
			v := int64(x) * int64(q.Den)
			if v > MaxCount && bad == nil {
				bad = fmt.Errorf("%w: a demand or load of %d times the probability's denominator %d exceeds %d; use a cap with a smaller denominator", ErrInvalidProblem, x, q.Den, MaxCount)
			}
			out[i] = int32(min(v, MaxCount))
		}
		return out
	}
	s := &Problem{Demand: mul(pr.Demand), MinLoad: mul(pr.MinLoad), MaxLoad: mul(pr.MaxLoad), Pairs: pr.Pairs, PairCap: q.Num}
	return s, bad
}

// Sample draws one assignment from marginals (pair probabilities Num/den)
// by dependent rounding on the bipartite graph (Gandhi, Khuller,
// Parthasarathy and Srinivasan, JACM 2006), in exact integer arithmetic:
// while some pair is fractional, take a cycle of fractional pairs or a
// maximal path of them between two nodes that have one fractional pair
// each, split it into its alternate pairs A and B, and move alpha from B to
// A or beta from A to B, with probabilities beta/(alpha+beta) and
// alpha/(alpha+beta), alpha and beta as large as keep every pair in [0, 1].
// Each step leaves every pair's expected value as it was, so each pair ends
// at 1 with exactly its probability; it leaves the sum at every inner node
// of the cycle or path unchanged, so every paper, whose sum is its demand,
// keeps it; and a path's end changes only while it has one fractional
// pair, so every reviewer's load ends at the floor or the ceiling of its
// expected load, inside its bounds.
func Sample(pr *Problem, marginals []Marginal, den int32, seed uint64) *Solution {
	np := len(pr.Demand)
	rng := rand.New(rand.NewPCG(seed, 0x5ca1ab1e))
	x := make([]int32, len(marginals))
	// adj lists each node's fractional pairs.
	n := np + len(pr.MinLoad)
	deg := make([]int32, n)
	for i, m := range marginals {
		x[i] = m.Num
		if m.Num < den {
			deg[m.P]++
			deg[np+int(m.R)]++
		}
	}
	start := make([]int32, n+1)
	for u := range n {
		start[u+1] = start[u] + deg[u]
	}
	adj := make([]int32, start[n])
	fill := slices.Clone(start[:n])
	for i, m := range marginals {
		if m.Num < den {
			for _, u := range []int{int(m.P), np + int(m.R)} {
				adj[fill[u]] = int32(i)
				fill[u]++
			}
		}
	}
	frac := func(i int32) bool { return x[i] > 0 && x[i] < den }
	other := func(i int32, u int) int {
		if int(marginals[i].P) == u {
			return np + int(marginals[i].R)
		}
		return int(marginals[i].P)
	}
	// fractionalAt returns a fractional pair of u other than skip, or -1.
	// A pair never becomes fractional again, so head[u] moves past the
	// integral ones for good.
	head := slices.Clone(start[:n])
	fractionalAt := func(u int, skip int32) int32 {
		for head[u] < start[u+1] && !frac(adj[head[u]]) {
			head[u]++
		}
		for k := head[u]; k < start[u+1]; k++ {
			if i := adj[k]; i != skip && frac(i) {
				return i
			}
		}
		return -1
	}
	// Ends of maximal paths are nodes with exactly one fractional pair;
	// only reviewers can be such (a paper's sum is whole). Candidates are
	// rechecked when taken.
	ones := []int{}
	for u := np; u < n; u++ {
		if deg[u] > 0 {
			ones = append(ones, u)
		}
	}
	pos := make([]int32, n) // position+1 of a node on the current walk
	var walkNodes []int
	var walk []int32
	next := 0 // every node before it has no fractional pair left
	for {
		// Pick a start: a node with one fractional pair if any, else any
		// node that still has one.
		u := -1
		for len(ones) > 0 && u < 0 {
			v := ones[len(ones)-1]
			ones = ones[:len(ones)-1]
			if f := fractionalAt(v, -1); f >= 0 && fractionalAt(v, f) < 0 {
				u = v
			}
		}
		for u < 0 && next < n {
			if fractionalAt(next, -1) >= 0 {
				u = next
			} else {
				next++
			}
		}
		if u < 0 {
			break
		}
		// Walk until the walk closes a cycle or cannot go on.
		walkNodes, walk = append(walkNodes[:0], u), walk[:0]
		pos[u] = 1
		skip := int32(-1)
		cycleFrom := -1
		for {
			i := fractionalAt(u, skip)
			if i < 0 {
				break
			}
			v := other(i, u)
			walk = append(walk, i)
			if pos[v] > 0 {
				cycleFrom = int(pos[v]) - 1
				break
			}
			walkNodes = append(walkNodes, v)
			pos[v] = int32(len(walkNodes))
			u, skip = v, i
		}
		for _, w := range walkNodes {
			pos[w] = 0
		}
		edges := walk
		if cycleFrom >= 0 {
			edges = walk[cycleFrom:]
		} else if fractionalAt(walkNodes[0], walk[0]) >= 0 {
			// The start had another fractional pair: the path is not
			// maximal at that end. Walk again from its far end, which has
			// only one.
			ones = append(ones, walkNodes[len(walkNodes)-1])
			continue
		}
		alpha, beta := den, den
		for k, i := range edges {
			if k%2 == 0 {
				alpha, beta = min(alpha, den-x[i]), min(beta, x[i])
			} else {
				alpha, beta = min(alpha, x[i]), min(beta, den-x[i])
			}
		}
		d := -beta
		if rng.Int64N(int64(alpha)+int64(beta)) < int64(beta) {
			d = alpha
		}
		for k, i := range edges {
			if k%2 == 0 {
				x[i] += d
			} else {
				x[i] -= d
			}
		}
		// The path's ends may now have a single fractional pair.
		for _, i := range edges {
			m := marginals[i]
			ones = append(ones, np+int(m.R))
		}
	}
	sol := &Solution{}
	for i, m := range marginals {
		if x[i] == den {
			sol.Pairs = append(sol.Pairs, m.Pair)
			sol.Cost += m.Cost
		}
	}
	return sol
}

// RandomisationCost says how much worse the expected cost is than the
// optimum, as a share of the optimum's size: "3.1% of the optimum".
func RandomisationCost(expected float64, optimum int64) string {
	if optimum == 0 {
		return fmt.Sprintf("%.3f (the optimum is 0)", expected)
	}
	return fmt.Sprintf("%.2f%% of the optimum", 100*(expected-float64(optimum))/math.Abs(float64(optimum)))
}

// WriteMarginals writes each pair's probability: "paper reviewer
// probability" per line, by paper then reviewer, after a comment line with
// the cap, the seed and the expected cost.
func WriteMarginals(w io.Writer, r *Randomized) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# max-probability %s seed %d expected-cost %.6f\n", r.Q, r.Seed, r.ExpectedCost())
	for _, m := range r.Marginals {
		fmt.Fprintf(bw, "%d %d %s\n", m.P, m.R, strconv.FormatFloat(float64(m.Num)/float64(r.Q.Den), 'g', 10, 64))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write marginals: %w", err)
	}
	return nil
}
