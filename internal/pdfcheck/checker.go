package pdfcheck

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// CheckerOptions configure the sandbox.
type CheckerOptions struct {
	// WorkerCommand is the argv of the worker; default: this executable
	// with the argument "pdfcheck-worker".
	WorkerCommand []string
	// Env is added to the worker's environment (which is otherwise this
	// process's).
	Env []string
	// Timeout is the wall-clock budget of one check (default 10 s).
	Timeout time.Duration
	// MemoryLimit caps the resident memory of the worker and its poppler
	// child together (default 512 MiB).
	MemoryLimit int64
	// Concurrency is how many checks run at once (default NumCPU); more
	// wait their turn.
	Concurrency int
	// ToolsDir is the folder holding pdftohtml, pdftoppm and prlimit;
	// empty: they are searched on PATH.
	ToolsDir string
}

// pollInterval is how often the parent samples the worker's memory. A Go
// worker cannot be capped with RLIMIT_AS (its address space reservations
// are large), so the parent measures resident memory instead.
const pollInterval = 10 * time.Millisecond

// maxResultBytes caps what the parent reads from a worker.
const maxResultBytes = 16 << 20

// Checker runs checks in child processes, so a hostile file can crash,
// stall or bloat only its own worker.
type Checker struct {
	opts    CheckerOptions
	sem     chan struct{}
	initErr error
	tools   *Toolbox
	// failures counts checks that could not run (ErrCheckFailed).
	failures atomic.Int64
}

// NewChecker fills in defaults.
func NewChecker(opts CheckerOptions) *Checker {
	c := &Checker{tools: NewToolbox(opts.ToolsDir)}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.MemoryLimit <= 0 {
		opts.MemoryLimit = 512 << 20
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = runtime.NumCPU()
	}
	if len(opts.WorkerCommand) == 0 {
		exe, err := os.Executable()
		if err != nil {
			c.initErr = fmt.Errorf("%w: find own executable: %v", ErrCheckFailed, err)
		}
		opts.WorkerCommand = []string{exe, "pdfcheck-worker"}
	}
	c.opts = opts
	c.sem = make(chan struct{}, opts.Concurrency)
	return c
}

// Tools is the checker's toolbox: probe it at start-up and for /readyz.
func (c *Checker) Tools() *Toolbox { return c.tools }

// Failures is how many checks could not run since start-up (a missing or
// broken tool, a worker that died without a verdict).
func (c *Checker) Failures() int64 { return c.failures.Load() }

// Check runs the whole check of the file at path in a worker and, when the
// file is accepted and anonOut is not empty, has it write the anonymised
// copy there. Refusals are *CheckError values; over_page_limit carries the
// report. An error that wraps ErrCheckFailed means the file was not
// checked: it carries no report and must not be recorded as a verdict.
func (c *Checker) Check(ctx context.Context, path string, rules Rules, id Identity, anonOut string) (Report, error) {
	rep, err := c.check(ctx, path, rules, id, anonOut)
	if errors.Is(err, ErrCheckFailed) {
		c.failures.Add(1)
		// Refresh what /metrics shows: the tool may have just gone.
		var te *ToolsError
		if !errors.As(err, &te) {
			_ = c.tools.Probe(ctx)
		}
		return Report{}, err
	}
	return rep, err
}

func (c *Checker) check(ctx context.Context, path string, rules Rules, id Identity, anonOut string) (Report, error) {
	if c.initErr != nil {
		return Report{}, c.initErr
	}
	tp, err := c.tools.paths()
	if err != nil {
		return Report{}, err
	}
	if st, err := os.Stat(path); err != nil {
		return Report{}, err
	} else if rules.MaxBytes > 0 && st.Size() > rules.MaxBytes {
		return Report{}, refuse(ErrTooLarge, "%d bytes, at most %d allowed", st.Size(), rules.MaxBytes)
	}
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return Report{}, ctx.Err()
	}
	defer func() { <-c.sem }()
	j := job{Path: path, Rules: rules, ID: id, AnonOut: anonOut, Tools: tp, Poppler: popplerLimits{
		// poppler stops first, so the worker can still say why.
		Timeout:     c.opts.Timeout * 8 / 10,
		CPUSeconds:  int(math.Ceil(c.opts.Timeout.Seconds())),
		MemoryBytes: c.opts.MemoryLimit,
	}}
	res, stats, err := c.run(ctx, workerJob{job: j})
	if anonOut != "" {
		os.Remove(partialName(anonOut))
	}
	if err != nil {
		return Report{}, err
	}
	var rep Report
	if res.Report != nil {
		rep = *res.Report
	}
	rep.File = path
	rep.Worker = &stats
	if res.ErrCode != "" {
		ce := &CheckError{Code: res.ErrCode, Err: sentinelFor(res.ErrCode), Detail: res.ErrDetail}
		if res.Report != nil && ce.Err != ErrCheckFailed {
			ce.Report = &rep
		}
		return rep, ce
	}
	return rep, nil
}

// run starts one worker in its own process group and watches it.
func (c *Checker) run(ctx context.Context, j workerJob) (result, WorkerStats, error) {
	var stats WorkerStats
	in, err := json.Marshal(j)
	if err != nil {
		return result{}, stats, err
	}
	argv := c.opts.WorkerCommand
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), c.opts.Env...)
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr limitedBuffer
	stdout.limit, stderr.limit = maxResultBytes, 64<<10
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return result{}, stats, fmt.Errorf("%w: start worker: %v", ErrCheckFailed, err)
	}
	pid := cmd.Process.Pid
	killGroup := func() { _ = syscall.Kill(-pid, syscall.SIGKILL) }

	var reason atomic.Value // error: why the parent killed the worker
	var peak atomic.Int64
	done := make(chan struct{})
	watchDone := make(chan struct{})
	go func() {
		defer close(watchDone)
		tick := time.NewTicker(pollInterval)
		defer tick.Stop()
		deadline := time.NewTimer(c.opts.Timeout)
		defer deadline.Stop()
		for {
			rss := groupRSS(pid)
			if rss > peak.Load() {
				peak.Store(rss)
			}
			if rss > c.opts.MemoryLimit {
				reason.Store(refuse(ErrMemoryLimit, "the check used more than %d MiB", c.opts.MemoryLimit>>20))
				killGroup()
				return
			}
			select {
			case <-done:
				return
			case <-tick.C:
			case <-deadline.C:
				reason.Store(refuse(ErrTimeout, "the check took longer than %v", c.opts.Timeout))
				killGroup()
				return
			case <-ctx.Done():
				reason.Store(ctx.Err())
				killGroup()
				return
			}
		}
	}()
	waitErr := cmd.Wait()
	close(done)
	<-watchDone
	killGroup() // anything the worker left behind
	stats.WallMillis = time.Since(start).Milliseconds()
	stats.PeakRSSBytes = peak.Load()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		// wait4 counts the worker's waited-for children (poppler) too.
		stats.CPUMillis = (ru.Utime.Nano() + ru.Stime.Nano()) / 1e6
		if ru.Maxrss*1024 > stats.PeakRSSBytes {
			stats.PeakRSSBytes = ru.Maxrss * 1024 // the kernel's figure catches peaks between polls
		}
	}
	if r, ok := reason.Load().(error); ok {
		return result{}, stats, r
	}
	var res result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil || res.Report == nil && res.ErrCode == "" {
		msg := strings.TrimSpace(stderr.String())
		if strings.Contains(msg, "panic:") || strings.Contains(msg, "fatal error:") {
			return result{}, stats, refuse(ErrDamaged, "the parser crashed on this file")
		}
		return result{}, stats, fmt.Errorf("%w: worker: %v (%s)", ErrCheckFailed, waitErr, firstLine(msg))
	}
	return res, stats, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// groupRSS is the resident memory of the worker and its children
// (pdftohtml), in bytes. Go forks from any of its threads, so children are
// listed under every task.
func groupRSS(pid int) int64 {
	total := vmRSS(pid)
	dir := "/proc/" + strconv.Itoa(pid) + "/task"
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return total
	}
	for _, t := range tasks {
		kids, err := os.ReadFile(dir + "/" + t.Name() + "/children")
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(kids)) {
			if k, err := strconv.Atoi(f); err == nil {
				total += vmRSS(k)
			}
		}
	}
	return total
}

func vmRSS(pid int) int64 {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, 8<<10))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// IsRefusal tells a refusal of the file from a failure of the checker.
func IsRefusal(err error) bool {
	var ce *CheckError
	return errors.As(err, &ce) && ce.Err != ErrCheckFailed
}
