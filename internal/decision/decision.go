// Package decision is the end of reviewing: chairs decide each submission
// (every decision and change recorded against the decision deadline),
// release the decisions (now or at a scheduled instant, which the clock
// alone makes happen), and the authors are told by mail, exactly once;
// then the camera-ready versions and the programme.
package decision

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/quirehq/quire/internal/access"
	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/blob"
	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/decision/decisiondb"
	"github.com/quirehq/quire/internal/matching"
	"github.com/quirehq/quire/internal/policy"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

var q = decisiondb.New()

// Service is the decision domain.
type Service struct {
	DB     *pgxpool.Pool
	Clock  clock.Clock
	Venues *venue.Store
	// Admin changes the venue's settings (the decision mail's text).
	Admin    *venue.Admin
	Access   *access.Resolver
	Matching *matching.Service
	Blobs    blob.Files
	Checker  submission.Checker
	// Submissions records a desk rejection on the submission's hold.
	Submissions *submission.Service
	Mail        Mailer
	Link        func(path string, query map[string]string) string
	Log         *slog.Logger
}

// Mailer queues mail in a transaction; account.Mailer in production.
type Mailer = account.Mailer

// Released reports whether a venue's decisions are released: a release
// exists and its instant has come.
func (s *Service) Released(ctx context.Context, db decisiondb.DBTX, venueID int64) (bool, error) {
	r, err := q.GetRelease(ctx, db, venueID)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return !s.Clock.Now().Before(r.ReleaseAt), nil
}

func (s *Service) chairVenue(ctx context.Context, slug string, p account.Principal) (venue.Record, error) {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return rec, err
	}
	return rec, s.Venues.Require(ctx, s.DB, rec.ID, p.UserID, venue.RoleChair)
}

// Decide records a chair's decision on one submission. A chair who is an
// author of it or conflicted with it cannot decide it; another chair must.
func (s *Service) Decide(ctx context.Context, submissionID int64, p account.Principal, category, note, ip string) error {
	v, err := s.deciding(ctx, submissionID, p)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		return s.decide(ctx, tx, v.Venue, submissionID, p.UserID, category, note, ip)
	})
}

// decide records one decision. A withdrawn submission takes none, and an
// incomplete one (no PDF) cannot be accepted: it would otherwise reach the
// public programme without a paper to show. Rejecting it stays possible.
func (s *Service) decide(ctx context.Context, tx pgx.Tx, rec venue.Record, submissionID, by int64, category, note, ip string) error {
	cat, ok := rec.Settings.Decision(category)
	if !ok {
		var keys []string
		for _, d := range rec.Settings.Decisions {
			keys = append(keys, d.Key)
		}
		return problem.Invalid("unknown decision "+strconv.Quote(category), problem.FieldError{Field: "category", Message: "must be one of " + strings.Join(keys, ", ")})
	}
	sub, err := q.DecidingFacts(ctx, tx, submissionID)
	if err != nil {
		return err
	}
	if sub.Withdrawn {
		return problem.New(problem.ErrConflict, "submission_withdrawn", "the submission is withdrawn")
	}
	if cat.Accept && !sub.HasPdf {
		return problem.New(problem.ErrConflict, "submission_incomplete",
			fmt.Sprintf("#%d has no PDF, so it cannot be accepted (%s); it can be rejected", sub.Number, cat.Label))
	}
	now := s.Clock.Now()
	onTime := !now.After(rec.Settings.Deadlines.Decision.End().Add(-time.Nanosecond))
	note = strings.TrimSpace(note)
	if err := q.SetDecision(ctx, tx, decisiondb.SetDecisionParams{SubmissionID: submissionID, Category: category, Note: note, DecidedBy: by, DecidedAt: now, OnTime: onTime}); err != nil {
		return err
	}
	if err := q.AddHistory(ctx, tx, decisiondb.AddHistoryParams{SubmissionID: submissionID, Category: category, Note: note, DecidedBy: by, DecidedAt: now, OnTime: onTime}); err != nil {
		return err
	}
	// After the release a changed decision must reach the authors too: the
	// next mail run sends it (unchanged ones are not sent again).
	if _, err := tx.Exec(ctx, "UPDATE releases SET mailed_at = NULL WHERE venue_id = $1 AND release_at <= $2", rec.ID, now); err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Entry{VenueID: &rec.ID, ActorID: &by, Action: "decision.set", Subject: "submission " + strconv.FormatInt(submissionID, 10),
		Detail: map[string]any{"category": category, "on_time": onTime}, IP: ip, At: now})
}

// deciding is the view of a chair who may decide the submission: not one
// who is an author of it or conflicted with it; another chair must.
func (s *Service) deciding(ctx context.Context, submissionID int64, p account.Principal) (access.View, error) {
	v, err := s.Access.Of(ctx, s.DB, submissionID, p.UserID)
	if err != nil {
		return v, err
	}
	if !v.Relation.Chair {
		return v, problem.New(problem.ErrForbidden, "not_chair", "only the venue's chairs decide")
	}
	if v.Relation.Author || v.Relation.Conflicted {
		return v, problem.New(problem.ErrForbidden, "conflicted_chair", "you have a conflict of interest with this submission; another chair must decide it")
	}
	return v, nil
}

// DeskReject rejects a submission held by the anonymity check without
// review (chairs free of conflict): the venue's first rejecting category,
// with the reason as the note to the authors, who learn it with the other
// decisions. The submission stays held from its reviewers.
func (s *Service) DeskReject(ctx context.Context, submissionID int64, p account.Principal, reason, ip string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return problem.Invalid("say why the submission is rejected without review", problem.FieldError{Field: "reason", Message: "required"})
	}
	v, err := s.deciding(ctx, submissionID, p)
	if err != nil {
		return err
	}
	category := ""
	for _, d := range v.Venue.Settings.Decisions {
		if !d.Accept {
			category = d.Key
			break
		}
	}
	if category == "" {
		return problem.New(problem.ErrConflict, "no_reject_category", "the venue has no rejecting decision category")
	}
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		if err := s.Submissions.MarkDeskRejected(ctx, tx, submissionID, p, reason); err != nil {
			return err
		}
		if err := s.decide(ctx, tx, v.Venue, submissionID, p.UserID, category, "Rejected without review: "+reason, ip); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{VenueID: &v.Venue.ID, ActorID: &p.UserID, Action: "anonymity.desk_reject",
			Subject: "submission " + strconv.FormatInt(submissionID, 10), Detail: map[string]any{"reason": reason, "category": category}, IP: ip, At: s.Clock.Now()})
	})
}

// Item is one decision in a bulk change, by submission number.
type Item struct {
	Number   int
	Category string
	Note     string
	// KeepNote keeps the paper's note as it is (Note is then unused):
	// for deciding many papers in one go without writing one note for all.
	KeepNote bool
}

// DecideMany applies decisions in bulk, all or nothing; submissions the
// chair is conflicted with, withdrawn ones and incomplete ones (for an
// accepting category) are refused by line. When every refused line is of
// one such state conflict (say, papers without a PDF), the whole answer is
// that 409 problem with its code, so a script can tell it from a typo.
func (s *Service) DecideMany(ctx context.Context, slug string, p account.Principal, items []Item, ip string) error {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return err
	}
	hidden, err := s.Matching.HiddenFrom(ctx, s.DB, rec, p.UserID)
	if err != nil {
		return err
	}
	rows, err := q.VenueDecisions(ctx, s.DB, rec.ID)
	if err != nil {
		return err
	}
	byNumber := map[int]decisiondb.VenueDecisionsRow{}
	for _, r := range rows {
		byNumber[int(r.Number)] = r
	}
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		var fields []problem.FieldError
		codes := map[string]bool{}
		for i, it := range items {
			where := "line " + strconv.Itoa(i+1)
			r, ok := byNumber[it.Number]
			if !ok || hidden[r.ID] {
				msg := "no submission #" + strconv.Itoa(it.Number)
				if ok {
					msg = "you have a conflict of interest with #" + strconv.Itoa(it.Number)
				}
				fields = append(fields, problem.FieldError{Field: where, Message: msg})
				codes[""] = true
				continue
			}
			note := it.Note
			if it.KeepNote {
				note = r.Note
			}
			if err := s.decide(ctx, tx, rec, r.ID, p.UserID, it.Category, note, ip); err != nil {
				var pe *problem.Error
				if errors.As(err, &pe) && pe.Kind != nil {
					fields = append(fields, problem.FieldError{Field: where, Message: pe.Detail})
					if errors.Is(pe.Kind, problem.ErrConflict) {
						codes[pe.Code] = true
					} else {
						codes[""] = true
					}
					continue
				}
				return err
			}
		}
		if len(fields) > 0 {
			e := problem.Invalid("no decision was recorded: "+strconv.Itoa(len(fields))+" line(s) cannot be applied; the first: "+fields[0].Field+": "+fields[0].Message, fields...)
			if len(codes) == 1 && !codes[""] {
				for c := range codes {
					e.Kind, e.Code = problem.ErrConflict, c
				}
			}
			return e
		}
		return nil
	})
}

// Row is one submission in the chairs' decision table.
type Row struct {
	SubmissionID int64
	Number       int
	Title, Track string
	Withdrawn    bool
	Category     string
	Note         string
	DecidedAt    *time.Time
	OnTime       bool
	DecidedBy    string
}

// Overview is the decision table with what is still open.
type Overview struct {
	Rows      []Row
	Open      int
	Deadline  time.Time
	TimeLeft  string
	ReleaseAt *time.Time
	Released  bool
}

// List is the chairs' decision table (without the submissions they are
// conflicted with).
func (s *Service) List(ctx context.Context, slug string, p account.Principal) (Overview, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return Overview{}, err
	}
	hidden, err := s.Matching.HiddenFrom(ctx, s.DB, rec, p.UserID)
	if err != nil {
		return Overview{}, err
	}
	rows, err := q.VenueDecisions(ctx, s.DB, rec.ID)
	if err != nil {
		return Overview{}, err
	}
	dl := rec.Settings.Deadlines.Decision.At
	out := Overview{Rows: []Row{}, Deadline: dl, TimeLeft: venue.TimeLeft(dl, s.Clock.Now())}
	for _, r := range rows {
		if hidden[r.ID] || !r.HasPdf {
			continue
		}
		row := Row{SubmissionID: r.ID, Number: int(r.Number), Title: r.Title, Track: r.Track, Withdrawn: r.Withdrawn, Category: r.Category,
			Note: r.Note, DecidedAt: r.DecidedAt, OnTime: r.OnTime, DecidedBy: r.DecidedBy}
		if row.Category == "" && !row.Withdrawn {
			out.Open++
		}
		out.Rows = append(out.Rows, row)
	}
	if rel, err := q.GetRelease(ctx, s.DB, rec.ID); err == nil {
		out.ReleaseAt = &rel.ReleaseAt
		out.Released = !s.Clock.Now().Before(rel.ReleaseAt)
	} else if !errors.Is(err, pgx.ErrNoRows) {
		return Overview{}, err
	}
	return out, nil
}

// Decision is what one person may see of a submission's decision.
type Decision struct {
	Category, Label, Note string
	Accept                bool
	Presentation          string
	DecidedAt             *time.Time // chairs only
	OnTime                *bool      // chairs only
}

// Of returns the decision of a submission to those the policy lets see it:
// chairs always, authors (and reviewers) once released.
func (s *Service) Of(ctx context.Context, submissionID int64, p account.Principal) (*Decision, error) {
	v, err := s.Access.Of(ctx, s.DB, submissionID, p.UserID)
	if err != nil {
		return nil, err
	}
	if !v.Can(policy.Decision) {
		return nil, problem.New(problem.ErrForbidden, "not_released", policy.Explain(v.Relation, v.State, policy.Decision))
	}
	d, err := q.GetDecision(ctx, s.DB, submissionID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	cat, _ := v.Venue.Settings.Decision(d.Category)
	out := &Decision{Category: d.Category, Label: cat.Label, Note: d.Note, Accept: cat.Accept, Presentation: string(cat.Presentation)}
	if v.Can(policy.LateFlag) { // chairs
		out.DecidedAt, out.OnTime = &d.DecidedAt, &d.OnTime
	}
	return out, nil
}
