package submission

import (
	"context"
	"os"

	"github.com/quirehq/quire/internal/pdfcheck"
)

// A ZIP of supplementary material is checked in the PDF checker's sandbox,
// never read in this process (pdfcheck.Checker.CheckZip): the worker
// compares the archive's central directory with every local header and
// refuses one whose two disagree, whose names are absolute or climb out
// with "..", or that holds a name twice; it searches every entry name and
// every text file (UTF-8, UTF-16, Latin-1) for the authors' identity, and
// extracts the PDFs inside, which are then checked one by one like a
// supplementary PDF. Reviewers get a copy of the archive with those PDFs'
// reviewers' copies in place (active content and metadata removed). What
// cannot be checked (an image, a binary, a nested archive, an encrypted
// entry, a damaged PDF) holds the material until a chair has looked at it.

// scanArchive returns the archive's check as a report whose Leaks are the
// findings, and writes the reviewers' copy of the archive to anonOut. A
// refusal is a *pdfcheck.CheckError.
func (s *Service) scanArchive(ctx context.Context, file string, id pdfcheck.Identity, maxBytes int64, anonOut string) (*pdfcheck.Report, error) {
	dir, err := s.tempDir("zip")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	rep, err := s.Checker.CheckZip(ctx, file, id, maxBytes, dir, anonOut)
	if err != nil {
		return nil, err
	}
	return &rep, nil
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
