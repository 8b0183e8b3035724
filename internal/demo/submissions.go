package demo

import (
	"strings"

	"github.com/quirehq/quire/internal/demo/pdfgen"
)

// Submission is one demo paper of DLDE III: what its authors typed into the
// submission form, and how its PDF is laid out.
type Submission struct {
	Title    string
	Abstract string
	// Keywords mix the venue's list with free ones, as authors do.
	Keywords []string
	// Track is a track key of dlde-2023.yaml.
	Track string
	// Authors are e-mails of demo people, in author order. The first is
	// the submitter and always one of Authors, so no paper belongs to
	// reviewers alone; reviewers who co-author are conflicted on it.
	Authors []string
	// PDF is the file's layout; Paper fills in title, abstract and the
	// author block from the fields above.
	PDF pdfgen.Paper
	// Fixed is true when the authors, told that the anonymity check held
	// their file, uploaded the anonymous build a day later.
	Fixed bool
	// HoldRelease, when set, is a chair's reason for releasing the held
	// file as it is: a false positive of the anonymity check.
	HoldRelease string
}

// Track keys of the demo venue.
const (
	TrackNewWork           = "new-work"
	TrackRecentlyPublished = "recently-published"
)

// Paper is the spec of the submission's PDF. The footer is the anonymous
// one unless the submission is one of the deliberately non-anonymous
// builds.
func (s Submission) Paper() pdfgen.Paper {
	p := s.PDF
	p.Title, p.Abstract = s.Title, s.Abstract
	p.Authors = nil
	for _, e := range s.Authors {
		if who, ok := PersonByEmail(e); ok {
			p.Authors = append(p.Authors, who.Name+"\n"+who.Affiliation+"\n"+who.Email)
		}
	}
	if p.Footer == "" {
		p.Footer = pdfgen.AnonymousFooter
	}
	return p
}

// PersonByEmail finds a demo person.
func PersonByEmail(email string) (Person, bool) {
	for _, group := range [][]Person{{Admin, Chair}, Reviewers, Authors} {
		for _, p := range group {
			if strings.EqualFold(p.Email, email) {
				return p, true
			}
		}
	}
	return Person{}, false
}

// para joins a wrapped raw string into one paragraph.
func para(s string) string { return strings.Join(strings.Fields(s), " ") }

// The demo people by e-mail, to keep the author lists short.
const (
	fischer = "h.fischer@eth.example.ch"
	silva   = "c.silva@usp.example.br"
	chen    = "y.chen@tsinghua.example.cn"
	haddad  = "o.haddad@aub.example.lb"

	okafor    = "r.okafor@ml-lab.example.edu"
	lindqvist = "j.lindqvist@kth.example.se"
	tanaka    = "m.tanaka@kyoto.example.jp"
	ruiz      = "p.ruiz@upm.example.es"
	schmidt   = "a.schmidt@tum.example.de"
	nair      = "k.nair@iisc.example.in"
	moreau    = "l.moreau@inria.example.fr"
	kim       = "d.kim@kaist.example.kr"
	oconnor   = "s.oconnor@ucd.example.ie"
	nguyen    = "t.nguyen@hust.example.vn"
	rossi     = "e.rossi@polimi.example.it"
	adeyemi   = "b.adeyemi@uct.example.za"
)

// Submissions are DLDE III-like papers: most within the 4-page limit, three
// over it (a body spilling onto page 5, one ending on page 6, one filling
// six pages), four that the anonymity check flags (an author block, held;
// an Info /Author, removed from the reviewers' copy; a preprint footer,
// fixed by a later upload; a self-citation by name, released by a chair),
// and a few with acknowledgements, an appendix or the NeurIPS checklist
// after the references.
var Submissions = []Submission{
	{
		Title: "Hypersolvers Revisited: Learned Corrections for Low-Order Neural ODE Solvers",
		Abstract: para(`Neural ordinary differential equations are slow to train and to evaluate because adaptive solvers
			take many small steps once the learned vector field becomes stiff. Hypersolvers attach a small network
			to a cheap base solver and train it to predict the local truncation error, so that a fixed-step Euler or
			midpoint scheme recovers most of the accuracy of an adaptive method. We revisit this idea with a
			careful error analysis: we show that the learned correction reduces the global error uniformly over the
			distribution of initial conditions seen in training, and we characterise when it fails, namely when test
			trajectories leave that distribution. On image classification, density estimation and a stiff
			chemical kinetics benchmark, hypersolved Euler matches the accuracy of dopri5 with eight to twelve times
			fewer function evaluations, and its wall-clock time per step barely changes.`),
		Keywords: []string{"hypersolvers", "neural differential equations", "numerical methods for differential equations"},
		Track:    TrackNewWork,
		Authors:  []string{fischer, kim},
		PDF:      pdfgen.Paper{BodyPages: 4, ReferencesCount: 24, Acknowledgements: true},
	},
	{
		Title: "Latent Neural SDEs for Irregularly Sampled Clinical Time Series",
		Abstract: para(`Clinical time series are sampled irregularly, with long gaps and informative missingness. We model
			the latent state of a patient as the solution of a neural stochastic differential equation whose drift
			and diffusion are small networks, and we fit it by variational inference with a posterior SDE driven by
			an encoder of the observations. The stochastic adjoint method keeps memory constant in the length of the
			record. Unlike latent ODEs, the model represents uncertainty that grows between observations, which
			matters for forecasting several hours ahead. On two public intensive-care data sets, the latent SDE
			improves the negative log-likelihood of held-out vital signs and gives calibrated forecast intervals,
			while a latent ODE with the same encoder is overconfident during long gaps.`),
		Keywords: []string{"latent dynamical models", "neural differential equations", "neural SDEs", "time series"},
		Track:    TrackNewWork,
		Authors:  []string{chen, adeyemi},
		PDF:      pdfgen.Paper{BodyPages: 3.6, ReferencesCount: 19},
	},
	{
		Title: "Fewer Steps for Probability Flow ODEs with Learned Time Schedules",
		Abstract: para(`Score-based diffusion models generate samples by integrating the probability flow ordinary
			differential equation backwards from noise. The quality of a sample depends strongly on where the solver
			places its steps, and the usual hand-designed schedules are tuned for one data set and one solver. We
			learn the time discretisation instead: a monotone network maps a uniform grid to solver times and is
			trained to minimise the discrepancy between few-step and many-step solutions on a small set of noise
			draws, with the score network frozen. The learned schedules transfer across samplers of the same order
			and improve the Frechet distance of ten-step sampling on three image benchmarks, at a training cost of
			minutes rather than hours. We also report where learned schedules help least: at very high step counts
			the gains vanish, as the error analysis predicts.`),
		Keywords: []string{"diffusion models", "score-based models", "numerical methods for differential equations"},
		Track:    TrackNewWork,
		Authors:  []string{silva, moreau},
		PDF:      pdfgen.Paper{BodyPages: 3.9, ReferencesCount: 27, Appendix: true},
	},
	{
		Title: "Fourier Neural Operators for Super-Resolution of Two-Dimensional Turbulence",
		Abstract: para(`Fourier neural operators learn maps between function spaces and can in principle be evaluated at
			resolutions they were not trained on. We test this promise on decaying two-dimensional turbulence, where
			the energy spectrum at small scales is what a practitioner cares about. Trained on vorticity fields at
			64 by 64, the operator reproduces the large scales at 256 by 256 but underestimates energy in the
			inertial range, because its truncated spectral layers cannot create modes above their cut-off. We
			propose a simple remedy, a spectral correction layer trained on a handful of high-resolution snapshots,
			and show that it restores the slope of the spectrum while keeping the cost of inference almost
			unchanged. Our results suggest that zero-shot super-resolution claims should be checked against
			spectra, not only against pointwise errors.`),
		Keywords: []string{"Fourier neural operators", "neural operators", "turbulence"},
		Track:    TrackNewWork,
		Authors:  []string{haddad, tanaka},
		// The file reports to a tracker when opened: the check names the
		// script and the reviewers' copy is made without it.
		PDF: pdfgen.Paper{BodyPages: 3.4, ReferencesCount: 22,
			OpenScript: `app.launchURL("https://fno-stats.example.org/opened?paper=spectral-bias", false);`},
	},
	{
		Title: "Why Physics-Informed Networks Fail on Convection: A Causality View of the Residual Loss",
		Abstract: para(`Physics-informed neural networks minimise the residual of a differential equation at collocation
			points, and they are known to fail on convection-dominated problems even when the network is large
			enough to represent the solution. We argue that the residual loss ignores causality: the optimiser can
			reduce the residual at late times before the solution at early times is right, and it then converges to
			a trivial solution that satisfies the equation but not the initial condition. We make this precise for
			linear advection, where the loss landscape has a flat valley of such solutions, and we propose a
			weighting of the residual by time that is adapted during training. On advection, Allen-Cahn and
			Kuramoto-Sivashinsky benchmarks the weighted loss reaches relative errors below one percent where the
			plain loss stalls.`),
		Keywords: []string{"physics-informed neural networks", "training dynamics as differential equations", "causality"},
		Track:    TrackNewWork,
		Authors:  []string{fischer, ruiz},
		PDF:      pdfgen.Paper{BodyPages: 3.7, ReferencesCount: 21, Acknowledgements: true},
	},
	{
		Title: "Graph Neural Diffusion with Learned Step Sizes",
		Abstract: para(`Graph neural diffusion treats message passing as the discretisation of a diffusion equation on a
			graph, which explains oversmoothing and suggests remedies from numerical analysis. Existing models fix
			the integration time and the step size by hand. We let both be learned per node: a small network
			predicts a local time step from the node's features, and an implicit scheme keeps the update stable for
			large steps. The resulting model adapts the amount of smoothing to the local structure of the graph,
			diffusing quickly in homophilous regions and slowly across community boundaries. On heterophilous node
			classification benchmarks it improves accuracy over fixed-step graph diffusion and over standard
			message passing networks, and it needs fewer layers to do so.`),
		Keywords: []string{"graph neural diffusion", "numerical methods for differential equations"},
		Track:    TrackNewWork,
		Authors:  []string{chen, nair},
		PDF:      pdfgen.Paper{BodyPages: 3.2, ReferencesCount: 18},
	},
	{
		Title: "What HiPPO Initialisation Buys State-Space Sequence Models",
		Abstract: para(`Structured state-space sequence models such as S4 owe much of their success on long-range tasks to
			an initialisation of the state matrix derived from the HiPPO theory of online function approximation.
			We ask how much of that structure survives training and how much of the benefit it explains. Tracking
			the eigenvalues of the state matrix during training on the Long Range Arena, we find that they move
			little in the slow part of the spectrum and a lot in the fast part, so the model keeps the memory that
			HiPPO gives it and learns its own short-term dynamics. A diagonal initialisation that copies only the
			slow eigenvalues recovers most of the accuracy of the full HiPPO matrix, and a random initialisation
			with the same spectral radius does not. The analysis gives a simple recipe for initialising diagonal
			state-space layers.`),
		Keywords: []string{"state-space sequence models", "S4", "initialisation"},
		Track:    TrackNewWork,
		Authors:  []string{silva, schmidt},
		// The camera-ready LaTeX option left on: the author block is printed.
		PDF: pdfgen.Paper{BodyPages: 3.5, ReferencesCount: 23, AuthorBlock: true},
	},
	{
		Title: "Implicit Long Convolutions as Discretised Differential Operators",
		Abstract: para(`Hyena and related architectures replace attention by long convolutions whose kernels are produced
			by a small network of the position. We show that, when the kernel network is smooth, such a convolution
			is the discretisation of a differential operator with learned coefficients, and that the positional
			encoding plays the role of the grid. The view explains two observations: the kernels generalise across
			sequence lengths when the encoding is continuous, and they degrade when it is not. It also suggests a
			modification, evaluating the kernel network on a grid scaled to the sequence length, which lets a model
			trained on sequences of length one thousand be applied to sequences eight times longer with a small loss
			in perplexity on language modelling.`),
		Keywords: []string{"state-space sequence models", "Hyena", "long convolutions"},
		Track:    TrackNewWork,
		Authors:  []string{haddad, schmidt, rossi},
		PDF:      pdfgen.Paper{BodyPages: 3.8, ReferencesCount: 20},
	},
	{
		Title: "Gradient Flow Is Not Enough: Finite Step Sizes in the Training Dynamics of Wide Networks",
		Abstract: para(`The training of wide networks is often analysed through the gradient flow ordinary differential
			equation, the limit of gradient descent as the step size goes to zero. Practical step sizes are far from
			that limit. Using backward error analysis we derive a modified flow whose solution stays close to the
			iterates of gradient descent for finite steps, and whose extra term penalises the norm of the gradient.
			For wide two-layer networks the modified flow predicts the implicit regularisation observed in practice,
			including the preference for flatter minima at larger learning rates. We compare predictions of the
			plain and modified flows with the trajectories of real training runs and find that only the modified
			flow tracks the loss and the sharpness beyond the first few epochs.`),
		Keywords: []string{"training dynamics as differential equations", "gradient flow", "implicit regularisation"},
		Track:    TrackNewWork,
		Authors:  []string{fischer, oconnor},
		PDF:      pdfgen.Paper{BodyPages: 3.9, ReferencesCount: 26, Checklist: true},
	},
	{
		Title: "Optimal Transport Regularisation for Continuous Normalizing Flows on Tabular Data",
		Abstract: para(`Continuous normalizing flows transform a simple density through the solution of an ordinary
			differential equation and compute likelihoods with the instantaneous change of variables formula.
			Their training cost depends on how many steps the solver needs, which grows as the learned dynamics
			become curved. Regularising the kinetic energy of the flow, as optimal transport suggests, straightens
			the trajectories. We study this regularisation on tabular data, where flows are used for density
			estimation and anomaly detection, and show that a small weight reduces the number of function
			evaluations by a factor of three without hurting the test likelihood. We also find that the
			regularised flows detect anomalies better, which we relate to the smoother density they learn in
			regions with few training points.`),
		Keywords: []string{"normalizing flows", "optimal transport", "density estimation"},
		Track:    TrackNewWork,
		Authors:  []string{chen, lindqvist},
		PDF:      pdfgen.Paper{BodyPages: 4, ReferencesCount: 25, Acknowledgements: true},
	},
	{
		Title: "A Benchmark of Neural Operators for Parametric Elliptic Problems",
		Abstract: para(`Neural operators are trained to map coefficients, forcings or boundary data of a partial
			differential equation to its solution. Comparisons between architectures are hard to read because each
			paper uses its own data, resolutions and error metrics. We assemble a benchmark of six parametric
			elliptic problems, from Darcy flow with rough coefficients to linear elasticity on perforated domains,
			and evaluate Fourier neural operators, DeepONets, graph-based operators and a U-Net baseline under the
			same training budget. No architecture wins everywhere: spectral operators excel on periodic smooth
			problems and degrade on complex geometries, where graph-based operators are more accurate. We release
			the data generators and the evaluation code.`),
		Keywords: []string{"neural operators", "Fourier neural operators", "benchmarks"},
		Track:    TrackRecentlyPublished,
		Authors:  []string{silva, nguyen},
		PDF:      pdfgen.Paper{BodyPages: 3.3, ReferencesCount: 30, Appendix: true},
	},
	{
		Title: "Implicit Neural ODEs for Stiff Chemical Kinetics",
		Abstract: para(`Many systems of interest in combustion and atmospheric chemistry are stiff: their fastest time
			scales are many orders of magnitude shorter than the ones of interest. Neural ordinary differential
			equations trained on such data with explicit solvers either diverge or take prohibitively small steps.
			We train neural ODEs with an implicit backward differentiation formula and differentiate through the
			nonlinear solves with the implicit function theorem, which avoids storing the Newton iterations. To keep
			the Jacobian well conditioned during training, we add a penalty on the stiffness ratio of the learned
			vector field. On the ROBER problem and a reduced hydrogen combustion mechanism, the approach learns
			accurate models from sparse trajectories, while explicit training fails or takes a hundred times
			longer.`),
		Keywords: []string{"neural differential equations", "hybrid solvers", "stiff systems"},
		Track:    TrackNewWork,
		Authors:  []string{haddad, kim},
		// Two lines spill onto page 5: one over the limit.
		PDF: pdfgen.Paper{BodyPages: 4.04, ReferencesCount: 23},
	},
	{
		Title: "Latent ODEs for Regional Ocean Heat Content",
		Abstract: para(`Ocean heat content is observed sparsely in space and time, and physical reanalyses that fill the
			gaps are expensive to run. We fit a latent ordinary differential equation model to gridded heat content
			anomalies in four ocean basins, with a convolutional encoder and decoder and a low-dimensional latent
			state whose dynamics are a neural network. The model reproduces seasonal cycles and the dominant modes
			of interannual variability, and its forecasts one to six months ahead are competitive with a linear
			inverse model at a fraction of the cost. Inspecting the latent trajectories reveals oscillations at the
			frequency of known climate modes, which suggests that the latent space is physically meaningful.`),
		Keywords: []string{"latent dynamical models", "climate", "neural differential equations"},
		Track:    TrackNewWork,
		Authors:  []string{fischer, rossi},
		PDF:      pdfgen.Paper{BodyPages: 3.1, ReferencesCount: 17},
	},
	{
		Title: "Generating Solutions of Parametric PDEs with Conditional Diffusion Models",
		Abstract: para(`When a partial differential equation has uncertain parameters, practitioners need the
			distribution of its solutions, not one solution. We train a conditional diffusion model to sample
			solution fields given sparse observations and known parameters, using a score network with a Fourier
			neural operator backbone so that samples can be drawn at several resolutions. A physics-based guidance
			term, the gradient of the equation residual, is added during sampling and reduces the residual of the
			samples by an order of magnitude without retraining. On Darcy flow and the Helmholtz equation, the
			samples match the statistics of reference Monte Carlo ensembles, and drawing a hundred samples costs
			less than one run of the numerical solver.`),
		Keywords: []string{"diffusion models", "neural operators", "uncertainty quantification"},
		Track:    TrackNewWork,
		Authors:  []string{chen, tanaka},
		PDF:      pdfgen.Paper{BodyPages: 3.8, ReferencesCount: 28},
	},
	{
		Title: "Checkpointing Schedules for Memory-Efficient Adjoint Training",
		Abstract: para(`Training neural differential equations requires gradients through the solver. Backpropagating
			through the solver's operations is accurate but stores every step, while the continuous adjoint method
			uses constant memory but reintegrates the dynamics backwards, which is unstable for dissipative systems.
			Checkpointing interpolates between the two. We adapt the binomial checkpointing schedules used in
			numerical weather prediction to adaptive solvers, whose number of steps is not known in advance, and we
			give an online schedule with a provable bound on recomputation. In experiments with continuous
			normalizing flows and neural controlled differential equations, the schedule trains models with a tenth
			of the memory of direct backpropagation and twice its time, and it avoids the gradient errors of the
			continuous adjoint.`),
		Keywords: []string{"neural differential equations", "adjoint method", "numerical methods for differential equations"},
		Track:    TrackNewWork,
		Authors:  []string{silva},
		PDF:      pdfgen.Paper{BodyPages: 3.6, ReferencesCount: 16},
	},
	{
		Title: "Symplectic Recurrent Networks for Long-Horizon Hamiltonian Prediction",
		Abstract: para(`Learned models of physical systems drift over long horizons because their integrators do not
			preserve the geometric structure of the dynamics. For Hamiltonian systems we parameterise the energy
			with a network and integrate it with a symplectic leapfrog scheme inside a recurrent model, trained on
			short windows of noisy observations. We show that the learned flow conserves a modified energy exactly,
			so long rollouts stay bounded. On the double pendulum, a three-body problem and molecular dynamics of
			a small protein fragment, the model predicts trajectories ten times longer than the training windows
			without energy drift, whereas non-symplectic networks of the same size blow up or decay.`),
		Keywords: []string{"neural differential equations", "Hamiltonian dynamics", "geometric integration"},
		Track:    TrackRecentlyPublished,
		Authors:  []string{haddad, okafor},
		PDF:      pdfgen.Paper{BodyPages: 2.9, ReferencesCount: 19, Acknowledgements: true},
	},
	{
		Title: "Neural Controlled Differential Equations for Online Prediction",
		Abstract: para(`Neural controlled differential equations are the continuous-time analogue of recurrent networks:
			the hidden state responds to a control path built from the observations. The usual construction of that
			path with cubic splines needs future observations and so cannot be used online. We study rectilinear and
			causal Hermite interpolations that depend only on the past, prove that they keep the universal
			approximation property, and measure what they cost in accuracy. On speech command recognition,
			sepsis prediction and a character trajectories task, causal interpolation loses less than one point of
			accuracy against splines and allows predictions to be updated as each new observation arrives.`),
		Keywords: []string{"neural differential equations", "controlled differential equations", "time series"},
		Track:    TrackRecentlyPublished,
		Authors:  []string{fischer, okafor},
		PDF:      pdfgen.Paper{BodyPages: 4, ReferencesCount: 22},
	},
	{
		Title: "Rotation-Equivariant Neural Operators on the Sphere",
		Abstract: para(`Global weather and climate fields live on the sphere, yet most neural operators are defined on
			flat periodic grids and are not equivariant to rotations. We build operator layers from spherical
			harmonic transforms, with filters that depend only on the degree of the harmonic, which makes them
			equivariant to rotations by construction. The layers are evaluated with fast transforms on
			Gauss-Legendre grids at any resolution. On the shallow water equations and on a simplified atmospheric
			model, the spherical operator is stable in autoregressive rollouts over hundreds of steps, where a
			planar Fourier operator develops artefacts at the poles within days of simulated time.`),
		Keywords: []string{"neural operators", "Fourier neural operators", "equivariance", "weather"},
		Track:    TrackNewWork,
		Authors:  []string{chen, tanaka},
		PDF:      pdfgen.Paper{BodyPages: 3.7, ReferencesCount: 24, Appendix: true},
	},
	{
		Title: "Residual-Based Adaptive Sampling for Physics-Informed Networks",
		Abstract: para(`The accuracy of physics-informed neural networks depends on where the residual is evaluated.
			Uniform collocation wastes points in regions where the solution is smooth and misses sharp fronts. We
			resample collocation points during training from a density proportional to a power of the residual,
			mixed with a uniform component so that no region is abandoned, and we analyse the resulting estimator of
			the loss. The exponent controls a trade-off between exploration and focus that we set with a simple
			schedule. On Burgers, Allen-Cahn and a lid-driven cavity problem, adaptive sampling reaches the accuracy
			of uniform sampling with a quarter of the points and avoids the failure modes of purely greedy
			schemes.`),
		Keywords: []string{"physics-informed neural networks", "adaptive sampling"},
		Track:    TrackNewWork,
		Authors:  []string{silva, nguyen, ruiz},
		PDF:      pdfgen.Paper{BodyPages: 3.3, ReferencesCount: 20},
	},
	{
		Title: "Diagonal State-Space Models for Raw Audio Generation",
		Abstract: para(`Autoregressive generation of raw audio requires models with memory over tens of thousands of
			samples and fast recurrent inference. Diagonal state-space layers provide both: they are trained as long
			convolutions and run as linear recurrences at generation time. We build a multi-scale generator from
			such layers with gated connections inspired by H3 and compare it with WaveNet-style convolutional models
			and transformers on speech and piano music. At equal parameter count the state-space model reaches
			better likelihoods and is rated higher in listening tests, while generating audio three times faster
			than real time on one GPU. We discuss the role of the discretisation step of the state-space layers,
			which acts as a learned time scale for each channel.`),
		Keywords: []string{"state-space sequence models", "H3", "audio generation"},
		Track:    TrackNewWork,
		Authors:  []string{haddad, schmidt},
		PDF:      pdfgen.Paper{BodyPages: 3.5, ReferencesCount: 21, Checklist: true},
	},
	{
		Title: "The Edge of Stability as a Delay Differential Equation",
		Abstract: para(`When gradient descent is run with a large learning rate, the sharpness of the loss rises until it
			reaches two divided by the step size and then hovers there, a regime called the edge of stability.
			Ordinary differential equation models of training cannot reproduce it. We show that a delay
			differential equation, in which the gradient is evaluated at a slightly earlier point of the trajectory,
			does: the delay term introduces oscillations whose amplitude self-stabilises exactly at the observed
			sharpness. The model predicts the period of the loss oscillations in real training runs of small
			convolutional networks and transformers, and it explains why warm-up of the learning rate shortens the
			unstable phase.`),
		Keywords: []string{"training dynamics as differential equations", "edge of stability", "delay differential equations"},
		Track:    TrackNewWork,
		Authors:  []string{fischer, oconnor},
		// The authors cite their own earlier paper by name, in the third
		// person: the check holds it, a chair releases it.
		PDF: pdfgen.Paper{BodyPages: 2.8, ReferencesCount: 15,
			Lead: "Hannah Fischer showed in earlier work [3] that the sharpness of the loss follows a delay equation when the steps are small; we carry that analysis over to large learning rates."},
		HoldRelease: "false positive: the introduction cites the first author's earlier paper by name in the third person, which the venue allows",
	},
	{
		Title: "Universal Differential Equations for Epidemics with Changing Contact Rates",
		Abstract: para(`Compartmental epidemic models assume contact rates that are constant or follow a prescribed
			schedule, which fails when behaviour changes during an outbreak. We embed a neural network for the
			time-varying contact rate into an SEIR model and fit the resulting universal differential equation to
			case and hospitalisation counts. Sparse symbolic regression on the learned network then recovers a
			compact expression of the rate in terms of recent incidence, which can be interpreted as a behavioural
			response. On synthetic outbreaks with known responses, the method recovers the correct functional form,
			and on historical influenza data it improves four-week forecasts over a fixed-rate model.`),
		Keywords: []string{"neural differential equations", "hybrid solvers", "epidemiology", "symbolic regression"},
		Track:    TrackNewWork,
		Authors:  []string{chen},
		// The LaTeX source sets pdfauthor: a metadata leak.
		PDF: pdfgen.Paper{BodyPages: 3.2, ReferencesCount: 18, MetadataAuthor: "Yu Chen"},
	},
	{
		Title: "Schrödinger Bridges Between Unpaired Physical Fields",
		Abstract: para(`Translating between two physical regimes, for example between coarse and fine simulations, is
			often possible only with unpaired samples from each. The Schrödinger bridge problem asks for the most
			likely stochastic process that connects two distributions, and it can be solved with iterative
			proportional fitting of forward and backward diffusion models. We apply diffusion Schrödinger bridges to
			map low-resolution climate model output to high-resolution fields without paired training data. The
			learned bridge preserves large-scale structure while adding small-scale variability with the right
			spectrum, and compared with a cycle-consistent adversarial network it reproduces precipitation extremes
			more faithfully.
			We also discuss how many fitting iterations are needed in practice and how the bridge behaves when the two marginals have different supports.`),
		Keywords: []string{"diffusion models", "score-based models", "Schrödinger bridges", "downscaling"},
		Track:    TrackNewWork,
		Authors:  []string{silva, moreau},
		// Five pages shrunk to four: the whole paper printed at 90%, so the
		// type is 9 pt; the format check warns the authors and the chairs.
		PDF: pdfgen.Paper{BodyPages: 3.6, ReferencesCount: 22, Scale: 0.9},
	},
	{
		Title: "Neural Operators for Full-Waveform Seismic Inversion",
		Abstract: para(`Full-waveform inversion estimates subsurface velocity by fitting simulated seismic recordings
			to observed ones, which requires many wave equation solves. We replace the solver by a Fourier neural
			operator trained on random velocity models and use its gradients within the inversion loop. Because the
			operator is differentiable and cheap, the inversion runs two orders of magnitude faster. We study how
			errors of the surrogate propagate into the inverted model, and we propose to alternate between surrogate
			and solver steps, which keeps the final error at the level of the solver-only inversion. Experiments on
			the Marmousi model and on synthetic salt bodies illustrate the speed and the limits of the approach.`),
		Keywords: []string{"neural operators", "Fourier neural operators", "inverse problems", "seismic imaging"},
		Track:    TrackNewWork,
		Authors:  []string{haddad, nair},
		// Runs well past the limit: references start mid-page 6.
		PDF: pdfgen.Paper{BodyPages: 5.4, ReferencesCount: 29},
	},
	{
		Title: "Learning Runge-Kutta Coefficients with Meta-Gradients",
		Abstract: para(`The coefficients of Runge-Kutta methods are usually chosen to satisfy order conditions for all
			smooth problems. When a solver will be used on one family of problems, coefficients tuned to that family
			can do better. We learn the Butcher tableau of an explicit method by meta-gradient descent on the error
			over a distribution of initial conditions and parameters, while constraining the tableau to keep
			consistency and a minimal order. For neural ODEs trained on image data, learned four-stage methods have
			lower error than the classical fourth-order method at the same cost, and they remain stable at step
			sizes where it is not.`),
		Keywords: []string{"hypersolvers", "numerical methods for differential equations", "meta-learning"},
		Track:    TrackRecentlyPublished,
		Authors:  []string{silva, kim},
		PDF:      pdfgen.Paper{BodyPages: 2.6, ReferencesCount: 16},
	},
	{
		Title: "Message-Passing PDE Solvers on Unstructured Meshes",
		Abstract: para(`Most learned solvers for partial differential equations assume regular grids, but engineering
			simulations use unstructured meshes refined around geometric features. We design a message-passing
			solver whose edge updates mimic the fluxes of a finite volume scheme, with learned corrections added to
			a consistent low-order flux. The design makes the solver conservative by construction and lets it
			generalise to meshes finer than those seen in training. On compressible flow around airfoils and on
			heat transfer in complex domains, it is more accurate than graph networks without the flux structure and
			remains stable for long rollouts.
			An ablation shows that conservation, not the size of the network, explains most of the gain in long rollouts.`),
		Keywords: []string{"graph neural diffusion", "neural operators", "hybrid solvers", "meshes"},
		Track:    TrackNewWork,
		Authors:  []string{chen, nair, nguyen},
		PDF:      pdfgen.Paper{BodyPages: 3.9, ReferencesCount: 26, Appendix: true},
	},
	{
		Title: "Stochastic Differential Equation Models of Learning-Rate Noise",
		Abstract: para(`Stochastic gradient descent is often modelled by a stochastic differential equation whose
			diffusion term reflects minibatch noise. The approximation is known to be accurate only for small
			learning rates and Gaussian noise. We measure the distribution of minibatch gradients in training runs
			of residual networks and find heavy tails that the usual model misses. A stochastic differential
			equation driven by an alpha-stable process captures the tails and predicts the time to escape from
			sharp minima better than the Gaussian model. We discuss the consequences for the choice of batch size
			and learning rate.
			We release the measured gradient statistics so that other noise models can be compared on the same footing.`),
		Keywords: []string{"training dynamics as differential equations", "neural SDEs", "stochastic gradient descent"},
		Track:    TrackNewWork,
		Authors:  []string{fischer, adeyemi},
		PDF:      pdfgen.Paper{BodyPages: 3.4, ReferencesCount: 20, Acknowledgements: true},
	},
	{
		Title: "Discretisation Error of Diffusion Samplers Beyond the Score Error",
		Abstract: para(`Convergence analyses of diffusion models bound the distance between generated and data
			distributions by the error of the learned score plus a discretisation term. We show that the
			discretisation term dominates for the step counts used in practice and that its size depends on the
			curvature of the sampling trajectories, which varies over time. Using this analysis we derive a step
			size rule that equalises the local error along the trajectory. The rule needs no training and improves
			sample quality for both stochastic and deterministic samplers on image benchmarks, with the largest
			gains at twenty steps or fewer.
			The analysis also explains why the first few steps from pure noise matter less than the last ones near the data.`),
		Keywords: []string{"diffusion models", "score-based models", "numerical methods for differential equations"},
		Track:    TrackNewWork,
		Authors:  []string{haddad, moreau},
		PDF:      pdfgen.Paper{BodyPages: 4, ReferencesCount: 25},
	},
	{
		Title: "Koopman Autoencoders with Continuous Spectra",
		Abstract: para(`Koopman operator methods represent nonlinear dynamics as linear evolution of observables, and
			autoencoders can learn those observables from data. Systems with chaotic or mixing behaviour have
			continuous Koopman spectra that a finite linear model cannot represent, and such models then fail at
			long horizons. We parameterise the latent evolution with a family of linear operators indexed by a
			learned frequency variable, which approximates a continuous spectrum. On the Lorenz system and on
			turbulent channel flow data, the model reproduces autocorrelation functions and invariant statistics
			that discrete-spectrum Koopman autoencoders do not.
			The learned frequency density can be inspected directly and agrees with spectra estimated from long simulations of the same systems.`),
		Keywords: []string{"latent dynamical models", "Koopman operators"},
		Track:    TrackNewWork,
		Authors:  []string{silva, okafor},
		// Built with the preprint option: the footer gives the build away,
		// the check holds it, and the authors upload the anonymous build.
		PDF:   pdfgen.Paper{BodyPages: 3.5, ReferencesCount: 19, Footer: pdfgen.PreprintFooter},
		Fixed: true,
	},
	{
		Title: "Stability of Selective State-Space Layers",
		Abstract: para(`Selective state-space models make the state matrix and the input projection depend on the
			current input, which lets them filter information like attention does. The input dependence also breaks
			the linear time-invariant structure that guaranteed the stability of earlier state-space layers. We
			show that stability is preserved if the discretisation step is bounded and the continuous state matrix
			stays in the left half-plane, and we characterise how the zero-order hold discretisation interacts with
			input-dependent steps. In language modelling experiments, enforcing these conditions removes the
			occasional loss spikes that we observe in unconstrained models.
			The constraints cost nothing in accuracy on the long-range benchmarks we consider and make training less sensitive to the learning rate.`),
		Keywords: []string{"state-space sequence models", "stability"},
		Track:    TrackRecentlyPublished,
		Authors:  []string{chen, schmidt},
		PDF:      pdfgen.Paper{BodyPages: 3.1, ReferencesCount: 17},
	},
	{
		Title: "Flow Matching for Molecular Conformer Generation",
		Abstract: para(`Generating low-energy conformations of molecules is a sampling problem over a space with
			symmetries. We train a continuous normalizing flow with the flow matching objective, which regresses
			the vector field of a prescribed probability path and avoids simulating the flow during training. The
			vector field is an equivariant graph network, and the path interpolates torsion angles on the torus
			rather than atom positions. On standard drug-like molecule benchmarks, the model matches the coverage
			of diffusion-based generators while needing five times fewer integration steps at sampling, and its
			samples have lower strain energies.
			We also show that straighter probability paths reduce the number of steps further without retraining the vector field.`),
		Keywords: []string{"normalizing flows", "diffusion models", "molecules", "flow matching"},
		Track:    TrackNewWork,
		Authors:  []string{fischer, lindqvist},
		PDF:      pdfgen.Paper{BodyPages: 3.8, ReferencesCount: 27, Acknowledgements: true, Checklist: true},
	},
	{
		Title: "Neural ODEs for Population Pharmacokinetics",
		Abstract: para(`Population pharmacokinetic models describe how drug concentrations evolve in patients with
			compartmental differential equations whose parameters vary between individuals. We replace the
			elimination term of a two-compartment model by a neural network of the concentration and patient
			covariates, and fit the mixed-effects model with variational inference. On clinical data for an
			antibiotic with nonlinear clearance, the hybrid model predicts concentrations after dose changes more
			accurately than the standard model, and it retains interpretable parameters for absorption and
			distribution.
			We discuss the identifiability of the learned clearance term, show how sparse sampling in individual patients limits it, and outline how prior knowledge from in vitro studies could be added as a soft constraint on the network.`),
		Keywords: []string{"neural differential equations", "hybrid solvers", "pharmacokinetics"},
		Track:    TrackNewWork,
		Authors:  []string{haddad},
		PDF:      pdfgen.Paper{BodyPages: 2.4, ReferencesCount: 14},
	},
	{
		Title: "Differentiable Fluid Simulation for Flow Control with Learned Closures",
		Abstract: para(`Controlling fluid flows with reinforcement learning requires millions of simulator calls.
			Differentiable simulators give gradients of the control objective directly but are expensive at the
			resolutions that resolve turbulence. We combine a coarse differentiable solver of the Navier-Stokes
			equations with a learned closure model for the unresolved scales, trained to match fine simulations, and
			optimise controllers by backpropagation through the hybrid solver. For drag reduction behind a cylinder
			and mixing in a channel, controllers trained this way perform as well on the fine simulator as
			controllers trained on the fine simulator itself, at a tenth of the cost. We analyse when gradients
			through long rollouts become chaotic and use truncated horizons to keep them useful.`),
		Keywords: []string{"hybrid solvers", "differentiable physics", "flow control", "numerical methods for differential equations"},
		Track:    TrackNewWork,
		Authors:  []string{silva, ruiz},
		// A full paper sent to a 4-page workshop: six body pages.
		PDF: pdfgen.Paper{BodyPages: 6, ReferencesCount: 34, Appendix: true},
	},
	{
		Title: "Spectral Bias of Physics-Informed Networks and Fourier Feature Embeddings",
		Abstract: para(`Neural networks learn low frequencies first, a spectral bias that slows physics-informed
			networks on problems with multi-scale solutions. Through the neural tangent kernel of the residual loss
			we show that the differential operator amplifies the bias for high-order equations. Random Fourier
			feature embeddings counteract it, but their scale is hard to choose. We propose to use several embeddings
			at different scales and to combine their outputs with weights adapted by the kernel's eigenvalues. On
			wave, heat and reaction-diffusion problems with high-frequency components, the method converges where a
			single-scale embedding does not.
			The adaptive weights add almost no cost to a training step, since the kernel eigenvalues are estimated on a small subset of points.`),
		Keywords: []string{"physics-informed neural networks", "spectral bias", "neural tangent kernel"},
		Track:    TrackNewWork,
		Authors:  []string{chen, ruiz},
		PDF:      pdfgen.Paper{BodyPages: 3.5, ReferencesCount: 22},
	},
	{
		Title: "Oversmoothing in Continuous-Depth Graph Networks",
		Abstract: para(`Continuous-depth graph networks evolve node features with a differential equation on the graph.
			For linear diffusion, features converge to a constant on each connected component, which explains
			oversmoothing. We analyse nonlinear and anisotropic variants and show which terms prevent convergence:
			attention-based diffusivities slow it but do not stop it, while a source term coupled to the input
			features bounds the distance from the initial state. A model with such a coupling keeps its accuracy
			with depth on citation and co-purchase graphs, whereas diffusion-only models lose accuracy after a few
			units of integration time.
			Our analysis also covers graphs that change over time, where the coupling must be renewed as edges appear.`),
		Keywords: []string{"graph neural diffusion", "neural differential equations", "oversmoothing"},
		Track:    TrackRecentlyPublished,
		Authors:  []string{fischer, nair},
		PDF:      pdfgen.Paper{BodyPages: 3, ReferencesCount: 18},
	},
	{
		Title: "Adaptive Fourier Neural Operators for Medium-Range Weather Forecasting",
		Abstract: para(`Data-driven weather models now rival numerical weather prediction at medium range. Many of them
			mix tokens with adaptive Fourier neural operator layers that act on the whole globe at once. We study
			how the choice of spectral truncation and of the autoregressive step affects forecast skill and
			stability over ten days. Longer steps reduce the accumulation of error but blur small-scale features,
			and a combination of six-hour and twenty-four-hour models evaluated in a greedy schedule gives the best
			skill at all lead times. We also show that fine-tuning over multiple autoregressive steps is essential
			for stable rollouts beyond a week.`),
		Keywords: []string{"Fourier neural operators", "neural operators", "weather"},
		Track:    TrackNewWork,
		Authors:  []string{haddad, rossi},
		PDF:      pdfgen.Paper{BodyPages: 3.7, ReferencesCount: 24},
	},
	{
		Title: "Amortised Variational Inference for Parameters of Stochastic Differential Equations",
		Abstract: para(`Estimating the parameters of stochastic differential equations from discretely observed paths
			is expensive because the transition densities are intractable. We train an inference network that maps
			an observed path to an approximate posterior over parameters, using simulations of the equation as
			training data and a variational objective based on a bridge between observations. Once trained, the
			network gives posteriors in milliseconds. On stochastic volatility, predator-prey and gene expression
			models, the amortised posteriors are close to those of expensive Markov chain Monte Carlo and well
			calibrated on simulated data.
			We also show how to detect when an observed path lies outside the range of the training simulations, where amortised posteriors should not be trusted.`),
		Keywords: []string{"neural differential equations", "neural SDEs", "variational inference", "simulation-based inference"},
		Track:    TrackNewWork,
		Authors:  []string{silva, adeyemi},
		PDF:      pdfgen.Paper{BodyPages: 3.3, ReferencesCount: 21, Appendix: true},
	},
	{
		Title: "Wasserstein Gradient Flows as Generative Models",
		Abstract: para(`Many generative models can be seen as discretisations of gradient flows in the space of
			probability measures. We make the connection explicit for a family of models trained with
			the Jordan-Kinderlehrer-Otto scheme, in which each step solves a proximal problem in the Wasserstein
			metric. Parameterising each step with an input-convex network gives a sequence of transport maps whose
			composition is a normalizing flow. We show that the number of steps needed scales with the log-Sobolev
			constant of the target, and we compare the approach with diffusion models and continuous normalizing
			flows on two-dimensional and image data.
			The steps can be trained one at a time, which keeps memory constant in their number.`),
		Keywords: []string{"normalizing flows", "diffusion models", "optimal transport", "gradient flows"},
		Track:    TrackNewWork,
		Authors:  []string{chen, moreau, lindqvist},
		PDF:      pdfgen.Paper{BodyPages: 3.9, ReferencesCount: 28, Acknowledgements: true, Checklist: true},
	},
	{
		Title: "Reduced-Order Models with Latent Dynamics for Parametric Flows",
		Abstract: para(`Projection-based reduced-order models approximate high-dimensional simulations in a linear
			subspace and struggle with transport-dominated flows. We learn a nonlinear latent space with a
			convolutional autoencoder and latent dynamics with a neural ordinary differential equation conditioned
			on the physical parameters. Training is done on trajectories at a few parameter values, and the model
			interpolates to new ones. For flow past a cylinder over a range of Reynolds numbers and for a moving
			shock problem, the latent model is more accurate than proper orthogonal decomposition with the same
			dimension, and it evaluates a thousand times faster than the full solver.
			Extrapolation beyond the training range of parameters remains difficult, as we show.`),
		Keywords: []string{"latent dynamical models", "reduced-order models", "neural differential equations"},
		Track:    TrackRecentlyPublished,
		Authors:  []string{haddad, rossi, okafor},
		PDF:      pdfgen.Paper{BodyPages: 3.6, ReferencesCount: 20},
	},
	{
		Title: "Momentum Methods as Damped Oscillators in Deep Network Training",
		Abstract: para(`Heavy-ball momentum is the discretisation of a damped second-order differential equation. We use
			this view to study how momentum and learning rate interact during the training of deep networks: the
			effective damping depends on both, and training is fastest near critical damping for the dominant
			curvature directions. By estimating the curvature spectrum during training we derive a schedule that
			adjusts momentum to keep the dynamics near critical damping. The schedule speeds up training of residual
			networks and transformers compared with fixed momentum, and it reduces the sensitivity to the learning
			rate.
			We also relate the schedule to common heuristics such as momentum warm-up and show when they agree with it.`),
		Keywords: []string{"training dynamics as differential equations", "optimisation", "momentum"},
		Track:    TrackNewWork,
		Authors:  []string{fischer, oconnor, chen},
		PDF:      pdfgen.Paper{BodyPages: 2.7, ReferencesCount: 15},
	},
	{
		Title: "Neural Stochastic PDEs for Spatiotemporal Forecasting of Air Quality",
		Abstract: para(`Air pollution fields are driven by advection, diffusion and emissions that are only partly
			known. We model pollutant concentrations with a neural stochastic partial differential equation: a
			known advection-diffusion operator, a learned source term, and spatially correlated noise that accounts
			for unknown emissions. The model is fitted to sensor networks by a filtering approach that handles
			missing sensors. On two urban data sets, it gives better probabilistic forecasts than graph recurrent
			networks and Gaussian process baselines, and its learned source term reveals traffic patterns over the
			course of the day.
			We also study how many sensors are needed before the learned source term becomes reliable enough to guide the placement of new ones.`),
		Keywords: []string{"neural differential equations", "neural SDEs", "physics-informed neural networks", "air quality"},
		Track:    TrackNewWork,
		Authors:  []string{silva, nguyen},
		PDF:      pdfgen.Paper{BodyPages: 3.4, ReferencesCount: 19},
	},
}
