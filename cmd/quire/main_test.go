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

// startDev starts `quire dev` and waits until /readyz answers 200.
func startDev(t *testing.T, dataDir string, port int) (*exec.Cmd, *logBuffer) {
	t.Helper()
	cmd := quire(t, []string{"QUIRE_DATA_DIR=" + dataDir, fmt.Sprintf("QUIRE_LISTEN=127.0.0.1:%d", port)}, "dev")
	logs := &logBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/readyz", port))
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return cmd, logs
			}
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("quire dev not ready within 60 s:\n%s", logs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func stop(t *testing.T, cmd *exec.Cmd, logs *logBuffer) {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("quire dev exited with %v:\n%s", err, logs)
		}
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("quire dev did not stop on SIGTERM:\n%s", logs)
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

	cmd, logs := startDev(t, dataDir, port)
	for _, want := range []string{"created PostgreSQL cluster", "applied migration", "loaded the DLDE III demo venue", "demo account"} {
		if !strings.Contains(logs.String(), want) {
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
	if !strings.Contains(logs.String(), "committed the demo assignment") {
		t.Errorf("the demo assignment was not committed:\n%s", logs)
	}
	stop(t, cmd, logs)
	if p := postgresFor(dataDir); len(p) > 0 {
		t.Fatalf("postgres left running after quire dev stopped: %v", p)
	}

	cmd, logs = startDev(t, dataDir, port)
	if strings.Contains(logs.String(), "created PostgreSQL cluster") || strings.Contains(logs.String(), "demo account") {
		t.Errorf("the second run must reuse the data:\n%s", logs)
	}
	out, err = quire(t, []string{"QUIRE_DATA_DIR=" + dataDir, "QUIRE_NEW_PASSWORD=a good long password"}, "user", "create", "--email", "ROOT@example.org", "--name", "Root again").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "already exists") {
		t.Fatalf("the account from the first run must still exist: %v %s", err, out)
	}
	stop(t, cmd, logs)
	if p := postgresFor(dataDir); len(p) > 0 {
		t.Fatalf("postgres left running: %v", p)
	}
}
