package pdfcheck

import (
	"os"
	"runtime"
	"testing"
	"time"
)

// workerEnv turns the test binary into the worker, so the tests exercise
// the real child process without a prebuilt quire binary. The "hog" and
// "stall" modes stand in for a parser that runs away on a hostile file
// (pdfcpu reached 2.1 GB on one), so the sandbox can be shown to stop it.
const workerEnv = "QUIRE_PDFCHECK_WORKER"

func TestMain(m *testing.M) {
	switch os.Getenv(workerEnv) {
	case "1":
		os.Exit(RunWorker(os.Stdin, os.Stdout))
	case "hog":
		var keep [][]byte
		for range 64 { // up to 2 GiB, touched so it is resident
			b := make([]byte, 32<<20)
			for i := range b {
				if i%4096 == 0 {
					b[i] = 1
				}
			}
			keep = append(keep, b)
			time.Sleep(5 * time.Millisecond)
		}
		runtime.KeepAlive(keep)
		os.Exit(0)
	case "stall":
		time.Sleep(time.Hour)
		os.Exit(0)
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
