package assignment

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FamilyRow is one instance of the benchmark family of issue 29: NeurIPS
// size (12,345 papers x 10,000 reviewers, 4 reviews a paper, loads up to
// 6) varied one lever at a time from the min-load-2 instance.
type FamilyRow struct {
	Name string
	Cfg  GenConfig
	Note string
}

// Family lists the rows `quire assign bench` measures.
func Family() []FamilyRow {
	base := func(minLoad int32, f func(*GenConfig)) GenConfig {
		c := NeurIPSConfig(minLoad, 1)
		if f != nil {
			f(&c)
		}
		return c
	}
	return []FamilyRow{
		{"min0", base(0, nil), "min load 0, costs 0..1300 from affinity and bids"},
		{"min1", base(1, nil), "min load 1"},
		{"min2", base(2, nil), "min load 2"},
		{"min3", base(3, nil), "min load 3"},
		{"issue", base(2, func(c *GenConfig) { c.CostScale, c.Conflicts = 1000, 0.012 }), "the shape of issue 29's: min load 2, costs rescaled to 0..1000, 1.2% conflicts (1.22 M pairs)"},
		{"uniform1000", base(2, func(c *GenConfig) { c.CostScale, c.UniformCosts, c.Conflicts = 1000, true, 0.012 }), "min load 2, uniform random costs 0..1000, 1.2% conflicts"},
		{"cost3", base(2, func(c *GenConfig) { c.CostScale = 3 }), "min load 2, costs rescaled to 0..3 (many ties)"},
		{"cost1e6", base(2, func(c *GenConfig) { c.CostScale = 1_000_000 }), "min load 2, costs rescaled to 0..10^6"},
		{"uniform1e6", base(2, func(c *GenConfig) { c.CostScale, c.UniformCosts = 1_000_000, true }), "min load 2, uniform costs 0..10^6"},
		{"cand50", base(2, func(c *GenConfig) { c.Candidates, c.MaxLoad = 50, 8 }), "min load 2, 50 candidates a paper (max load 8: 6 is infeasible)"},
		{"cand200", base(2, func(c *GenConfig) { c.Candidates = 200 }), "min load 2, 200 candidates a paper"},
		{"zipf", base(2, func(c *GenConfig) { c.Zipf = 1 }), "min load 2, reviewer popularity Zipf 1"},
		{"conflicts", base(2, func(c *GenConfig) { c.Conflicts = 0.3 }), "min load 2, 30% of candidates conflicted"},
		{"hard", base(3, func(c *GenConfig) { c.Zipf, c.Conflicts, c.CostScale, c.Candidates = 1, 0.3, 1_000_000, 200 }), "min load 3, Zipf 1, 30% conflicts, costs 0..10^6, 200 candidates"},
	}
}

// benchRun is one timed process.
type benchRun struct {
	wall time.Duration
	cpu  time.Duration // user + system
	rss  float64       // MB
	cost int64
}

var lemonCost = regexp.MustCompile(`(?m)^cost (-?\d+)$`)

// runBench implements `quire assign bench`: for every family row it
// generates the instance (kept in --dir for later runs), then runs
// `quire assign solve` and LEMON's solver alternately, --runs times each,
// in fresh processes, and prints each one's wall time and peak RSS.
func runBench(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("quire assign bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	lemon := fs.String("lemon", "bin/lemon-solve", "LEMON's solver, built by make lemon")
	self, _ := os.Executable()
	quire := fs.String("quire", self, "the quire binary to time")
	dir := fs.String("dir", os.TempDir(), "where the instances are written (and reused)")
	runs := fs.Int("runs", 3, "runs of each solver per row")
	rows := fs.String("rows", "", "comma-separated row names (default: all)")
	scale := fs.Float64("scale", 1, "shrink papers and reviewers by this factor (0.01 for a quick check)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return ExitUsage
	}
	if len(pos) != 0 || *runs < 1 || !(*scale > 0 && *scale <= 1) {
		fmt.Fprintf(stderr, "quire assign bench: no arguments expected, --runs at least 1, --scale in (0, 1]\n%s", usage)
		return ExitUsage
	}
	family := Family()
	for i := range family {
		c := &family[i].Cfg
		c.Papers = max(int(float64(c.Papers)**scale), 1)
		c.Reviewers = max(int(float64(c.Reviewers)**scale), 1)
		c.Candidates = min(c.Candidates, c.Reviewers)
	}
	if *rows != "" {
		want := strings.Split(*rows, ",")
		family = slices.DeleteFunc(family, func(r FamilyRow) bool { return !slices.Contains(want, r.Name) })
	}
	fmt.Fprintf(stdout, "| row | pairs | ours: wall, median (min..max) | LEMON: wall | wall ratio | ours: CPU | LEMON: CPU | CPU ratio | ours: peak RSS | LEMON: peak RSS | RSS ratio | optimal cost |\n")
	fmt.Fprintf(stdout, "|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, row := range family {
		path := filepath.Join(*dir, "quire-bench-"+row.Name+".txt")
		pairs, err := ensureInstance(*quire, path, row.Cfg)
		if err != nil {
			fmt.Fprintf(stderr, "quire assign bench: %s: %v\n", row.Name, err)
			return ExitError
		}
		var ours, theirs []benchRun
		for i := range *runs {
			// Alternate who goes first, so neither always meets a
			// warmer page cache or a quieter machine.
			for j := range 2 {
				if (i+j)%2 == 0 {
					r, err := timeProcess(*quire, []string{"assign", "solve", path, "--quiet", "--out", path + ".sol"}, true)
					if err != nil {
						fmt.Fprintf(stderr, "quire assign bench: %s: quire: %v\n", row.Name, err)
						return ExitError
					}
					ours = append(ours, r)
				} else {
					r, err := timeProcess(*lemon, []string{path}, false)
					if err != nil {
						fmt.Fprintf(stderr, "quire assign bench: %s: lemon: %v\n", row.Name, err)
						return ExitError
					}
					theirs = append(theirs, r)
				}
			}
		}
		for _, r := range append(ours[1:], theirs...) {
			if r.cost != ours[0].cost {
				fmt.Fprintf(stderr, "quire assign bench: %s: costs differ: %d and %d\n", row.Name, ours[0].cost, r.cost)
				return ExitError
			}
		}
		wall := func(r benchRun) float64 { return r.wall.Seconds() }
		cpu := func(r benchRun) float64 { return r.cpu.Seconds() }
		rss := func(r benchRun) float64 { return r.rss }
		fmt.Fprintf(stdout, "| %s | %d | %.2f s (%s) | %.2f s (%s) | %.2f | %.2f s | %.2f s | %.2f | %.1f MB | %.1f MB | %.2f | %d |\n",
			row.Name, pairs, medianOf(ours, wall), spread(ours, wall), medianOf(theirs, wall), spread(theirs, wall),
			medianOf(ours, wall)/medianOf(theirs, wall),
			medianOf(ours, cpu), medianOf(theirs, cpu), medianOf(ours, cpu)/medianOf(theirs, cpu),
			medianOf(ours, rss), medianOf(theirs, rss), medianOf(ours, rss)/medianOf(theirs, rss), ours[0].cost)
	}
	fmt.Fprintf(stdout, "\n| row | instance | generated by |\n|---|---|---|\n")
	for _, row := range family {
		fmt.Fprintf(stdout, "| %s | %s | `quire %s` |\n", row.Name, row.Note, strings.Join(GenArgs(row.Cfg), " "))
	}
	return ExitOK
}

// GenArgs is the `quire assign gen` command line that writes c's instance.
func GenArgs(c GenConfig) []string {
	a := []string{"assign", "gen",
		"--papers", strconv.Itoa(c.Papers), "--reviewers", strconv.Itoa(c.Reviewers),
		"--reviews", strconv.Itoa(int(c.Reviews)),
		"--min-load", strconv.Itoa(int(c.MinLoad)), "--max-load", strconv.Itoa(int(c.MaxLoad)),
		"--candidates", strconv.Itoa(c.Candidates), "--seed", strconv.FormatUint(c.Seed, 10)}
	if c.LightFraction != 0 {
		a = append(a, "--light-reviews", strconv.Itoa(int(c.LightReviews)), "--light-fraction", fmt.Sprint(c.LightFraction))
	}
	a = append(a, "--eager", fmt.Sprint(c.EagerFraction), "--topics", strconv.Itoa(c.Topics), "--noise", fmt.Sprint(c.Noise))
	if c.CostScale != 0 {
		a = append(a, "--cost-scale", strconv.FormatInt(c.CostScale, 10))
	}
	if c.UniformCosts {
		a = append(a, "--uniform-costs")
	}
	if c.Zipf != 0 {
		a = append(a, "--zipf", fmt.Sprint(c.Zipf))
	}
	if c.Conflicts != 0 {
		a = append(a, "--conflicts", fmt.Sprint(c.Conflicts))
	}
	return a
}

// ensureInstance writes cfg's instance to path unless a file from the same
// config is already there, and returns its number of pairs. The generator
// runs in a child process: Linux counts the parent's peak memory in the
// ru_maxrss of every child it starts later, which would spoil the figures.
func ensureInstance(quire, path string, cfg GenConfig) (int, error) {
	tag := describe(cfg)
	if b, err := os.ReadFile(path + ".cfg"); err == nil {
		if n, ok := strings.CutPrefix(string(b), tag+"\n"); ok {
			if pairs, err := strconv.Atoi(strings.TrimSpace(n)); err == nil {
				return pairs, nil
			}
		}
	}
	out, err := exec.Command(quire, append(GenArgs(cfg), "--out", path)...).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("%v\n%s", err, out)
	}
	m := regexp.MustCompile(`(\d+) pairs`).FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("no pair count in %q", out)
	}
	pairs, _ := strconv.Atoi(string(m[1]))
	return pairs, os.WriteFile(path+".cfg", []byte(fmt.Sprintf("%s\n%d\n", tag, pairs)), 0o644)
}

// timeProcess runs name with args and returns its wall time, peak RSS and
// the cost it printed (quire: "cost N" on stdout; LEMON the same).
func timeProcess(name string, args []string, quire bool) (benchRun, error) {
	cmd := exec.Command(name, args...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return benchRun{}, fmt.Errorf("%v\n%s", err, out.Bytes())
	}
	m := lemonCost.FindSubmatch(out.Bytes())
	if m == nil {
		return benchRun{}, fmt.Errorf("no cost in the output:\n%s", out.Bytes())
	}
	cost, _ := strconv.ParseInt(string(m[1]), 10, 64)
	ps := cmd.ProcessState
	return benchRun{wall: wall, cpu: ps.UserTime() + ps.SystemTime(), rss: peakRSS(ps), cost: cost}, nil
}

func medianOf(rs []benchRun, f func(benchRun) float64) float64 {
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = f(r)
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func spread(rs []benchRun, f func(benchRun) float64) string {
	lo, hi := f(rs[0]), f(rs[0])
	for _, r := range rs {
		lo, hi = min(lo, f(r)), max(hi, f(r))
	}
	return fmt.Sprintf("%.2f..%.2f", lo, hi)
}
