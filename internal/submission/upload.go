package submission

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/blob"
	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/policy"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/submission/submissiondb"
	"github.com/quirehq/quire/internal/venue"
)

// Result is an accepted upload: the submission as it now stands and the
// check report of the new file.
type Result struct {
	Submission Submission
	Report     *pdfcheck.Report
}

// The rule for the deadline rush: an upload is judged by the instant the
// server had received its body in full, before the check runs, so a slow
// check never costs an author the deadline and a slow connection that
// finishes late is late.

func (s *Service) rules(rec venue.Record, sub Submission) pdfcheck.Rules {
	return UploadRules(rec, sub.Track, sub.Waiver != nil)
}

// UploadRules are the check's rules for a paper of the track: the venue's
// page limit (none where a chair waived it), sizes and format, and
// anonymity. Everything that checks a submission's PDF as an upload would
// (the OpenReview import too) uses them.
func UploadRules(rec venue.Record, track string, waived bool) pdfcheck.Rules {
	p := rec.Settings.Pages
	r := pdfcheck.DefaultRules()
	r.PageLimit = p.Limit
	r.Excluded = r.Excluded[:0]
	for _, e := range p.Excluded {
		r.Excluded = append(r.Excluded, string(e))
	}
	r.PageSizes = r.PageSizes[:0]
	for _, sz := range p.Sizes {
		r.PageSizes = append(r.PageSizes, string(sz))
	}
	if p.MaxUploadBytes > 0 {
		r.MaxBytes = int64(p.MaxUploadBytes)
	}
	if p.MaxPages > 0 {
		r.MaxPages = p.MaxPages
	}
	r.Anonymous = true
	r.Format = FormatRules(rec.Settings, track, waived)
	if waived {
		r.PageLimit = 0
	}
	return r
}

// identity is what the leak detector looks for: the authors' names, emails
// and affiliations, and the ORCIDs of their accounts.
func (s *Service) identity(ctx context.Context, sub Submission) pdfcheck.Identity {
	var id pdfcheck.Identity
	for _, a := range sub.Authors {
		id.Names = append(id.Names, a.Name)
		id.Emails = append(id.Emails, a.Email)
		if a.Affiliation != "" {
			id.Affiliations = append(id.Affiliations, a.Affiliation)
		}
		if u, ok, err := s.Accounts.ByEmail(ctx, s.DB, a.Email); err == nil && ok && u.ORCID != "" {
			id.ORCIDs = append(id.ORCIDs, u.ORCID)
		}
	}
	return id
}

// refusal turns a checker refusal into a 422 (or 413) carrying the report,
// and a checker that could not run into a 503: a fault of the server, so
// nothing about the file is recorded.
func refusal(err error) error {
	if errors.Is(err, pdfcheck.ErrCheckFailed) {
		return checkUnavailable(err)
	}
	var ce *pdfcheck.CheckError
	if !errors.As(err, &ce) {
		return err
	}
	kind := problem.ErrUnprocessable
	if errors.Is(err, pdfcheck.ErrTooLarge) {
		kind = problem.ErrTooLarge
	}
	pe := problem.New(kind, ce.Code, "the upload was refused and your previous version is unchanged: "+ce.Detail)
	if ce.Report != nil {
		ce.Report.File = ""
		pe.Extra = map[string]any{"report": ce.Report}
	}
	return pe
}

// checkUnavailable is the answer when the PDF checker cannot run here (a
// missing or broken tool): the author can retry once it is fixed.
func checkUnavailable(err error) error {
	pe := problem.New(problem.ErrUnavailable, "check_failed",
		"the PDF check could not run on this server, so your upload was not stored and your previous version is unchanged; please try again later (the error has been logged)")
	pe.Cause, pe.RetryAfter = err, time.Minute
	return pe
}

func tooLarge(limit int64) error {
	return problem.New(problem.ErrTooLarge, "too_large", fmt.Sprintf("the file is larger than this venue's limit of %d bytes; your previous version is unchanged", limit))
}

// prepare checks that the caller may upload to the submission now, before a
// byte of the body is read.
func (s *Service) prepare(ctx context.Context, id int64, p account.Principal) (Submission, venue.Record, error) {
	if err := s.Accounts.RequireVerified(ctx, p.UserID); err != nil {
		return Submission{}, venue.Record{}, err
	}
	sub, rec, a, err := s.load(ctx, s.DB, id, p)
	if err != nil {
		return sub, rec, err
	}
	if !a.author {
		return sub, rec, problem.New(problem.ErrForbidden, "not_author", "only the authors upload files")
	}
	if sub.WithdrawnAt != nil {
		return sub, rec, errWithdrawn
	}
	// Refuse early when the deadline has clearly passed; the binding check
	// is made again once the body is in.
	if _, err := s.gate(ctx, s.DB, rec, sub.Number, s.Clock.Now()); err != nil {
		return sub, rec, err
	}
	return sub, rec, nil
}

// UploadPDF streams a new PDF, checks it in the sandbox and, if accepted,
// makes it the current version. The file is stored before the revision row
// is committed, so a crash at any point leaves the old revision or the new
// one current, never half of one; a stored file that no row names is
// collected later.
func (s *Service) UploadPDF(ctx context.Context, id int64, p account.Principal, body io.Reader, ip string) (Result, error) {
	s.thumbs.uploads.Add(1) // the thumbnails wait for a quiet moment
	defer s.thumbs.uploads.Add(-1)
	sub, rec, err := s.prepare(ctx, id, p)
	if err != nil {
		return Result{}, err
	}
	rules := s.rules(rec, sub)
	staged, err := s.Blobs.Stage(ctx, body, rules.MaxBytes)
	if errors.Is(err, blob.ErrTooLarge) {
		return Result{}, tooLarge(rules.MaxBytes)
	}
	if err != nil {
		return Result{}, fmt.Errorf("receiving the upload: %w", err)
	}
	defer staged.Discard()
	received := s.Clock.Now()
	gate, err := s.gate(ctx, s.DB, rec, sub.Number, received)
	if err != nil {
		return Result{}, err
	}
	// The reviewers' copy goes next to the staged file, under a name that
	// is unique while the staged file exists: no empty file is created to
	// reserve one (TempPath), which cost the rush a file creation per upload.
	anonPath := staged.Path + ".anon"
	report, err := s.Checker.Check(ctx, staged.Path, rules, s.identity(ctx, sub), anonPath)
	if err != nil {
		// The refusal page shows the refused file's pages too; nothing
		// names these blobs, so the garbage collection takes them later.
		if ce := (*pdfcheck.CheckError)(nil); errors.As(err, &ce) && ce.Report != nil && pdfcheck.IsRefusal(err) {
			ce.Report.Thumbnails = s.thumbnails(ctx, staged.Path)
		}
		return Result{}, refusal(err)
	}
	report.File = "" // a path on this server, of no use to anyone
	// The page thumbnails cost more than the text extraction: they are
	// drawn after the acknowledgement (thumbs.go), not before it.
	anon, err := s.Blobs.StageFile(ctx, anonPath, rules.MaxBytes*4)
	if err != nil {
		return Result{}, fmt.Errorf("keeping the anonymised copy: %w", err)
	}
	defer anon.Discard()
	if err := staged.Commit(ctx); err != nil {
		return Result{}, err
	}
	if err := anon.Commit(ctx); err != nil {
		return Result{}, err
	}
	repJSON, err := json.Marshal(report)
	if err != nil {
		return Result{}, err
	}
	// The answer is the submission as the transaction left it (SetPDF's
	// columns set here too), not read back: TestUploadAnswersAsStored.
	out, err := s.mutateAsLeft(ctx, id, p, ip, func(tx pgx.Tx, cur *Submission, a role, now time.Time) (string, bool, error) {
		if cur.WithdrawnAt != nil {
			return "", false, errWithdrawn
		}
		cur.UpdatedAt = received.Truncate(time.Microsecond).In(cur.UpdatedAt.Location()) // as read back
		cur.PDF = &File{SHA256: staged.Ref.SHA256, Size: staged.Ref.Size}
		cur.AnonSHA, cur.Report, cur.Verdict = anon.Ref.SHA256, &report, report.Verdict
		cur.BodyPages, cur.LeakCount, cur.Late = report.BodyPages, len(report.Leaks), gate.Late
		if err := q.SetPDF(ctx, tx, submissiondb.SetPDFParams{ID: id, PdfSha: &staged.Ref.SHA256, PdfSize: &staged.Ref.Size,
			AnonSha: &anon.Ref.SHA256, Report: repJSON, Verdict: report.Verdict, BodyPages: int32(report.BodyPages),
			LeakCount: int32(len(report.Leaks)), Late: gate.Late, UpdatedAt: received, Revision: int32(cur.Revision)}); err != nil {
			return "", false, err
		}
		return "pdf", gate.Late, s.holdUpload(ctx, tx, rec, cur, staged.Ref.SHA256)
	})
	if err != nil {
		return Result{}, err
	}
	s.thumbnailsLater(id, staged.Ref.SHA256)
	return Result{Submission: out, Report: &report}, nil
}

// Supplementary material: a PDF (anonymised, never counted in the page
// limit) or a ZIP (checked in the sandbox; reviewers get a copy whose PDFs
// are anonymised).
var (
	pdfMagic = []byte("%PDF-")
	zipMagic = []byte("PK\x03\x04")
)

// UploadSupplementary stores supplementary material with the venue's
// separate size limit.
func (s *Service) UploadSupplementary(ctx context.Context, id int64, p account.Principal, body io.Reader, ip string) (Result, error) {
	sub, rec, err := s.prepare(ctx, id, p)
	if err != nil {
		return Result{}, err
	}
	limit := SupplementaryLimit(rec.Settings)
	staged, kind, err := s.StageSupplementary(ctx, body, limit)
	if err != nil {
		return Result{}, err
	}
	defer staged.Discard()
	received := s.Clock.Now()
	gate, err := s.gate(ctx, s.DB, rec, sub.Number, received)
	if err != nil {
		return Result{}, err
	}
	anonSHA, report, err := s.CheckSupplementary(ctx, staged, kind, limit, s.identity(ctx, sub))
	if err != nil {
		return Result{}, err
	}
	if err := staged.Commit(ctx); err != nil {
		return Result{}, err
	}
	suppJSON, err := reportJSON(report)
	if err != nil {
		return Result{}, err
	}
	out, err := s.mutate(ctx, id, p, ip, func(tx pgx.Tx, cur *Submission, a role, now time.Time) (string, bool, error) {
		if cur.WithdrawnAt != nil {
			return "", false, errWithdrawn
		}
		cur.Supp = &File{SHA256: staged.Ref.SHA256, Size: staged.Ref.Size}
		cur.SuppAnonSHA, cur.SuppType, cur.SuppReport = anonSHA, kind, report
		if err := q.SetSupplementary(ctx, tx, submissiondb.SetSupplementaryParams{ID: id, SuppSha: &staged.Ref.SHA256,
			SuppSize: &staged.Ref.Size, SuppAnonSha: nonEmpty(anonSHA), SuppType: kind, SuppReport: suppJSON, UpdatedAt: received,
			Revision: int32(cur.Revision)}); err != nil {
			return "", false, err
		}
		return "supplementary", gate.Late, s.holdUpload(ctx, tx, rec, cur, staged.Ref.SHA256)
	})
	if err != nil {
		return Result{}, err
	}
	return Result{Submission: out, Report: report}, nil
}

// SupplementaryLimit is the venue's size limit for supplementary material.
func SupplementaryLimit(set *venue.Settings) int64 {
	if l := int64(set.Pages.SupplementaryMax); l > 0 {
		return l
	}
	return 50 << 20
}

// StageSupplementary reads supplementary material into a staged file: a
// PDF or a ZIP, told by its first bytes, and nothing else, within limit.
// The caller commits or discards it.
func (s *Service) StageSupplementary(ctx context.Context, body io.Reader, limit int64) (*blob.Staged, string, error) {
	br := bufio.NewReader(body)
	head, _ := br.Peek(5)
	kind := ""
	switch {
	case bytes.HasPrefix(head, pdfMagic):
		kind = "pdf"
	case bytes.HasPrefix(head, zipMagic):
		kind = "zip"
	default:
		return nil, "", problem.New(problem.ErrUnprocessable, "unsupported_type", "supplementary material must be a PDF or a ZIP file")
	}
	staged, err := s.Blobs.Stage(ctx, br, limit)
	if errors.Is(err, blob.ErrTooLarge) {
		return nil, "", tooLarge(limit)
	}
	return staged, kind, err
}

// CheckSupplementary checks staged supplementary material of the given
// kind as every upload of it is checked, for the authors in id, and
// stores the reviewers' copy: a PDF is checked without a page limit and
// anonymised; a ZIP is scanned in the sandbox and its PDFs anonymised. A
// refusal is a 422 (413) problem carrying the report, a checker that
// cannot run here a 503.
func (s *Service) CheckSupplementary(ctx context.Context, staged *blob.Staged, kind string, limit int64, id pdfcheck.Identity) (anonSHA string, report *pdfcheck.Report, err error) {
	anonPath, err := s.Blobs.TempPath("anon")
	if err != nil {
		return "", nil, err
	}
	owned := false // from StageFile on, the file is the store's
	defer func() {
		if !owned {
			_ = os.Remove(anonPath) // what a refused check left
		}
	}()
	if kind == "zip" {
		report, err = s.scanArchive(ctx, staged.Path, id, limit, anonPath)
		if errors.Is(err, pdfcheck.ErrZipDamaged) {
			return "", nil, problem.New(problem.ErrUnprocessable, "invalid_zip", "the ZIP file cannot be read, so its contents cannot be checked; your previous version is unchanged")
		}
		if err != nil {
			// A refused archive (its headers disagree, a name climbs
			// out) is a 422 with its code; a checker that cannot run
			// here, the same 503 as for the paper.
			return "", nil, refusal(err)
		}
	} else {
		rules := pdfcheck.Rules{PageLimit: 0, MaxPages: 1000, MaxBytes: limit, Anonymous: true}
		rep, err := s.Checker.Check(ctx, staged.Path, rules, id, anonPath)
		if err != nil {
			return "", nil, refusal(err)
		}
		rep.File = ""
		report = &rep
	}
	owned = true
	anon, err := s.Blobs.StageFile(ctx, anonPath, limit*4)
	if err != nil {
		return "", nil, err
	}
	defer anon.Discard()
	if err := anon.Commit(ctx); err != nil {
		return "", nil, err
	}
	return anon.Ref.SHA256, report, nil
}

// errHeld is what a reviewer is told of a held file, and all of it.
var errHeld = problem.New(problem.ErrForbidden, "anonymity_hold", policy.HeldMessage+": the file is not available to reviewers until the chairs have checked it")

// Which file a download asks for.
const (
	FileOriginal      = "original"
	FileAnonymised    = "anonymised"
	FileSupplementary = "supplementary"
)

// Open returns a stored file of the submission to an author or a chair.
// (Reviewers get the anonymised copy through the review pages.)
func (s *Service) Open(ctx context.Context, id int64, p account.Principal, which string) (io.ReadSeekCloser, int64, string, error) {
	sub, _, a, err := s.load(ctx, s.DB, id, p)
	if err != nil {
		return nil, 0, "", err
	}
	thing := map[string]policy.Thing{FileOriginal: policy.OriginalPDF, FileAnonymised: policy.AnonymisedPDF, FileSupplementary: policy.Supplementary}[which]
	if !a.view.Can(thing) {
		why := policy.Explain(a.view.Relation, a.view.State, thing)
		if why == policy.HeldMessage {
			return nil, 0, "", errHeld
		}
		return nil, 0, "", problem.New(problem.ErrForbidden, "not_visible", why)
	}
	sha, ctype := "", "application/pdf"
	switch which {
	case FileOriginal:
		if sub.PDF != nil {
			sha = sub.PDF.SHA256
		}
	case FileAnonymised:
		sha = sub.AnonSHA
	case FileSupplementary:
		if sub.Supp != nil {
			sha = sub.Supp.SHA256
			// Reviewers get the reviewers' copy (of a ZIP: its PDFs anonymised).
			if !a.author && !a.chair && sub.SuppAnonSHA != "" {
				sha = sub.SuppAnonSHA
			}
			if sub.SuppType == "zip" {
				ctype = "application/zip"
			}
		}
	}
	if sha == "" {
		return nil, 0, "", problem.New(problem.ErrNotFound, "no_file", "the submission has no such file yet")
	}
	r, n, err := s.Blobs.Open(ctx, sha)
	return r, n, ctype, err
}

// CollectGarbage deletes stored files that no submission or revision names
// and that are older than the grace period, so files of uploads still in
// flight are never touched.
func (s *Service) CollectGarbage(ctx context.Context, grace time.Duration) (int, error) {
	rows, err := q.LiveBlobs(ctx, s.DB)
	if err != nil {
		return 0, err
	}
	live := make(map[string]bool, len(rows))
	for _, r := range rows {
		live[r] = true
	}
	if _, err := s.Blobs.CleanTemp(ctx, time.Now().Add(-grace)); err != nil {
		return 0, err
	}
	return blob.Collect(ctx, s.Blobs, func(sha string) (bool, error) { return live[sha], nil }, time.Now().Add(-grace))
}
