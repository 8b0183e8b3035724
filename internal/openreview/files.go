package openreview

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/problem"
)

// MaxZipEntries bounds the files a ZIP of PDFs may hold.
const MaxZipEntries = 20000

// ZipPDFs reads a ZIP of PDFs; each file is read later, at most the
// venue's upload limit of it.
func ZipPDFs(r io.ReaderAt, size int64) (fs.FS, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, invalid("openreview_bad_zip", "the PDFs are not a readable ZIP: "+err.Error())
	}
	if len(zr.File) > MaxZipEntries {
		return nil, problem.New(problem.ErrTooLarge, "openreview_bad_zip", fmt.Sprintf("the ZIP holds %d files; at most %d are read", len(zr.File), MaxZipEntries))
	}
	return zr, nil
}

// OpenPDFs opens a folder of PDFs, or a ZIP of them; close it when done.
func OpenPDFs(path string) (fs.FS, io.Closer, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if st.IsDir() {
		return os.DirFS(path), io.NopCloser(nil), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	fsys, err := ZipPDFs(f, st.Size())
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return fsys, f, nil
}

// FirstChair is the venue's longest-serving chair, in whose name a
// command-line import acts.
func (s *Service) FirstChair(ctx context.Context, slug string) (int64, error) {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return 0, err
	}
	id, err := orq.FirstChair(ctx, s.DB, rec.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, problem.New(problem.ErrConflict, "no_chair", "the venue "+slug+" has no chair to import in the name of")
	}
	return id, err
}

// WriteText writes the report as people read it: the counts, then every
// item that was not carried over as it was, with why.
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "venue %s: %d notes read\n", r.Venue, r.Notes)
	fmt.Fprintf(&b, "  submissions  %d (%d new, %d updated; %d withdrawn, %d desk-rejected)\n", r.Submissions, r.Created, r.Updated, r.Withdrawn, r.DeskRejected)
	fmt.Fprintf(&b, "  authors      %d (%d without an email)\n", r.Authors, r.NoEmail)
	fmt.Fprintf(&b, "  answers      %d to the venue's own questions\n", r.Answers)
	fmt.Fprintf(&b, "  PDFs         %d checked and stored\n", r.PDFs)
	fmt.Fprintf(&b, "  supplementary %d checked and stored\n", r.Supplementary)
	fmt.Fprintf(&b, "  reviews      %d\n  meta-reviews %d\n  decisions    %d\n  comments     %d\n", r.Reviews, r.MetaReviews, r.Decisions, r.Comments)
	if len(r.Unmapped) == 0 {
		b.WriteString("everything was carried over\n")
	} else {
		fmt.Fprintf(&b, "%d items not carried over as they were:\n", len(r.Unmapped))
	}
	for _, it := range r.Unmapped {
		where := it.Note
		if it.Number > 0 {
			where = fmt.Sprintf("#%d %s", it.Number, it.Note)
		}
		fmt.Fprintf(&b, "  %s %s: %s\n", where, it.What, it.Why)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Files are the export's files by the names an import looks for: each
// PDF as <note id>.pdf and the supplementary material as its path in the
// note ends, each to its hash in the store.
func (ex Export) Files() map[string]string {
	files := make(map[string]string, len(ex.PDFs)+len(ex.Supplementary))
	for id, sha := range ex.PDFs {
		files[id+".pdf"] = sha
	}
	for name, sha := range ex.Supplementary {
		files[name] = sha
	}
	return files
}

// WriteZip writes the export's files into a ZIP, in name order, each read
// from the store by open: the archive the import takes beside the notes.
func (ex Export) WriteZip(ctx context.Context, w io.Writer, open func(ctx context.Context, sha string) (io.ReadSeekCloser, int64, error)) error {
	files := ex.Files()
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	zw := zip.NewWriter(w)
	for _, name := range names {
		r, _, err := open(ctx, files[name])
		if err != nil {
			return err
		}
		// PDFs and archives are compressed already.
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err == nil {
			_, err = io.Copy(fw, r)
		}
		if cerr := r.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return zw.Close()
}
