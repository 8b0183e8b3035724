package assignment

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// GenConfig describes a synthetic but realistic instance: papers and
// reviewers have topic profiles drawn from a skewed topic popularity (so
// some reviewers are in demand and others are not), affinity is the overlap
// of the profiles plus noise, each paper may go to its Candidates best
// reviewers by affinity, and a share of those pairs carry an eager bid that
// lowers the cost. The same config always yields the same instance.
type GenConfig struct {
	Papers        int
	Reviewers     int
	Reviews       int32   // reviews per paper
	LightReviews  int32   // reviews for the LightFraction of "light" papers
	LightFraction float64 // share of papers needing LightReviews instead
	MinLoad       int32
	MaxLoad       int32
	Candidates    int     // allowed reviewers per paper
	EagerFraction float64 // share of allowed pairs with an eager bid
	Topics        int
	Noise         float64 // weight of random noise in the affinity, 0..1
	Seed          uint64
	// (Whatever the options, a reviewer left with fewer than 2 x MinLoad + 1
	// pairs gets their best papers added, so minimum loads stay reachable;
	// the original presets never need it.)

	// The options below widen the family of instances the solver is
	// measured on (issue 29). Their zero values give the original
	// generator's instances, byte for byte.

	// CostScale, when positive, rescales every cost to 0..CostScale
	// (rounded): 3 gives many ties, 10^6 nearly none.
	CostScale int64
	// UniformCosts draws each pair's cost uniformly from 0..CostScale (or
	// 0..1300) instead of from the affinity and the bid: no structure for
	// the solver to exploit.
	UniformCosts bool
	// Zipf, when positive, skews reviewer popularity: the reviewer of
	// popularity rank k (a random order) has its scores multiplied by
	// 1 + k^-Zipf, so a few reviewers are on nearly every paper's list and
	// most on few.
	Zipf float64
	// Conflicts is the probability that a candidate pair is a conflict of
	// interest and so not allowed; conflicts strike the best candidates
	// (co-authors share topics) twice as often as the rest.
	Conflicts float64
}

// Costs: affinity contributes 0..1000 (1000 = no overlap), a pair without
// an eager bid adds NoBidCost.
const (
	AffinityScale = 1000
	NoBidCost     = 300
)

// NeurIPSConfig is the benchmark instance of issue 7: NeurIPS 2023 size.
func NeurIPSConfig(minLoad int32, seed uint64) GenConfig {
	return GenConfig{
		Papers: 12345, Reviewers: 10000, Reviews: 4, MinLoad: minLoad, MaxLoad: 6,
		Candidates: 100, EagerFraction: 0.2, Topics: 40, Noise: 0.5, Seed: seed,
	}
}

// DLDEConfig is the size of the DLDE III workshop: about 100 papers and 60
// reviewers, 3 reviews for new work and 1 for already published work.
func DLDEConfig(seed uint64) GenConfig {
	return GenConfig{
		Papers: 100, Reviewers: 60, Reviews: 3, LightReviews: 1, LightFraction: 0.2,
		MinLoad: 2, MaxLoad: 6, Candidates: 45, EagerFraction: 0.2, Topics: 8, Noise: 0.3, Seed: seed,
	}
}

// ErrGenConfig rejects generator parameters that are out of range or would
// take unbounded time or memory.
var ErrGenConfig = errors.New("invalid generator config")

func (c GenConfig) validate() error {
	switch {
	case c.Papers < 0 || c.Papers > MaxPapers || c.Reviewers < 0 || c.Reviewers > MaxReviewers:
		return fmt.Errorf("%w: papers and reviewers must be in 0..%d", ErrGenConfig, MaxPapers)
	case c.Candidates < 0 || c.Candidates > c.Reviewers:
		return fmt.Errorf("%w: candidates %d must be in 0..reviewers (%d)", ErrGenConfig, c.Candidates, c.Reviewers)
	case int64(c.Papers)*int64(c.Candidates) > MaxPairs:
		return fmt.Errorf("%w: papers x candidates exceeds %d pairs", ErrGenConfig, MaxPairs)
	case int64(c.Papers)*int64(c.Reviewers) > 1<<31 || int64(c.Reviewers)*int64(c.Topics) > 1<<27:
		// Every paper scores every reviewer over the topics: keep that to
		// seconds and the profiles to half a gigabyte.
		return fmt.Errorf("%w: papers x reviewers must stay below 2^31 and reviewers x topics below 2^27", ErrGenConfig)
	case c.Reviews < 0 || c.LightReviews < 0 || c.Reviews > MaxCount || c.LightReviews > MaxCount:
		return fmt.Errorf("%w: reviews must be in 0..%d", ErrGenConfig, MaxCount)
	case c.MinLoad < 0 || c.MinLoad > c.MaxLoad || c.MaxLoad > MaxCount:
		return fmt.Errorf("%w: loads must satisfy 0 <= min <= max <= %d", ErrGenConfig, MaxCount)
	case c.Topics < 1 || c.Topics > 1000:
		return fmt.Errorf("%w: topics must be in 1..1000", ErrGenConfig)
	case !(c.LightFraction >= 0 && c.LightFraction <= 1 && c.EagerFraction >= 0 && c.EagerFraction <= 1 && c.Noise >= 0 && c.Noise <= 1):
		return fmt.Errorf("%w: fractions and noise must be in [0,1]", ErrGenConfig)
	case c.CostScale < 0 || c.CostScale > MaxCost:
		return fmt.Errorf("%w: cost scale must be in 0..%d", ErrGenConfig, MaxCost)
	case !(c.Zipf >= 0 && c.Zipf <= 10):
		return fmt.Errorf("%w: zipf exponent must be in [0,10]", ErrGenConfig)
	case !(c.Conflicts >= 0 && c.Conflicts <= 0.5):
		return fmt.Errorf("%w: conflicts must be in [0,0.5]", ErrGenConfig)
	}
	return nil
}

// Generate builds the instance described by c.
func Generate(c GenConfig) (*Problem, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(c.Seed, 0x9e3779b97f4a7c15))
	k := c.Topics
	// Topic popularity falls off like a mild power law.
	cum := make([]float64, k)
	var total float64
	for t := range k {
		total += 1 / math.Pow(float64(t+1), 0.5)
		cum[t] = total
	}
	topic := func() int {
		x := rng.Float64() * total
		t, _ := slices.BinarySearch(cum, x)
		return min(t, k-1)
	}
	// Reviewers: two or three expertise topics, weights normalised to 1.
	expertise := make([]float32, c.Reviewers*k)
	for r := range c.Reviewers {
		row := expertise[r*k : (r+1)*k]
		var s float32
		for range 2 + rng.IntN(2) {
			w := float32(0.2 + rng.Float64())
			row[topic()] += w
			s += w
		}
		for t := range row {
			row[t] /= s
		}
	}
	// Popularity: a random order of reviewers, the k-th boosted by k^-Zipf.
	var boost []float32
	if c.Zipf > 0 {
		boost = make([]float32, c.Reviewers)
		for k, r := range rng.Perm(c.Reviewers) {
			boost[r] = 1 + float32(math.Pow(float64(k+1), -c.Zipf))
		}
	}
	maxCost := int64(AffinityScale + NoBidCost)
	scaleCost := func(cost int64) int64 {
		if c.UniformCosts {
			if c.CostScale > 0 {
				return rng.Int64N(c.CostScale + 1)
			}
			return rng.Int64N(maxCost + 1)
		}
		if c.CostScale > 0 {
			return (cost*c.CostScale + maxCost/2) / maxCost
		}
		return cost
	}
	papers := make([]genPaper, c.Papers)
	pr := &Problem{
		Demand:  make([]int32, c.Papers),
		MinLoad: make([]int32, c.Reviewers),
		MaxLoad: make([]int32, c.Reviewers),
		Pairs:   make([]Pair, 0, c.Papers*c.Candidates),
	}
	for r := range c.Reviewers {
		pr.MinLoad[r], pr.MaxLoad[r] = c.MinLoad, c.MaxLoad
	}
	score := make([]float32, c.Reviewers)
	idx := make([]int32, c.Reviewers)
	for p := range c.Papers {
		pr.Demand[p] = c.Reviews
		if rng.Float64() < c.LightFraction {
			pr.Demand[p] = c.LightReviews
		}
		// A main topic and a secondary one.
		t1, t2 := topic(), topic()
		w1 := float32(0.6 + 0.4*rng.Float64())
		papers[p] = genPaper{t1, t2, w1}
		noise := float32(c.Noise)
		for r := range c.Reviewers {
			row := expertise[r*k : (r+1)*k]
			aff := w1*row[t1] + (1-w1)*row[t2]
			score[r] = (1-noise)*aff + noise*rng.Float32()
			if boost != nil {
				score[r] *= boost[r]
			}
			idx[r] = int32(r)
		}
		best := topK(idx, score, c.Candidates)
		if c.Conflicts > 0 {
			// The first half by score is struck at 4/3 of the rate, the
			// second at 2/3: twice as often, the same share overall.
			best = topK(best, score, len(best)/2)[:len(best)]
			kept := best[:0]
			for j, r := range best {
				rate := c.Conflicts * 2 / 3
				if j < len(best)/2 {
					rate *= 2
				}
				if rng.Float64() >= rate {
					kept = append(kept, r)
				}
			}
			best = kept
		}
		slices.Sort(best)
		for _, r := range best {
			a := min(max(score[r], 0), 1)
			cost := int64(math.Round(float64(AffinityScale * (1 - a))))
			if rng.Float64() >= c.EagerFraction {
				cost += NoBidCost
			}
			pr.Pairs = append(pr.Pairs, Pair{P: int32(p), R: r, Cost: scaleCost(cost)})
		}
	}
	if c.MinLoad > 0 {
		addReviewerPairs(pr, c, papers, expertise, rng, scaleCost)
	}
	return pr, nil
}

// genPaper is a generated paper's topic profile: weight W1 on T1, the rest
// on T2.
type genPaper struct {
	T1, T2 int
	W1     float32
}

// addReviewerPairs gives every reviewer left with fewer than 2 x MinLoad + 1
// pairs their best papers by affinity (plus noise) until they have that
// many, then sorts the pairs by paper and reviewer.
func addReviewerPairs(pr *Problem, c GenConfig, papers []genPaper, expertise []float32, rng *rand.Rand, scaleCost func(int64) int64) {
	want := int(2*c.MinLoad + 1)
	deg := make([]int, c.Reviewers)
	for _, a := range pr.Pairs {
		deg[a.R]++
	}
	short := false
	for _, d := range deg {
		short = short || d < want
	}
	if !short {
		return
	}
	has := make(map[[2]int32]bool)
	for _, a := range pr.Pairs {
		if deg[a.R] < want {
			has[[2]int32{a.P, a.R}] = true
		}
	}
	k := c.Topics
	score := make([]float32, len(papers))
	idx := make([]int32, len(papers))
	noise := float32(c.Noise)
	for r := range c.Reviewers {
		if deg[r] >= want {
			continue
		}
		row := expertise[r*k : (r+1)*k]
		for p, g := range papers {
			aff := g.W1*row[g.T1] + (1-g.W1)*row[g.T2]
			score[p] = (1-noise)*aff + noise*rng.Float32()
			idx[p] = int32(p)
		}
		for _, p := range topK(idx, score, min(len(papers), 2*want)) {
			if deg[r] >= want || has[[2]int32{p, int32(r)}] {
				continue
			}
			a := min(max(score[p], 0), 1)
			cost := int64(math.Round(float64(AffinityScale*(1-a)))) + NoBidCost
			pr.Pairs = append(pr.Pairs, Pair{P: p, R: int32(r), Cost: scaleCost(cost)})
			deg[r]++
		}
	}
	slices.SortFunc(pr.Pairs, func(a, b Pair) int {
		if a.P != b.P {
			return int(a.P - b.P)
		}
		return int(a.R - b.R)
	})
}

// topK reorders idx so its first n entries are those with the highest
// score (quickselect, linear on average) and returns them. Ties are broken
// by the deterministic pivot sequence, so the result is reproducible.
func topK(idx []int32, score []float32, n int) []int32 {
	lo, hi := 0, len(idx)
	for hi-lo > 1 && n > lo && n < hi {
		pv := score[idx[lo+(hi-lo)/2]]
		i, j := lo, hi-1
		for i <= j {
			for score[idx[i]] > pv {
				i++
			}
			for score[idx[j]] < pv {
				j--
			}
			if i <= j {
				idx[i], idx[j] = idx[j], idx[i]
				i++
				j--
			}
		}
		if n <= j {
			hi = j + 1
		} else if n >= i {
			lo = i
		} else {
			break
		}
	}
	return idx[:n]
}
