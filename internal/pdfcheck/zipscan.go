package pdfcheck

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// A ZIP of supplementary material is checked in the worker like a PDF:
// its two tables of contents read and compared (zipcheck.go), every entry
// name and every text file searched for the authors' identity, and every
// PDF inside extracted for the parent to check one by one in the sandbox.
// Reviewers then get a copy of the archive whose PDFs are those checks'
// reviewers' copies (AssembleArchive). What cannot be checked (an image, a
// binary, a nested archive, an encrypted entry, a damaged PDF) holds the
// material until a chair has looked at it.

// Bounds on the work an archive can cause. They are far above what a
// workshop's supplement needs; past them the rest is "not checked".
const (
	ArchiveMaxEntries = 2000
	ArchiveMaxPDFs    = 20
	archiveTextMax    = 8 << 20  // bytes of one text file read
	ArchivePDFMax     = 50 << 20 // bytes of one PDF extracted
	archiveTotalMax   = 512 << 20
)

// archiveJob is a ZIP's check (Extract set) or the assembly of its
// reviewers' copy (Out set), as the parent sends it to the worker.
type archiveJob struct {
	Path     string   `json:"path"`
	ID       Identity `json:"identity"`
	MaxBytes int64    `json:"max_bytes,omitempty"`
	// Extract is the folder the PDFs inside are written to.
	Extract string `json:"extract,omitempty"`
	// Out is where the reviewers' copy is written; Replace maps an
	// entry's name to the file that replaces its contents.
	Out     string            `json:"out,omitempty"`
	Replace map[string]string `json:"replace,omitempty"`
}

// ArchivedPDF is a PDF of an archive, extracted to Path for its own check.
type ArchivedPDF struct {
	Name string `json:"name"`
	Path string `json:"path"`
}

type archiveResult struct {
	PDFs []ArchivedPDF `json:"pdfs,omitempty"`
}

// scanArchive is the worker's side of CheckArchive. Its report's Leaks are
// the findings; each of them holds the material.
func scanArchive(j archiveJob) (Report, []ArchivedPDF, error) {
	f, err := os.Open(j.Path)
	if err != nil {
		return Report{}, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Report{}, nil, err
	}
	if j.MaxBytes > 0 && st.Size() > j.MaxBytes {
		return Report{}, nil, refuse(ErrTooLarge, "%d bytes, at most %d allowed", st.Size(), j.MaxBytes)
	}
	dir, err := readZipDirectory(f, st.Size())
	if err != nil {
		return Report{}, nil, err
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil || len(zr.File) != len(dir.Entries) {
		return Report{}, nil, refuse(ErrZipDamaged, "%v", err)
	}
	rep := Report{Verdict: VerdictOK}
	add := func(fs ...Finding) { rep.Leaks = append(rep.Leaks, fs...) }
	unchecked := func(name, why string) {
		add(Finding{Code: "not_checked", Where: "archive: " + name, InText: true,
			Message: fmt.Sprintf("%s cannot be checked for the authors' names (%s); a chair must look at it", name, why)})
	}
	if dir.Comment != "" {
		add(SearchText(j.ID, "archive comment", dir.Comment)...)
	}
	var pdfs []ArchivedPDF
	var total int64
	for i, e := range dir.Entries {
		if i >= ArchiveMaxEntries {
			unchecked(fmt.Sprintf("%d more entries", len(dir.Entries)-i), "too many entries")
			break
		}
		for _, n := range e.Names {
			add(SearchText(j.ID, "archive entry name "+n, strings.NewReplacer("/", " ", "\\", " ", "_", " ", "-", " ", ".", " ").Replace(n))...)
		}
		zf := zr.File[i]
		if strings.HasSuffix(e.Name, "/") || zf.FileInfo().IsDir() {
			continue
		}
		if e.Comment != "" {
			add(SearchText(j.ID, "archive: "+e.Name+" (comment)", e.Comment)...)
		}
		if e.Flags&0x1 != 0 {
			unchecked(e.Name, "encrypted")
			continue
		}
		if total > archiveTotalMax {
			unchecked(e.Name, "the archive is too large to check in full")
			continue
		}
		head, err := readEntry(zf, archiveTextMax)
		total += int64(len(head))
		if err != nil {
			unchecked(e.Name, "unreadable")
			continue
		}
		switch {
		case bytes.HasPrefix(head, []byte("%PDF-")):
			if len(pdfs) >= ArchiveMaxPDFs {
				unchecked(e.Name, "too many PDFs in one archive")
				continue
			}
			out := filepath.Join(j.Extract, fmt.Sprintf("%03d.pdf", len(pdfs)+1))
			n, err := extractEntry(zf, out, ArchivePDFMax)
			total += n
			switch {
			case errors.Is(err, ErrTooLarge):
				unchecked(e.Name, "the PDF check refused it: too_large")
				continue
			case err != nil:
				unchecked(e.Name, "unreadable")
				continue
			}
			pdfs = append(pdfs, ArchivedPDF{Name: e.Name, Path: out})
		case bytes.HasPrefix(head, []byte("PK\x03\x04")):
			unchecked(e.Name, "a nested archive")
		default:
			if len(head) > archiveTextMax {
				unchecked(e.Name, "not plain text")
				continue
			}
			if text, ok := decodeText(head); ok {
				add(SearchText(j.ID, "archive: "+e.Name, text)...)
				continue
			}
			switch strings.ToLower(path.Ext(e.Name)) {
			case ".png", ".jpg", ".jpeg", ".gif", ".svg", ".tif", ".tiff", ".bmp", ".webp", ".eps":
				unchecked(e.Name, "an image")
			default:
				unchecked(e.Name, "a binary file")
			}
		}
	}
	return rep, pdfs, nil
}

// readEntry reads at most limit+1 bytes of an entry.
func readEntry(f *zip.File, limit int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, limit+1))
}

func extractEntry(f *zip.File, out string, limit int64) (int64, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	w, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(w, io.LimitReader(rc, limit+1))
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > limit {
		err = ErrTooLarge
	}
	return n, err
}

// assembleArchive writes the reviewers' copy of an archive: the entries
// as they are (compressed bytes copied, comments and extra fields
// dropped), but the PDFs replaced by their reviewers' copies.
func assembleArchive(j archiveJob) (err error) {
	f, err := os.Open(j.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if _, err := readZipDirectory(f, st.Size()); err != nil {
		return err
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		return refuse(ErrZipDamaged, "%v", err)
	}
	tmp := partialName(j.Out)
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			out.Close()
			os.Remove(tmp)
		}
	}()
	zw := zip.NewWriter(out)
	for _, zf := range zr.File {
		if repl, ok := j.Replace[zf.Name]; ok {
			w, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Deflate, Modified: zf.Modified})
			if err != nil {
				return err
			}
			src, err := os.Open(repl)
			if err != nil {
				return err
			}
			_, err = io.Copy(w, src)
			src.Close()
			if err != nil {
				return err
			}
			continue
		}
		fh := zf.FileHeader
		fh.Comment, fh.Extra = "", nil
		w, err := zw.CreateRaw(&fh)
		if err != nil {
			return err
		}
		raw, err := zf.OpenRaw()
		if err != nil {
			return err
		}
		if _, err := io.Copy(w, raw); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, j.Out)
}

// runArchiveJob is the worker's dispatch for archives.
func runArchiveJob(j archiveJob) (res result) {
	defer func() {
		if r := recover(); r != nil {
			res = result{ErrCode: codes[ErrZipDamaged], ErrDetail: fmt.Sprintf("reader failure: %v", r)}
		}
	}()
	var err error
	if j.Out != "" {
		err = assembleArchive(j)
		if err == nil {
			return result{Report: &Report{Anonymised: true}}
		}
	} else {
		var rep Report
		var pdfs []ArchivedPDF
		rep, pdfs, err = scanArchive(j)
		if err == nil {
			return result{Report: &rep, Archive: &archiveResult{PDFs: pdfs}}
		}
	}
	var ce *CheckError
	if errors.As(err, &ce) {
		return result{ErrCode: ce.Code, ErrDetail: ce.Detail}
	}
	return result{ErrCode: codes[ErrCheckFailed], ErrDetail: err.Error()}
}

// CheckArchive checks the ZIP at path in a worker: refusals (a damaged
// archive, headers that disagree, unsafe or duplicate names) are
// *CheckError values; the report's Leaks are the findings, and the PDFs
// inside are extracted to extractDir for the caller to check with Check.
func (c *Checker) CheckArchive(ctx context.Context, path string, id Identity, maxBytes int64, extractDir string) (Report, []ArchivedPDF, error) {
	res, err := c.runArchive(ctx, archiveJob{Path: path, ID: id, MaxBytes: maxBytes, Extract: extractDir})
	if err != nil {
		return Report{}, nil, err
	}
	var pdfs []ArchivedPDF
	if res.Archive != nil {
		for _, p := range res.Archive.PDFs {
			// The worker names the files; the parent trusts no path it
			// did not make.
			if filepath.Dir(p.Path) != filepath.Clean(extractDir) {
				return Report{}, nil, fmt.Errorf("%w: worker wrote %s outside %s", ErrCheckFailed, p.Path, extractDir)
			}
			pdfs = append(pdfs, p)
		}
	}
	return *res.Report, pdfs, nil
}

// CheckZip is the whole check of a ZIP of supplementary material: the
// archive checked (CheckArchive), each PDF inside checked in its own
// sandbox like a supplementary PDF, and, when anonOut is not empty, the
// reviewers' copy written there with each PDF replaced by its own
// reviewers' copy. workDir holds the extracted files while it runs. The
// report's Leaks are the findings; those with InText hold the material.
func (c *Checker) CheckZip(ctx context.Context, path string, id Identity, maxBytes int64, workDir, anonOut string) (Report, error) {
	dir, err := os.MkdirTemp(workDir, "zip-")
	if err != nil {
		return Report{}, err
	}
	defer os.RemoveAll(dir)
	rep, pdfs, err := c.CheckArchive(ctx, path, id, maxBytes, dir)
	if err != nil {
		return Report{}, err
	}
	replace := map[string]string{}
	for i, p := range pdfs {
		clean := filepath.Join(dir, fmt.Sprintf("%03d.anon.pdf", i+1))
		inner, err := c.Check(ctx, p.Path, Rules{MaxPages: 1000, MaxBytes: ArchivePDFMax, Anonymous: true}, id, clean)
		if err != nil {
			if ctx.Err() != nil {
				return Report{}, ctx.Err()
			}
			var ce *CheckError
			if !errors.As(err, &ce) || !IsRefusal(err) {
				return Report{}, err
			}
			rep.Leaks = append(rep.Leaks, Finding{Code: "not_checked", Where: "archive: " + p.Name, InText: true,
				Message: fmt.Sprintf("%s cannot be checked for the authors' names (the PDF check refused it: %s); a chair must look at it", p.Name, ce.Code)})
			continue
		}
		// Every leak of a PDF inside holds the material, as before the
		// archive had a reviewers' copy, but what the copy removes by
		// itself and never leaves to a chair: active content, earlier
		// revisions, mailto: links.
		for _, l := range inner.Leaks {
			switch l.Code {
			case "active_content", "incremental_revisions", "mailto_link":
			default:
				l.InText = true
			}
			l.Where = "archive: " + p.Name + ", " + l.Where
			rep.Leaks = append(rep.Leaks, l)
		}
		replace[p.Name] = clean
	}
	if anonOut != "" {
		if err := c.AssembleArchive(ctx, path, replace, anonOut); err != nil {
			return Report{}, err
		}
		rep.Anonymised = true
	}
	return rep, nil
}

// IsZip says whether the file at path starts like a ZIP.
func IsZip(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 4)
	_, err = io.ReadFull(f, head)
	return err == nil && bytes.Equal(head, []byte("PK\x03\x04"))
}

// AssembleArchive writes the reviewers' copy of the ZIP at path to out,
// with the entries named in replace given the contents of those files.
func (c *Checker) AssembleArchive(ctx context.Context, path string, replace map[string]string, out string) error {
	_, err := c.runArchive(ctx, archiveJob{Path: path, Out: out, Replace: replace})
	if out != "" {
		os.Remove(partialName(out))
	}
	return err
}

func (c *Checker) runArchive(ctx context.Context, j archiveJob) (result, error) {
	if c.initErr != nil {
		return result{}, c.initErr
	}
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return result{}, ctx.Err()
	}
	defer func() { <-c.sem }()
	res, _, err := c.run(ctx, workerJob{job: job{Poppler: popplerLimits{MemoryBytes: c.opts.MemoryLimit}}, Archive: &j})
	if err != nil {
		if errors.Is(err, ErrCheckFailed) {
			c.failures.Add(1)
		}
		return result{}, err
	}
	if res.ErrCode != "" {
		ce := &CheckError{Code: res.ErrCode, Err: sentinelFor(res.ErrCode), Detail: res.ErrDetail}
		if ce.Err == ErrCheckFailed {
			c.failures.Add(1)
		}
		return result{}, ce
	}
	if res.Report == nil {
		return result{}, fmt.Errorf("%w: the worker sent no report", ErrCheckFailed)
	}
	return res, nil
}
