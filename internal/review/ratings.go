package review

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/policy"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/review/reviewdb"
	"github.com/quirehq/quire/internal/venue"
)

// Chairs rate each submitted review, helpful or not, with a note for the
// other chairs. The ratings are the chairs': a reviewer learns only how
// many of their reviews were rated and found helpful, once the decisions
// are out, and never by whom or why; the chairs see each reviewer's
// record across the venue when they look for an emergency reviewer.

// MaxRatingNote bounds a rating's note.
const MaxRatingNote = 2000

// Rating is one chair's rating of a review, as chairs see it.
type Rating struct {
	Pseudonym int       `json:"pseudonym"`
	Rater     string    `json:"rater"`
	Mine      bool      `json:"mine"`
	Helpful   bool      `json:"helpful"`
	Note      string    `json:"note"`
	At        time.Time `json:"at"`
}

// Record is a reviewer's ratings in a venue: of their submitted reviews,
// how many were rated, and how many of those most raters found helpful.
type Record struct {
	Reviews, Rated, Helpful int
}

var (
	errRateNotChair = problem.New(problem.ErrForbidden, "not_chair", "only the paper's chairs rate its reviews")
	errNoSuchReview = problem.New(problem.ErrNotFound, "review_not_found", "this paper has no submitted review under that number")
	errLongNote     = problem.Invalid("the note is too long", problem.FieldError{Field: "note", Message: "must be at most " + strconv.Itoa(MaxRatingNote) + " characters"})
)

// ratingChair checks that the caller chairs the paper's venue without a
// conflict with it.
func (s *Service) ratingChair(ctx context.Context, submissionID int64, p account.Principal) (venue.Record, error) {
	v, err := s.view(ctx, submissionID, p)
	if err != nil {
		return venue.Record{}, err
	}
	if !v.Relation.Chair || v.Relation.Author || v.Relation.Conflicted || !v.Can(policy.ReviewerIdentity) {
		return venue.Record{}, errRateNotChair
	}
	return v.Venue, nil
}

// Rate records the caller's rating of the review by pseudonym of a paper;
// a second rating by the same chair replaces the first.
func (s *Service) Rate(ctx context.Context, submissionID int64, pseudonym int, p account.Principal, helpful bool, note, ip string) error {
	rec, err := s.ratingChair(ctx, submissionID, p)
	if err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	if len([]rune(note)) > MaxRatingNote {
		return errLongNote
	}
	now := s.Clock.Now()
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		r, err := q.SubmittedReviewByPseudonym(ctx, tx, reviewdb.SubmittedReviewByPseudonymParams{SubmissionID: submissionID, Pseudonym: int32(pseudonym)})
		if errors.Is(err, pgx.ErrNoRows) {
			return errNoSuchReview
		}
		if err != nil {
			return err
		}
		if err := q.RateReview(ctx, tx, reviewdb.RateReviewParams{ReviewID: r.ID, RaterID: p.UserID, Helpful: helpful, Note: note, RatedAt: now}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{VenueID: &rec.ID, ActorID: &p.UserID, Action: "review.rate",
			Subject: "submission " + strconv.FormatInt(submissionID, 10) + " reviewer " + strconv.Itoa(pseudonym),
			Detail:  map[string]any{"helpful": helpful}, IP: ip, At: now})
	})
}

// Ratings lists the ratings of a paper's reviews for its chairs.
func (s *Service) Ratings(ctx context.Context, submissionID int64, p account.Principal) ([]Rating, error) {
	if _, err := s.ratingChair(ctx, submissionID, p); err != nil {
		return nil, err
	}
	rows, err := q.RatingsOfPaper(ctx, s.DB, submissionID)
	if err != nil {
		return nil, err
	}
	out := make([]Rating, 0, len(rows))
	for _, r := range rows {
		out = append(out, Rating{Pseudonym: int(r.Pseudonym), Rater: r.RaterName, Mine: r.RaterID == p.UserID, Helpful: r.Helpful, Note: r.Note, At: r.RatedAt})
	}
	return out, nil
}

// Records are every reviewer's record in the venue, by user id (chairs).
func (s *Service) Records(ctx context.Context, slug string, p account.Principal) (map[int64]Record, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return nil, err
	}
	return s.records(ctx, rec)
}

func (s *Service) records(ctx context.Context, rec venue.Record) (map[int64]Record, error) {
	rows, err := q.ReviewerRatingRecords(ctx, s.DB, rec.ID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]Record, len(rows))
	for _, r := range rows {
		out[r.ReviewerID] = Record{Reviews: int(r.Reviews), Rated: int(r.Rated), Helpful: int(r.Helpful)}
	}
	return out, nil
}

// MyRecord is the caller's own record as a reviewer of slug, once the
// venue's decisions are released; before, released is false and the
// record empty, so that no rating can hint at a decision.
func (s *Service) MyRecord(ctx context.Context, slug string, p account.Principal) (r Record, released bool, err error) {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return Record{}, false, err
	}
	if err := s.Venues.Require(ctx, s.DB, rec.ID, p.UserID, venue.RoleReviewer); err != nil {
		return Record{}, false, err
	}
	if s.Access.Released != nil {
		if released, err = s.Access.Released(ctx, s.DB, rec.ID); err != nil {
			return Record{}, false, err
		}
	}
	if !released {
		return Record{}, false, nil
	}
	all, err := s.records(ctx, rec)
	if err != nil {
		return Record{}, false, err
	}
	return all[p.UserID], true, nil
}
