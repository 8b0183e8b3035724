package affinity

// The scorer's construction as it was before it was made faster (issue 29),
// kept as the reference the faster one must equal bit for bit.

import (
	"math"
	"slices"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// field is one weighted part of a document (a title, the keyword list, the
// papers) as distinct term ids in increasing order with their counts.
type refField struct {
	weight float64
	terms  []int32
	counts []int32
	length int
}

type refDoc []refField

// corpus interns terms and gathers document frequencies while documents are
// added, so the text is tokenised exactly once.
type refCorpus struct {
	vocab  map[string]int32
	df     []int32
	last   []int32 // the last document that counted the term in df
	inSub  []bool
	inRev  []bool
	ndocs  int32
	shared int     // terms on both sides, after weigh; the postings' term ids
	ids    []int32 // scratch for field
}

func newRefCorpus() *refCorpus { return &refCorpus{vocab: make(map[string]int32)} }

func (c *refCorpus) id(term []byte) int32 {
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
func (c *refCorpus) field(weight float64, texts ...string) refField {
	f := refField{weight: weight}
	if weight == 0 {
		return f
	}
	ids := c.ids[:0]
	for _, text := range texts {
		refTerms(text, func(t []byte) { ids = append(ids, c.id(t)) })
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

func (c *refCorpus) add(isSub bool, fields ...refField) refDoc {
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
	return refDoc(fields)
}

// refCombined is a document's terms in id order with, per term, the sum over
// fields of weight*(1+ln count) (lin, sublinear so one repeated word cannot
// dominate a field) and of weight*count (tf, which BM25 saturates itself).
type refCombined struct {
	terms   []int32
	lin, tf []float64
	length  float64
}

// combiner reuses dense per-term buffers across documents; maps would cost
// several times more at conference scale.
type refCombiner struct {
	lin, tf []float64
	seen    []bool
}

func (cb *refCombiner) combine(d refDoc) refCombined {
	var out refCombined
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
func (c *refCorpus) weigh(rawSubs, rawRevs []refDoc, o Options) (subs, revs []vector) {
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
	cb := &refCombiner{lin: make([]float64, len(c.df)), tf: make([]float64, len(c.df)), seen: make([]bool, len(c.df))}
	keep := func(cd refCombined, val func(k int) float64, scale float64) vector {
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
			subs[i] = keep(cd, func(k int) float64 { return cd.lin[k] }, refInverse(best))
		} else {
			subs[i] = refTfidfVector(cd, idf, keep)
		}
	}

	revCombined := make([]refCombined, len(rawRevs))
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
			revs[i] = refTfidfVector(cd, idf, keep)
		}
	}
	return subs, revs
}

func refTfidfVector(cd refCombined, idf []float64, keep func(refCombined, func(int) float64, float64) vector) vector {
	var norm2 float64
	for k, t := range cd.terms {
		w := cd.lin[k] * idf[t]
		norm2 += w * w
	}
	return keep(cd, func(k int) float64 { return cd.lin[k] * idf[cd.terms[k]] }, refInverse(math.Sqrt(norm2)))
}

// inverse is 1/x, or 0 for an empty document, so that a document of only
// stopwords scores 0 rather than NaN.
func refInverse(x float64) float64 {
	if x > 0 {
		return 1 / x
	}
	return 0
}

// terms calls emit with every unigram and bigram of text, in order. Bigrams
// carry the phrases reviewers use for their expertise ("neural operator")
// that the separate words would match far too broadly; they are formed only
// from words adjacent in the text, so a phrase ends at hard punctuation, a
// stopword or a dropped token. The slice passed to emit is reused after it
// returns, which lets the caller look terms up without allocating.
func refTerms(text string, emit func(term []byte)) {
	text = strings.ToLower(norm.NFKC.String(text))
	var (
		buf   []byte
		prev  string // the previous word of the current phrase, "" if none
		start = -1
	)
	word := func(w string) {
		if !keepToken(w) {
			prev = ""
			return
		}
		w = stem(w)
		buf = append(buf[:0], w...)
		emit(buf)
		if prev != "" {
			buf = append(append(append(buf[:0], prev...), ' '), w...)
			emit(buf)
		}
		prev = w
	}
	for i, r := range text {
		if wordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			word(text[start:i])
			start = -1
		}
		if !softSeparator(r) {
			prev = ""
		}
	}
	if start >= 0 {
		word(text[start:])
	}
}

// referenceVectors is what NewScorer computed before: both sides' vectors
// and the number of shared terms (the postings' term ids).
func referenceVectors(subs []Submission, reviewers []Reviewer, opts Options) (subVecs, revVecs []vector, shared int) {
	opts, err := opts.normalised()
	if err != nil {
		panic(err)
	}
	c := newRefCorpus()
	rawSubs := make([]refDoc, len(subs))
	for i, sub := range subs {
		rawSubs[i] = c.add(true,
			c.field(opts.TitleWeight, sub.Title),
			c.field(opts.AbstractWeight, sub.Abstract),
			c.field(opts.KeywordWeight, sub.Keywords...))
	}
	rawRevs := make([]refDoc, len(reviewers))
	for i, r := range reviewers {
		rawRevs[i] = c.add(false,
			c.field(opts.KeywordWeight, r.Keywords...),
			c.field(opts.AbstractWeight, r.Papers...))
	}
	subVecs, revVecs = c.weigh(rawSubs, rawRevs, opts)
	return subVecs, revVecs, c.shared
}

func refBuildPostings(revs []vector, nTerms int) postings {
	p := postings{start: make([]int32, nTerms+1)}
	for _, v := range revs {
		for _, t := range v.terms {
			p.start[t+1]++
		}
	}
	for t := range nTerms {
		p.start[t+1] += p.start[t]
	}
	total := p.start[nTerms]
	p.rev, p.val = make([]int32, total), make([]float64, total)
	next := slices.Clone(p.start[:nTerms])
	for r, v := range revs {
		for k, t := range v.terms {
			p.rev[next[t]], p.val[next[t]] = int32(r), v.vals[k]
			next[t]++
		}
	}
	return p
}
