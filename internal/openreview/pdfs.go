package openreview

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/quirehq/quire/internal/blob"
	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/submission"
)

// pdfName finds a forum's PDF in files: named by the note id, by the
// number (12.pdf, Submission12.pdf, Paper12.pdf), or at the path content.pdf
// gives (/pdf/<hash>.pdf), under the folder or anywhere by its base name.
// fs.FS refuses names that climb out of it.
func pdfName(files fs.FS, f *Forum) string {
	var names []string
	n := f.Submission
	names = append(names, n.ID+".pdf")
	if f.Number > 0 {
		num := strconv.Itoa(f.Number)
		names = append(names, num+".pdf", "Submission"+num+".pdf", "Paper"+num+".pdf")
	}
	if p := strings.TrimLeft(n.Content.String("pdf"), "/"); p != "" && !strings.Contains(p, "://") {
		names = append(names, path.Clean(p), path.Base(p))
	}
	for _, name := range names {
		if !fs.ValidPath(name) {
			continue
		}
		if st, err := fs.Stat(files, name); err == nil && st.Mode().IsRegular() {
			return name
		}
	}
	return ""
}

// checked is a PDF that passed the upload check and is stored, with its
// anonymised copy.
type checked struct {
	ref, anon blob.Ref
	report    pdfcheck.Report
	// unchanged is the file the submission has already: nothing to do.
	unchanged bool
}

func identity(authors []submission.Author) pdfcheck.Identity {
	var id pdfcheck.Identity
	for _, a := range authors {
		id.Names = append(id.Names, a.Name)
		if a.Email != "" {
			id.Emails = append(id.Emails, a.Email)
		}
		if a.Affiliation != "" {
			id.Affiliations = append(id.Affiliations, a.Affiliation)
		}
	}
	return id
}

// errRefused carries the check's refusal of one file, which the report
// lists; every other error stops the import.
type errRefused struct{ msg string }

func (e errRefused) Error() string { return e.msg }

// checkPDF runs the same sandboxed check as an author's upload and stores
// the file and its anonymised copy; the file the submission has already
// (current) is not checked again. Stored files no row names are
// collected later, as after a failed upload.
func checkPDF(ctx context.Context, subs *submission.Service, files fs.FS, name string, r pdfcheck.Rules, id pdfcheck.Identity, current string) (checked, error) {
	fh, err := files.Open(name)
	if err != nil {
		return checked{}, errRefused{"could not be opened: " + err.Error()}
	}
	defer func() { _ = fh.Close() }()
	staged, err := subs.Blobs.Stage(ctx, fh, r.MaxBytes)
	if errors.Is(err, blob.ErrTooLarge) {
		return checked{}, errRefused{fmt.Sprintf("larger than the venue's limit of %d bytes", r.MaxBytes)}
	}
	if err != nil {
		return checked{}, err
	}
	defer staged.Discard()
	if staged.Ref.SHA256 == current {
		return checked{ref: staged.Ref, unchanged: true}, nil
	}
	anonPath, err := subs.Blobs.TempPath("anon")
	if err != nil {
		return checked{}, err
	}
	defer os.Remove(anonPath)
	report, err := subs.Checker.Check(ctx, staged.Path, r, id, anonPath)
	if err != nil {
		var ce *pdfcheck.CheckError
		if errors.As(err, &ce) && pdfcheck.IsRefusal(err) {
			return checked{}, errRefused{ce.Code + ": " + ce.Detail}
		}
		pe := problem.New(problem.ErrUnavailable, "check_failed", "the PDF check could not run on this server, so nothing was imported; try again later")
		pe.Cause = err
		return checked{}, pe
	}
	report.File = ""
	anon, err := subs.Blobs.StageFile(ctx, anonPath, r.MaxBytes*4+1<<20)
	if err != nil {
		return checked{}, err
	}
	defer anon.Discard()
	if err := staged.Commit(ctx); err != nil {
		return checked{}, err
	}
	if err := anon.Commit(ctx); err != nil {
		return checked{}, err
	}
	return checked{ref: staged.Ref, anon: anon.Ref, report: report}, nil
}

// readAll reads a small file of files (a profile map) with a bound.
func readAll(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err == nil && int64(len(b)) > max {
		err = problem.New(problem.ErrTooLarge, "openreview_too_large", fmt.Sprintf("the file is larger than %d bytes", max))
	}
	return b, err
}
