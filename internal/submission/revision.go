package submission

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/idempotency"
	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/policy"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/submission/submissiondb"
)

// Snapshot is a submission as it stood after one revision: everything needed
// to show it again or restore it.
type Snapshot struct {
	Track       string           `json:"track"`
	Title       string           `json:"title"`
	Abstract    string           `json:"abstract"`
	Keywords    []string         `json:"keywords"`
	Authors     []Author         `json:"authors"`
	PDFSHA      string           `json:"pdf_sha,omitempty"`
	PDFSize     int64            `json:"pdf_size,omitempty"`
	AnonSHA     string           `json:"anon_sha,omitempty"`
	Report      *pdfcheck.Report `json:"report,omitempty"`
	Verdict     string           `json:"verdict,omitempty"`
	BodyPages   int              `json:"body_pages,omitempty"`
	LeakCount   int              `json:"leak_count,omitempty"`
	SuppSHA     string           `json:"supp_sha,omitempty"`
	SuppSize    int64            `json:"supp_size,omitempty"`
	SuppAnonSHA string           `json:"supp_anon_sha,omitempty"`
	SuppType    string           `json:"supp_type,omitempty"`
	SuppReport  *pdfcheck.Report `json:"supp_report,omitempty"`
	Withdrawn   bool             `json:"withdrawn"`
}

func snapshotOf(s Submission) Snapshot {
	sn := Snapshot{Track: s.Track, Title: s.Title, Abstract: s.Abstract, Keywords: s.Keywords, Authors: s.Authors, Report: s.Report,
		Verdict: s.Verdict, BodyPages: s.BodyPages, LeakCount: s.LeakCount, AnonSHA: s.AnonSHA, SuppAnonSHA: s.SuppAnonSHA,
		SuppType: s.SuppType, SuppReport: s.SuppReport, Withdrawn: s.WithdrawnAt != nil}
	if s.PDF != nil {
		sn.PDFSHA, sn.PDFSize = s.PDF.SHA256, s.PDF.Size
	}
	if s.Supp != nil {
		sn.SuppSHA, sn.SuppSize = s.Supp.SHA256, s.Supp.Size
	}
	return sn
}

// revise records the submission's new state as revision number s.Revision+?:
// callers have already bumped s.Revision (0 for the creation).
func (s *Service) revise(ctx context.Context, tx pgx.Tx, sub Submission, kind string, by int64, at time.Time, late bool) error {
	b, err := json.Marshal(snapshotOf(sub))
	if err != nil {
		return err
	}
	return q.InsertRevision(ctx, tx, submissiondb.InsertRevisionParams{SubmissionID: sub.ID, Seq: int32(sub.Revision), Kind: kind,
		Snapshot: b, CreatedBy: by, CreatedAt: at, Late: late})
}

// Revision is one entry of a submission's history.
type Revision struct {
	Seq       int
	Kind      string
	At        time.Time
	By        int64
	ByName    string
	Late      bool
	Snapshot  Snapshot
	IsCurrent bool
}

// History lists every revision, oldest first.
func (s *Service) History(ctx context.Context, id int64, p account.Principal) ([]Revision, error) {
	sub, _, a, err := s.load(ctx, s.DB, id, p)
	if err != nil {
		return nil, err
	}
	if !a.view.Can(policy.RevisionHistory) {
		return nil, problem.New(problem.ErrForbidden, "not_visible", policy.Explain(a.view.Relation, a.view.State, policy.RevisionHistory))
	}
	rows, err := q.ListRevisions(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	out := make([]Revision, 0, len(rows))
	for _, r := range rows {
		var sn Snapshot
		if err := json.Unmarshal(r.Snapshot, &sn); err != nil {
			return nil, err
		}
		out = append(out, Revision{Seq: int(r.Seq), Kind: r.Kind, At: r.CreatedAt, By: r.CreatedBy, ByName: r.CreatedByName, Late: r.Late,
			Snapshot: sn, IsCurrent: int(r.Seq) == sub.Revision})
	}
	return out, nil
}

func (s *Service) requireChair(a role) error {
	if !a.chair {
		return problem.New(problem.ErrForbidden, "not_chair", "only the venue's chairs do this")
	}
	return nil
}

// mutate runs f on the locked submission in a transaction, then records the
// new revision and an audit entry. f returns the revision kind.
func (s *Service) mutate(ctx context.Context, id int64, p account.Principal, ip string, f func(tx pgx.Tx, sub *Submission, a role, now time.Time) (kind string, late bool, err error)) (Submission, error) {
	if _, err := s.mutateAsLeft(ctx, id, p, ip, f); err != nil {
		return Submission{}, err
	}
	return s.Get(ctx, id, p)
}

// mutateAsLeft is mutate without reading the submission back after the
// commit: it returns the submission as f left it, for a caller on the hot
// path (the upload) whose f sets every column it changes.
func (s *Service) mutateAsLeft(ctx context.Context, id int64, p account.Principal, ip string, f func(tx pgx.Tx, sub *Submission, a role, now time.Time) (kind string, late bool, err error)) (Submission, error) {
	var out Submission
	err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		if _, err := q.LockSubmission(ctx, tx, id); errors.Is(err, pgx.ErrNoRows) {
			return errNotFound
		} else if err != nil {
			return err
		}
		sub, _, a, err := s.load(ctx, tx, id, p)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		// A request whose Idempotency-Key a retry took over changes nothing.
		if err := idempotency.Hold(ctx, tx, now); err != nil {
			return err
		}
		sub.Revision++
		kind, late, err := f(tx, &sub, a, now)
		if err != nil {
			return err
		}
		if err := s.revise(ctx, tx, sub, kind, p.UserID, now, late); err != nil {
			return err
		}
		out = sub
		return audit.Record(ctx, tx, audit.Entry{VenueID: &sub.VenueID, ActorID: &p.UserID, Action: "submission." + kind,
			Subject: "#" + itoa(sub.Number), Detail: map[string]any{"submission": id, "revision": sub.Revision}, IP: ip, At: now})
	})
	if err != nil {
		return Submission{}, err
	}
	return out, nil
}

// Restore makes an earlier revision current again (chairs): its metadata and
// files come back as a new revision, so nothing is lost either way.
func (s *Service) Restore(ctx context.Context, id int64, seq int, p account.Principal, ip string) (Submission, error) {
	return s.mutate(ctx, id, p, ip, func(tx pgx.Tx, sub *Submission, a role, now time.Time) (string, bool, error) {
		if err := s.requireChair(a); err != nil {
			return "", false, err
		}
		r, err := q.GetRevision(ctx, tx, submissiondb.GetRevisionParams{SubmissionID: id, Seq: int32(seq)})
		if errors.Is(err, pgx.ErrNoRows) {
			return "", false, problem.New(problem.ErrNotFound, "revision_not_found", "the submission has no revision "+itoa(seq))
		}
		if err != nil {
			return "", false, err
		}
		var sn Snapshot
		if err := json.Unmarshal(r.Snapshot, &sn); err != nil {
			return "", false, err
		}
		sub.Track, sub.Title, sub.Abstract, sub.Keywords, sub.Authors = sn.Track, sn.Title, sn.Abstract, sn.Keywords, sn.Authors
		sub.Report, sub.Verdict, sub.BodyPages, sub.LeakCount, sub.AnonSHA = sn.Report, sn.Verdict, sn.BodyPages, sn.LeakCount, sn.AnonSHA
		sub.PDF, sub.Supp = nil, nil
		if sn.PDFSHA != "" {
			sub.PDF = &File{SHA256: sn.PDFSHA, Size: sn.PDFSize}
		}
		if sn.SuppSHA != "" {
			sub.Supp = &File{SHA256: sn.SuppSHA, Size: sn.SuppSize}
		}
		sub.SuppAnonSHA, sub.SuppType, sub.SuppReport = sn.SuppAnonSHA, sn.SuppType, sn.SuppReport
		report, err := reportJSON(sn.Report)
		if err != nil {
			return "", false, err
		}
		suppReport, err := reportJSON(sn.SuppReport)
		if err != nil {
			return "", false, err
		}
		if err := q.RestoreFiles(ctx, tx, submissiondb.RestoreFilesParams{ID: id, Track: sn.Track, Title: sn.Title, Abstract: sn.Abstract,
			Keywords: sn.Keywords, PdfSha: nonEmpty(sn.PDFSHA), PdfSize: nonZero(sn.PDFSize), AnonSha: nonEmpty(sn.AnonSHA), Report: report,
			Verdict: sn.Verdict, BodyPages: int32(sn.BodyPages), LeakCount: int32(sn.LeakCount), Late: r.Late, SuppSha: nonEmpty(sn.SuppSHA),
			SuppSize: nonZero(sn.SuppSize), SuppAnonSha: nonEmpty(sn.SuppAnonSHA), SuppType: sn.SuppType, SuppReport: suppReport, UpdatedAt: now, Revision: int32(sub.Revision)}); err != nil {
			return "", false, err
		}
		// The restored files are judged as they are: held again unless a
		// chair released these very files.
		if err := s.settleHold(ctx, tx, sub); err != nil {
			return "", false, err
		}
		return "restore", r.Late, insertAuthors(ctx, tx, id, sn.Authors)
	})
}

// Withdraw takes a submission out of the review pipeline (authors, before
// decisions are released). Its history stays.
func (s *Service) Withdraw(ctx context.Context, id int64, p account.Principal, ip string) (Submission, error) {
	return s.mutate(ctx, id, p, ip, func(tx pgx.Tx, sub *Submission, a role, now time.Time) (string, bool, error) {
		if !a.author {
			return "", false, problem.New(problem.ErrForbidden, "not_author", "only the authors withdraw a submission")
		}
		if sub.WithdrawnAt != nil {
			return "", false, problem.New(problem.ErrConflict, "already_withdrawn", "the submission is withdrawn already")
		}
		sub.WithdrawnAt = &now
		return "withdraw", false, q.SetWithdrawn(ctx, tx, submissiondb.SetWithdrawnParams{ID: id, WithdrawnAt: &now, WithdrawnBy: &p.UserID, UpdatedAt: now, Revision: int32(sub.Revision)})
	})
}

// Reinstate reverses a withdrawal (chairs).
func (s *Service) Reinstate(ctx context.Context, id int64, p account.Principal, ip string) (Submission, error) {
	return s.mutate(ctx, id, p, ip, func(tx pgx.Tx, sub *Submission, a role, now time.Time) (string, bool, error) {
		if err := s.requireChair(a); err != nil {
			return "", false, err
		}
		if sub.WithdrawnAt == nil {
			return "", false, problem.New(problem.ErrConflict, "not_withdrawn", "the submission is not withdrawn")
		}
		sub.WithdrawnAt = nil
		return "reinstate", false, q.SetWithdrawn(ctx, tx, submissiondb.SetWithdrawnParams{ID: id, UpdatedAt: now, Revision: int32(sub.Revision)})
	})
}

// Waive lifts the page limit for one submission (chairs), recorded with a
// reason; the next upload is checked without the limit.
func (s *Service) Waive(ctx context.Context, id int64, p account.Principal, reason, ip string) (Submission, error) {
	return s.mutate(ctx, id, p, ip, func(tx pgx.Tx, sub *Submission, a role, now time.Time) (string, bool, error) {
		if err := s.requireChair(a); err != nil {
			return "", false, err
		}
		if reason == "" {
			return "", false, problem.Invalid("say why the page check is waived", problem.FieldError{Field: "reason", Message: "required"})
		}
		sub.Waiver = &Waiver{By: p.UserID, At: now, Reason: reason}
		return "waive", false, q.SetWaiver(ctx, tx, submissiondb.SetWaiverParams{ID: id, WaivedBy: &p.UserID, WaivedAt: &now, WaiveReason: reason, Revision: int32(sub.Revision)})
	})
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nonZero(n int64) *int64 {
	if n == 0 {
		return nil
	}
	return &n
}

func itoa(n int) string { return strconv.Itoa(n) }
