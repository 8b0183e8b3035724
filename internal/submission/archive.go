package submission

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/quirehq/quire/internal/pdfcheck"
)

// A ZIP of supplementary material is checked in the PDF checker's sandbox,
// never read in this process: the worker compares the archive's central
// directory with every local header and refuses one whose two disagree,
// whose names are absolute or climb out with "..", or that holds a name
// twice; it searches every entry name and every text file (UTF-8, UTF-16,
// Latin-1) for the authors' identity, and extracts the PDFs inside, which
// are then checked one by one like a supplementary PDF. Reviewers get a
// copy of the archive with those PDFs' reviewers' copies in place (active
// content and metadata removed). What cannot be checked (an image, a
// binary, a nested archive, an encrypted entry, a damaged PDF) holds the
// material until a chair has looked at it.

// scanArchive returns the archive's check as a report whose Leaks are the
// findings that hold the material, and writes the reviewers' copy of the
// archive to anonOut. A refusal is a *pdfcheck.CheckError.
func (s *Service) scanArchive(ctx context.Context, file string, id pdfcheck.Identity, maxBytes int64, anonOut string) (*pdfcheck.Report, error) {
	dir, err := s.tempDir("zip")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	rep, pdfs, err := s.Checker.CheckArchive(ctx, file, id, maxBytes, dir)
	if err != nil {
		return nil, err
	}
	replace := map[string]string{}
	for i, p := range pdfs {
		clean := fmt.Sprintf("%s/%03d.anon.pdf", dir, i+1)
		fs, err := s.scanArchivedPDF(ctx, p, id, clean)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			var ce *pdfcheck.CheckError
			if !errors.As(err, &ce) || !pdfcheck.IsRefusal(err) {
				return nil, err
			}
			rep.Leaks = append(rep.Leaks, pdfcheck.Finding{Code: "not_checked", Where: "archive: " + p.Name, InText: true,
				Message: fmt.Sprintf("%s cannot be checked for the authors' names (the PDF check refused it: %s); a chair must look at it", p.Name, ce.Code)})
			continue
		}
		rep.Leaks = append(rep.Leaks, fs...)
		replace[p.Name] = clean
	}
	if err := s.Checker.AssembleArchive(ctx, file, replace, anonOut); err != nil {
		return nil, err
	}
	rep.Anonymised = true
	return &rep, nil
}

// scanArchivedPDF checks one PDF of the archive in the sandbox and writes
// its reviewers' copy. Its leaks hold the material as before the copy
// existed, all but what the copy removes by itself and never leaves to a
// chair's waiver: active content, earlier revisions, mailto: links.
func (s *Service) scanArchivedPDF(ctx context.Context, p pdfcheck.ArchivedPDF, id pdfcheck.Identity, clean string) ([]pdfcheck.Finding, error) {
	rep, err := s.Checker.Check(ctx, p.Path, pdfcheck.Rules{PageLimit: 0, MaxPages: 1000, MaxBytes: pdfcheck.ArchivePDFMax, Anonymous: true}, id, clean)
	if err != nil {
		return nil, err
	}
	fs := make([]pdfcheck.Finding, 0, len(rep.Leaks))
	for _, l := range rep.Leaks {
		switch l.Code {
		case "active_content", "incremental_revisions", "mailto_link":
		default:
			l.InText = true
		}
		l.Where = "archive: " + p.Name + ", " + l.Where
		fs = append(fs, l)
	}
	return fs, nil
}

// tempDir makes a private folder in the store's tmp folder.
func (s *Service) tempDir(prefix string) (string, error) {
	p, err := s.Blobs.TempPath(prefix)
	if err != nil {
		return "", err
	}
	if err := os.Remove(p); err != nil {
		return "", err
	}
	if err := os.Mkdir(p, 0o700); err != nil {
		return "", err
	}
	return p, nil
}
