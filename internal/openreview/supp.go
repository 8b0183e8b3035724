package openreview

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/blob"
	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/submission/submissiondb"
	"github.com/quirehq/quire/internal/venue"
)

// suppKey is the content field of a submission's supplementary material.
const suppKey = "supplementary_material"

// suppName finds the file content.supplementary_material names
// (/attachment/<hash>.zip) among the PDFs given: at its path, else by its
// base name.
func suppName(files fs.FS, c Content) string {
	p := strings.TrimLeft(c.String(suppKey), "/")
	if p == "" || strings.Contains(p, "://") {
		return ""
	}
	for _, name := range []string{path.Clean(p), path.Base(p)} {
		if !fs.ValidPath(name) {
			continue
		}
		if st, err := fs.Stat(files, name); err == nil && st.Mode().IsRegular() {
			return name
		}
	}
	return ""
}

// suppChecked is supplementary material that passed the upload's check
// and is stored, with the reviewers' copy.
type suppChecked struct {
	ref     blob.Ref
	anonSHA string
	kind    string // pdf or zip
	report  *pdfcheck.Report
	// unchanged is the file the submission has already.
	unchanged bool
}

// suppLimit is the venue's limit for supplementary material, as the
// upload reads it.
func suppLimit(set *venue.Settings) int64 {
	if l := int64(set.Pages.SupplementaryMax); l > 0 {
		return l
	}
	return 50 << 20
}

// checkSupp runs the checks of an author's supplementary upload
// (submission.Service.UploadSupplementary, which only a paper's authors
// may call, before its deadline): a PDF or a ZIP and nothing else, within
// the venue's limit, a PDF checked without a page limit and anonymised, a
// ZIP scanned in the sandbox and its PDFs anonymised for the reviewers'
// copy.
func checkSupp(ctx context.Context, subs *submission.Service, files fs.FS, name string, limit int64, id pdfcheck.Identity, current string) (suppChecked, error) {
	fh, err := files.Open(name)
	if err != nil {
		return suppChecked{}, errRefused{"could not be opened: " + err.Error()}
	}
	defer func() { _ = fh.Close() }()
	br := bufio.NewReader(fh)
	head, _ := br.Peek(5)
	var out suppChecked
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		out.kind = "pdf"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		out.kind = "zip"
	default:
		return suppChecked{}, errRefused{"unsupported_type: supplementary material must be a PDF or a ZIP file"}
	}
	staged, err := subs.Blobs.Stage(ctx, br, limit)
	if errors.Is(err, blob.ErrTooLarge) {
		return suppChecked{}, errRefused{fmt.Sprintf("larger than the venue's limit of %d bytes for supplementary material", limit)}
	}
	if err != nil {
		return suppChecked{}, err
	}
	defer staged.Discard()
	out.ref = staged.Ref
	if staged.Ref.SHA256 == current {
		out.unchanged = true
		return out, nil
	}
	anonPath, err := subs.Blobs.TempPath("anon")
	if err != nil {
		return suppChecked{}, err
	}
	defer os.Remove(anonPath)
	var rep pdfcheck.Report
	if out.kind == "zip" {
		dir, derr := os.MkdirTemp(path.Dir(anonPath), "zip")
		if derr != nil {
			return suppChecked{}, derr
		}
		defer os.RemoveAll(dir)
		rep, err = subs.Checker.CheckZip(ctx, staged.Path, id, limit, dir, anonPath)
	} else {
		rep, err = subs.Checker.Check(ctx, staged.Path, pdfcheck.Rules{PageLimit: 0, MaxPages: 1000, MaxBytes: limit, Anonymous: true}, id, anonPath)
	}
	if err != nil {
		var ce *pdfcheck.CheckError
		if errors.As(err, &ce) && pdfcheck.IsRefusal(err) {
			return suppChecked{}, errRefused{ce.Code + ": " + ce.Detail}
		}
		pe := problem.New(problem.ErrUnavailable, "check_failed", "the supplementary material's check could not run on this server, so nothing was imported; try again later")
		pe.Cause = err
		return suppChecked{}, pe
	}
	rep.File = ""
	out.report = &rep
	anon, err := subs.Blobs.StageFile(ctx, anonPath, limit*4)
	if err != nil {
		return suppChecked{}, err
	}
	defer anon.Discard()
	if err := staged.Commit(ctx); err != nil {
		return suppChecked{}, err
	}
	if err := anon.Commit(ctx); err != nil {
		return suppChecked{}, err
	}
	out.anonSHA = anon.Ref.SHA256
	return out, nil
}

// setSupp makes checked material the submission's and holds it from
// reviewers when it shows who the authors are and no chair released that
// very file, as the upload does.
func setSupp(ctx context.Context, tx pgx.Tx, id int64, ck suppChecked, at time.Time, actor int64) (held bool, err error) {
	row, err := subq.LockSubmission(ctx, tx, id)
	if err != nil {
		return false, err
	}
	if row.SuppSha != nil && *row.SuppSha == ck.ref.SHA256 {
		return row.SuppHeld, nil
	}
	if ck.unchanged {
		return false, problem.New(problem.ErrConflict, "openreview_changed", "a submission's supplementary material changed during the import; import again")
	}
	var rep []byte
	if ck.report != nil {
		if rep, err = json.Marshal(ck.report); err != nil {
			return false, err
		}
	}
	var anon *string
	if ck.anonSHA != "" {
		anon = &ck.anonSHA
	}
	if err := subq.SetSupplementary(ctx, tx, submissiondb.SetSupplementaryParams{ID: id, SuppSha: &ck.ref.SHA256, SuppSize: &ck.ref.Size,
		SuppAnonSha: anon, SuppType: ck.kind, SuppReport: rep, UpdatedAt: at, Revision: row.Revision + 1}); err != nil {
		return false, err
	}
	waived, err := subq.WaivedFiles(ctx, tx, id)
	if err != nil {
		return false, err
	}
	held = len(submission.Holding(ck.report)) > 0 && !slices.Contains(waived, ck.ref.SHA256)
	if err := subq.SetHold(ctx, tx, submissiondb.SetHoldParams{ID: id, PdfHeld: row.PdfHeld, SuppHeld: held, HoldAction: row.HoldAction,
		HoldFixBy: row.HoldFixBy, HoldNote: row.HoldNote}); err != nil {
		return false, err
	}
	return held, revise(ctx, tx, id, "supplementary", actor, at)
}

// suppFile is the name the export gives a submission's material: the
// base name of the path it came in with, when the type is the same, else
// one made from the note id.
func suppFile(base Content, noteID, kind string) string {
	if p := path.Base(strings.TrimLeft(base.String(suppKey), "/")); p != "." && p != "" && strings.HasSuffix(strings.ToLower(p), "."+kind) && fs.ValidPath(p) {
		return p
	}
	return noteID + "_supplementary." + kind
}

// prepareSupp finds and checks the forum's supplementary material: a
// refused file is reported and the submission imported without it.
func (s *Service) prepareSupp(ctx context.Context, rec venue.Record, p *plan, files fs.FS, id pdfcheck.Identity, current string, rep *Report) error {
	n := p.f.Submission
	want := n.Content.String(suppKey)
	if want == "" {
		return nil
	}
	name := suppName(files, n.Content)
	if name == "" {
		rep.add(n, KindSubmission, p.f.Number, "supplementary material", "no file for "+want+" among the files given")
		return nil
	}
	ck, err := checkSupp(ctx, s.Submissions, files, name, suppLimit(rec.Settings), id, current)
	var refused errRefused
	switch {
	case errors.As(err, &refused):
		rep.add(n, KindSubmission, p.f.Number, "supplementary material", name+" was refused by the upload check ("+refused.msg+"); the submission is imported without it")
	case err != nil:
		return err
	default:
		p.supp = &ck
	}
	return nil
}
