package submission

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/access"
	"github.com/quirehq/quire/internal/submission/submissiondb"
	"github.com/quirehq/quire/internal/venue"
)

// Answers are a submission's answers to its venue's own fields, by field
// key, as venue.CheckSubmissionFields stores them. All of them are the
// authors' and the chairs'; a page or response shows others only those
// policy.CanSeeSubmissionField lets through.
type Answers map[string]any

// checkAnswers checks in.Fields against the fields the venue asks of
// in.Track, once the authors are clean, and keeps them as stored.
func checkAnswers(in *Input, set *venue.Settings, add func(field, msg string)) {
	if _, ok := set.Track(in.Track); !ok {
		return // the track is wrong already: its fields cannot be judged
	}
	emails := make([]string, 0, len(in.Authors))
	for _, a := range in.Authors {
		emails = append(emails, a.Email)
	}
	clean, ps := set.CheckSubmissionFields(in.Track, in.Fields, emails)
	for _, p := range ps {
		add(p.Field, p.Message)
	}
	in.Fields = clean
}

func storeAnswers(ctx context.Context, tx pgx.Tx, id int64, a Answers, at time.Time) error {
	if a == nil {
		a = Answers{}
	}
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	return q.SetFieldAnswers(ctx, tx, submissiondb.SetFieldAnswersParams{SubmissionID: id, Answers: b, UpdatedAt: at})
}

func decodeAnswers(b []byte) Answers {
	a := Answers{}
	if len(b) > 0 {
		_ = json.Unmarshal(b, &a) // the column holds what Marshal wrote
	}
	return a
}

func readAnswers(ctx context.Context, db submissiondb.DBTX, id int64) (Answers, error) {
	b, err := q.FieldAnswers(ctx, db, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return Answers{}, nil
	}
	if err != nil {
		return nil, err
	}
	return decodeAnswers(b), nil
}

func (s *Service) attachAnswers(ctx context.Context, subs []Submission, ids []int64) error {
	rows, err := q.FieldAnswersOf(ctx, s.DB, ids)
	if err != nil {
		return err
	}
	byID := make(map[int64]Answers, len(rows))
	for _, r := range rows {
		byID[r.SubmissionID] = decodeAnswers(r.Answers)
	}
	for i := range subs {
		if a, ok := byID[subs[i].ID]; ok {
			subs[i].Fields = a
		}
	}
	return nil
}

// joinPool puts the author a submission names under the venue's
// reciprocal rule into its reviewer pool, when they have an account (one
// made later joins when the paper is next saved, or by invitation): being
// named is the venue's rule, not an invitation to decline. Their own
// papers are conflicts as every author's are.
func (s *Service) joinPool(ctx context.Context, tx pgx.Tx, rec venue.Record, answers Answers, by int64) error {
	r := rec.Settings.ReciprocalReviewing
	email, _ := answers[r.Field].(string)
	if !r.On() || email == "" {
		return nil
	}
	u, ok, err := s.Accounts.ByEmail(ctx, tx, email)
	if err != nil || !ok {
		return err
	}
	return s.Venues.Grant(ctx, tx, rec.ID, u.ID, venue.RoleReviewer, &by)
}

// JoinPool does for answers stored another way (the OpenReview import)
// what saving the form does with them: the author they name under the
// venue's reciprocal rule joins its reviewer pool (see joinPool).
func (s *Service) JoinPool(ctx context.Context, tx pgx.Tx, rec venue.Record, answers Answers, by int64) error {
	return s.joinPool(ctx, tx, rec, answers, by)
}

// PublicAnswers are the answers anyone may read of papers that are on the
// venue's public site (the caller's word: publication decides that), by
// submission, in the venue file's order: the policy's, for a reader with
// no role and a public paper.
func PublicAnswers(ctx context.Context, db submissiondb.DBTX, set *venue.Settings, ids []int64) (map[int64][]access.Answer, error) {
	rows, err := q.TracksAndAnswers(ctx, db, ids)
	if err != nil {
		return nil, err
	}
	public := access.View{Venue: venue.Record{Settings: set}}
	out := map[int64][]access.Answer{}
	for _, r := range rows {
		if as := public.VisibleAnswers(r.Track, decodeAnswers(r.Answers), true); len(as) > 0 {
			out[r.ID] = as
		}
	}
	return out, nil
}
