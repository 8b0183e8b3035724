package demo

// The demo's answers to DLDE III's own submission fields (the venue
// file's submission_fields): where each recently published paper
// appeared, and for some papers which half of the call they answer and a
// TL;DR. The links are example.org addresses, as every demo address.

// published is where a recently published demo paper appeared.
type published struct {
	venue string
	year  float64
	link  string
}

var publishedAt = map[string]published{
	"A Benchmark of Neural Operators for Parametric Elliptic Problems":      {"Journal of Computational Physics 489", 2023, "https://doi.example.org/10.5555/jcp.2023.112270"},
	"Symplectic Recurrent Networks for Long-Horizon Hamiltonian Prediction": {"Transactions on Machine Learning Research", 2023, "https://openreview.example.org/forum?id=srn-hamiltonian"},
	"Neural Controlled Differential Equations for Online Prediction":        {"AISTATS 2022", 2022, "https://proceedings.example.org/v151/ncde-online22a.html"},
	"Learning Runge-Kutta Coefficients with Meta-Gradients":                 {"ICML 2023 (Proceedings of Machine Learning Research 202)", 2023, "https://proceedings.example.org/v202/rk-meta23.html"},
	"Stability of Selective State-Space Layers":                             {"SIAM Journal on Mathematics of Data Science 5(3)", 2023, "https://doi.example.org/10.5555/simods.2023.0042"},
	"Oversmoothing in Continuous-Depth Graph Networks":                      {"Learning on Graphs Conference 2022", 2022, "https://proceedings.example.org/log22/oversmoothing.html"},
	"Reduced-Order Models with Latent Dynamics for Parametric Flows":        {"Computer Methods in Applied Mechanics and Engineering 404", 2023, "https://doi.example.org/10.5555/cmame.2023.115811"},
}

// Halves of DLDE III's call, as the venue file's topic_group spells them.
const (
	halfDEsForDL = "Differential equations to understand and improve deep learning"
	halfDLForDEs = "Deep learning to create or solve differential equations"
)

// answersOf is what the authors of ds answered on the submission form.
func answersOf(ds Submission) map[string]any {
	// Each paper's first author reviews for the workshop, as the call asks.
	a := map[string]any{"reviewing_author": ds.Authors[0]}
	if p, ok := publishedAt[ds.Title]; ok && ds.Track == TrackRecentlyPublished {
		a["published_venue"], a["published_year"], a["published_link"] = p.venue, p.year, p.link
	}
	for _, k := range ds.Keywords {
		switch k {
		case "neural operators", "physics-informed neural networks", "Fourier neural operators", "hybrid solvers":
			a["topic_group"] = halfDLForDEs
		case "training dynamics as differential equations", "state-space sequence models", "neural differential equations":
			if a["topic_group"] == nil {
				a["topic_group"] = halfDEsForDL
			}
		}
	}
	return a
}
