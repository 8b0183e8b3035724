// Package affinity scores how well a reviewer's stated expertise matches a
// submission, from text alone, so bidding lists can be sorted and the
// assignment solver has a cost without any model download.
//
// Both sides become sparse term vectors (stemmed unigrams plus bigrams of
// adjacent words). Every field has a weight, and a term's weight is the sum
// over fields, so the score of a shared term is the product of the two field
// weights: a reviewer keyword matching a submission keyword (3 x 3 by
// default) counts far more than the same word in a title (2 x 3) or an
// abstract (1 x 3). Corpus statistics (document frequencies over all
// submissions and reviewers) are computed once in NewScorer; every score
// afterwards is a dot product of two precomputed vectors, so Score, All and
// TopK agree to the last bit.
package affinity

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
)

var (
	// ErrBadOptions reports weights or a method NewScorer cannot use.
	ErrBadOptions = errors.New("affinity: bad options")
	// ErrDuplicateID reports two submissions or two reviewers with one id,
	// which would make Score ambiguous.
	ErrDuplicateID = errors.New("affinity: duplicate id")
)

// Methods accepted in Options.Method.
const (
	MethodTFIDF = "tfidf"
	MethodBM25  = "bm25"
)

// Defaults chosen so that keyword-to-keyword evidence dominates: reviewers
// describe themselves with keywords, and authors pick keywords from the same
// vocabulary, while abstracts are long and noisy.
const (
	DefaultTitleWeight    = 2
	DefaultKeywordWeight  = 3
	DefaultAbstractWeight = 1
	DefaultK1             = 1.2
	DefaultB              = 0.75
)

// Options tunes the scorer. A zero Options means tfidf with the default
// weights; if any weight is set, all three are taken as given, so a chair can
// switch a field off with 0.
type Options struct {
	TitleWeight, KeywordWeight, AbstractWeight float64
	// Method is MethodTFIDF (cosine, symmetric) or MethodBM25 (the submission
	// is the query, the reviewer profile the document). Empty means tfidf.
	Method string
	// K1 and B are the BM25 saturation and length-normalisation parameters;
	// zero means the usual 1.2 and 0.75.
	K1, B float64
}

func (o Options) normalised() (Options, error) {
	if o.TitleWeight == 0 && o.KeywordWeight == 0 && o.AbstractWeight == 0 {
		o.TitleWeight, o.KeywordWeight, o.AbstractWeight = DefaultTitleWeight, DefaultKeywordWeight, DefaultAbstractWeight
	}
	for _, f := range []struct {
		name string
		w    float64
	}{{"title", o.TitleWeight}, {"keyword", o.KeywordWeight}, {"abstract", o.AbstractWeight}} {
		if f.w < 0 || math.IsNaN(f.w) || math.IsInf(f.w, 0) {
			return o, fmt.Errorf("%w: %s weight %v must be a finite number >= 0", ErrBadOptions, f.name, f.w)
		}
	}
	switch o.Method {
	case "":
		o.Method = MethodTFIDF
	case MethodTFIDF, MethodBM25:
	default:
		return o, fmt.Errorf("%w: method %q (want %q or %q)", ErrBadOptions, o.Method, MethodTFIDF, MethodBM25)
	}
	if o.K1 == 0 {
		o.K1 = DefaultK1
	}
	if o.B == 0 {
		o.B = DefaultB
	}
	if !(o.K1 > 0) || math.IsInf(o.K1, 0) || !(o.B >= 0 && o.B <= 1) {
		return o, fmt.Errorf("%w: bm25 k1=%v b=%v (want k1 > 0, 0 <= b <= 1)", ErrBadOptions, o.K1, o.B)
	}
	return o, nil
}

// Submission is the text of a submission that reviewers may see during
// bidding; authors are deliberately absent.
type Submission struct {
	ID       string
	Title    string
	Abstract string
	Keywords []string
}

// Reviewer is a reviewer's expertise: their keywords and the abstracts of
// their own submissions or listed papers (weighted like abstracts).
type Reviewer struct {
	ID       string
	Keywords []string
	Papers   []string
}

// Match is one reviewer's score for a submission.
type Match struct {
	RevID string
	Score float64
}

// vector is a sparse vector sorted by term id.
type vector struct {
	terms []int32
	vals  []float64
}

// postings is the reviewer side transposed (an inverted index in CSR form),
// so a submission's scores against all reviewers touch only reviewers that
// share a term with it.
type postings struct {
	start []int32 // term t's entries are rev[start[t]:start[t+1]]
	rev   []int32
	val   []float64
}

// Scorer holds precomputed vectors; it is safe for concurrent use.
type Scorer struct {
	opts    Options
	subIDs  []string
	revIDs  []string
	subIdx  map[string]int
	revIdx  map[string]int
	subs    []vector // already scaled so that a dot product is the score
	post    postings
	revRank []int32 // position of each reviewer in RevID order, for tie-breaks
	pool    sync.Pool
}

// NewScorer tokenises every document once and builds the corpus statistics.
// Document frequencies count submissions and reviewers alike, because a
// workshop has too few reviewers for their profiles alone to tell common
// words from rare ones.
func NewScorer(subs []Submission, reviewers []Reviewer, opts Options) (*Scorer, error) {
	opts, err := opts.normalised()
	if err != nil {
		return nil, err
	}
	s := &Scorer{
		opts:   opts,
		subIDs: make([]string, len(subs)),
		revIDs: make([]string, len(reviewers)),
		subIdx: make(map[string]int, len(subs)),
		revIdx: make(map[string]int, len(reviewers)),
	}
	for i, sub := range subs {
		if _, dup := s.subIdx[sub.ID]; dup {
			return nil, fmt.Errorf("%w: submission %q", ErrDuplicateID, sub.ID)
		}
		s.subIdx[sub.ID], s.subIDs[i] = i, sub.ID
	}
	for i, r := range reviewers {
		if _, dup := s.revIdx[r.ID]; dup {
			return nil, fmt.Errorf("%w: reviewer %q", ErrDuplicateID, r.ID)
		}
		s.revIdx[r.ID], s.revIDs[i] = i, r.ID
	}

	c := newCorpus()
	rawSubs, rawRevs := c.addAll(subs, reviewers, opts)
	// The dictionaries are done with (the reader's went with its
	// goroutine). At conference scale they are a third of the heap (the
	// bigrams' table alone is 50 MB), and the vectors about to be made are
	// as big: collected now, their memory is reused for the
	// vectors instead of the heap growing to hold both, which keeps the
	// peak near 200 MB rather than 300. A workshop's are far too small to
	// be worth a collection.
	big := len(c.bigram.slots) >= 1<<20
	c.stemTerm, c.bigram, c.last = nil, pairTable{}, nil
	if big {
		runtime.GC()
	}
	s.subs, s.post = c.weigh(rawSubs, rawRevs, opts)
	s.revRank = rankByID(s.revIDs)
	s.pool.New = func() any { return newScratch(len(s.revIDs)) }
	return s, nil
}

// SubmissionIDs returns the submissions in input order (the rows of All).
func (s *Scorer) SubmissionIDs() []string { return slices.Clone(s.subIDs) }

// ReviewerIDs returns the reviewers in input order (the columns of All).
func (s *Scorer) ReviewerIDs() []string { return slices.Clone(s.revIDs) }

// Score returns the affinity in [0, 1] of a submission and a reviewer; 0 for
// an unknown id, since the caller treats a missing profile as no evidence.
func (s *Scorer) Score(subID, revID string) float64 {
	i, ok := s.subIdx[subID]
	j, ok2 := s.revIdx[revID]
	if !ok || !ok2 {
		return 0
	}
	return s.score(i, int32(j))
}

// score is one pair's dot product, the submission's terms in order, each
// reviewer found in the term's postings (in reviewer order) by bisection:
// the same products summed in the same order as All and TopK sum them.
func (s *Scorer) score(sub int, rev int32) float64 {
	q := s.subs[sub]
	var sum float64
	for k, t := range q.terms {
		lo, hi := s.post.start[t], s.post.start[t+1]
		revs := s.post.rev[lo:hi]
		if p, found := slices.BinarySearch(revs, rev); found {
			sum += float64(q.vals[k] * s.post.val[int(lo)+p])
		}
	}
	return clamp01(sum)
}

// Matrix holds every pair's score, row-major: Scores[i*len(RevIDs)+j] is
// submission SubIDs[i] against reviewer RevIDs[j].
type Matrix struct {
	SubIDs []string
	RevIDs []string
	Scores []float64
}

// At returns the score of submission row i and reviewer column j.
func (m Matrix) At(i, j int) float64 { return m.Scores[i*len(m.RevIDs)+j] }

// All scores every pair. It is meant for workshop sizes (a 100 x 60 matrix);
// at conference scale use TopK or AllTopK, which never materialise the
// dense matrix.
func (s *Scorer) All() Matrix {
	nr := len(s.revIDs)
	m := Matrix{SubIDs: s.SubmissionIDs(), RevIDs: s.ReviewerIDs(), Scores: make([]float64, len(s.subIDs)*nr)}
	for i, q := range s.subs {
		row := m.Scores[i*nr : (i+1)*nr]
		for k, t := range q.terms {
			qv := q.vals[k]
			for p := s.post.start[t]; p < s.post.start[t+1]; p++ {
				// The explicit conversion forbids a fused multiply-add, so
				// this sum is bit-identical to score's.
				row[s.post.rev[p]] += float64(qv * s.post.val[p])
			}
		}
		for j := range row {
			row[j] = clamp01(row[j])
		}
	}
	return m
}

// clamp01 absorbs rounding: a cosine of identical vectors may come out as
// 1 + 2e-16.
func clamp01(x float64) float64 {
	switch {
	case x > 1:
		return 1
	case x > 0:
		return x
	}
	return 0
}

func rankByID(ids []string) []int32 {
	order := make([]int, len(ids))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case ids[a] < ids[b]:
			return -1
		case ids[a] > ids[b]:
			return 1
		}
		return 0
	})
	rank := make([]int32, len(ids))
	for pos, i := range order {
		rank[i] = int32(pos)
	}
	return rank
}
