package affinity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestSameVectorsAsReference holds the faster construction to the one it
// replaced: on every input of a varied family and every method and weight
// setting, each document's vector has the same terms in the same order and
// the same values to the last bit, so every score, ranking and tie is as
// before.
func TestSameVectorsAsReference(t *testing.T) {
	t.Parallel()
	type corpusCase struct {
		name string
		subs []Submission
		revs []Reviewer
	}
	var cases []corpusCase
	ws, wr := workshop()
	cases = append(cases, corpusCase{"workshop", ws, wr})
	for seed := range uint64(4) {
		s, r := synthetic(60+int(seed)*40, 30+int(seed)*25, 100+seed)
		cases = append(cases, corpusCase{fmt.Sprintf("synthetic/%d", seed), s, r})
	}
	for seed := range uint64(6) {
		s, r := messy(40, 25, seed)
		cases = append(cases, corpusCase{fmt.Sprintf("messy/%d", seed), s, r})
	}
	cases = append(cases,
		corpusCase{"empty", nil, nil},
		corpusCase{"stopwords only", []Submission{{ID: "a", Title: "We propose a novel approach."}, {ID: "b"}},
			[]Reviewer{{ID: "x", Keywords: []string{"the", "of"}}, {ID: "y"}}})
	options := []Options{
		{},
		{Method: MethodBM25},
		{Method: MethodBM25, K1: 2, B: 0.3},
		{TitleWeight: 0, KeywordWeight: 1, AbstractWeight: 0.5},
		{TitleWeight: 1.5, KeywordWeight: 0, AbstractWeight: 2, Method: MethodBM25},
	}
	for _, cc := range cases {
		for oi, o := range options {
			t.Run(fmt.Sprintf("%s/options%d", cc.name, oi), func(t *testing.T) {
				t.Parallel()
				s := mustScorer(t, cc.subs, cc.revs, o)
				wantSubs, wantRevs, shared := referenceVectors(cc.subs, cc.revs, o)
				sameVectors(t, "submission", s.subs, wantSubs)
				samePostings(t, s.post, refBuildPostings(wantRevs, shared))
			})
		}
	}
}

func sameVectors(t *testing.T, side string, got, want []vector) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d %s vectors, reference %d", len(got), side, len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if len(g.terms) != len(w.terms) || len(g.vals) != len(w.vals) {
			t.Fatalf("%s %d: %d terms, reference %d", side, i, len(g.terms), len(w.terms))
		}
		for k := range g.terms {
			if g.terms[k] != w.terms[k] || math.Float64bits(g.vals[k]) != math.Float64bits(w.vals[k]) {
				t.Fatalf("%s %d, entry %d: term %d = %v, reference term %d = %v", side, i, k, g.terms[k], g.vals[k], w.terms[k], w.vals[k])
			}
		}
	}
}

// samePostings compares the reviewers' side: each term's reviewers in the
// same order with the same values to the last bit.
func samePostings(t *testing.T, got, want postings) {
	t.Helper()
	if !slices.Equal(got.start, want.start) || !slices.Equal(got.rev, want.rev) {
		t.Fatalf("postings: %d terms, %d entries; reference %d terms, %d entries, or their reviewers differ", len(got.start)-1, len(got.rev), len(want.start)-1, len(want.rev))
	}
	for k := range got.val {
		if math.Float64bits(got.val[k]) != math.Float64bits(want.val[k]) {
			t.Fatalf("postings entry %d (reviewer %d) = %v, reference %v", k, got.rev[k], got.val[k], want.val[k])
		}
	}
}

// messy makes text the synthetic corpus lacks: capitals, accents and
// compatibility characters that NFKC folds, hyphens, slashes, apostrophes
// and typographic dashes inside phrases, hard punctuation, numbers, words
// mixing digits and letters, inflections the stemmer strips, stopwords, and
// a word repeated often enough that its count leaves the logarithm table.
func messy(nSubs, nRevs int, seed uint64) ([]Submission, []Reviewer) {
	rng := rand.New(rand.NewPCG(seed, 77))
	vocab := []string{"Neural", "networks", "operator", "Operators", "physics", "informed", "PINNs", "embedding", "embeddings",
		"sampled", "studies", "processes", "Schrödinger", "équations", "ﬁnite", "ＦＬＯＷ", "3D", "l2", "2023", "x",
		"the", "of", "propose", "and", "Gaussian", "process", "priors", "turbulence", "mesh", "meshes", "graph",
		"naïve", "Straße", "µ-law", "résumé", "cafe\u0301", "ΔΣ", "Navier", "Stokes", "Fourier", "1990s", "R9", "IEEE-754"}
	seps := []string{" ", " ", " ", "-", "/", "'", "\u2019", "\u2013", ", ", ". ", "; ", " (", ") ", "\n", "\t", " \u00a0", "_", "…"}
	text := func(n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteString(seps[rng.IntN(len(seps))])
			}
			b.WriteString(vocab[rng.IntN(len(vocab))])
		}
		if rng.IntN(5) == 0 {
			b.WriteString(strings.Repeat(" Repeated", 70+rng.IntN(40)))
		}
		return b.String()
	}
	subs := make([]Submission, nSubs)
	for i := range subs {
		subs[i] = Submission{ID: fmt.Sprintf("s%d", i), Title: text(rng.IntN(8)), Abstract: text(rng.IntN(80)),
			Keywords: []string{text(1 + rng.IntN(3)), text(1 + rng.IntN(3))}}
	}
	revs := make([]Reviewer, nRevs)
	for i := range revs {
		r := Reviewer{ID: fmt.Sprintf("r%d", i)}
		for range rng.IntN(5) {
			r.Keywords = append(r.Keywords, text(1+rng.IntN(3)))
		}
		for range rng.IntN(3) {
			r.Papers = append(r.Papers, text(rng.IntN(60)))
		}
		revs[i] = r
	}
	return subs, revs
}
