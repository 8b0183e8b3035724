// Command burn keeps CPU cores busy until it is stopped, so the test suite
// can be run on a machine as loaded as a shared CI runner: `make test-busy`
// starts it next to `go test`. It needs nothing but Go.
//
//	burn [-n N]   # N spinning processes; default: one per core
//
// Each burner is its own single-threaded process, as another job's
// compiler or test binary would be; they die with burn (SIGTERM, SIGINT or
// SIGKILL alike).
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"syscall"
)

// childEnv marks a burner process.
const childEnv = "QUIRE_BURN_CHILD"

func main() {
	if os.Getenv(childEnv) == "1" {
		runtime.GOMAXPROCS(1)
		spin()
	}
	n := flag.Int("n", runtime.NumCPU(), "how many spinning processes to run")
	flag.Parse()
	if *n < 1 {
		fmt.Fprintln(os.Stderr, "burn: -n must be at least 1")
		os.Exit(2)
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "burn:", err)
		os.Exit(1)
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	for range *n {
		cmd := exec.Command(exe)
		cmd.Env = append(os.Environ(), childEnv+"=1")
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		if err := cmd.Start(); err != nil {
			fmt.Fprintln(os.Stderr, "burn:", err)
			os.Exit(1)
		}
	}
	fmt.Fprintf(os.Stderr, "burn: %d spinning processes under pid %d\n", *n, os.Getpid())
	<-stop
}

// spin never returns and never blocks: a core's worth of competition.
func spin() {
	x := uint64(1)
	for {
		x = x*6364136223846793005 + 1442695040888963407
		if x == 0 {
			fmt.Fprintln(os.Stderr, "burn: the generator reached zero")
		}
	}
}
