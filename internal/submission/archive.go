package submission

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/quirehq/quire/internal/pdfcheck"
)

// A ZIP of supplementary material reaches reviewers as it was uploaded, so
// everything in it is checked for the authors' identity before it is
// served: the entry names and the archive's comment, every text file, and
// every PDF inside through the sandboxed checker (where metadata counts
// too, since nothing anonymises those PDFs). What cannot be checked (an
// image, a binary, a nested archive, an encrypted entry, a damaged PDF)
// holds the material until a chair has looked at it.

// Bounds on the work an archive can cause. They are far above what a
// workshop's supplement needs; past them the rest is "not checked".
const (
	archiveMaxEntries = 2000
	archiveMaxPDFs    = 20
	archiveTextMax    = 8 << 20  // bytes of one text file read
	archivePDFMax     = 50 << 20 // bytes of one PDF extracted
	archiveTotalMax   = 512 << 20
)

// errArchive is an archive Go cannot read at all; it is refused like any
// other unreadable upload.
var errArchive = errors.New("the ZIP file cannot be read")

// scanArchive returns the archive's check as a report whose Leaks are the
// findings (every one of them holds the material).
func (s *Service) scanArchive(ctx context.Context, file string, id pdfcheck.Identity) (*pdfcheck.Report, error) {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errArchive, err)
	}
	defer func() { _ = zr.Close() }()
	rep := &pdfcheck.Report{Verdict: pdfcheck.VerdictOK}
	add := func(fs ...pdfcheck.Finding) { rep.Leaks = append(rep.Leaks, fs...) }
	unchecked := func(name, why string) {
		add(pdfcheck.Finding{Code: "not_checked", Where: "archive: " + name, InText: true,
			Message: fmt.Sprintf("%s cannot be checked for the authors' names (%s); a chair must look at it", name, why)})
	}
	if zr.Comment != "" {
		add(pdfcheck.SearchText(id, "archive comment", zr.Comment)...)
	}
	pdfs := 0
	var total int64
	for i, f := range zr.File {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if i >= archiveMaxEntries {
			unchecked(fmt.Sprintf("%d more entries", len(zr.File)-i), "too many entries")
			break
		}
		add(pdfcheck.SearchText(id, "archive entry name "+f.Name, strings.NewReplacer("/", " ", "_", " ", "-", " ", ".", " ").Replace(f.Name))...)
		if f.FileInfo().IsDir() {
			continue
		}
		if f.Comment != "" {
			add(pdfcheck.SearchText(id, "archive: "+f.Name+" (comment)", f.Comment)...)
		}
		if f.Flags&0x1 != 0 {
			unchecked(f.Name, "encrypted")
			continue
		}
		if total > archiveTotalMax {
			unchecked(f.Name, "the archive is too large to check in full")
			continue
		}
		kind, err := sniff(f)
		if err != nil {
			unchecked(f.Name, "unreadable")
			continue
		}
		switch kind {
		case "pdf":
			if pdfs++; pdfs > archiveMaxPDFs {
				unchecked(f.Name, "too many PDFs in one archive")
				continue
			}
			fs, n, err := s.scanArchivedPDF(ctx, f, id)
			total += n
			if err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				var ce *pdfcheck.CheckError
				if !errors.As(err, &ce) || !pdfcheck.IsRefusal(err) {
					return nil, err
				}
				unchecked(f.Name, "the PDF check refused it: "+ce.Code)
				continue
			}
			add(fs...)
		case "text":
			b, err := readAll(f, archiveTextMax)
			total += int64(len(b))
			if err != nil || !utf8.Valid(b) {
				unchecked(f.Name, "not plain text")
				continue
			}
			add(pdfcheck.SearchText(id, "archive: "+f.Name, string(b))...)
		default:
			unchecked(f.Name, kind)
		}
	}
	return rep, nil
}

// sniff reads the start of an entry and says what it is: "pdf", "text"
// or a short description of what cannot be checked.
func sniff(f *zip.File) (string, error) {
	rc, err := f.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	head := make([]byte, 4096)
	n, err := io.ReadFull(rc, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", err
	}
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, pdfMagic):
		return "pdf", nil
	case bytes.HasPrefix(head, zipMagic):
		return "a nested archive", nil
	case bytes.IndexByte(head, 0) < 0 && (utf8.Valid(head) || utf8.Valid(trimPartialRune(head))):
		return "text", nil
	}
	ext := strings.ToLower(path.Ext(f.Name))
	switch ext {
	case ".png", ".jpg", ".jpeg", ".gif", ".svg", ".tif", ".tiff", ".bmp", ".webp", ".eps":
		return "an image", nil
	}
	return "a binary file", nil
}

// trimPartialRune drops a rune cut in half at the end of a prefix.
func trimPartialRune(b []byte) []byte {
	for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
		if r, _ := utf8.DecodeLastRune(b); r != utf8.RuneError {
			return b
		}
		b = b[:len(b)-1]
	}
	return b
}

func readAll(f *zip.File, limit int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", f.Name, limit)
	}
	return b, nil
}

// scanArchivedPDF extracts one PDF of the archive and checks it in the
// sandbox; every leak counts, since reviewers get this PDF as it is.
func (s *Service) scanArchivedPDF(ctx context.Context, f *zip.File, id pdfcheck.Identity) ([]pdfcheck.Finding, int64, error) {
	tmp, err := s.Blobs.TempPath("zip")
	if err != nil {
		return nil, 0, err
	}
	defer os.Remove(tmp)
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, 0, err
	}
	rc, err := f.Open()
	if err != nil {
		out.Close()
		return nil, 0, err
	}
	n, err := io.Copy(out, io.LimitReader(rc, archivePDFMax+1))
	rc.Close()
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, n, err
	}
	if n > archivePDFMax {
		return nil, n, &pdfcheck.CheckError{Code: "too_large", Err: pdfcheck.ErrTooLarge, Detail: "larger than the archive's PDF limit"}
	}
	rep, err := s.Checker.Check(ctx, tmp, pdfcheck.Rules{PageLimit: 0, MaxPages: 1000, MaxBytes: archivePDFMax, Anonymous: true}, id, "")
	if err != nil {
		return nil, n, err
	}
	fs := make([]pdfcheck.Finding, 0, len(rep.Leaks))
	for _, l := range rep.Leaks {
		l.Where, l.InText = "archive: "+f.Name+", "+l.Where, true
		fs = append(fs, l)
	}
	return fs, n, nil
}
