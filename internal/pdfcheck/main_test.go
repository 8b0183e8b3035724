package pdfcheck

import (
	"os"
	"runtime"
	"testing"
	"time"
)

// workerEnv turns the test binary into the worker, so the tests exercise
// the real child process without a prebuilt quire binary. The "hog",
// "stall" and "spin" modes stand in for a parser that runs away on a
// hostile file (pdfcpu reached 2.1 GB on one), so the sandbox can be shown
// to stop it. None of them ever finishes on its own: only the parent ends
// them, so no test depends on which of two clocks runs out first.
const workerEnv = "QUIRE_PDFCHECK_WORKER"

// startedEnv names a file the stalling worker creates once it runs, so a
// test can act on a worker that certainly exists.
const startedEnv = "QUIRE_PDFCHECK_STARTED"

// hogBytes is what the hog takes in one allocation: far above any memory
// limit a test sets, so the limit is passed however slowly the pages fill.
const hogBytes = 1 << 30

func TestMain(m *testing.M) {
	switch os.Getenv(workerEnv) {
	case "1":
		os.Exit(RunWorker(os.Stdin, os.Stdout))
	case "hog":
		b := make([]byte, hogBytes)
		for i := 0; i < len(b); i += 4096 { // touched, so it is resident
			b[i] = 1
		}
		time.Sleep(time.Hour) // holds it until the parent kills
		runtime.KeepAlive(b)
		os.Exit(0)
	case "stall":
		if f := os.Getenv(startedEnv); f != "" {
			if err := os.WriteFile(f, nil, 0o600); err != nil {
				os.Exit(3)
			}
		}
		time.Sleep(time.Hour)
		os.Exit(0)
	case "spin":
		for {
			runtime.Gosched()
		}
	}
	os.Exit(m.Run())
}

// testChecker runs workers from the test binary.
func testChecker(t testing.TB, mode string, opts CheckerOptions) *Checker {
	t.Helper()
	opts.WorkerCommand = []string{os.Args[0]}
	opts.Env = append(opts.Env, workerEnv+"="+mode)
	return NewChecker(opts)
}
