package affinity

import (
	"math"
	"slices"
)

// field is one weighted part of a document (a title, the keyword list, the
// papers) as distinct term ids in increasing order with their counts.
type field struct {
	weight float64
	terms  []int32
	counts []int32
	length int
}

type doc []field

// corpus interns terms and gathers document frequencies while documents are
// added, so the text is tokenised exactly once.
type corpus struct {
	vocab  map[string]int32
	df     []int32
	last   []int32 // the last document that counted the term in df
	inSub  []bool
	inRev  []bool
	ndocs  int32
	shared int     // terms on both sides, after weigh; the postings' term ids
	ids    []int32 // scratch for field
}

func newCorpus() *corpus { return &corpus{vocab: make(map[string]int32)} }

func (c *corpus) id(term []byte) int32 {
	if id, ok := c.vocab[string(term)]; ok { // no allocation for a lookup
		return id
	}
	id := int32(len(c.df))
	c.vocab[string(term)] = id
	c.df = append(c.df, 0)
	c.last = append(c.last, 0)
	c.inSub = append(c.inSub, false)
	c.inRev = append(c.inRev, false)
	return id
}

// field tokenises texts into one field. Each text is tokenised on its own so
// that no bigram spans two keywords or two papers. A field with weight 0 is
// switched off and does not count towards document frequencies either.
func (c *corpus) field(weight float64, texts ...string) field {
	f := field{weight: weight}
	if weight == 0 {
		return f
	}
	ids := c.ids[:0]
	for _, text := range texts {
		terms(text, func(t []byte) { ids = append(ids, c.id(t)) })
	}
	c.ids = ids
	f.length = len(ids)
	slices.Sort(ids)
	for i := 0; i < len(ids); {
		j := i + 1
		for j < len(ids) && ids[j] == ids[i] {
			j++
		}
		f.terms = append(f.terms, ids[i])
		f.counts = append(f.counts, int32(j-i))
		i = j
	}
	return f
}

func (c *corpus) add(isSub bool, fields ...field) doc {
	c.ndocs++
	for _, f := range fields {
		for _, t := range f.terms {
			if c.last[t] != c.ndocs {
				c.last[t] = c.ndocs
				c.df[t]++
			}
			if isSub {
				c.inSub[t] = true
			} else {
				c.inRev[t] = true
			}
		}
	}
	return doc(fields)
}

// combined is a document's terms in id order with, per term, the sum over
// fields of weight*(1+ln count) (lin, sublinear so one repeated word cannot
// dominate a field) and of weight*count (tf, which BM25 saturates itself).
type combined struct {
	terms   []int32
	lin, tf []float64
	length  float64
}

// combiner reuses dense per-term buffers across documents; maps would cost
// several times more at conference scale.
type combiner struct {
	lin, tf []float64
	seen    []bool
}

func (cb *combiner) combine(d doc) combined {
	var out combined
	for _, f := range d {
		out.length += f.weight * float64(f.length)
		for k, t := range f.terms {
			n := f.counts[k]
			if !cb.seen[t] {
				cb.seen[t] = true
				out.terms = append(out.terms, t)
			}
			cb.lin[t] += f.weight * (1 + math.Log(float64(n)))
			cb.tf[t] += f.weight * float64(n)
		}
	}
	slices.Sort(out.terms)
	out.lin, out.tf = make([]float64, len(out.terms)), make([]float64, len(out.terms))
	for k, t := range out.terms {
		out.lin[k], out.tf[k] = cb.lin[t], cb.tf[t]
		cb.lin[t], cb.tf[t], cb.seen[t] = 0, 0, false
	}
	return out
}

// weigh turns counts into the final vectors. Norms and BM25 denominators use
// all of a document's terms, but the stored vectors keep only terms found on
// both sides (renumbered in the same order): any other term contributes
// nothing to a dot product, and dropping them saves most of the memory.
func (c *corpus) weigh(rawSubs, rawRevs []doc, o Options) (subs, revs []vector) {
	compact := make([]int32, len(c.df))
	for t := range compact {
		compact[t] = -1
		if c.inSub[t] && c.inRev[t] {
			compact[t] = int32(c.shared)
			c.shared++
		}
	}
	n := float64(c.ndocs)
	idf := make([]float64, len(c.df))
	for t, df := range c.df {
		d := float64(df)
		if o.Method == MethodBM25 {
			idf[t] = math.Log(1 + (n-d+0.5)/(d+0.5))
		} else {
			idf[t] = math.Log((1+n)/(1+d)) + 1
		}
	}
	cb := &combiner{lin: make([]float64, len(c.df)), tf: make([]float64, len(c.df)), seen: make([]bool, len(c.df))}
	keep := func(cd combined, val func(k int) float64, scale float64) vector {
		var v vector
		if scale == 0 {
			return v
		}
		for k, t := range cd.terms {
			if compact[t] >= 0 {
				v.terms = append(v.terms, compact[t])
				v.vals = append(v.vals, val(k)*scale)
			}
		}
		return v
	}

	subs = make([]vector, len(rawSubs))
	for i, d := range rawSubs {
		cd := cb.combine(d)
		if o.Method == MethodBM25 {
			// The submission is the query; dividing by its best possible
			// score (every term saturated in the reviewer's profile) maps
			// BM25 onto [0, 1).
			var best float64
			for k, t := range cd.terms {
				best += cd.lin[k] * idf[t] * (o.K1 + 1)
			}
			subs[i] = keep(cd, func(k int) float64 { return cd.lin[k] }, inverse(best))
		} else {
			subs[i] = tfidfVector(cd, idf, keep)
		}
	}

	revCombined := make([]combined, len(rawRevs))
	var totalLen float64
	for i, d := range rawRevs {
		revCombined[i] = cb.combine(d)
		totalLen += revCombined[i].length
	}
	avgLen := 1.0
	if totalLen > 0 {
		avgLen = totalLen / float64(len(rawRevs))
	}
	revs = make([]vector, len(rawRevs))
	for i, cd := range revCombined {
		if o.Method == MethodBM25 {
			norm := o.K1 * (1 - o.B + o.B*cd.length/avgLen)
			revs[i] = keep(cd, func(k int) float64 {
				tf := cd.tf[k]
				return idf[cd.terms[k]] * tf * (o.K1 + 1) / (tf + norm)
			}, 1)
		} else {
			revs[i] = tfidfVector(cd, idf, keep)
		}
	}
	return subs, revs
}

func tfidfVector(cd combined, idf []float64, keep func(combined, func(int) float64, float64) vector) vector {
	var norm2 float64
	for k, t := range cd.terms {
		w := cd.lin[k] * idf[t]
		norm2 += w * w
	}
	return keep(cd, func(k int) float64 { return cd.lin[k] * idf[cd.terms[k]] }, inverse(math.Sqrt(norm2)))
}

// inverse is 1/x, or 0 for an empty document, so that a document of only
// stopwords scores 0 rather than NaN.
func inverse(x float64) float64 {
	if x > 0 {
		return 1 / x
	}
	return 0
}
