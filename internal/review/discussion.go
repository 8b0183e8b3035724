package review

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/mail"
	"github.com/quirehq/quire/internal/matching"
	"github.com/quirehq/quire/internal/policy"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/review/reviewdb"
	"github.com/quirehq/quire/internal/venue"
)

// Comment kinds.
const (
	KindDiscussion = "discussion"
	KindChairNote  = "chair_note"
)

// Comment is one comment as the caller may see it: reviewers appear under
// their pseudonym, chairs as "Chair", real names only to chairs.
type Comment struct {
	Kind   string
	By     string
	Name   string // set only for viewers who may know reviewers
	Body   string
	At     time.Time
	IsMine bool
}

// AddComment posts to a submission's discussion (its reviewers once they
// submitted, and chairs) or a chair-only note.
func (s *Service) AddComment(ctx context.Context, submissionID int64, p account.Principal, kind, body string) (Comment, error) {
	v, err := s.view(ctx, submissionID, p)
	if err != nil {
		return Comment{}, err
	}
	body = strings.TrimSpace(body)
	if body == "" {
		return Comment{}, problem.Invalid("the comment is empty", problem.FieldError{Field: "body", Message: "must not be empty"})
	}
	allowed := (kind == KindDiscussion && v.Can(policy.Discussion)) || (kind == KindChairNote && v.Can(policy.ChairNotes))
	if !allowed {
		return Comment{}, problem.New(problem.ErrForbidden, "may_not_comment", policy.Explain(v.Relation, v.State, thingOf(kind)))
	}
	if _, err := q.InsertComment(ctx, s.DB, reviewdb.InsertCommentParams{SubmissionID: submissionID, AuthorID: p.UserID, Kind: kind, Body: body, CreatedAt: s.Clock.Now()}); err != nil {
		return Comment{}, err
	}
	list, err := s.Comments(ctx, submissionID, p)
	if err != nil || len(list) == 0 {
		return Comment{}, err
	}
	return list[len(list)-1], nil
}

func thingOf(kind string) policy.Thing {
	if kind == KindChairNote {
		return policy.ChairNotes
	}
	return policy.Discussion
}

// Comments lists what the caller may read of a submission's discussion.
func (s *Service) Comments(ctx context.Context, submissionID int64, p account.Principal) ([]Comment, error) {
	v, err := s.view(ctx, submissionID, p)
	if err != nil {
		return nil, err
	}
	rows, err := q.CommentsOf(ctx, s.DB, submissionID)
	if err != nil {
		return nil, err
	}
	out := []Comment{}
	for _, r := range rows {
		if !v.Can(thingOf(r.Kind)) {
			continue
		}
		c := Comment{Kind: r.Kind, Body: r.Body, At: r.CreatedAt, IsMine: r.AuthorID == p.UserID}
		switch {
		case r.ByChair:
			c.By = "Chair"
		case r.Pseudonym > 0:
			c.By = fmt.Sprintf("Reviewer %d", r.Pseudonym)
		default:
			c.By = "Reviewer"
		}
		if v.Can(policy.ReviewerIdentity) {
			c.Name = r.AuthorName
		}
		out = append(out, c)
	}
	return out, nil
}

// PaperProgress is one submission's reviewing state for chairs.
type PaperProgress struct {
	SubmissionID int64
	Number       int
	Title, Track string
	Needed, Done int
	Assigned     int
	// Conflicted are the reviewers assigned to the paper who have a
	// conflict of interest with it now (declared after the assignment,
	// say): their assignment grants nothing, counts for nothing above,
	// and is the chairs' to replace.
	Conflicted        []string
	MeanScore, Spread float64 // of the form's first score field
	MeanConfidence    float64
	Disagreement      bool // scores two or more points apart
	Scores            []int
	// Confidences are the reviews' confidence answers, in the order of
	// Scores where both are given.
	Confidences []int
	// SubmittedAt are the instants its reviews were submitted, for the
	// chairs' plot of reviews completed over time.
	SubmittedAt []time.Time
}

// ReviewerProgress is one reviewer's state for chairs.
type ReviewerProgress struct {
	UserID         int64
	Name, Email    string
	Assigned, Done int
	// Conflicted counts the reviewer's assignments to papers they have a
	// conflict of interest with now, left out of Assigned and Done.
	Conflicted int
	Late       bool // past the review deadline with reviews missing
}

// Progress is the chairs' overview of reviewing in a venue.
func (s *Service) Progress(ctx context.Context, slug string, p account.Principal) ([]PaperProgress, []ReviewerProgress, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return nil, nil, err
	}
	rows, err := q.VenueProgress(ctx, s.DB, rec.ID)
	if err != nil {
		return nil, nil, err
	}
	hidden, conflicted, err := s.Access.Matching.ChairView(ctx, s.DB, rec, p.UserID)
	if err != nil {
		return nil, nil, err
	}
	scoreKey, confKey := "", ""
	for _, ff := range rec.Settings.ReviewForm {
		if ff.Kind == venue.KindScore && scoreKey == "" {
			scoreKey = ff.Key
		}
		if ff.Kind == venue.KindConfidence && confKey == "" {
			confKey = ff.Key
		}
	}
	late := s.Clock.Now().After(rec.Settings.Deadlines.Review.End())
	papers := map[int64]*PaperProgress{}
	var order []int64
	revs := map[int64]*ReviewerProgress{}
	var confs = map[int64][]float64{}
	for _, r := range rows {
		if hidden[r.SubmissionID] {
			continue
		}
		pp := papers[r.SubmissionID]
		if pp == nil {
			need := 1
			if t, ok := rec.Settings.Track(r.Track); ok {
				need = t.ReviewsPerPaper
			}
			pp = &PaperProgress{SubmissionID: r.SubmissionID, Number: int(r.Number), Title: r.Title, Track: r.Track, Needed: need, Scores: []int{}, Confidences: []int{},
				Conflicted: []string{}}
			papers[r.SubmissionID] = pp
			order = append(order, r.SubmissionID)
		}
		rp := revs[r.UserID]
		if rp == nil {
			rp = &ReviewerProgress{UserID: r.UserID, Name: r.Name, Email: r.Email}
			revs[r.UserID] = rp
		}
		if conflicted[matching.Pair{Paper: r.SubmissionID, Reviewer: r.UserID}] {
			pp.Conflicted = append(pp.Conflicted, r.Name)
			rp.Conflicted++
			continue
		}
		pp.Assigned++
		rp.Assigned++
		if r.Status != "submitted" {
			continue
		}
		pp.Done++
		rp.Done++
		if r.SubmittedAt != nil {
			pp.SubmittedAt = append(pp.SubmittedAt, *r.SubmittedAt)
		}
		var fields map[string]any
		if json.Unmarshal(r.Fields, &fields) == nil {
			if v, ok := fields[scoreKey].(float64); ok {
				pp.Scores = append(pp.Scores, int(v))
			}
			if v, ok := fields[confKey].(float64); ok {
				confs[r.SubmissionID] = append(confs[r.SubmissionID], v)
				pp.Confidences = append(pp.Confidences, int(v))
			}
		}
	}
	outP := make([]PaperProgress, 0, len(order))
	for _, id := range order {
		pp := papers[id]
		if n := len(pp.Scores); n > 0 {
			lo, hi, sum := pp.Scores[0], pp.Scores[0], 0
			for _, v := range pp.Scores {
				sum += v
				lo, hi = min(lo, v), max(hi, v)
			}
			pp.MeanScore = round2(float64(sum) / float64(n))
			var ss float64
			for _, v := range pp.Scores {
				ss += (float64(v) - pp.MeanScore) * (float64(v) - pp.MeanScore)
			}
			pp.Spread = round2(math.Sqrt(ss / float64(n)))
			pp.Disagreement = hi-lo >= 2
		}
		if c := confs[id]; len(c) > 0 {
			var sum float64
			for _, v := range c {
				sum += v
			}
			pp.MeanConfidence = round2(sum / float64(len(c)))
		}
		outP = append(outP, *pp)
	}
	outR := make([]ReviewerProgress, 0, len(revs))
	for _, rp := range revs {
		rp.Late = late && rp.Done < rp.Assigned
		outR = append(outR, *rp)
	}
	sort.Slice(outR, func(i, j int) bool { return outR[i].Name < outR[j].Name })
	return outP, outR, nil
}

// AssignedReviewer is one reviewer of a submission as chairs see them.
type AssignedReviewer struct {
	UserID      int64
	Name, Email string
	// Pseudonym is the label the others know them by, once their review
	// is submitted (0 before: a draft is its writer's alone, so chairs do
	// not learn that one was started).
	Pseudonym   int
	SubmittedAt *time.Time
}

// Assigned lists who is assigned to review a submission and whether each
// review is in, for those who may know the reviewers (chairs free of
// conflict).
func (s *Service) Assigned(ctx context.Context, submissionID int64, p account.Principal) ([]AssignedReviewer, error) {
	v, err := s.view(ctx, submissionID, p)
	if err != nil {
		return nil, err
	}
	if !v.Can(policy.ReviewerIdentity) {
		return nil, problem.New(problem.ErrForbidden, "not_chair", policy.Explain(v.Relation, v.State, policy.ReviewerIdentity))
	}
	people, err := q.AssignedReviewers(ctx, s.DB, submissionID)
	if err != nil {
		return nil, err
	}
	reviews, err := q.ReviewsOf(ctx, s.DB, submissionID)
	if err != nil {
		return nil, err
	}
	in := map[int64]reviewdb.ReviewsOfRow{}
	for _, r := range reviews {
		if r.Status == "submitted" {
			in[r.ReviewerID] = r
		}
	}
	out := make([]AssignedReviewer, 0, len(people))
	for _, r := range people {
		a := AssignedReviewer{UserID: r.ID, Name: r.Name, Email: r.Email}
		if rv, ok := in[r.ID]; ok {
			a.Pseudonym, a.SubmittedAt = int(rv.Pseudonym), rv.SubmittedAt
		}
		out = append(out, a)
	}
	return out, nil
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

func (s *Service) chairVenue(ctx context.Context, slug string, p account.Principal) (venue.Record, error) {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return rec, err
	}
	return rec, s.Venues.Require(ctx, s.DB, rec.ID, p.UserID, venue.RoleChair)
}

// RemindLate mails every late reviewer once per day, through the outbox.
func (s *Service) RemindLate(ctx context.Context, slug string, p account.Principal) (int, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return 0, err
	}
	_, revs, err := s.Progress(ctx, slug, p)
	if err != nil {
		return 0, err
	}
	now := s.Clock.Now()
	n := 0
	tx, err := s.DB.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer func() { _ = tx.Rollback(ctx) }()
	for _, r := range revs {
		if !r.Late {
			continue
		}
		n++
		if err := s.Mail.Queue(ctx, tx, mail.TemplateNotice, fmt.Sprintf("remind:%d:%d:%s", rec.ID, r.UserID, now.Format("2006-01-02")), r.Email, mail.NoticeData{
			Name:    r.Name,
			Subject: fmt.Sprintf("%s: %d review(s) overdue", rec.Name, r.Assigned-r.Done),
			Body: fmt.Sprintf("The review deadline of %s was %s. You have submitted %d of your %d reviews; please submit the rest as soon as you can, or tell the chairs if you cannot.",
				rec.Name, venue.Describe(rec.Settings.Deadlines.Review.At), r.Done, r.Assigned),
			Link: s.Link("/venues/"+rec.Slug+"/review", nil),
		}); err != nil {
			return 0, err
		}
	}
	return n, tx.Commit(ctx)
}
