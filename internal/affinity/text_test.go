package affinity

import (
	"slices"
	"testing"
)

func TestStem(t *testing.T) {
	t.Parallel()
	// Each group must collapse to one stem.
	groups := [][]string{
		{"network", "networks"},
		{"sample", "samples", "sampled", "sampling"},
		{"embed", "embedded", "embedding", "embeddings"},
		{"study", "studies", "studied"},
		{"process", "processes"},
		{"approach", "approaches"},
		{"operator", "operators"},
		{"pinn", "pinns"},
		{"learn", "learning", "learned"},
		{"solve", "solving", "solved"},
	}
	for _, g := range groups {
		want := stem(g[0])
		for _, w := range g[1:] {
			if got := stem(w); got != want {
				t.Errorf("stem(%q) = %q, stem(%q) = %q: want equal", w, got, g[0], want)
			}
		}
	}
	// Words an over-eager stemmer would mangle.
	for _, w := range []string{"analysis", "corpus", "string", "need", "class", "bring", "all", "gas"} {
		if got := stem(w); len(got) < len(w)-1 || got == "" {
			t.Errorf("stem(%q) = %q: cut too much", w, got)
		}
	}
	for _, w := range []string{"string", "need", "analysis", "corpus", "schrödinger"} {
		if got := stem(w); got != w {
			t.Errorf("stem(%q) = %q, want unchanged", w, got)
		}
	}
}

func TestTerms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"bigram of adjacent words", "Neural Operators", []string{"neural", "operator", "neural operator"}},
		{"hyphen keeps the phrase", "physics-informed", []string{"physic", "inform", "physic inform"}},
		{"comma breaks the phrase", "graphs, meshes", []string{"graph", "mesh"}},
		{"stopword breaks the phrase", "operators of flows", []string{"operator", "flow"}},
		{"numbers and letters dropped, mixed kept", "2023 x 3D flows", []string{"3d", "flow", "3d flow"}},
		{"NFKC and case", "ＦＬＯＷ ﬁnite", []string{"flow", "finit", "flow finit"}},
		{"only stopwords", "We propose a novel approach, and it is what it is.", nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := termsOf(tt.in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("terms(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// termsOf is the corpus's terms of text, spelled out, in the order the
// corpus emits them.
func termsOf(text string) []string {
	r, c := newReader(), newCorpus()
	c.terms(r.read(text, nil))
	stemOf := map[int32]string{}
	for s, i := range r.stems {
		stemOf[i] = s
	}
	name := map[int32]string{}
	for i, t := range c.stemTerm {
		if t >= 0 {
			name[t] = stemOf[int32(i)]
		}
	}
	for _, s := range c.bigram.slots {
		if s.first != 0 {
			name[int32(s.id)] = stemOf[int32(s.first-1)] + " " + stemOf[int32(s.second)]
		}
	}
	var out []string
	for _, id := range c.ids {
		out = append(out, name[id])
	}
	return out
}
