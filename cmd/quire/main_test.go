package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestMain (in crash_test.go) lets the test binary act as the quire
// command, so these tests run the real program as a separate process without
// building it first.

// quire starts the program with args and extra environment.
func quire(t *testing.T, env []string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "QUIRE_TEST_AS_MAIN=1")
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

func TestHelpAndVersion(t *testing.T) {
	t.Parallel()
	out, err := quire(t, nil, "help").CombinedOutput()
	if err != nil {
		t.Fatal(err, string(out))
	}
	for _, c := range []string{"serve", "dev", "migrate", "version", "user", "venue"} {
		if !strings.Contains(string(out), "  "+c) {
			t.Errorf("help lacks %s:\n%s", c, out)
		}
	}
	out, _ = quire(t, nil, "serve", "-h").CombinedOutput()
	for _, s := range []string{"DATABASE_URL", "QUIRE_LISTEN", "QUIRE_DATA_DIR", "QUIRE_BASE_URL", "QUIRE_JWT_KEYS_FILE"} {
		if !strings.Contains(string(out), s) {
			t.Errorf("serve -h lacks %s", s)
		}
	}
	out, err = quire(t, nil, "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "quire ") {
		t.Fatalf("version: %s %v", out, err)
	}
	cmd := quire(t, []string{"QUIRE_LISTEN=nonsense"}, "dev")
	out, err = cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "QUIRE_LISTEN (--listen)") {
		t.Fatalf("a bad setting must stop the program naming it: %s", out)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// logBuffer collects a process's output safely while it runs.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startBound is how long a starting server may take. It is not a speed
// budget: a first `quire dev` creates a cluster and runs the demo's 41 PDF
// checks, which took over a minute on a loaded 2-core machine. It only
// turns a hang into a failure well before go test's own timeout.
const startBound = 10 * time.Minute

// process is a quire a test started; exited is closed once it has exited,
// and err is then its exit status.
type process struct {
	cmd    *exec.Cmd
	logs   *logBuffer
	exited chan struct{}
	err    error
}

// run starts cmd with its output collected; a process still running when
// the test ends is killed.
func run(t *testing.T, cmd *exec.Cmd) *process {
	t.Helper()
	p := &process{cmd: cmd, logs: &logBuffer{}, exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			_ = cmd.Process.Kill()
			<-p.exited
		}
	})
	return p
}

// waitReady polls /readyz until it answers 200, failing the test if the
// process exits first or startBound passes.
func (p *process) waitReady(t *testing.T, port int) {
	t.Helper()
	client := &http.Client{Timeout: 30 * time.Second}
	bound := time.NewTimer(startBound)
	defer bound.Stop()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if res, err := client.Get(fmt.Sprintf("http://127.0.0.1:%d/readyz", port)); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		select {
		case <-p.exited:
			t.Fatalf("quire exited (%v) before it was ready:\n%s", p.err, p.logs)
		case <-bound.C:
			t.Fatalf("quire not ready within %v:\n%s", startBound, p.logs)
		case <-tick.C:
		}
	}
}

// startDev starts `quire dev` and waits until /readyz answers 200.
func startDev(t *testing.T, dataDir string, port int) *process {
	t.Helper()
	p := run(t, quire(t, []string{"QUIRE_DATA_DIR=" + dataDir, fmt.Sprintf("QUIRE_LISTEN=127.0.0.1:%d", port)}, "dev"))
	p.waitReady(t, port)
	return p
}

// stop sends SIGTERM and waits for a clean exit.
func stop(t *testing.T, p *process) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.exited:
		if p.err != nil {
			t.Fatalf("quire dev exited with %v:\n%s", p.err, p.logs)
		}
	case <-time.After(startBound):
		t.Fatalf("quire dev did not stop on SIGTERM:\n%s", p.logs)
	}
}

func postgresFor(dir string) []string {
	out, _ := exec.Command("pgrep", "-a", "-f", "postgres.*"+dir).Output()
	var procs []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if !strings.Contains(sc.Text(), "pgrep") {
			procs = append(procs, sc.Text())
		}
	}
	return procs
}

// TestDevStartsReusesAndStopsCleanly is the newcomer's path: the embedded
// cluster is created, the demo venue loaded, the server answers; SIGTERM
// leaves no postgres behind; a second run reuses the data.
func TestDevStartsReusesAndStopsCleanly(t *testing.T) {
	dataDir, err := os.MkdirTemp("", "quire-dev-test-")
	if err != nil {
		t.Fatal(err)
	}
	_ = os.Chmod(dataDir, 0o755) // the postgres user must enter it when run as root
	t.Cleanup(func() { os.RemoveAll(dataDir) })
	port := freePort(t)

	dev := startDev(t, dataDir, port)
	for _, want := range []string{"created PostgreSQL cluster", "applied migration", "loaded the DLDE III demo venue", "demo account",
		"role=author", "role=reviewer", `role="chair of dlde-2023"`} {
		if !strings.Contains(dev.logs.String(), want) {
			t.Errorf("first run log lacks %q", want)
		}
	}
	res, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/api/v1/venues/dlde-2023", port))
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("demo venue: %v %v", res, err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), "Differential Equations") {
		t.Fatalf("demo venue body: %s", body)
	}
	// Other commands find the running dev database by themselves.
	out, err := quire(t, []string{"QUIRE_DATA_DIR=" + dataDir, "QUIRE_NEW_PASSWORD=a good long password"}, "user", "create", "--email", "root@example.org", "--name", "Root", "--admin").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "created administrator root@example.org") {
		t.Fatalf("user create: %v %s", err, out)
	}
	// The demo venue's assignment problem exports and solves offline to the
	// optimum the server committed.
	inst, sol := filepath.Join(dataDir, "dlde.txt"), filepath.Join(dataDir, "dlde.sol")
	if out, err := quire(t, []string{"QUIRE_DATA_DIR=" + dataDir}, "assign", "export", "dlde-2023", "--out", inst, "--map", inst+".map").CombinedOutput(); err != nil {
		t.Fatalf("assign export: %v %s", err, out)
	}
	if out, err := quire(t, nil, "assign", "solve", inst, "--out", sol).CombinedOutput(); err != nil {
		t.Fatalf("assign solve: %v %s", err, out)
	}
	if b, _ := os.ReadFile(sol); !strings.HasPrefix(string(b), "# cost ") {
		t.Fatalf("solution file: %.200s", b)
	}
	if !strings.Contains(dev.logs.String(), "committed the demo assignment") {
		t.Errorf("the demo assignment was not committed:\n%s", dev.logs)
	}
	stop(t, dev)
	if p := postgresFor(dataDir); len(p) > 0 {
		t.Fatalf("postgres left running after quire dev stopped: %v", p)
	}

	dev = startDev(t, dataDir, port)
	if strings.Contains(dev.logs.String(), "created PostgreSQL cluster") || strings.Contains(dev.logs.String(), "demo account") {
		t.Errorf("the second run must reuse the data:\n%s", dev.logs)
	}
	out, err = quire(t, []string{"QUIRE_DATA_DIR=" + dataDir, "QUIRE_NEW_PASSWORD=a good long password"}, "user", "create", "--email", "ROOT@example.org", "--name", "Root again").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "already exists") {
		t.Fatalf("the account from the first run must still exist: %v %s", err, out)
	}
	stop(t, dev)
	if p := postgresFor(dataDir); len(p) > 0 {
		t.Fatalf("postgres left running: %v", p)
	}
}
