package main

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/app"
	"github.com/quirehq/quire/internal/assignment"
	"github.com/quirehq/quire/internal/config"
	"github.com/quirehq/quire/internal/venue"
)

// devURLFile is where `quire dev` leaves the embedded database's URL while it
// runs, so the other commands work against it without DATABASE_URL.
const devURLFile = "dev-database-url"

// openApp builds the program for a one-shot command: DATABASE_URL, or the
// running `quire dev` cluster of the data folder.
func openApp(ctx context.Context, name string, stderr io.Writer) (*app.App, error) {
	env := os.Getenv
	if os.Getenv("DATABASE_URL") == "" && os.Getenv("DATABASE_URL_FILE") == "" {
		dataDir := os.Getenv("QUIRE_DATA_DIR")
		if dataDir == "" {
			dataDir = "./.quire"
		}
		if b, err := os.ReadFile(filepath.Join(dataDir, devURLFile)); err == nil {
			url := strings.TrimSpace(string(b))
			env = func(k string) string {
				if k == "DATABASE_URL" {
					return url
				}
				return os.Getenv(k)
			}
		} else {
			return nil, errors.New("set DATABASE_URL, or start `quire dev` (make run) in another terminal")
		}
	}
	cfg, err := config.Load(config.ModeServe, name, nil, env, stderr)
	if err != nil {
		return nil, err
	}
	cfg.LogFormat = "text"
	return app.New(ctx, cfg, app.NewLogger("text", "warn"))
}

// runUser implements `quire user create --email E --name N [--admin]`.
func runUser(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(stderr, "usage: quire user create --email EMAIL --name NAME [--admin] [--affiliation A]\n  the password is read from QUIRE_NEW_PASSWORD, or generated and printed")
		return 2
	}
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	email := fs.String("email", "", "email address (required)")
	name := fs.String("name", "", "full name (required)")
	affiliation := fs.String("affiliation", "", "affiliation")
	admin := fs.Bool("admin", false, "make a site administrator (creates venues, names their chairs)")
	if err := fs.Parse(args[1:]); err != nil {
		return exitFor(err, stderr, "user create")
	}
	if *email == "" || *name == "" {
		fmt.Fprintln(stderr, "quire user create: --email and --name are required")
		return 2
	}
	pw, printed := os.Getenv("QUIRE_NEW_PASSWORD"), false
	if pw == "" {
		b := make([]byte, 15)
		_, _ = rand.Read(b)
		pw, printed = strings.ToLower(base32.StdEncoding.EncodeToString(b)), true
	}
	a, err := openApp(ctx, "user create", stderr)
	if err != nil {
		return exitFor(err, stderr, "user create")
	}
	defer a.Close()
	var u account.User
	err = pgx.BeginFunc(ctx, a.Pool, func(tx pgx.Tx) error {
		u, err = a.Services.Accounts.Create(ctx, tx, account.NewAccount{Email: *email, Name: *name, Password: pw, Affiliation: *affiliation, Admin: *admin})
		return err
	})
	if err != nil {
		return exitFor(err, stderr, "user create")
	}
	kind := "user"
	if u.Admin {
		kind = "administrator"
	}
	fmt.Fprintf(stdout, "created %s %s (id %d)\n", kind, u.Email, u.ID)
	if printed {
		fmt.Fprintf(stdout, "password: %s\n", pw)
	}
	return 0
}

// runVenue implements `quire venue import FILE --chair EMAIL...` and
// `quire venue export SLUG`.
func runVenue(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) > 0 && args[0] == "import-openreview":
		return venueImportOpenReview(ctx, args[1:], stdout, stderr)
	case len(args) > 0 && args[0] == "export-openreview":
		return venueExportOpenReview(ctx, args[1:], stdout, stderr)
	}
	if len(args) < 2 || (args[0] != "import" && args[0] != "export") {
		fmt.Fprintln(stderr, "usage: quire venue import FILE --chair EMAIL [--chair EMAIL...]\n       quire venue export SLUG"+
			"\n       quire venue import-openreview --venue SLUG NOTES.json [--pdfs DIR|ZIP] [--profiles MAP.csv]\n       quire venue export-openreview SLUG [--out FILE] [--pdfs DIR] [--profiles MAP.csv]")
		return 2
	}
	if args[0] == "import" {
		return venueImport(ctx, args[1:], stdout, stderr)
	}
	a, err := openApp(ctx, "venue export", stderr)
	if err != nil {
		return exitFor(err, stderr, "venue export")
	}
	defer a.Close()
	rec, err := a.Services.Venues.BySlug(ctx, a.Pool, args[1])
	if err != nil {
		return exitFor(err, stderr, "venue export")
	}
	out, err := venue.Export(rec.Settings)
	if err != nil {
		return exitFor(err, stderr, "venue export")
	}
	_, _ = stdout.Write(out)
	return 0
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func venueImport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	file := args[0]
	fs := flag.NewFlagSet("venue import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var chairs multi
	fs.Var(&chairs, "chair", "email of a chair with an account (repeatable)")
	if err := fs.Parse(args[1:]); err != nil {
		return exitFor(err, stderr, "venue import")
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return exitFor(err, stderr, "venue import")
	}
	if _, probs, err := venue.Parse(data); err != nil {
		for _, p := range probs {
			fmt.Fprintf(stderr, "%s: %s\n", file, p.String())
		}
		return exitFor(fmt.Errorf("%s was not imported (%d problems)", file, len(probs)), stderr, "venue import")
	}
	a, err := openApp(ctx, "venue import", stderr)
	if err != nil {
		return exitFor(err, stderr, "venue import")
	}
	defer a.Close()
	var rec venue.Record
	err = pgx.BeginFunc(ctx, a.Pool, func(tx pgx.Tx) error {
		rec, err = a.Services.Site.CreateVenueTx(ctx, tx, nil, data, chairs, "")
		return err
	})
	if err != nil {
		return exitFor(err, stderr, "venue import")
	}
	fmt.Fprintf(stdout, "imported venue %s (%s)\n", rec.Slug, rec.Name)
	return 0
}

// assignExport writes a venue's current assignment problem in the solver's
// text format (docs/assignment-format.md), and optionally the map from its
// indices to paper numbers and reviewer emails, so a chair can reproduce
// and inspect any run with `quire assign solve`.
func assignExport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("assign export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "write the instance here instead of standard output")
	mapFile := fs.String("map", "", "also write the index map (p NUMBER / r EMAIL lines) here")
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(stderr, "usage: quire assign export SLUG [--out FILE] [--map FILE]")
		return 2
	}
	slug := args[0]
	if err := fs.Parse(args[1:]); err != nil {
		return exitFor(err, stderr, "assign export")
	}
	a, err := openApp(ctx, "assign export", stderr)
	if err != nil {
		return exitFor(err, stderr, "assign export")
	}
	defer a.Close()
	pr, numbers, emails, err := a.Services.Matching.Problem(ctx, slug)
	if err != nil {
		return exitFor(err, stderr, "assign export")
	}
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return exitFor(err, stderr, "assign export")
		}
		defer f.Close()
		w = f
	}
	if err := assignment.WriteProblem(w, pr); err != nil {
		return exitFor(err, stderr, "assign export")
	}
	if *mapFile != "" {
		var b strings.Builder
		for i, n := range numbers {
			fmt.Fprintf(&b, "p %d #%d\n", i, n)
		}
		for i, e := range emails {
			fmt.Fprintf(&b, "r %d %s\n", i, e)
		}
		if err := os.WriteFile(*mapFile, []byte(b.String()), 0o644); err != nil {
			return exitFor(err, stderr, "assign export")
		}
	}
	return 0
}
