// Package review is reviewing: an assigned reviewer's review (drafts,
// submission, edits until the deadline, every version kept), the
// discussion among a submission's reviewers and chairs, and the chairs'
// progress view. What anyone sees of it is decided by package policy.
package review

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/quirehq/quire/internal/access"
	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/policy"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/review/reviewdb"
	"github.com/quirehq/quire/internal/venue"
)

var q = reviewdb.New()

// Service is the reviewing domain.
type Service struct {
	DB       *pgxpool.Pool
	Clock    clock.Clock
	Venues   *venue.Store
	Access   *access.Resolver
	Accounts *account.Service
	Mail     account.Mailer
	Link     func(path string, query map[string]string) string
	Log      *slog.Logger
}

// Review is a review with what the caller may see of it filled in.
type Review struct {
	Pseudonym         int
	Status            string // draft or submitted
	Fields            map[string]any
	Version           int
	UpdatedAt         time.Time
	SubmittedAt       *time.Time
	EditedAfterSubmit bool
	Own               bool
	// ReviewerName and ReviewerEmail are set only for viewers who may
	// know who reviewers are (chairs).
	ReviewerName, ReviewerEmail string
}

// Label is the pseudonym as people read it.
func (r Review) Label() string { return "Reviewer " + strconv.Itoa(r.Pseudonym) }

func (s *Service) view(ctx context.Context, submissionID int64, p account.Principal) (access.View, error) {
	return s.Access.Of(ctx, s.DB, submissionID, p.UserID)
}

var errNotYours = problem.New(problem.ErrForbidden, "not_assigned", "you are not assigned to review this submission")

// reviewer checks that the caller reviews this submission now.
func (s *Service) reviewer(ctx context.Context, submissionID int64, p account.Principal) (access.View, error) {
	v, err := s.view(ctx, submissionID, p)
	if err != nil {
		return v, err
	}
	if !v.Relation.Assigned || v.Relation.Author || v.Relation.Conflicted || v.State.Withdrawn {
		return v, errNotYours
	}
	return v, s.Accounts.RequireVerified(ctx, p.UserID)
}

// Mine returns the caller's own review of a submission, empty if not started.
func (s *Service) Mine(ctx context.Context, submissionID int64, p account.Principal) (Review, []venue.FormField, error) {
	v, err := s.reviewer(ctx, submissionID, p)
	if err != nil {
		return Review{}, nil, err
	}
	row, err := q.GetReview(ctx, s.DB, reviewdb.GetReviewParams{SubmissionID: submissionID, ReviewerID: p.UserID})
	if errors.Is(err, pgx.ErrNoRows) {
		return Review{Status: "draft", Fields: map[string]any{}, Own: true}, v.Venue.Settings.ReviewForm, nil
	}
	if err != nil {
		return Review{}, nil, err
	}
	r, err := fromRow(row)
	r.Own = true
	return r, v.Venue.Settings.ReviewForm, err
}

func fromRow(row reviewdb.Review) (Review, error) {
	r := Review{Pseudonym: int(row.Pseudonym), Status: row.Status, Version: int(row.Version), UpdatedAt: row.UpdatedAt, SubmittedAt: row.SubmittedAt}
	if err := json.Unmarshal(row.Fields, &r.Fields); err != nil {
		return r, err
	}
	return r, nil
}

// validate checks every field against the venue's form and returns every
// problem at once. Required fields are required only on submission.
func validate(form []venue.FormField, fields map[string]any, submit bool) (map[string]any, error) {
	out := map[string]any{}
	var f []problem.FieldError
	byKey := map[string]venue.FormField{}
	for _, ff := range form {
		byKey[ff.Key] = ff
	}
	for k := range fields {
		if _, ok := byKey[k]; !ok {
			f = append(f, problem.FieldError{Field: "fields." + k, Message: "is not a field of this venue's review form"})
		}
	}
	for _, ff := range form {
		raw, present := fields[ff.Key]
		path := "fields." + ff.Key
		switch ff.Kind {
		case venue.KindScore, venue.KindConfidence:
			if !present || raw == nil {
				if submit && ff.Required {
					f = append(f, problem.FieldError{Field: path, Message: ff.Label + " is required"})
				}
				continue
			}
			num, ok := raw.(float64)
			valid := false
			if ok && num == math.Trunc(num) {
				for _, pt := range ff.Points {
					valid = valid || pt.Value == int(num)
				}
			}
			if !valid {
				var pts []string
				for _, pt := range ff.Points {
					pts = append(pts, fmt.Sprintf("%d (%s)", pt.Value, pt.Label))
				}
				f = append(f, problem.FieldError{Field: path, Message: "must be one of " + strings.Join(pts, ", ")})
				continue
			}
			out[ff.Key] = int(num)
		default:
			text, ok := raw.(string)
			if present && raw != nil && !ok {
				f = append(f, problem.FieldError{Field: path, Message: "must be text"})
				continue
			}
			text = strings.TrimSpace(text)
			if text == "" {
				if submit && ff.Required {
					f = append(f, problem.FieldError{Field: path, Message: ff.Label + " is required"})
				}
				continue
			}
			if ff.MaxChars > 0 && utf8.RuneCountInString(text) > ff.MaxChars {
				f = append(f, problem.FieldError{Field: path, Message: fmt.Sprintf("is %d characters; at most %d", utf8.RuneCountInString(text), ff.MaxChars)})
				continue
			}
			out[ff.Key] = text
		}
	}
	if len(f) > 0 {
		what := "saved"
		if submit {
			what = "submitted"
		}
		return nil, problem.Invalid("the review was not "+what+": "+strconv.Itoa(len(f))+" field(s) need attention; the first: "+f[0].Field+" "+f[0].Message, f...)
	}
	return out, nil
}

// Save stores a draft (submit=false) or submits the review. A submitted
// review can still be edited until the review deadline (or the reviewer's
// extension): every save is a version, and edits after submission are
// marked for everyone who sees the review.
func (s *Service) Save(ctx context.Context, submissionID int64, p account.Principal, fields map[string]any, submit bool, ip string) (Review, error) {
	v, err := s.reviewer(ctx, submissionID, p)
	if err != nil {
		return Review{}, err
	}
	now := s.Clock.Now()
	gate, err := s.Venues.Check(ctx, s.DB, v.Venue, venue.ActionReview, venue.Subject{ReviewerID: p.UserID}, now)
	if err != nil {
		// During the authors' response a submitted review may still be
		// revised: that is what the response is for.
		if !s.mayRevise(ctx, v.Venue, submissionID, p, now) {
			return Review{}, err
		}
		gate = venue.GateResult{Allowed: true}
	}
	clean, err := validate(v.Venue.Settings.ReviewForm, fields, submit)
	if err != nil {
		return Review{}, err
	}
	raw, err := json.Marshal(clean)
	if err != nil {
		return Review{}, err
	}
	var out Review
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		// One writer per submission at a time, so pseudonyms never collide.
		if _, err := tx.Exec(ctx, "SELECT id FROM submissions WHERE id = $1 FOR UPDATE", submissionID); err != nil {
			return err
		}
		cur, err := q.LockReview(ctx, tx, reviewdb.LockReviewParams{SubmissionID: submissionID, ReviewerID: p.UserID})
		exists := err == nil
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		status := "draft"
		if submit || (exists && cur.Status == "submitted") {
			status = "submitted"
		}
		if exists && cur.Status == "submitted" && !submit {
			// A submitted review is never taken back to a draft; saving
			// again without submitting must still pass the required fields.
			if _, err := validate(v.Venue.Settings.ReviewForm, fields, true); err != nil {
				return err
			}
		}
		var submittedAt *time.Time
		if status == "submitted" {
			submittedAt = &now
		}
		var row reviewdb.Review
		if !exists {
			pseudo, err := q.NextPseudonym(ctx, tx, submissionID)
			if err != nil {
				return err
			}
			row, err = q.InsertReview(ctx, tx, reviewdb.InsertReviewParams{SubmissionID: submissionID, ReviewerID: p.UserID, Pseudonym: pseudo,
				Status: status, Fields: raw, CreatedAt: now, SubmittedAt: submittedAt})
			if err != nil {
				return err
			}
		} else {
			row, err = q.UpdateReview(ctx, tx, reviewdb.UpdateReviewParams{SubmissionID: submissionID, ReviewerID: p.UserID, Status: status,
				Fields: raw, UpdatedAt: now, SubmittedAt: submittedAt})
			if err != nil {
				return err
			}
		}
		edited := exists && cur.Status == "submitted"
		if err := q.InsertVersion(ctx, tx, reviewdb.InsertVersionParams{ReviewID: row.ID, Version: row.Version, Status: status, Fields: raw,
			SavedAt: now, EditedAfterSubmit: edited, Extended: gate.Extended}); err != nil {
			return err
		}
		out, err = fromRow(row)
		out.Own, out.EditedAfterSubmit = true, edited
		if err != nil {
			return err
		}
		if status == "submitted" && (!exists || cur.Status != "submitted") {
			return audit.Record(ctx, tx, audit.Entry{VenueID: &v.Venue.ID, ActorID: &p.UserID, Action: "review.submit",
				Subject: "submission " + strconv.FormatInt(submissionID, 10), IP: ip, At: now})
		}
		return nil
	})
	return out, err
}

// List returns the reviews of a submission the caller may see, each with
// only the fields they may see: submitted reviews only (drafts are their
// writer's alone), under pseudonyms unless the caller may know reviewers.
func (s *Service) List(ctx context.Context, submissionID int64, p account.Principal) ([]Review, []venue.FormField, error) {
	v, err := s.view(ctx, submissionID, p)
	if err != nil {
		return nil, nil, err
	}
	others := v.Can(policy.OtherReviews) || v.Can(policy.ReviewsToAuthors)
	rows, err := q.ReviewsOf(ctx, s.DB, submissionID)
	if err != nil {
		return nil, nil, err
	}
	form := v.Venue.Settings.ReviewForm
	out := []Review{}
	for _, row := range rows {
		own := row.ReviewerID == p.UserID
		if row.Status != "submitted" && !policy.CanSeeDraft(v.Relation, v.State, own) {
			continue
		}
		if !own && !others {
			continue
		}
		r, err := fromRow(reviewdb.Review{ID: row.ID, SubmissionID: row.SubmissionID, ReviewerID: row.ReviewerID, Pseudonym: row.Pseudonym,
			Status: row.Status, Fields: row.Fields, Version: row.Version, CreatedAt: row.CreatedAt, UpdatedAt: row.UpdatedAt, SubmittedAt: row.SubmittedAt})
		if err != nil {
			return nil, nil, err
		}
		r.Own, r.EditedAfterSubmit = own, row.EditedAfterSubmit
		for _, ff := range form {
			if !policy.CanSeeReviewField(v.Relation, v.State, string(ff.Visibility), own) {
				delete(r.Fields, ff.Key)
			}
		}
		if v.Can(policy.ReviewerIdentity) {
			r.ReviewerName, r.ReviewerEmail = row.ReviewerName, row.ReviewerEmail
		}
		out = append(out, r)
	}
	visible := []venue.FormField{}
	for _, ff := range form {
		if policy.CanSeeReviewField(v.Relation, v.State, string(ff.Visibility), false) || v.Relation.Assigned {
			visible = append(visible, ff)
		}
	}
	return out, visible, nil
}

// Seed stores a review as it stood at an instant in the past, bypassing the
// deadline gate: for the demo venue and for importing a venue's history; no
// endpoint calls it. The fields are validated as for a real submission.
func (s *Service) Seed(ctx context.Context, rec venue.Record, submissionID, reviewerID int64, fields map[string]any, submit bool, at time.Time) error {
	clean, err := validate(rec.Settings.ReviewForm, fields, submit)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(clean)
	if err != nil {
		return err
	}
	status := "draft"
	var submittedAt *time.Time
	if submit {
		status, submittedAt = "submitted", &at
	}
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		pseudo, err := q.NextPseudonym(ctx, tx, submissionID)
		if err != nil {
			return err
		}
		row, err := q.InsertReview(ctx, tx, reviewdb.InsertReviewParams{SubmissionID: submissionID, ReviewerID: reviewerID, Pseudonym: pseudo,
			Status: status, Fields: raw, CreatedAt: at, SubmittedAt: submittedAt})
		if err != nil {
			return err
		}
		return q.InsertVersion(ctx, tx, reviewdb.InsertVersionParams{ReviewID: row.ID, Version: 1, Status: status, Fields: raw, SavedAt: at})
	})
}

// mayRevise reports whether the reviewer has submitted a review of the
// submission and the venue is in its author response phase.
func (s *Service) mayRevise(ctx context.Context, rec venue.Record, submissionID int64, p account.Principal, now time.Time) bool {
	row, err := q.GetReview(ctx, s.DB, reviewdb.GetReviewParams{SubmissionID: submissionID, ReviewerID: p.UserID})
	if err != nil || row.Status != "submitted" {
		return false
	}
	_, err = s.Venues.Check(ctx, s.DB, rec, venue.ActionRespond, venue.Subject{Submission: strconv.FormatInt(submissionID, 10)}, now)
	return err == nil
}
