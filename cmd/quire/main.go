// Command quire is the whole of Quire in one binary: the server, the embedded
// development setup, migrations and the offline tools chairs use.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/quirehq/quire/internal/assignment"
	"github.com/quirehq/quire/internal/pdfcheck"
)

// version is set at build time with -ldflags "-X main.version=..."; otherwise
// the VCS revision recorded by the Go toolchain is shown.
var version = ""

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout, stderr io.Writer) int
	hidden        bool
}

func commands() []command {
	return []command{
		{"serve", "run the HTTP server against DATABASE_URL", runServe, false},
		{"dev", "run with an embedded PostgreSQL cluster and the demo venue (what `make run` does)", runDev, false},
		{"migrate", "apply migrations (`migrate up`) or show where the schema stands (`migrate status`)", runMigrate, false},
		{"user", "create accounts (`user create --admin` makes a site administrator)", runUser, false},
		{"venue", "import a venue from its settings file, or export one", runVenue, false},
		{"blob", "copy the uploaded files into the object store of QUIRE_BLOB_URL, verifying each (`blob migrate`)", runBlob, false},
		{"pdfcheck", "check PDFs offline exactly as uploads are checked (`pdfcheck [--json] FILE...`)", runPDFCheck, false},
		{"pdfcheck-worker", "the PDF checker's sandboxed child (internal)", runPDFWorker, true},
		{"assign", "solve a reviewer-assignment instance offline (`assign solve FILE`), or generate one", runAssign, false},
		{"version", "print the version", runVersion, false},
		{"help", "show this help", nil, false},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(dispatch(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			return dispatch(ctx, []string{args[1], "-h"}, stdout, stderr)
		}
		usage(stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] && c.run != nil {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "quire: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Quire: submissions and double-blind review for workshops.")
	fmt.Fprintln(w, "\nUsage: quire COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		if !c.hidden {
			fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
		}
	}
	fmt.Fprintln(w, "\nRun `quire COMMAND -h` for the settings of a command.")
}

func runPDFCheck(_ context.Context, args []string, stdout, stderr io.Writer) int {
	return pdfcheck.RunCLI(args, stdout, stderr)
}

func runPDFWorker(_ context.Context, _ []string, stdout, _ io.Writer) int {
	return pdfcheck.RunWorker(os.Stdin, stdout)
}

// runAssign adds `assign export SLUG` (which needs the database) to the
// offline solver's own commands.
func runAssign(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "export" {
		return assignExport(ctx, args[1:], stdout, stderr)
	}
	return assignment.RunCLI(args, stdout, stderr)
}

func runVersion(_ context.Context, _ []string, stdout, _ io.Writer) int {
	fmt.Fprintln(stdout, "quire", versionString())
	return 0
}

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			if dirty {
				rev += "-dirty"
			}
			return "dev-" + rev
		}
	}
	return "dev"
}

// exitFor prints a start-up error and picks the exit code: 0 for -h, 2 for
// bad settings, 1 otherwise.
func exitFor(err error, stderr io.Writer, what string) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintf(stderr, "quire %s: %v\n", what, err)
	return 1
}
