package affinity

import (
	"math"
	"slices"
)

// field is one weighted part of a document (a title, the keyword list, the
// papers) as its term ids in increasing order (once addAll has sorted
// them), a term repeated once per
// occurrence: the runs are the counts, and len(ids) the field's length.
type field struct {
	weight float64
	ids    []int32
}

type doc []field

// corpus interns terms and gathers document frequencies while documents are
// added, so the text is tokenised exactly once.
//
// Term ids are handed out in order of first occurrence, unigrams and
// bigrams alike, and a document's terms are summed in id order: the order
// fixes the rounding of every score, so it must not change. At conference
// scale there are about two million distinct terms, nearly all of them
// bigrams, so a bigram is interned by its two words' stem indices (one
// integer key, no string kept) and a word as written is looked up once per
// spelling, not stopword-checked and stemmed again at each occurrence.
type corpus struct {
	stemTerm []int32   // a stem's term id, -1 until its first occurrence is counted
	bigram   pairTable // a bigram's term id by its words' stem indices
	df       []int32
	last     []int32 // the last document that counted the term in df
	inSub    []bool
	revDF    []int32 // reviewers with the term: its postings' length
	ndocs    int32
	shared   int // terms on both sides, after weigh; the postings' term ids

	ids []int32 // scratch for field
	mem arena[int32]
}

func newCorpus() *corpus { return &corpus{} }

func (c *corpus) newTerm() int32 {
	id := int32(len(c.df))
	c.df = append(c.df, 0)
	c.last = append(c.last, 0)
	c.inSub = append(c.inSub, false)
	c.revDF = append(c.revDF, 0)
	return id
}

// reader turns texts into words' stem indices; NewScorer runs it on a
// goroutine of its own, a few thousand documents ahead of the corpus,
// which hands out the term ids. Stem indices follow the stems' first
// appearance; term ids are given in the corpus's pass, in text order.
type reader struct {
	stems map[string]int32 // a stem's index
	words wordTable        // a lowercased word as written: its stem's index, -1 if dropped
	sc    scanner
}

func newReader() *reader { return &reader{stems: map[string]int32{}} }

// read appends text's words to toks as stem indices, -1 for a word that is
// dropped and before each phrase (the text's first included, so that no
// bigram spans two texts). See scanner for what a word is.
func (r *reader) read(text string, toks []int32) []int32 {
	r.sc.reset(text)
	toks = append(toks, -1)
	for {
		w, broke, ok := r.sc.next()
		if !ok {
			return toks
		}
		if broke {
			toks = append(toks, -1)
		}
		toks = append(toks, r.words.value(w, r.newWord))
	}
}

func (r *reader) newWord(w []byte) int32 {
	s := string(w)
	if !keepToken(s) {
		return -1
	}
	st := stem(s)
	i, ok := r.stems[st]
	if !ok {
		i = int32(len(r.stems))
		r.stems[st] = i
	}
	return i
}

// terms appends to c.ids the term ids of a field's words (reader.read's
// stem indices): each kept word's stem and, after it, the bigram with the
// previous word when the two are adjacent (only spaces, hyphens, slashes
// or apostrophes between them, and no word dropped in between).
//
// Every bigram's slot of the table is touched before any is looked up: the
// reads do not depend on each other, so the processor fetches those cache
// lines at once instead of waiting for each in turn.
func (c *corpus) terms(toks []int32) {
	c.bigram.touch(toks)
	prev := int32(-1)
	for _, s := range toks {
		if s < 0 {
			prev = -1
			continue
		}
		for int(s) >= len(c.stemTerm) {
			c.stemTerm = append(c.stemTerm, -1)
		}
		t := c.stemTerm[s]
		if t < 0 {
			t = c.newTerm()
			c.stemTerm[s] = t
		}
		c.ids = append(c.ids, t)
		if prev >= 0 {
			c.ids = append(c.ids, c.bigram.id(prev, s, c.newTerm))
		}
		prev = s
	}
}

// field makes one field of a document from its words (reader.read's, for
// every text of the field). A field with weight 0 is switched off: it was
// not read, and does not count towards document frequencies either.
func (c *corpus) field(weight float64, toks []int32) field {
	f := field{weight: weight}
	if weight == 0 {
		return f
	}
	c.ids = c.ids[:0]
	c.terms(toks)
	f.ids = c.mem.copy(c.ids) // sorted later, off the text's path (addAll)
	return f
}

func (c *corpus) add(isSub bool, fields []field) doc {
	c.ndocs++
	for _, f := range fields {
		for _, t := range f.ids {
			if c.last[t] != c.ndocs {
				c.last[t] = c.ndocs
				c.df[t]++
				if !isSub {
					c.revDF[t]++
				}
			}
			if isSub {
				c.inSub[t] = true
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

// onePlusLog holds 1+ln(n) for the counts nearly every term has.
var onePlusLog = func() (t [64]float64) {
	for n := 1; n < len(t); n++ {
		t[n] = 1 + math.Log(float64(n))
	}
	return t
}()

// combine merges the document's fields (each sorted) into out, reusing its
// buffers. The sums run over fields in their order, as they always have.
func combine(d doc, out *combined) {
	out.terms, out.lin, out.tf, out.length = out.terms[:0], out.lin[:0], out.tf[:0], 0
	var pos [3]int
	if len(d) > len(pos) {
		panic("affinity: a document has more fields than combine merges")
	}
	for _, f := range d {
		out.length += f.weight * float64(len(f.ids))
	}
	for {
		t := int32(math.MaxInt32)
		found := false
		for i, f := range d {
			if p := pos[i]; p < len(f.ids) && (!found || f.ids[p] < t) {
				t, found = f.ids[p], true
			}
		}
		if !found {
			return
		}
		var lin, tf float64
		for i, f := range d {
			p := pos[i]
			if p >= len(f.ids) || f.ids[p] != t {
				continue
			}
			e := p + 1
			for e < len(f.ids) && f.ids[e] == t {
				e++
			}
			n := e - p
			pos[i] = e
			var l float64
			if n < len(onePlusLog) {
				l = onePlusLog[n]
			} else {
				l = 1 + math.Log(float64(n))
			}
			lin += f.weight * l
			tf += f.weight * float64(n)
		}
		out.terms = append(out.terms, t)
		out.lin = append(out.lin, lin)
		out.tf = append(out.tf, tf)
	}
}

// weigh turns counts into the submissions' vectors and the reviewers'
// postings. Norms and BM25 denominators use all of a document's terms, but
// only terms found on both sides are stored (renumbered in the same order):
// any other term contributes nothing to a score, and dropping them saves
// most of the memory. The reviewers' side goes straight into the postings,
// whose lengths are known from the counts, never through a vector each.
func (c *corpus) weigh(rawSubs, rawRevs []doc, o Options) (subs []vector, post postings) {
	compact := make([]int32, len(c.df))
	for t := range compact {
		compact[t] = -1
		if c.inSub[t] && c.revDF[t] > 0 {
			compact[t] = int32(c.shared)
			c.shared++
		}
	}
	post.start = make([]int32, c.shared+1)
	for t, k := range compact {
		if k >= 0 {
			post.start[k+1] = post.start[k] + c.revDF[t]
		}
	}
	post.rev = make([]int32, post.start[c.shared])
	post.val = make([]float64, len(post.rev))
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
	// The submissions' vectors and the reviewers' postings are made side
	// by side: they share only what is read (compact, idf), and each half
	// merges documents into its own scratch.
	done := make(chan struct{})
	go func() {
		subs = weighSubs(rawSubs, compact, idf, o)
		close(done)
	}()
	post.weighRevs(rawRevs, compact, idf, o)
	<-done
	return subs, post
}

// tfidf is a combined document's TF-IDF values and the scale that makes
// them a unit vector.
func tfidf(cd *combined, idf []float64) (val func(k int) float64, scale float64) {
	var norm2 float64
	for k, t := range cd.terms {
		w := cd.lin[k] * idf[t]
		norm2 += w * w
	}
	return func(k int) float64 { return cd.lin[k] * idf[cd.terms[k]] }, inverse(math.Sqrt(norm2))
}

// weighSubs makes the submissions' vectors of shared terms (compact's).
func weighSubs(rawSubs []doc, compact []int32, idf []float64, o Options) []vector {
	var (
		cd       combined
		termsMem arena[int32]
		valsMem  arena[float64]
		vt       []int32
		vv       []float64
	)
	// keep stores the shared terms' values (val(k) times scale) in the
	// arenas; the vector of an empty document stays nil.
	keep := func(val func(k int) float64, scale float64) vector {
		if scale == 0 {
			return vector{}
		}
		vt, vv = vt[:0], vv[:0]
		for k, t := range cd.terms {
			if compact[t] >= 0 {
				vt = append(vt, compact[t])
				vv = append(vv, val(k)*scale)
			}
		}
		if len(vt) == 0 {
			return vector{}
		}
		return vector{terms: termsMem.copy(vt), vals: valsMem.copy(vv)}
	}
	subs := make([]vector, len(rawSubs))
	for i, d := range rawSubs {
		combine(d, &cd)
		if o.Method == MethodBM25 {
			// The submission is the query; dividing by its best possible
			// score (every term saturated in the reviewer's profile) maps
			// BM25 onto [0, 1).
			var best float64
			for k, t := range cd.terms {
				best += cd.lin[k] * idf[t] * (o.K1 + 1)
			}
			subs[i] = keep(func(k int) float64 { return cd.lin[k] }, inverse(best))
		} else {
			subs[i] = keep(tfidf(&cd, idf))
		}
	}
	return subs
}

// weighRevs writes the reviewers' values of shared terms into the
// postings, whose start weigh has laid out.
func (post *postings) weighRevs(rawRevs []doc, compact []int32, idf []float64, o Options) {
	var totalLen float64
	for _, d := range rawRevs {
		var length float64
		for _, f := range d {
			length += f.weight * float64(len(f.ids))
		}
		totalLen += length
	}
	avgLen := 1.0
	if totalLen > 0 {
		avgLen = totalLen / float64(len(rawRevs))
	}
	var cd combined
	next := slices.Clone(post.start[:len(post.start)-1])
	// put writes the reviewer's shared terms' values (val(k) times scale)
	// into the postings, as keep stores a submission's.
	put := func(r int, val func(k int) float64, scale float64) {
		if scale == 0 {
			return
		}
		for k, t := range cd.terms {
			if ct := compact[t]; ct >= 0 {
				post.rev[next[ct]], post.val[next[ct]] = int32(r), val(k)*scale
				next[ct]++
			}
		}
	}
	for i, d := range rawRevs {
		combine(d, &cd)
		if o.Method == MethodBM25 {
			norm := o.K1 * (1 - o.B + o.B*cd.length/avgLen)
			put(i, func(k int) float64 {
				tf := cd.tf[k]
				return idf[cd.terms[k]] * tf * (o.K1 + 1) / (tf + norm)
			}, 1)
		} else {
			val, scale := tfidf(&cd, idf)
			put(i, val, scale)
		}
	}
}

// inverse is 1/x, or 0 for an empty document, so that a document of only
// stopwords scores 0 rather than NaN.
func inverse(x float64) float64 {
	if x > 0 {
		return 1 / x
	}
	return 0
}

// arena hands out slices copied into large shared blocks, so that millions
// of small per-document slices cost neither an allocation each nor the
// garbage of growing them. Blocks start small (a workshop needs little) and
// double up to a million elements.
type arena[T any] struct {
	block []T
	next  int
}

func (a *arena[T]) copy(src []T) []T {
	if len(src) == 0 {
		return nil
	}
	if len(src) > cap(a.block)-len(a.block) {
		a.next = min(max(2*a.next, 4096), 1<<20)
		a.block = make([]T, 0, max(a.next, len(src)))
	}
	n := len(a.block)
	a.block = append(a.block, src...)
	return a.block[n:len(a.block):len(a.block)]
}
