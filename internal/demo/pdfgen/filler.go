package pdfgen

import (
	"fmt"
	"hash/fnv"
	"strings"
	"unicode"
)

// prng is splitmix64: tiny, and the same sequence on every platform, so a
// spec always yields the same bytes.
type prng struct{ s uint64 }

func newPRNG(seed string) *prng {
	h := fnv.New64a()
	h.Write([]byte(seed))
	return &prng{s: h.Sum64()}
}

func (r *prng) next() uint64 {
	r.s += 0x9E3779B97F4A7C15
	z := r.s
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

func (r *prng) intn(n int) int {
	if n <= 0 {
		return 0
	}
	return int(r.next() % uint64(n))
}

func (r *prng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// filler writes plausible prose from the abstract's own vocabulary: its
// sentences, its terms and the phrases they form, poured into templates
// that sound like the sections of a paper.
type filler struct {
	rng       *prng
	sentences []string
	terms     []string // content words, as written
	phrases   []string // two adjacent content words
	nextSent  int
	// lead opens the first paragraph, once.
	lead string
}

var stopwords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`about above after again against also among an and another any are
		because been before being below between both but can could does doing during each either
		every from further have having here however into itself just more most much must neither
		only other over same should since some such than that their them then there these they
		this those through thus under until very were what when where whether which while will
		with within without would yet your show shows shown using used uses use make makes made
		while across often first second third new propose proposes proposed present presents
		paper work approach method methods results well both many several`) {
		stopwords[w] = true
	}
}

func newFiller(p Paper) *filler {
	f := &filler{rng: newPRNG(p.Title + "\x00" + p.Abstract), lead: strings.TrimSpace(p.Lead)}
	for _, s := range strings.SplitAfter(strings.Join(strings.Fields(p.Abstract), " "), ". ") {
		if s = strings.TrimSpace(s); len(strings.Fields(s)) >= 6 {
			f.sentences = append(f.sentences, s)
		}
	}
	seen := map[string]bool{}
	var prev string
	for _, raw := range strings.Fields(p.Abstract) {
		w := strings.TrimFunc(raw, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' })
		content := len(w) >= 4 && !stopwords[strings.ToLower(w)] && strings.IndexFunc(w, unicode.IsLetter) >= 0
		if content && !seen[strings.ToLower(w)] {
			seen[strings.ToLower(w)] = true
			f.terms = append(f.terms, w)
		}
		if content && prev != "" {
			if ph := prev + " " + w; !seen[strings.ToLower(ph)] {
				seen[strings.ToLower(ph)] = true
				f.phrases = append(f.phrases, ph)
			}
		}
		// A phrase does not run across punctuation.
		if content && raw == w {
			prev = w
		} else {
			prev = ""
		}
	}
	if len(f.terms) == 0 {
		f.terms = []string{"dynamics", "solver", "model"}
	}
	if len(f.phrases) == 0 {
		f.phrases = f.terms
	}
	return f
}

func (f *filler) term() string   { return f.terms[f.rng.intn(len(f.terms))] }
func (f *filler) phrase() string { return f.phrases[f.rng.intn(len(f.phrases))] }

// Templates by purpose; {a} and {b} are phrases, {t} a term.
var (
	generalTemplates = []string{
		"We study {a} in the setting where {b} cannot be evaluated exactly.",
		"A central difficulty is that {a} interacts with {b}, which most existing treatments of {t} ignore.",
		"This view treats {a} as a continuous-time process and discretises it only when the model is evaluated.",
		"In contrast to earlier work, the cost of {a} grows only linearly with the number of {t} steps.",
		"The resulting estimator is unbiased, and its variance is controlled by the smoothness of {a}.",
		"We write the dynamics as dx/dt = f(x, t; theta), where f is a neural network and theta collects the parameters of {a}.",
		"Our analysis suggests that {a} and {b} are two sides of the same approximation problem.",
		"The adjoint method gives gradients of {a} in constant memory, at the price of a second solve backwards in time.",
		"We keep the architecture of {a} fixed and change only how {b} is integrated.",
		"The same argument applies to {a} with minor changes, which we omit for brevity.",
		"Stiffness is the main obstacle: an explicit solver for {a} needs very small steps when {t} varies quickly.",
		"Throughout, we assume that the vector field is Lipschitz in x and continuous in t, so solutions exist and are unique.",
		"This choice makes {a} easy to implement on top of standard automatic differentiation libraries.",
		"We found {a} to be robust to the choice of step size once the tolerance of the solver was fixed.",
	}
	experimentTemplates = []string{
		"On the benchmark, {a} reduces the relative L2 error by a clear margin over the strongest baseline.",
		"We train each model for 200 epochs with Adam and a cosine learning-rate schedule, and report the mean over five seeds.",
		"Figure 1 shows that {a} keeps its accuracy as the resolution of {t} increases.",
		"The number of function evaluations of {a} stays nearly constant during training, whereas the baseline needs more as training proceeds.",
		"Ablating {a} increases the error on held-out trajectories, which confirms that {b} matters.",
		"All experiments ran on a single GPU; a full training run takes between two and nine hours.",
		"Wall-clock time per step is dominated by {a}, not by the network evaluation.",
		"We tune the hyperparameters of every method on a validation split of {t} trajectories.",
	}
	closingTemplates = []string{
		"We have shown that {a} can be combined with {b} at little extra cost.",
		"Future work will extend {a} to stochastic and partially observed settings.",
		"A limitation of the present study is its focus on problems of moderate dimension.",
		"We hope that {a} will serve as a simple baseline for {b}.",
	}
)

// sentence is one sentence for a section: now and then the abstract's own,
// more often a template filled with its phrases.
func (f *filler) sentence(section string) string {
	if len(f.sentences) > 0 && f.rng.intn(4) == 0 {
		s := f.sentences[f.nextSent%len(f.sentences)]
		f.nextSent++
		return s
	}
	pool := generalTemplates
	switch section {
	case "Experiments", "Results", "Analysis":
		if f.rng.intn(3) > 0 {
			pool = experimentTemplates
		}
	case "Conclusion", "Discussion":
		if f.rng.intn(2) == 0 {
			pool = closingTemplates
		}
	}
	s := f.fill(pool[f.rng.intn(len(pool))])
	return strings.ToUpper(s[:1]) + s[1:]
}

// fill puts phrases and a term into a template's {a}, {b} and {t}.
func (f *filler) fill(template string) string {
	for _, slot := range [...]struct {
		key  string
		pick func() string
	}{{"{a}", f.phrase}, {"{b}", f.phrase}, {"{t}", f.term}} {
		// pick only when the slot is there: it draws from the generator.
		if i := strings.Index(template, slot.key); i >= 0 {
			template = template[:i] + slot.pick() + template[i+len(slot.key):]
		}
	}
	return template
}

// words returns at least n words of prose for a section.
func (f *filler) words(section string, n int) []string {
	var out []string
	for len(out) < n {
		out = append(out, strings.Fields(f.sentence(section))...)
	}
	return out
}

// Reference material: invented surnames (none of them a demo account's) and
// real venues of the field.
var (
	refSurnames = strings.Fields(`Abara Bergstrom Castellano Dvorak Eklund Ferreira Gallo Horvath
		Ibarra Jovanovic Kowalczyk Laine Marchetti Novak Ortega Petrov Quinlan Rahimi Sato Takahashi
		Ueda Varga Weber Xu Yilmaz Zhou Andersen Bauer Costa Delgado Engel Farouk Grant Hale Iyer
		Jensen Keller Lund Moss Park`)
	refVenues = []string{
		"Advances in Neural Information Processing Systems",
		"International Conference on Learning Representations",
		"International Conference on Machine Learning",
		"Journal of Computational Physics",
		"SIAM Journal on Scientific Computing",
		"Transactions on Machine Learning Research",
		"Proceedings of the Royal Society A",
		"Journal of Machine Learning Research",
	}
	refTitleTemplates = []string{
		"{a} for {b}",
		"On the convergence of {a}",
		"Learning {a} with {b}",
		"Scalable {a} via {b}",
		"{a}: a continuous-time perspective",
		"Stable and efficient {a}",
		"Towards {a} in high dimensions",
	}
)

// reference is one entry of the reference list.
func (f *filler) reference() string {
	k := 1 + f.rng.intn(4)
	names := make([]string, 0, k)
	for i := 0; i < k; i++ {
		initial := string(rune('A' + f.rng.intn(26)))
		names = append(names, initial+". "+refSurnames[f.rng.intn(len(refSurnames))])
	}
	authors := names[0]
	switch {
	case k == 2:
		authors = names[0] + " and " + names[1]
	case k > 2:
		authors = strings.Join(names[:k-1], ", ") + ", and " + names[k-1]
	}
	title := titleCase(f.fill(refTitleTemplates[f.rng.intn(len(refTitleTemplates))]))
	year := 2015 + f.rng.intn(9)
	return fmt.Sprintf("%s. %s. In %s, %d.", authors, title, refVenues[f.rng.intn(len(refVenues))], year)
}
