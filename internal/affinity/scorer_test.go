package affinity

import (
	"errors"
	"math"
	"slices"
	"testing"
)

func mustScorer(t testing.TB, subs []Submission, revs []Reviewer, opts Options) *Scorer {
	t.Helper()
	s, err := NewScorer(subs, revs, opts)
	if err != nil {
		t.Fatalf("NewScorer: %v", err)
	}
	return s
}

// workshop is a small DLDE-like corpus in which every paper has one obvious
// expert, while many share generic vocabulary ("neural network", "PDE").
func workshop() ([]Submission, []Reviewer) {
	subs := []Submission{
		{ID: "pinn", Title: "Physics-informed neural networks for inverse heat transfer",
			Abstract: "We train PINNs whose loss penalises the residual of the heat equation at collocation points, and recover the conductivity from sparse sensor data.",
			Keywords: []string{"physics-informed neural networks", "inverse problems", "PINNs"}},
		{ID: "fno", Title: "Fourier neural operators for turbulent flow",
			Abstract: "A neural operator learns the solution operator of the Navier-Stokes equations in Fourier space and generalises across resolutions.",
			Keywords: []string{"neural operators", "turbulence", "operator learning"}},
		{ID: "node", Title: "Stable training of neural ordinary differential equations",
			Abstract: "Neural ODEs are integrated with adaptive solvers; we regularise the vector field to keep the adjoint method stable and cheap.",
			Keywords: []string{"neural ODEs", "adjoint method", "dynamical systems"}},
		{ID: "gnn", Title: "Message passing on meshes",
			Abstract: "Graph neural networks simulate elastic solids on unstructured meshes by message passing between mesh nodes.",
			Keywords: []string{"graph neural networks", "mesh-based simulation"}},
		{ID: "gp", Title: "Gaussian process priors for uncertainty in PDE solutions",
			Abstract: "Gaussian processes give calibrated uncertainty quantification for the solution of linear PDEs observed with noise.",
			Keywords: []string{"Gaussian processes", "uncertainty quantification", "Bayesian inference"}},
		{ID: "sindy", Title: "Sparse identification of governing equations",
			Abstract: "Symbolic regression with a sparse library of candidate terms discovers the governing differential equations of chaotic systems from data.",
			Keywords: []string{"equation discovery", "symbolic regression", "sparse regression"}},
	}
	revs := []Reviewer{
		{ID: "ada@pinn.org", Keywords: []string{"physics-informed neural networks", "PINNs", "scientific machine learning"},
			Papers: []string{"Collocation sampling strategies for physics-informed neural networks on stiff PDE residuals."}},
		{ID: "bo@operators.edu", Keywords: []string{"neural operators", "operator learning", "turbulence modelling"},
			Papers: []string{"DeepONet and the Fourier neural operator compared on Navier-Stokes benchmarks."}},
		{ID: "cy@odes.ai", Keywords: []string{"neural ODEs", "adjoint method", "continuous-time models"},
			Papers: []string{"Adaptive step solvers for neural ordinary differential equations and their adjoint."}},
		{ID: "di@graphs.net", Keywords: []string{"graph neural networks", "message passing", "mesh-based simulation"},
			Papers: []string{"Learning mesh-based simulation with graph networks for cloth and solids."}},
		{ID: "ed@bayes.io", Keywords: []string{"Gaussian processes", "Bayesian inference", "uncertainty quantification"},
			Papers: []string{"Probabilistic numerics: Gaussian process solvers for linear differential equations."}},
		{ID: "fu@sparse.eu", Keywords: []string{"symbolic regression", "equation discovery", "sparse regression"},
			Papers: []string{"SINDy with control: sparse identification of nonlinear dynamics from noisy data."}},
	}
	return subs, revs
}

func TestObviousExpertRanksFirst(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		"pinn": "ada@pinn.org", "fno": "bo@operators.edu", "node": "cy@odes.ai",
		"gnn": "di@graphs.net", "gp": "ed@bayes.io", "sindy": "fu@sparse.eu",
	}
	for _, method := range []string{MethodTFIDF, MethodBM25} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			subs, revs := workshop()
			s := mustScorer(t, subs, revs, Options{Method: method})
			for sub, rev := range want {
				top := s.TopK(sub, 2)
				if len(top) == 0 || top[0].RevID != rev {
					t.Errorf("TopK(%s) = %v, want %s first", sub, top, rev)
					continue
				}
				// The expert should win clearly, not by rounding.
				if len(top) > 1 && top[0].Score < 1.5*top[1].Score {
					t.Errorf("TopK(%s) = %v: margin too small", sub, top)
				}
			}
		})
	}
}

func TestScoresInUnitInterval(t *testing.T) {
	t.Parallel()
	subs, revs := synthetic(60, 40, 1)
	subs = append(subs,
		Submission{ID: "repeat", Title: "flow flow flow flow flow flow flow flow", Keywords: []string{"flow", "flow", "flow"}},
		Submission{ID: "unicode", Title: "Schrödinger ﬁnite-element Ω-limit 🙂", Abstract: "ｆｕｌｌｗｉｄｔｈ text"})
	revs = append(revs, Reviewer{ID: "flow", Keywords: []string{"flow"}, Papers: []string{"flow flow flow"}})
	for _, method := range []string{MethodTFIDF, MethodBM25} {
		s := mustScorer(t, subs, revs, Options{Method: method})
		m := s.All()
		for i, v := range m.Scores {
			if !(v >= 0 && v <= 1) {
				t.Fatalf("%s: score %v at %d outside [0,1]", method, v, i)
			}
		}
		if got := s.Score("repeat", "flow"); !(got > 0) {
			t.Errorf("%s: Score(repeat, flow) = %v, want > 0", method, got)
		}
	}
}

// When a reviewer's profile holds exactly a submission's text, cosine must
// call them identical, and cross scores must not depend on which side is
// the submission.
func TestTFIDFSymmetry(t *testing.T) {
	t.Parallel()
	x := "Neural operators learn maps between function spaces for parametric PDEs."
	y := "Gaussian processes quantify uncertainty of solutions of linear PDEs."
	kx, ky := []string{"neural operators", "PDEs"}, []string{"Gaussian processes", "PDEs"}
	subs := []Submission{{ID: "A", Abstract: x, Keywords: kx}, {ID: "B", Abstract: y, Keywords: ky}}
	revs := []Reviewer{{ID: "a", Papers: []string{x}, Keywords: kx}, {ID: "b", Papers: []string{y}, Keywords: ky}}
	s := mustScorer(t, subs, revs, Options{})
	for _, p := range [][2]string{{"A", "a"}, {"B", "b"}} {
		if got := s.Score(p[0], p[1]); math.Abs(got-1) > 1e-12 {
			t.Errorf("Score(%s, %s) = %v, want 1", p[0], p[1], got)
		}
	}
	ab, ba := s.Score("A", "b"), s.Score("B", "a")
	if !(ab > 0 && ab < 1) || math.Abs(ab-ba) > 1e-12 {
		t.Errorf("Score(A, b) = %v, Score(B, a) = %v: want equal, in (0,1)", ab, ba)
	}
	bm := mustScorer(t, subs, revs, Options{Method: MethodBM25})
	if !(bm.Score("A", "a") > bm.Score("A", "b") && bm.Score("B", "b") > bm.Score("B", "a")) {
		t.Errorf("bm25: a submission should prefer the reviewer with its own text")
	}
}

// A reviewer keyword matching a submission keyword must outweigh the same
// phrase found only in abstracts, unless the chair turns keywords down.
func TestKeywordMatchesWeighMost(t *testing.T) {
	t.Parallel()
	subs := []Submission{
		{ID: "s", Abstract: "We study kernel regression on manifolds.", Keywords: []string{"wasserstein gradient flows"}},
		{ID: "other", Abstract: "Wasserstein gradient flows and kernel regression meet in this unrelated abstract."},
	}
	revs := []Reviewer{
		{ID: "kw", Keywords: []string{"wasserstein gradient flows"}},
		{ID: "paper", Papers: []string{"Kernel regression on manifolds revisited."}},
	}
	tests := []struct {
		name   string
		opts   Options
		wantKW bool
	}{
		{"defaults tfidf", Options{}, true},
		{"defaults bm25", Options{Method: MethodBM25}, true},
		{"keywords down tfidf", Options{TitleWeight: 1, KeywordWeight: 0.1, AbstractWeight: 1}, false},
		{"keywords down bm25", Options{TitleWeight: 1, KeywordWeight: 0.1, AbstractWeight: 1, Method: MethodBM25}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := mustScorer(t, subs, revs, tt.opts)
			kw, paper := s.Score("s", "kw"), s.Score("s", "paper")
			if (kw > paper) != tt.wantKW {
				t.Errorf("keyword reviewer %v, paper reviewer %v; want keyword ahead = %v", kw, paper, tt.wantKW)
			}
		})
	}
}

func TestDeterministicAndConsistent(t *testing.T) {
	t.Parallel()
	subs, revs := synthetic(120, 70, 7)
	for _, method := range []string{MethodTFIDF, MethodBM25} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			a := mustScorer(t, subs, revs, Options{Method: method})
			b := mustScorer(t, subs, revs, Options{Method: method})
			ma, mb := a.All(), b.All()
			if !slices.Equal(ma.Scores, mb.Scores) {
				t.Fatal("two scorers over the same input differ")
			}
			for i, sub := range ma.SubIDs {
				for j, rev := range ma.RevIDs {
					if got := a.Score(sub, rev); got != ma.At(i, j) {
						t.Fatalf("Score(%s,%s) = %v, All has %v", sub, rev, got, ma.At(i, j))
					}
				}
				top := a.TopK(sub, 10)
				if want := bruteTopK(ma, i, 10); !slices.Equal(top, want) {
					t.Fatalf("TopK(%s) = %v, want %v", sub, top, want)
				}
			}

			// Input order changes only rounding, never the ranking.
			rs, rr := slices.Clone(subs), slices.Clone(revs)
			slices.Reverse(rs)
			slices.Reverse(rr)
			c := mustScorer(t, rs, rr, Options{Method: method})
			for _, sub := range subs[:20] {
				x, y := a.TopK(sub.ID, 5), c.TopK(sub.ID, 5)
				if len(x) != len(y) {
					t.Fatalf("TopK(%s) length %d vs %d after reordering", sub.ID, len(x), len(y))
				}
				for k := range x {
					if x[k].RevID != y[k].RevID || math.Abs(x[k].Score-y[k].Score) > 1e-12 {
						t.Fatalf("TopK(%s) = %v, reordered %v", sub.ID, x, y)
					}
				}
			}
		})
	}
}

func bruteTopK(m Matrix, row, k int) []Match {
	var all []Match
	for j, rev := range m.RevIDs {
		if v := m.At(row, j); v > 0 {
			all = append(all, Match{RevID: rev, Score: v})
		}
	}
	slices.SortFunc(all, func(a, b Match) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		case a.RevID < b.RevID:
			return -1
		case a.RevID > b.RevID:
			return 1
		}
		return 0
	})
	return all[:min(k, len(all))]
}

func TestEmptyAndStopwordOnlyDocuments(t *testing.T) {
	t.Parallel()
	t.Run("no documents", func(t *testing.T) {
		t.Parallel()
		s := mustScorer(t, nil, nil, Options{Method: MethodBM25})
		if m := s.All(); len(m.Scores) != 0 {
			t.Errorf("All() = %v, want empty", m)
		}
		if got := s.Score("x", "y"); got != 0 {
			t.Errorf("Score on empty = %v", got)
		}
		if got := s.TopK("x", 3); got != nil {
			t.Errorf("TopK on empty = %v", got)
		}
	})
	for _, method := range []string{MethodTFIDF, MethodBM25} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			subs := []Submission{
				{ID: "stop", Title: "The of and", Abstract: "We propose a novel approach, and it is what it is: 42, 2023."},
				{ID: "empty"},
				{ID: "real", Title: "Neural operators", Keywords: []string{"neural operators"}},
			}
			revs := []Reviewer{
				{ID: "stop", Keywords: []string{"the", "of"}, Papers: []string{"and so on, as we show."}},
				{ID: "empty"},
				{ID: "real", Keywords: []string{"neural operators"}},
			}
			s := mustScorer(t, subs, revs, Options{Method: method})
			m := s.All()
			for i, sub := range m.SubIDs {
				for j, rev := range m.RevIDs {
					v := m.At(i, j)
					if math.IsNaN(v) || (sub != "real" || rev != "real") && v != 0 {
						t.Errorf("Score(%s, %s) = %v, want 0", sub, rev, v)
					}
				}
			}
			if v := s.Score("real", "real"); !(v > 0) {
				t.Errorf("Score(real, real) = %v, want > 0", v)
			}
			if got := s.TopK("stop", 3); len(got) != 0 {
				t.Errorf("TopK(stop) = %v, want none", got)
			}
		})
	}
}

func TestNewScorerRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		subs []Submission
		revs []Reviewer
		opts Options
		want error
	}{
		{"unknown method", nil, nil, Options{Method: "bert"}, ErrBadOptions},
		{"negative weight", nil, nil, Options{TitleWeight: -1, KeywordWeight: 1}, ErrBadOptions},
		{"NaN weight", nil, nil, Options{AbstractWeight: math.NaN()}, ErrBadOptions},
		{"bad b", nil, nil, Options{Method: MethodBM25, B: 2}, ErrBadOptions},
		{"duplicate submission", []Submission{{ID: "1"}, {ID: "1"}}, nil, Options{}, ErrDuplicateID},
		{"duplicate reviewer", nil, []Reviewer{{ID: "r"}, {ID: "r"}}, Options{}, ErrDuplicateID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := NewScorer(tt.subs, tt.revs, tt.opts); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}
