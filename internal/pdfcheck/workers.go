package pdfcheck

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// A warm worker is retired after maxWorkerJobs files, or when it keeps
// more than MemoryLimit/retireDivisor resident between two files.
const (
	maxWorkerJobs = 100
	retireDivisor = 4 // of the memory limit
)

// worker is one running worker process in its own process group.
type worker struct {
	cmd    *exec.Cmd
	pid    int
	stdin  io.WriteCloser
	lines  chan workerLine // its answers, one per job
	stderr *syncBuffer
	exited chan struct{} // closed once the process has been waited for
	jobs   int
	// idleRSS is its resident memory when it was last put back.
	idleRSS int64
}

type workerLine struct {
	b   []byte
	err error
}

// startWorker starts a worker that waits for jobs on its stdin.
func (c *Checker) startWorker() (*worker, error) {
	argv := c.opts.WorkerCommand
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), c.opts.Env...)
	w := &worker{cmd: cmd, lines: make(chan workerLine, 1), stderr: &syncBuffer{limit: 64 << 10}, exited: make(chan struct{})}
	cmd.Stderr = w.stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c.started.Add(1)
	w.pid, w.stdin = cmd.Process.Pid, stdin
	go func() {
		br := bufio.NewReaderSize(stdout, 64<<10)
		for {
			b, err := readLine(br, maxResultBytes)
			w.lines <- workerLine{b, err}
			if err != nil {
				break
			}
		}
		_ = cmd.Wait()
		close(w.exited)
	}()
	return w, nil
}

// kill ends the worker and anything it started, and waits for it.
func (w *worker) kill() {
	_ = syscall.Kill(-w.pid, syscall.SIGKILL)
	_ = w.stdin.Close()
	for {
		select {
		case <-w.lines:
		case <-w.exited:
			return
		}
	}
}

// takeWorker is a warm worker if one waits, else a new one.
func (c *Checker) takeWorker() (*worker, error) {
	for {
		select {
		case w := <-c.idle:
			if len(w.lines) > 0 || isClosed(w.exited) {
				w.kill() // it died, or spoke, while it waited
				continue
			}
			return w, nil
		default:
			return c.startWorker()
		}
	}
}

func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// putWorker keeps w warm for the next file, unless it has checked enough
// files, kept too much memory, or there is no room.
func (c *Checker) putWorker(w *worker) {
	w.idleRSS = groupRSS(w.pid)
	if w.jobs >= maxWorkerJobs || w.idleRSS > c.opts.MemoryLimit/retireDivisor {
		w.kill()
		return
	}
	select {
	case c.idle <- w:
	default:
		w.kill()
	}
}

// Close ends the warm workers.
func (c *Checker) Close() {
	for {
		select {
		case w := <-c.idle:
			w.kill()
		default:
			return
		}
	}
}

// groupCPU is the user and system time, in milliseconds, of the worker and
// its waited-for children (poppler), from /proc/<pid>/stat.
func groupCPU(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// Fields after the command name, which is in parentheses.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 15 {
		return 0
	}
	var ticks int64
	for _, k := range f[11:15] { // utime, stime, cutime, cstime
		n, _ := strconv.ParseInt(k, 10, 64)
		ticks += n
	}
	return ticks * 1000 / clockTicks
}

// clockTicks is USER_HZ, 100 on every Linux Go runs on.
const clockTicks = 100

// syncBuffer is a limitedBuffer the worker's stderr copier and the parent
// share.
type syncBuffer struct {
	mu    sync.Mutex
	b     bytes.Buffer
	limit int
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.b.Len()+len(p) > b.limit {
		return len(p), nil // dropped: only the start of the message matters
	}
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func (b *syncBuffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.b.Reset()
}
