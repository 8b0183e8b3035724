package openreview

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
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

// checkSupp runs the checks of an author's supplementary upload
// (submission.Service.UploadSupplementary, which only a paper's authors
// may call, before its deadline) through the same steps, and stores the
// file and the reviewers' copy. A refusal is errRefused, for the report.
func checkSupp(ctx context.Context, subs *submission.Service, files fs.FS, name string, limit int64, id pdfcheck.Identity, current string) (suppChecked, error) {
	fh, err := files.Open(name)
	if err != nil {
		return suppChecked{}, errRefused{"could not be opened: " + err.Error()}
	}
	defer func() { _ = fh.Close() }()
	staged, kind, err := subs.StageSupplementary(ctx, fh, limit)
	if err != nil {
		return suppChecked{}, refusedOr(err)
	}
	defer staged.Discard()
	out := suppChecked{ref: staged.Ref, kind: kind}
	if staged.Ref.SHA256 == current {
		out.unchanged = true
		return out, nil
	}
	if out.anonSHA, out.report, err = subs.CheckSupplementary(ctx, staged, kind, limit, id); err != nil {
		return suppChecked{}, refusedOr(err)
	}
	return out, staged.Commit(ctx)
}

// refusedOr is a refusal of the upload's check (a problem of the client's
// side: 4xx) as errRefused, for the report; anything else, a fault, as it
// is.
func refusedOr(err error) error {
	var pe *problem.Error
	if errors.As(err, &pe) && !errors.Is(err, problem.ErrUnavailable) && (errors.Is(err, problem.ErrUnprocessable) || errors.Is(err, problem.ErrTooLarge)) {
		return errRefused{pe.Code + ": " + pe.Detail}
	}
	return err
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
	ck, err := checkSupp(ctx, s.Submissions, files, name, submission.SupplementaryLimit(rec.Settings), id, current)
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
