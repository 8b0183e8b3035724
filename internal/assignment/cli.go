package assignment

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"
)

// Exit codes of RunCLI.
const (
	ExitOK         = 0
	ExitError      = 1 // unreadable or malformed input, failed write
	ExitUsage      = 2
	ExitInfeasible = 3
)

const usage = `usage:
  quire assign solve INSTANCE [--out FILE] [--quiet]
      [--mode optimal|fair|randomized] [--max-prob Q] [--seed S] [--marginals FILE]
      solve an instance (docs/assignment-format.md); the assignment goes to
      FILE (or stdout), cost and time to stdout (stderr when the assignment
      goes to stdout); exit 3 with an explanation when no assignment exists.
      fair: the worst pair as good as possible, then the least total cost
      randomized: no pair above probability Q (0.5, 1/3); the assignment is
      one draw, reproducible from S; the pairs' probabilities go to the
      marginals FILE as "paper reviewer probability" lines
  quire assign gen [--preset neurips|dlde] [--papers N] [--reviewers N]
      [--reviews N] [--light-reviews N] [--light-fraction F] [--min-load N]
      [--max-load N] [--candidates N] [--eager F] [--topics N] [--noise F]
      [--cost-scale N] [--uniform-costs] [--zipf S] [--conflicts F]
      [--seed S] --out FILE
      write a deterministic synthetic instance; --cost-scale rescales costs
      to 0..N, --uniform-costs draws them at random, --zipf skews reviewer
      popularity, --conflicts strikes that share of candidate pairs
  quire assign bench [--lemon bin/lemon-solve] [--dir DIR] [--runs N]
      [--rows min0,min2,...] [--scale F]
      time this solver against LEMON's (make lemon) on the instance family
      of docs/bench-assignment.md, alternating, in fresh processes: wall
      time and peak RSS of each, as a Markdown table
`

// RunCLI implements "quire assign ..." given the arguments after "assign".
func RunCLI(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return ExitUsage
	}
	switch args[0] {
	case "solve":
		return runSolve(args[1:], stdout, stderr)
	case "gen":
		return runGen(args[1:], stderr)
	case "bench":
		return runBench(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return ExitOK
	}
	fmt.Fprintf(stderr, "quire assign: unknown command %q\n%s", args[0], usage)
	return ExitUsage
}

// parseInterspersed lets flags follow positional arguments, as in
// "solve INSTANCE --out FILE".
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func runSolve(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("quire assign solve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "write the assignment to this file instead of stdout")
	quiet := fs.Bool("quiet", false, "do not report progress on stderr")
	mode := fs.String("mode", "optimal", "optimal (least total cost), fair (least worst pair, then least total) or randomized (Jecmen et al.: no pair above --max-prob)")
	maxProb := fs.String("max-prob", "0.5", "randomized: the largest probability of any pair, as 0.5 or 1/3")
	seed := fs.Uint64("seed", 1, "randomized: the seed of the draw; the same instance, --max-prob and seed give the same assignment")
	marginals := fs.String("marginals", "", "randomized: write each pair's probability here")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return ExitUsage
	}
	if len(pos) != 1 {
		fmt.Fprintf(stderr, "quire assign solve: want one INSTANCE file, got %d arguments\n%s", len(pos), usage)
		return ExitUsage
	}
	start := time.Now()
	releaseCode()
	f, err := os.Open(pos[0])
	if err != nil {
		fmt.Fprintf(stderr, "quire assign solve: %v\n", err)
		return ExitError
	}
	pr, err := ReadProblem(f)
	f.Close()
	if err != nil {
		fmt.Fprintf(stderr, "quire assign solve: %s: %v\n", pos[0], err)
		return ExitError
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var lastShown time.Time
	progress := func(p Progress) {
		if time.Since(lastShown) < time.Second || p.Phase == PhaseCheck || p.Phase == PhaseDone {
			return
		}
		lastShown = time.Now()
		fmt.Fprintf(stderr, "%s %3.0f%% (%d pivots, %d of %d reviews placed, gap %d)\n",
			p.Phase, 100*p.Fraction, p.Pivots, p.Placed, p.Needed, p.Gap)
	}
	if *quiet {
		progress = nil // nor compute the gap, which prices every arc
	}
	var rnd *Randomized
	var sol *Solution
	switch *mode {
	case "optimal":
		sol, err = Solve(ctx, pr, progress)
	case "fair":
		var fair *Fair
		if fair, err = SolveFair(ctx, pr, progress); err == nil {
			sol = fair.Solution
			defer fmt.Fprintf(stderr, "fair: no pair costs more than %d (%d feasibility checks)\n", fair.Threshold, fair.Checks)
		}
	case "randomized":
		q, perr := ParseProbability(*maxProb)
		if perr != nil {
			fmt.Fprintf(stderr, "quire assign solve: %v\n", perr)
			return ExitUsage
		}
		rnd, err = SolveRandomized(ctx, pr, q, *seed, progress)
		if err == nil {
			sol = rnd.Sample
		}
	default:
		fmt.Fprintf(stderr, "quire assign solve: --mode %q: want optimal, fair or randomized\n", *mode)
		return ExitUsage
	}
	if err != nil {
		if ie := (*InfeasibleError)(nil); errors.As(err, &ie) {
			fmt.Fprintf(stderr, "infeasible: %s\n", ie.Explanation)
			return ExitInfeasible
		}
		fmt.Fprintf(stderr, "quire assign solve: %v\n", err)
		return ExitError
	}
	summary := stdout
	if *out == "" {
		summary = stderr
		if err := WriteSolution(stdout, sol); err != nil {
			fmt.Fprintf(stderr, "quire assign solve: %v\n", err)
			return ExitError
		}
	} else if err := writeFile(*out, func(w io.Writer) error { return WriteSolution(w, sol) }); err != nil {
		fmt.Fprintf(stderr, "quire assign solve: %v\n", err)
		return ExitError
	}
	if rnd != nil {
		if *marginals != "" {
			if err := writeFile(*marginals, func(w io.Writer) error { return WriteMarginals(w, rnd) }); err != nil {
				fmt.Fprintf(stderr, "quire assign solve: %v\n", err)
				return ExitError
			}
		}
		// What randomising costs: the expected cost against the optimum.
		opt, err := Solve(ctx, pr, nil)
		if err != nil {
			fmt.Fprintf(stderr, "quire assign solve: %v\n", err)
			return ExitError
		}
		fmt.Fprintf(summary, "max probability %s\nseed %d\nexpected cost %.3f\noptimal cost %d\nrandomisation cost %s\n",
			rnd.Q, rnd.Seed, rnd.ExpectedCost(), opt.Cost, RandomisationCost(rnd.ExpectedCost(), opt.Cost))
	}
	var worst int64
	for i, a := range sol.Pairs {
		if i == 0 || a.Cost > worst {
			worst = a.Cost
		}
	}
	fmt.Fprintf(summary, "cost %d\nworst pair %d\npairs %d\ntime %s\n", sol.Cost, worst, len(sol.Pairs), time.Since(start).Round(time.Millisecond))
	return ExitOK
}

func runGen(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("quire assign gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := NeurIPSConfig(0, 1)
	preset := fs.String("preset", "neurips", "starting parameters: neurips (12,345 x 10,000) or dlde (100 x 60)")
	papers := fs.Int("papers", c.Papers, "papers")
	reviewers := fs.Int("reviewers", c.Reviewers, "reviewers")
	reviews := fs.Int("reviews", int(c.Reviews), "reviews per paper")
	light := fs.Int("light-reviews", int(c.LightReviews), "reviews per light paper")
	lightFrac := fs.Float64("light-fraction", c.LightFraction, "share of light papers")
	minLoad := fs.Int("min-load", int(c.MinLoad), "minimum load of every reviewer")
	maxLoad := fs.Int("max-load", int(c.MaxLoad), "maximum load of every reviewer")
	cands := fs.Int("candidates", c.Candidates, "allowed reviewers per paper (the best by affinity)")
	eager := fs.Float64("eager", c.EagerFraction, "share of allowed pairs with an eager bid")
	topics := fs.Int("topics", c.Topics, "number of topics")
	noise := fs.Float64("noise", c.Noise, "weight of noise in the affinity, 0..1")
	seed := fs.Uint64("seed", c.Seed, "random seed")
	costScale := fs.Int64("cost-scale", 0, "rescale costs to 0..N (0: affinity 0..1000 plus 300 without an eager bid)")
	uniform := fs.Bool("uniform-costs", false, "draw every cost uniformly from 0..cost scale, ignoring affinity")
	zipf := fs.Float64("zipf", 0, "skew reviewer popularity with this Zipf exponent (0: none)")
	conflicts := fs.Float64("conflicts", 0, "share of candidate pairs struck as conflicts, 0..0.5")
	out := fs.String("out", "", "output file (required)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return ExitUsage
	}
	if len(pos) != 0 || *out == "" {
		fmt.Fprintf(stderr, "quire assign gen: want --out FILE and no other arguments\n%s", usage)
		return ExitUsage
	}
	switch *preset {
	case "neurips":
	case "dlde":
		c = DLDEConfig(c.Seed)
	default:
		fmt.Fprintf(stderr, "quire assign gen: unknown preset %q (neurips or dlde)\n", *preset)
		return ExitUsage
	}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "papers":
			c.Papers = *papers
		case "reviewers":
			c.Reviewers = *reviewers
		case "reviews":
			c.Reviews = int32(min(*reviews, MaxCount+1))
		case "light-reviews":
			c.LightReviews = int32(min(*light, MaxCount+1))
		case "light-fraction":
			c.LightFraction = *lightFrac
		case "min-load":
			c.MinLoad = int32(min(*minLoad, MaxCount+1))
		case "max-load":
			c.MaxLoad = int32(min(*maxLoad, MaxCount+1))
		case "candidates":
			c.Candidates = *cands
		case "eager":
			c.EagerFraction = *eager
		case "topics":
			c.Topics = *topics
		case "noise":
			c.Noise = *noise
		case "seed":
			c.Seed = *seed
		case "cost-scale":
			c.CostScale = *costScale
		case "uniform-costs":
			c.UniformCosts = *uniform
		case "zipf":
			c.Zipf = *zipf
		case "conflicts":
			c.Conflicts = *conflicts
		}
	})
	pr, err := Generate(c)
	if err != nil {
		fmt.Fprintf(stderr, "quire assign gen: %v\n", err)
		return ExitUsage
	}
	if err := writeFile(*out, func(w io.Writer) error { return WriteProblem(w, pr) }); err != nil {
		fmt.Fprintf(stderr, "quire assign gen: %v\n", err)
		return ExitError
	}
	fmt.Fprintf(stderr, "wrote %s: %d papers, %d reviewers, %d pairs (%s)\n", *out, len(pr.Demand), len(pr.MinLoad), len(pr.Pairs), describe(c))
	return ExitOK
}

func describe(c GenConfig) string {
	return strings.Join([]string{
		fmt.Sprintf("reviews %d", c.Reviews),
		fmt.Sprintf("light %d x %.2f", c.LightReviews, c.LightFraction),
		fmt.Sprintf("load %d..%d", c.MinLoad, c.MaxLoad),
		fmt.Sprintf("candidates %d", c.Candidates),
		fmt.Sprintf("eager %.2f", c.EagerFraction),
		fmt.Sprintf("topics %d", c.Topics),
		fmt.Sprintf("noise %.2f", c.Noise),
		fmt.Sprintf("cost scale %d", c.CostScale),
		fmt.Sprintf("uniform costs %t", c.UniformCosts),
		fmt.Sprintf("zipf %.2f", c.Zipf),
		fmt.Sprintf("conflicts %.3f", c.Conflicts),
		fmt.Sprintf("seed %d", c.Seed),
	}, ", ")
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
