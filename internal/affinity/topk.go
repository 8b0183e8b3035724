package affinity

import (
	"context"
	"runtime"
	"slices"
	"sync"
)

// scratch is one goroutine's accumulator over all reviewers. It is dense:
// clearing and scanning R floats per submission costs less than tracking
// which reviewers were touched, because common words touch nearly all.
type scratch struct {
	acc  []float64
	heap []int32
}

func newScratch(nRevs int) *scratch { return &scratch{acc: make([]float64, nRevs)} }

// accumulate adds the submission's dot product with every reviewer sharing
// a term, term by term in id order, which is the order dot uses: TopK's
// scores equal Score's exactly.
func (s *Scorer) accumulate(acc []float64, q vector) {
	clear(acc)
	for k, t := range q.terms {
		qv := q.vals[k]
		lo, hi := s.post.start[t], s.post.start[t+1]
		revs, vals := s.post.rev[lo:hi], s.post.val[lo:hi]
		vals = vals[:len(revs)]
		for p, r := range revs {
			acc[r] += float64(qv * vals[p])
		}
	}
}

// TopK returns the k reviewers with the highest scores for a submission,
// best first, ties broken by reviewer id. Reviewers with score 0 share no
// term with the submission and are left out, so fewer than k may come back;
// an unknown submission gives nil. The cost is proportional to the postings
// of the submission's terms, not to the number of reviewers.
func (s *Scorer) TopK(subID string, k int) []Match {
	return s.TopKWhere(subID, k, nil)
}

// TopKWhere is TopK over the reviewers for which allowed returns true (nil
// allows all), so conflicted reviewers do not take up candidate slots.
func (s *Scorer) TopKWhere(subID string, k int, allowed func(revID string) bool) []Match {
	i, ok := s.subIdx[subID]
	if !ok || k <= 0 {
		return nil
	}
	sc := s.pool.Get().(*scratch)
	defer s.pool.Put(sc)
	return s.topK(sc, i, k, allowed)
}

func (s *Scorer) topK(sc *scratch, sub, k int, allowed func(string) bool) []Match {
	s.accumulate(sc.acc, s.subs[sub])
	// better orders by score, then by reviewer id, so results do not
	// depend on the order reviewers were given in.
	better := func(a, b int32) bool {
		if sc.acc[a] != sc.acc[b] {
			return sc.acc[a] > sc.acc[b]
		}
		return s.revRank[a] < s.revRank[b]
	}
	// h is a min-heap of the best k so far: h[0] is the worst kept.
	h := sc.heap[:0]
	down := func(i int) {
		for {
			l, m := 2*i+1, i
			if l < len(h) && better(h[m], h[l]) {
				m = l
			}
			if r := l + 1; r < len(h) && better(h[m], h[r]) {
				m = r
			}
			if m == i {
				return
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
	}
	for r, v := range sc.acc {
		r := int32(r)
		if v <= 0 || (allowed != nil && !allowed(s.revIDs[r])) {
			continue
		}
		if len(h) < k {
			h = append(h, r)
			for i := len(h) - 1; i > 0; {
				p := (i - 1) / 2
				if !better(h[p], h[i]) {
					break
				}
				h[i], h[p] = h[p], h[i]
				i = p
			}
			continue
		}
		if better(r, h[0]) {
			h[0] = r
			down(0)
		}
	}
	sc.heap = h
	slices.SortFunc(h, func(a, b int32) int {
		if better(a, b) {
			return -1
		}
		if better(b, a) {
			return 1
		}
		return 0
	})
	out := make([]Match, len(h))
	for n, r := range h {
		out[n] = Match{RevID: s.revIDs[r], Score: clamp01(sc.acc[r])}
	}
	return out
}

// AllTopK runs TopK for every submission on all cores; this is how the
// assignment's candidate pairs are built at conference scale. progress, if
// not nil, is called at most about a hundred times, in order, with the
// number of submissions done; it must be quick. Cancelling ctx stops the
// work and returns ctx's error.
func (s *Scorer) AllTopK(ctx context.Context, k int, progress func(done, total int)) (map[string][]Match, error) {
	total := len(s.subIDs)
	results := make([][]Match, total)
	every := max(1, (total+99)/100)
	var (
		mu   sync.Mutex
		next int
		done int
		wg   sync.WaitGroup
	)
	claim := func() int {
		mu.Lock()
		defer mu.Unlock()
		if next >= total || ctx.Err() != nil {
			return -1
		}
		next++
		return next - 1
	}
	finish := func() {
		mu.Lock()
		defer mu.Unlock()
		done++
		if progress != nil && (done%every == 0 || done == total) {
			progress(done, total)
		}
	}
	workers := min(runtime.GOMAXPROCS(0), max(1, total))
	for range workers {
		wg.Go(func() {
			sc := s.pool.Get().(*scratch)
			defer s.pool.Put(sc)
			for i := claim(); i >= 0; i = claim() {
				if k > 0 {
					results[i] = s.topK(sc, i, k, nil)
				}
				finish()
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make(map[string][]Match, total)
	for i, id := range s.subIDs {
		out[id] = results[i]
	}
	return out, nil
}
