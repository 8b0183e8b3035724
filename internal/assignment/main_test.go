package assignment

import (
	"os"
	"testing"
)

// cliEnv turns the test binary into "quire assign" so benchmarks can measure
// the end-to-end peak memory of a fresh process (and people can run it with
// /usr/bin/time): QUIRE_ASSIGN_CLI=1 ./assignment.test solve FILE --out OUT.
const cliEnv = "QUIRE_ASSIGN_CLI"

func TestMain(m *testing.M) {
	if os.Getenv(cliEnv) == "1" {
		args := os.Args[1:]
		if len(args) > 0 && args[0] == "assign" { // as quire's own argument list
			args = args[1:]
		}
		os.Exit(RunCLI(args, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
