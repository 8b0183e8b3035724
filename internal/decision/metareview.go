package decision

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/decision/decisiondb"
	"github.com/quirehq/quire/internal/policy"
	"github.com/quirehq/quire/internal/problem"
)

// MetaReviewMaxChars bounds a meta-review's text.
const MetaReviewMaxChars = 20000

// MetaReview is the chairs' recommendation for a submission and why. It is
// signed by "the chairs": authors and reviewers never learn which chair
// wrote it; chairs do.
type MetaReview struct {
	Recommendation string    `json:"recommendation"`
	Label          string    `json:"label"`
	Body           string    `json:"body"`
	UpdatedAt      time.Time `json:"updated_at"`
	WrittenBy      string    `json:"written_by,omitempty"` // chairs only
}

// MetaReviewOf returns the meta-review of a submission to whoever the
// policy lets see it (chairs free of conflict; assigned reviewers and,
// where the venue shows it, authors once decisions are released); nil when
// none is written yet.
func (s *Service) MetaReviewOf(ctx context.Context, submissionID int64, p account.Principal) (*MetaReview, error) {
	v, err := s.Access.Of(ctx, s.DB, submissionID, p.UserID)
	if err != nil {
		return nil, err
	}
	if !v.Can(policy.MetaReview) {
		return nil, problem.New(problem.ErrForbidden, "not_visible", policy.Explain(v.Relation, v.State, policy.MetaReview))
	}
	m, err := q.GetMetaReview(ctx, s.DB, submissionID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	cat, _ := v.Venue.Settings.Decision(m.Recommendation)
	out := &MetaReview{Recommendation: m.Recommendation, Label: cat.Label, Body: m.Body, UpdatedAt: m.UpdatedAt}
	if v.Can(policy.ReviewerIdentity) { // chairs
		if u, _, err := s.Matching.Accounts.Get(ctx, m.WrittenBy); err == nil {
			out.WrittenBy = u.Name
		}
	}
	return out, nil
}

// SetMetaReview writes or replaces the meta-review (chairs who may decide
// the submission: neither its authors nor conflicted).
func (s *Service) SetMetaReview(ctx context.Context, submissionID int64, p account.Principal, recommendation, body, ip string) error {
	v, err := s.deciding(ctx, submissionID, p)
	if err != nil {
		return err
	}
	body = strings.TrimSpace(body)
	var fields []problem.FieldError
	if _, ok := v.Venue.Settings.Decision(recommendation); !ok {
		var keys []string
		for _, d := range v.Venue.Settings.Decisions {
			keys = append(keys, d.Key)
		}
		fields = append(fields, problem.FieldError{Field: "recommendation", Message: "must be one of " + strings.Join(keys, ", ")})
	}
	if body == "" {
		fields = append(fields, problem.FieldError{Field: "body", Message: "say why: the reasoning is what a meta-review is for"})
	} else if n := len([]rune(body)); n > MetaReviewMaxChars {
		fields = append(fields, problem.FieldError{Field: "body", Message: "at most 20000 characters"})
	}
	if len(fields) > 0 {
		return problem.Invalid("the meta-review was not saved", fields...)
	}
	now := s.Clock.Now()
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		if err := q.SetMetaReview(ctx, tx, decisiondb.SetMetaReviewParams{SubmissionID: submissionID, Recommendation: recommendation, Body: body,
			WrittenBy: p.UserID, UpdatedAt: now}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{VenueID: &v.Venue.ID, ActorID: &p.UserID, Action: "meta_review.set",
			Subject: "submission " + strconv.FormatInt(submissionID, 10), Detail: map[string]any{"submission": submissionID, "recommendation": recommendation}, IP: ip, At: now})
	})
}

// MetaReviewBodies is the text of every meta-review of a venue by
// submission, for its chairs' decisions page (which leaves out the
// submissions a chair is conflicted with).
func (s *Service) MetaReviewBodies(ctx context.Context, slug string, p account.Principal) (map[int64]string, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return nil, err
	}
	rows, err := q.VenueMetaReviews(ctx, s.DB, rec.ID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.SubmissionID] = r.Body
	}
	return out, nil
}

// DeleteMetaReview removes the meta-review (the same chairs as SetMetaReview);
// removing none is not an error.
func (s *Service) DeleteMetaReview(ctx context.Context, submissionID int64, p account.Principal, ip string) error {
	v, err := s.deciding(ctx, submissionID, p)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		n, err := q.DeleteMetaReview(ctx, tx, submissionID)
		if err != nil || n == 0 {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{VenueID: &v.Venue.ID, ActorID: &p.UserID, Action: "meta_review.delete",
			Subject: "submission " + strconv.FormatInt(submissionID, 10), Detail: map[string]any{"submission": submissionID}, IP: ip, At: now})
	})
}
