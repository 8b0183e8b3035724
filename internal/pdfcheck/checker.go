package pdfcheck

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
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
	// idle are warm workers waiting for a file; started counts the
	// workers ever started.
	idle    chan *worker
	started atomic.Int64
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
	c.idle = make(chan *worker, opts.Concurrency)
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

// run sends one job to a worker and watches it: the memory limit, the wall
// clock and the caller's context apply to this job as they would to a
// worker started for it, and a worker that breaks any of them, crashes or
// answers nonsense is killed, never reused.
func (c *Checker) run(ctx context.Context, j workerJob) (result, WorkerStats, error) {
	var stats WorkerStats
	in, err := json.Marshal(j)
	if err != nil {
		return result{}, stats, err
	}
	start := time.Now()
	w, err := c.takeWorker()
	if err != nil {
		return result{}, stats, fmt.Errorf("%w: start worker: %v", ErrCheckFailed, err)
	}
	w.stderr.Reset()
	cpu0 := groupCPU(w.pid)
	w.jobs++
	if _, err := w.stdin.Write(append(in, '\n')); err != nil {
		// A warm worker that died while it waited: start afresh once.
		w.kill()
		if w, err = c.startWorker(); err != nil {
			return result{}, stats, fmt.Errorf("%w: start worker: %v", ErrCheckFailed, err)
		}
		w.jobs++
		cpu0 = 0
		if _, err := w.stdin.Write(append(in, '\n')); err != nil {
			w.kill()
			return result{}, stats, fmt.Errorf("%w: worker: %v", ErrCheckFailed, err)
		}
	}
	var reason error // why the parent killed the worker
	var line workerLine
	// A warm worker was measured when it was put back (putWorker) and
	// has waited on its stdin since: that is its first sample.
	peak := w.idleRSS
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	deadline := time.NewTimer(c.opts.Timeout)
	defer deadline.Stop()
watch:
	for first := true; ; first = false {
		if !first || peak == 0 {
			rss := groupRSS(w.pid)
			peak = max(peak, rss)
			if rss > c.opts.MemoryLimit {
				reason = refuse(ErrMemoryLimit, "the check used more than %d MiB", c.opts.MemoryLimit>>20)
				break
			}
		}
		select {
		case line = <-w.lines:
			break watch
		case <-tick.C:
		case <-deadline.C:
			reason = refuse(ErrTimeout, "the check took longer than %v", c.opts.Timeout)
			break watch
		case <-ctx.Done():
			reason = ctx.Err()
			break watch
		}
	}
	stats.WallMillis = time.Since(start).Milliseconds()
	stats.PeakRSSBytes = peak
	if cpu := groupCPU(w.pid); cpu >= cpu0 && line.err == nil && reason == nil {
		stats.CPUMillis = cpu - cpu0
	}
	if reason != nil {
		w.kill()
		return result{}, stats, reason
	}
	var res result
	if line.err != nil || json.Unmarshal(line.b, &res) != nil || res.Report == nil && res.ErrCode == "" {
		w.kill()
		msg := strings.TrimSpace(w.stderr.String())
		if strings.Contains(msg, "panic:") || strings.Contains(msg, "fatal error:") {
			return result{}, stats, refuse(ErrDamaged, "the parser crashed on this file")
		}
		why := line.err
		if why == nil {
			why = errors.New("no verdict")
		}
		return result{}, stats, fmt.Errorf("%w: worker: %v (%s)", ErrCheckFailed, why, firstLine(msg))
	}
	if res.ErrCode == codes[ErrCheckFailed] {
		w.kill() // a worker that could not check is not trusted with the next file
	} else {
		c.putWorker(w)
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
// listed under every task. The parent samples it every pollInterval while
// a check runs, so it reads /proc with bare system calls into one buffer:
// statm, not status, and the task folder's names without sorting them.
func groupRSS(pid int) int64 {
	var buf [4096]byte
	p := strconv.Itoa(pid)
	total := statmRSS(p, buf[:])
	dir := "/proc/" + p + "/task/"
	for _, t := range procDirNames(dir, buf[:]) {
		kids := readProc(dir+t+"/children", buf[:])
		for len(kids) > 0 {
			var f []byte
			if i := bytes.IndexByte(kids, ' '); i >= 0 {
				f, kids = kids[:i], kids[i+1:]
			} else {
				f, kids = kids, nil
			}
			if len(f) > 0 {
				var kb [4096]byte
				total += statmRSS(string(f), kb[:])
			}
		}
	}
	return total
}

// statmRSS is a process's resident memory from /proc/<pid>/statm (its
// second field, in pages).
func statmRSS(pid string, buf []byte) int64 {
	b := readProc("/proc/"+pid+"/statm", buf)
	i := bytes.IndexByte(b, ' ')
	if i < 0 {
		return 0
	}
	b = b[i+1:]
	if j := bytes.IndexByte(b, ' '); j >= 0 {
		b = b[:j]
	}
	n, _ := strconv.ParseInt(string(b), 10, 64)
	return n * int64(memPageSize)
}

var memPageSize = os.Getpagesize()

// readProc reads a small /proc file in one read.
func readProc(path string, buf []byte) []byte {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil
	}
	defer func() { _ = syscall.Close(fd) }()
	n, err := syscall.Read(fd, buf)
	if err != nil || n <= 0 {
		return nil
	}
	return buf[:n]
}

// procDirNames lists a /proc folder's entries.
func procDirNames(dir string, buf []byte) []string {
	fd, err := syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil
	}
	defer func() { _ = syscall.Close(fd) }()
	var names []string
	for {
		n, err := syscall.ReadDirent(fd, buf)
		if err != nil || n <= 0 {
			return names
		}
		_, _, names = syscall.ParseDirent(buf[:n], -1, names)
	}
}

// IsRefusal tells a refusal of the file from a failure of the checker.
func IsRefusal(err error) bool {
	var ce *CheckError
	return errors.As(err, &ce) && ce.Err != ErrCheckFailed
}
