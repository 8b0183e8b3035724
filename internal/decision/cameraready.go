package decision

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/access"
	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/blob"
	"github.com/quirehq/quire/internal/decision/decisiondb"
	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

// accepted checks that the caller is an author of a submission whose
// acceptance has been released, within the camera-ready deadline.
func (s *Service) accepted(ctx context.Context, submissionID int64, p account.Principal) (access.View, error) {
	v, err := s.Access.Of(ctx, s.DB, submissionID, p.UserID)
	if err != nil {
		return v, err
	}
	if !v.Relation.Author {
		return v, problem.New(problem.ErrForbidden, "not_author", "only the authors upload the camera-ready version")
	}
	d, err := q.GetDecision(ctx, s.DB, submissionID)
	if errors.Is(err, pgx.ErrNoRows) || !v.State.DecisionsReleased {
		return v, problem.New(problem.ErrConflict, "not_accepted", "the camera-ready version is for accepted papers, after the decisions are released")
	}
	if err != nil {
		return v, err
	}
	if cat, _ := v.Venue.Settings.Decision(d.Category); !cat.Accept {
		return v, problem.New(problem.ErrConflict, "not_accepted", "the camera-ready version is for accepted papers")
	}
	if _, err := s.Venues.Check(ctx, s.DB, v.Venue, venue.ActionCameraReady, venue.Subject{Submission: ""}, s.Clock.Now()); err != nil {
		return v, err
	}
	return v, nil
}

// UploadCameraReady checks and stores the final, de-anonymised PDF: the
// same checker, with the venue's camera-ready page limit and no anonymity
// warnings.
func (s *Service) UploadCameraReady(ctx context.Context, submissionID int64, p account.Principal, body io.Reader) (*pdfcheck.Report, error) {
	v, err := s.accepted(ctx, submissionID, p)
	if err != nil {
		return nil, err
	}
	pages := v.Venue.Settings.Pages
	rules := pdfcheck.DefaultRules()
	rules.PageLimit = pages.CameraReadyLimit
	if rules.PageLimit == 0 && pages.Limit > 0 {
		rules.PageLimit = pages.Limit + 1 // the usual extra page for the final version
	}
	rules.Excluded = rules.Excluded[:0]
	for _, e := range pages.Excluded {
		rules.Excluded = append(rules.Excluded, string(e))
	}
	if pages.MaxUploadBytes > 0 {
		rules.MaxBytes = int64(pages.MaxUploadBytes)
	}
	rules.Anonymous = false
	// The final version keeps to the template too (a chair's waiver of the
	// page check turns its refusals into warnings, as at submission).
	sub, err := s.Submissions.Get(ctx, submissionID, p)
	if err != nil {
		return nil, err
	}
	rules.Format = submission.FormatRules(v.Venue.Settings, sub.Track, sub.Waiver != nil)
	staged, err := s.Blobs.Stage(ctx, body, rules.MaxBytes)
	if errors.Is(err, blob.ErrTooLarge) {
		return nil, problem.New(problem.ErrTooLarge, "too_large", "the file is larger than this venue allows")
	}
	if err != nil {
		return nil, err
	}
	defer staged.Discard()
	// The deadline is judged when the body is in, as for submissions.
	if _, err := s.Venues.Check(ctx, s.DB, v.Venue, venue.ActionCameraReady, venue.Subject{}, s.Clock.Now()); err != nil {
		return nil, err
	}
	rep, err := s.Checker.Check(ctx, staged.Path, rules, pdfcheck.Identity{}, "")
	if err != nil {
		var ce *pdfcheck.CheckError
		if errors.As(err, &ce) && pdfcheck.IsRefusal(err) {
			pe := problem.New(problem.ErrUnprocessable, ce.Code, "the camera-ready file was refused: "+ce.Detail)
			if ce.Report != nil {
				ce.Report.File = ""
				pe.Extra = map[string]any{"report": ce.Report}
			}
			return nil, pe
		}
		if errors.Is(err, pdfcheck.ErrCheckFailed) {
			pe := problem.New(problem.ErrUnavailable, "check_failed",
				"the PDF check could not run on this server, so the camera-ready file was not stored and any earlier one is unchanged; please try again later (the error has been logged)")
			pe.Cause, pe.RetryAfter = err, time.Minute
			return nil, pe
		}
		return nil, err
	}
	rep.File = ""
	if err := staged.Commit(ctx); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(rep)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	if err := q.SetCameraReadyPDF(ctx, s.DB, decisiondb.SetCameraReadyPDFParams{SubmissionID: submissionID, PdfSha: &staged.Ref.SHA256,
		PdfSize: &staged.Ref.Size, Report: raw, UploadedAt: &now}); err != nil {
		return nil, err
	}
	return &rep, nil
}

// SetFinalAuthors records the final author list (names may now be
// changed, added or reordered) and, with confirm, the authors' confirmation.
func (s *Service) SetFinalAuthors(ctx context.Context, submissionID int64, p account.Principal, authors []submission.Author, confirm bool) error {
	if _, err := s.accepted(ctx, submissionID, p); err != nil {
		return err
	}
	var fields []problem.FieldError
	for i, a := range authors {
		if strings.TrimSpace(a.Name) == "" {
			fields = append(fields, problem.FieldError{Field: "authors[" + itoa(i) + "].name", Message: "must not be empty"})
		}
		authors[i].Name, authors[i].Affiliation = strings.TrimSpace(a.Name), strings.TrimSpace(a.Affiliation)
	}
	if len(authors) == 0 {
		fields = append(fields, problem.FieldError{Field: "authors", Message: "list at least one author"})
	}
	if len(fields) > 0 {
		return problem.Invalid("the author list has problems", fields...)
	}
	if confirm {
		cr, err := q.GetCameraReady(ctx, s.DB, submissionID)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && cr.PdfSha == nil) {
			return problem.New(problem.ErrConflict, "no_camera_ready", "upload the camera-ready PDF before confirming")
		}
		if err != nil {
			return err
		}
	}
	raw, err := json.Marshal(authors)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	var confirmed *time.Time
	if confirm {
		confirmed = &now
	}
	return q.SetFinalAuthors(ctx, s.DB, decisiondb.SetFinalAuthorsParams{SubmissionID: submissionID, FinalAuthors: raw, ConfirmedAt: confirmed, UpdatedAt: now})
}
