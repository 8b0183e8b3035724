package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/app"
	"github.com/quirehq/quire/internal/openreview"
	"github.com/quirehq/quire/internal/venue"
)

func openreviewService(a *app.App) *openreview.Service {
	s := a.Services
	return &openreview.Service{DB: a.Pool, Clock: s.Clock, Venues: s.Venues, Accounts: s.Accounts, Submissions: s.Submissions}
}

// parseInterleaved parses flags that may come before or after the
// positional arguments, and returns the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// actor is whom the command acts as: --as, else the venue's first chair.
func actor(ctx context.Context, a *app.App, svc *openreview.Service, slug, as string) (int64, error) {
	if as == "" {
		return svc.FirstChair(ctx, slug)
	}
	u, ok, err := a.Services.Accounts.ByEmail(ctx, a.Pool, as)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, fmt.Errorf("no account has the address %s", as)
	}
	return u.ID, nil
}

// venueImportOpenReview implements `quire venue import-openreview`.
func venueImportOpenReview(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const what = "venue import-openreview"
	fs := flag.NewFlagSet(what, flag.ContinueOnError)
	fs.SetOutput(stderr)
	slug := fs.String("venue", "", "the venue's slug (it must exist: `quire venue import` makes one from its file)")
	pdfs := fs.String("pdfs", "", "a folder or a ZIP of the PDFs, named by note id, by number or by content.pdf's path")
	profiles := fs.String("profiles", "", "CSV of openreview_id,email[,name]: profile ids and reviewers' signatures to emails")
	track := fs.String("track", "", "the track the submissions go to (default: the venue's first)")
	as := fs.String("as", "", "the email of the chair or administrator to act as (default: the venue's first chair)")
	asJSON := fs.Bool("json", false, "write the report as JSON")
	venueFile := fs.String("venue-file", "", "make the venue from this settings file first (its slug is the venue's), with --chair")
	var chairs multi
	fs.Var(&chairs, "chair", "with --venue-file: email of a chair with an account (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: quire venue import-openreview (--venue SLUG | --venue-file FILE --chair EMAIL) NOTES.json [--pdfs DIR|ZIP] [--profiles MAP.csv] [--track KEY] [--as EMAIL] [--json]")
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return exitFor(err, stderr, what)
	}
	var settings []byte
	if *venueFile != "" {
		if settings, err = os.ReadFile(*venueFile); err != nil {
			return exitFor(err, stderr, what)
		}
		set, probs, err := venue.Parse(settings)
		if err != nil {
			for _, p := range probs {
				fmt.Fprintf(stderr, "%s: %s\n", *venueFile, p.String())
			}
			return exitFor(fmt.Errorf("%s is not a venue file (%d problems); nothing was imported", *venueFile, len(probs)), stderr, what)
		}
		if *slug != "" && *slug != set.Slug {
			return exitFor(fmt.Errorf("--venue %s but the venue file's slug is %s", *slug, set.Slug), stderr, what)
		}
		*slug = set.Slug
	}
	if *slug == "" || len(pos) != 1 {
		fs.Usage()
		return 2
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return exitFor(err, stderr, what)
	}
	defer f.Close()
	notes, err := openreview.Read(f, openreview.DefaultLimits)
	if err != nil {
		return exitFor(fmt.Errorf("%s: %w", pos[0], err), stderr, what)
	}
	in := openreview.Input{Notes: notes, Track: *track}
	if *profiles != "" {
		pf, err := os.Open(*profiles)
		if err != nil {
			return exitFor(err, stderr, what)
		}
		in.Profiles, err = openreview.ReadProfiles(pf)
		pf.Close()
		if err != nil {
			return exitFor(fmt.Errorf("%s: %w", *profiles, err), stderr, what)
		}
	}
	if *pdfs != "" {
		fsys, closer, err := openreview.OpenPDFs(*pdfs)
		if err != nil {
			return exitFor(err, stderr, what)
		}
		defer closer.Close()
		in.PDFs = fsys
	}
	a, err := openApp(ctx, what, stderr)
	if err != nil {
		return exitFor(err, stderr, what)
	}
	defer a.Close()
	svc := openreviewService(a)
	if settings != nil {
		err := pgx.BeginFunc(ctx, a.Pool, func(tx pgx.Tx) error {
			_, err := a.Services.Site.CreateVenueTx(ctx, tx, nil, settings, chairs, "")
			return err
		})
		if err != nil {
			return exitFor(fmt.Errorf("making the venue from %s: %w; nothing was imported", *venueFile, err), stderr, what)
		}
		fmt.Fprintf(stderr, "made the venue %s from %s\n", *slug, *venueFile)
	}
	uid, err := actor(ctx, a, svc, *slug, *as)
	if err != nil {
		return exitFor(err, stderr, what)
	}
	rep, err := svc.Import(ctx, *slug, uid, in)
	if err != nil {
		if settings != nil {
			err = fmt.Errorf("%w (the venue %s is made, and empty)", err, *slug)
		}
		return exitFor(fmt.Errorf("nothing was imported: %w", err), stderr, what)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(rep)
	} else {
		err = rep.WriteText(stdout)
	}
	if err != nil {
		return exitFor(err, stderr, what)
	}
	return 0
}

// venueExportOpenReview implements `quire venue export-openreview`.
func venueExportOpenReview(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const what = "venue export-openreview"
	fs := flag.NewFlagSet(what, flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "write the notes here instead of to standard output")
	pdfs := fs.String("pdfs", "", "a folder to write the PDFs into, named by note id, and the supplementary material, named as content.supplementary_material ends")
	profiles := fs.String("profiles", "", "write the profile map (signatures and profile ids to emails) here, for an import elsewhere")
	as := fs.String("as", "", "the email of the chair or administrator to act as (default: the venue's first chair)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: quire venue export-openreview SLUG [--out NOTES.json] [--pdfs DIR] [--profiles MAP.csv] [--as EMAIL]")
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return exitFor(err, stderr, what)
	}
	if len(pos) != 1 {
		fs.Usage()
		return 2
	}
	a, err := openApp(ctx, what, stderr)
	if err != nil {
		return exitFor(err, stderr, what)
	}
	defer a.Close()
	svc := openreviewService(a)
	uid, err := actor(ctx, a, svc, pos[0], *as)
	if err != nil {
		return exitFor(err, stderr, what)
	}
	ex, err := svc.Export(ctx, pos[0], uid)
	if err != nil {
		return exitFor(err, stderr, what)
	}
	b, err := json.MarshalIndent(ex.Notes, "", "  ")
	if err != nil {
		return exitFor(err, stderr, what)
	}
	b = append(b, '\n')
	if *out != "" {
		err = os.WriteFile(*out, b, 0o644)
	} else {
		_, err = stdout.Write(b)
	}
	if err != nil {
		return exitFor(err, stderr, what)
	}
	if *profiles != "" {
		if err := writeFile(*profiles, func(w io.Writer) error { return openreview.WriteProfiles(w, ex.ProfileIDs, ex.Profiles) }); err != nil {
			return exitFor(err, stderr, what)
		}
	}
	if *pdfs != "" {
		if err := os.MkdirAll(*pdfs, 0o755); err != nil {
			return exitFor(err, stderr, what)
		}
		files := ex.Files()
		for name, sha := range files {
			err := writeFile(filepath.Join(*pdfs, name), func(w io.Writer) error {
				r, _, err := a.Services.Submissions.Blobs.Open(ctx, sha)
				if err != nil {
					return err
				}
				defer r.Close()
				_, err = io.Copy(w, r)
				return err
			})
			if err != nil {
				return exitFor(err, stderr, what)
			}
		}
	}
	if *out != "" {
		fmt.Fprintf(stdout, "wrote %d notes to %s\n", len(ex.Notes), *out)
	}
	return 0
}

func writeFile(path string, fill func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fill(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
