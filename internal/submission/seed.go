package submission

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/submission/submissiondb"
	"github.com/quirehq/quire/internal/venue"
)

// Seeded says what happened to a seeded submission's file.
type Seeded struct {
	Submission Submission
	Refused    error // the check's refusal; the submission then has no PDF yet
}

// Seed loads an existing submission as it stood at an instant in the past:
// created at `at`, its file uploaded an hour later. It bypasses the deadline
// gate (the instant is in the past) but not the PDF check: a file the check
// refuses is not stored, as it would not have been then. It exists for the
// demo venue and for importing a venue's history; no endpoint calls it.
// waive records a chair's waiver before the upload.
func (s *Service) Seed(ctx context.Context, rec venue.Record, submitter int64, in Input, pdf []byte, at time.Time, waive string) (Seeded, error) {
	if err := validate(&in, rec.Settings, ""); err != nil {
		return Seeded{}, err
	}
	var sub Submission
	err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		n, err := q.NextNumber(ctx, tx, rec.ID)
		if err != nil {
			return err
		}
		row, err := q.InsertSubmission(ctx, tx, submissiondb.InsertSubmissionParams{VenueID: rec.ID, Number: n, Track: in.Track, Title: in.Title,
			Abstract: in.Abstract, Keywords: in.Keywords, DeclarationAt: at, CreatedBy: submitter})
		if err != nil {
			return err
		}
		if err := insertAuthors(ctx, tx, row.ID, in.Authors); err != nil {
			return err
		}
		if err := storeAnswers(ctx, tx, row.ID, in.Fields, at); err != nil {
			return err
		}
		sub = fromRow(row, rec.Slug, nil)
		sub.Authors = in.Authors
		sub.Fields = in.Fields
		if err := s.revise(ctx, tx, sub, "created", submitter, at, false); err != nil {
			return err
		}
		if waive != "" {
			sub.Revision++
			sub.Waiver = &Waiver{By: submitter, At: at, Reason: waive}
			if err := q.SetWaiver(ctx, tx, submissiondb.SetWaiverParams{ID: row.ID, WaivedBy: &submitter, WaivedAt: &at, WaiveReason: waive, Revision: int32(sub.Revision)}); err != nil {
				return err
			}
			return s.revise(ctx, tx, sub, "waive", submitter, at, false)
		}
		return nil
	})
	if err != nil || pdf == nil {
		return Seeded{Submission: sub}, err
	}
	return s.seedFile(ctx, rec, sub, submitter, pdf, at.Add(time.Hour))
}

// SeedUpload adds a later upload to a seeded submission, as of the instant
// at: a fixed file, say. Like Seed, it exists for the demo and imports.
func (s *Service) SeedUpload(ctx context.Context, rec venue.Record, id, submitter int64, pdf []byte, at time.Time) (Seeded, error) {
	row, err := q.GetSubmission(ctx, s.DB, id)
	if err != nil {
		return Seeded{}, err
	}
	authors, err := q.ListAuthors(ctx, s.DB, id)
	if err != nil {
		return Seeded{}, err
	}
	return s.seedFile(ctx, rec, fromRow(row.Submission, row.VenueSlug, authors), submitter, pdf, at)
}

// seedFile checks pdf and makes it sub's current file as of up.
func (s *Service) seedFile(ctx context.Context, rec venue.Record, sub Submission, submitter int64, pdf []byte, up time.Time) (Seeded, error) {
	staged, err := s.Blobs.Stage(ctx, bytes.NewReader(pdf), int64(len(pdf))+1)
	if err != nil {
		return Seeded{}, err
	}
	defer staged.Discard()
	anonPath, err := s.Blobs.TempPath("anon")
	if err != nil {
		return Seeded{}, err
	}
	report, err := s.Checker.Check(ctx, staged.Path, s.rules(rec, sub), s.identity(ctx, sub), anonPath)
	if err != nil {
		var ce *pdfcheck.CheckError
		if errors.As(err, &ce) && pdfcheck.IsRefusal(err) {
			return Seeded{Submission: sub, Refused: err}, nil
		}
		return Seeded{}, err
	}
	report.File = ""
	report.Thumbnails = s.thumbnails(ctx, staged.Path)
	anon, err := s.Blobs.StageFile(ctx, anonPath, int64(len(pdf))*4+1<<20)
	if err != nil {
		return Seeded{}, err
	}
	defer anon.Discard()
	if err := staged.Commit(ctx); err != nil {
		return Seeded{}, err
	}
	if err := anon.Commit(ctx); err != nil {
		return Seeded{}, err
	}
	repJSON, err := json.Marshal(report)
	if err != nil {
		return Seeded{}, err
	}
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		sub.Revision++
		sub.PDF = &File{SHA256: staged.Ref.SHA256, Size: staged.Ref.Size}
		sub.AnonSHA, sub.Report, sub.Verdict, sub.BodyPages, sub.LeakCount = anon.Ref.SHA256, &report, report.Verdict, report.BodyPages, len(report.Leaks)
		if err := q.SetPDF(ctx, tx, submissiondb.SetPDFParams{ID: sub.ID, PdfSha: &staged.Ref.SHA256, PdfSize: &staged.Ref.Size, AnonSha: &anon.Ref.SHA256,
			Report: repJSON, Verdict: report.Verdict, BodyPages: int32(report.BodyPages), LeakCount: int32(len(report.Leaks)), UpdatedAt: up, Revision: int32(sub.Revision)}); err != nil {
			return err
		}
		if err := s.settleHold(ctx, tx, &sub); err != nil {
			return err
		}
		return s.revise(ctx, tx, sub, "pdf", submitter, up, false)
	})
	return Seeded{Submission: sub}, err
}
