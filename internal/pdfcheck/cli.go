package pdfcheck

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
)

// cliResult is one file's entry in `quire pdfcheck --json`.
type cliResult struct {
	File   string  `json:"file"`
	Report *Report `json:"report,omitempty"`
	Error  *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// RunCLI is `quire pdfcheck [--json] [--limit N] FILE...`: the same check
// the upload runs, through the same sandbox, so chairs and authors can run
// it offline. It exits 0 when every file is accepted, 1 when one is
// refused, 2 on usage or checker errors.
func RunCLI(args []string, stdout, stderr io.Writer) int {
	return runCLI(args, stdout, stderr, CheckerOptions{ToolsDir: os.Getenv("QUIRE_TOOLS_DIR")})
}

func runCLI(args []string, stdout, stderr io.Writer, opts CheckerOptions) int {
	fs := flag.NewFlagSet("pdfcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the reports as JSON")
	rules := DefaultRules()
	fs.IntVar(&rules.PageLimit, "limit", rules.PageLimit, "body page limit (0: none)")
	sizes := fs.String("sizes", strings.Join(rules.PageSizes, ","), "accepted page sizes, comma-separated (empty: any)")
	excluded := fs.String("exclude", strings.Join(rules.Excluded, ","), "section kinds not counted in the limit")
	anonymous := fs.Bool("anonymous", true, "look for identity leaks (double-blind)")
	names := fs.String("authors", "", "author names to look for, separated by ';'")
	emails := fs.String("emails", "", "author e-mails to look for, separated by ';'")
	timeout := fs.Duration("timeout", 10*time.Second, "time budget per file")
	template := fs.String("template", "", "judge the body against a template's geometry: neurips (default: measure only)")
	formatAction := fs.String("format-action", ActionWarn, "what a template violation does: warn or refuse")
	copyOut := fs.String("reviewers-copy", "", "write the copy reviewers would get to this file (one input) or folder (several)")
	fs.StringVar(&opts.ToolsDir, "tools-dir", opts.ToolsDir, "folder with pdftohtml, pdftoppm and prlimit (default: $QUIRE_TOOLS_DIR, else PATH)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: quire pdfcheck [--json] [--limit N] FILE...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	rules.PageSizes = splitList(*sizes, ",")
	rules.Excluded = splitList(*excluded, ",")
	rules.Anonymous = *anonymous
	if err := cliFormat(&rules, *template, *formatAction); err != nil {
		fmt.Fprintf(stderr, "quire pdfcheck: %v\n", err)
		return 2
	}
	id := Identity{Names: splitList(*names, ";"), Emails: splitList(*emails, ";")}
	opts.Timeout = *timeout
	checker := NewChecker(opts)
	// A missing tool must not pass for a file without text.
	if err := checker.Tools().Probe(context.Background()); err != nil {
		fmt.Fprintf(stderr, "quire pdfcheck: %v\n", err)
		return 2
	}

	status := 0
	var all []cliResult
	for _, file := range fs.Args() {
		out, err := reviewersCopyPath(*copyOut, file, fs.NArg())
		if err != nil {
			fmt.Fprintf(stderr, "quire pdfcheck: %v\n", err)
			return 2
		}
		// A .zip is a supplement, checked as the upload checks one.
		zip := strings.EqualFold(filepath.Ext(file), ".zip") && IsZip(file)
		var rep Report
		if zip {
			rep, err = checker.CheckZip(context.Background(), file, id, 0, "", out)
		} else {
			rep, err = checker.Check(context.Background(), file, rules, id, out)
		}
		r := cliResult{File: file}
		var ce *CheckError
		switch {
		case err == nil:
			r.Report = &rep
		case errors.Is(err, ErrCheckFailed):
			// Not the file's fault, and no verdict on it.
			fmt.Fprintf(stderr, "%s: not checked: %v\n", file, err)
			status = 2
			continue
		case errors.As(err, &ce):
			status = max(status, 1)
			if ce.Report != nil {
				r.Report = ce.Report
			}
			r.Error = &struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			}{ce.Code, ce.Error()}
		default:
			fmt.Fprintf(stderr, "%s: %v\n", file, err)
			status = 2
			continue
		}
		all = append(all, r)
		if !*asJSON {
			if zip {
				printArchive(stdout, r)
			} else {
				printTable(stdout, r)
			}
			if r.Report != nil && r.Report.Anonymised {
				fmt.Fprintf(stdout, "  reviewers' copy written to %s\n\n", out)
			}
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(all); err != nil {
			return 2
		}
	}
	return status
}

func splitList(s, sep string) []string {
	var out []string
	for _, p := range strings.Split(s, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func printTable(w io.Writer, r cliResult) {
	fmt.Fprintf(w, "%s\n", r.File)
	if r.Error != nil {
		fmt.Fprintf(w, "  REFUSED  %s: %s\n", r.Error.Code, r.Error.Message)
	}
	if r.Report == nil {
		fmt.Fprintln(w)
		return
	}
	rep := r.Report
	if r.Error == nil {
		fmt.Fprintf(w, "  verdict  %s\n", rep.Verdict)
	}
	fmt.Fprintf(w, "  body     %d of %d pages (limit %d)\n", rep.BodyPages, rep.TotalPages, rep.PageLimit)
	if rep.BodyEnd != "" {
		fmt.Fprintf(w, "  why      %s\n", rep.BodyEnd)
	}
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "  page\tkind\tsize\tcolumns")
	for _, p := range rep.Pages {
		fmt.Fprintf(tw, "  %d\t%s\t%s (%.0fx%.0f)\t%d\n", p.Number, p.Kind, p.Size, p.Width, p.Height, max(p.Columns, 1))
	}
	_ = tw.Flush()
	for _, s := range rep.Sections {
		fmt.Fprintf(w, "  section  %-16s page %d, y %.0f pt: %q (%s)\n", s.Kind, s.Page, s.Y, s.Heading, s.Source)
	}
	for _, f := range rep.Warnings {
		fmt.Fprintf(w, "  warning  %s: %s\n", f.Code, f.Message)
	}
	for _, f := range rep.Leaks {
		fmt.Fprintf(w, "  leak     %s: %s (%s)\n", f.Code, f.Message, f.Where)
	}
	printFormat(w, rep.Format)
	fmt.Fprintln(w)
}

// reviewersCopyPath is where --reviewers-copy puts the copy of file: OUT
// itself for one input, OUT/<name> when several are checked.
func reviewersCopyPath(out, file string, n int) (string, error) {
	if out == "" {
		return "", nil
	}
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		return filepath.Join(out, filepath.Base(file)), nil
	}
	if n > 1 {
		return "", fmt.Errorf("--reviewers-copy %s: with several files, name an existing folder", out)
	}
	return out, nil
}
