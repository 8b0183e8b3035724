package review

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/mail"
	"github.com/quirehq/quire/internal/policy"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/review/reviewdb"
	"github.com/quirehq/quire/internal/venue"
)

// Response is the authors' answer to the reviews of their submission.
type Response struct {
	Body        string     `json:"body"`
	Status      string     `json:"status"` // draft or submitted
	UpdatedAt   time.Time  `json:"updated_at"`
	SubmittedAt *time.Time `json:"submitted_at,omitempty"`
	MaxChars    int        `json:"max_chars"`
	// Open says whether the authors may still write, and Deadline until when.
	Open     bool      `json:"open"`
	Deadline time.Time `json:"deadline,omitzero"`
}

// ResponseOf returns the response to whoever the policy lets see it: its
// authors (drafts included), the venue's chairs free of conflict and the
// submission's reviewers (once submitted). Nil when there is none to show.
func (s *Service) ResponseOf(ctx context.Context, submissionID int64, p account.Principal) (*Response, error) {
	v, err := s.view(ctx, submissionID, p)
	if err != nil {
		return nil, err
	}
	if !v.Can(policy.AuthorResponse) {
		return nil, problem.New(problem.ErrForbidden, "not_visible", policy.Explain(v.Relation, v.State, policy.AuthorResponse))
	}
	out := &Response{MaxChars: v.Venue.Settings.ResponseLimit(), Status: "none"}
	if v.Relation.Author {
		gate, err := s.Venues.Check(ctx, s.DB, v.Venue, venue.ActionRespond, venue.Subject{Submission: strconv.FormatInt(submissionID, 10)}, s.Clock.Now())
		out.Open, out.Deadline = err == nil, gate.Deadline
	}
	row, err := q.GetResponse(ctx, s.DB, submissionID)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return out, nil
	case err != nil:
		return nil, err
	case row.Status != "submitted" && !v.Relation.Author:
		return nil, nil // a draft is the authors' alone
	}
	out.Body, out.Status, out.UpdatedAt, out.SubmittedAt = row.Body, row.Status, row.UpdatedAt, row.SubmittedAt
	return out, nil
}

// SaveResponse saves the authors' response, as a draft or submitted, during
// the response phase (up to its deadline, the last second included, or the
// submission's extension). It can be edited until then; a submitted one
// stays submitted. The first submission tells each of the submission's
// reviewers by mail, once.
func (s *Service) SaveResponse(ctx context.Context, submissionID int64, p account.Principal, body string, submit bool, ip string) (*Response, error) {
	v, err := s.view(ctx, submissionID, p)
	if err != nil {
		return nil, err
	}
	if !v.Relation.Author {
		return nil, problem.New(problem.ErrForbidden, "not_author", "only the submission's authors write its response")
	}
	if v.State.Withdrawn {
		return nil, problem.New(problem.ErrConflict, "submission_withdrawn", "the submission is withdrawn")
	}
	now := s.Clock.Now()
	if _, err := s.Venues.Check(ctx, s.DB, v.Venue, venue.ActionRespond, venue.Subject{Submission: strconv.FormatInt(submissionID, 10)}, now); err != nil {
		return nil, err
	}
	body = strings.TrimSpace(body)
	limit := v.Venue.Settings.ResponseLimit()
	switch n := len([]rune(body)); {
	case n > limit:
		return nil, problem.Invalid("the response is too long", problem.FieldError{Field: "body", Message: fmt.Sprintf("at most %d characters; this has %d", limit, n)})
	case n == 0 && submit:
		return nil, problem.Invalid("an empty response cannot be submitted", problem.FieldError{Field: "body", Message: "write the response first"})
	}
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT id FROM submissions WHERE id = $1 FOR UPDATE", submissionID); err != nil {
			return err
		}
		prev, err := q.GetResponse(ctx, tx, submissionID)
		first := errors.Is(err, pgx.ErrNoRows) || (err == nil && prev.SubmittedAt == nil)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		status := "draft"
		var at *time.Time
		if submit || (err == nil && prev.Status == "submitted") {
			status, at = "submitted", &now
		}
		if _, err := q.SaveResponse(ctx, tx, reviewdb.SaveResponseParams{SubmissionID: submissionID, Body: body, Status: status,
			UpdatedBy: p.UserID, UpdatedAt: now, SubmittedAt: at}); err != nil {
			return err
		}
		if status == "submitted" && first {
			if err := s.tellReviewers(ctx, tx, v.Venue, submissionID); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{VenueID: &v.Venue.ID, ActorID: &p.UserID, Action: "response." + status,
			Subject: "submission " + strconv.FormatInt(submissionID, 10), Detail: map[string]any{"submission": submissionID}, IP: ip, At: now})
	})
	if err != nil {
		return nil, err
	}
	return s.ResponseOf(ctx, submissionID, p)
}

// tellReviewers mails each reviewer of the submission that the authors
// responded; the dedupe key makes it once per reviewer, whatever happens.
func (s *Service) tellReviewers(ctx context.Context, tx pgx.Tx, rec venue.Record, submissionID int64) error {
	revs, err := q.AssignedReviewers(ctx, tx, submissionID)
	if err != nil {
		return err
	}
	var number int32
	if err := tx.QueryRow(ctx, "SELECT number FROM submissions WHERE id = $1", submissionID).Scan(&number); err != nil {
		return err
	}
	for _, r := range revs {
		// A reviewer conflicted since the assignment no longer reviews it.
		conflicted, err := s.Access.Matching.Conflicted(ctx, tx, rec, submissionID, r.ID)
		if err != nil {
			return err
		}
		if conflicted {
			continue
		}
		if err := s.Mail.Queue(ctx, tx, mail.TemplateNotice, fmt.Sprintf("response:%d:%d", submissionID, r.ID), r.Email, mail.NoticeData{
			Name:    r.Name,
			Subject: fmt.Sprintf("%s: the authors of #%d responded to the reviews", rec.Name, number),
			Body: fmt.Sprintf("The authors of submission #%d answered the reviews. You can read their response, reply in the discussion and revise your review until %s.",
				number, venue.Describe(rec.Settings.Deadlines.AuthorResponse.At)),
			Link: s.Link("/venues/"+rec.Slug+"/review/"+strconv.FormatInt(submissionID, 10), nil),
		}); err != nil {
			return err
		}
	}
	return nil
}

// Revision is one saved version of a review, for the score history: when,
// and whether it came after the authors' response.
type Revision struct {
	Label         string         `json:"label"`
	Version       int            `json:"version"`
	Status        string         `json:"status"`
	SavedAt       time.Time      `json:"saved_at"`
	AfterResponse bool           `json:"after_response"`
	Fields        map[string]any `json:"fields"`
}

// History lists the saved versions of the submission's reviews (chairs
// free of conflict), each marked if saved after the authors submitted
// their response: every submitted version, and drafts only the caller's
// own, since a draft is its writer's alone, not even the chairs'.
func (s *Service) History(ctx context.Context, submissionID int64, p account.Principal) ([]Revision, error) {
	v, err := s.view(ctx, submissionID, p)
	if err != nil {
		return nil, err
	}
	if !v.Can(policy.ReviewerIdentity) { // chairs
		return nil, problem.New(problem.ErrForbidden, "not_chair", "the review history is for the chairs")
	}
	var responded *time.Time
	if r, err := q.GetResponse(ctx, s.DB, submissionID); err == nil {
		responded = r.SubmittedAt
	} else if !errors.Is(err, pgx.ErrNoRows) {
		return nil, err
	}
	rows, err := q.ReviewVersions(ctx, s.DB, reviewdb.ReviewVersionsParams{SubmissionID: submissionID, ViewerID: p.UserID})
	if err != nil {
		return nil, err
	}
	out := []Revision{}
	for _, r := range rows {
		if r.Status != "submitted" && !policy.CanSeeDraft(v.Relation, v.State, r.ReviewerID == p.UserID) {
			continue
		}
		rv := Revision{Label: "Reviewer " + strconv.Itoa(int(r.Pseudonym)), Version: int(r.Version), Status: r.Status, SavedAt: r.SavedAt,
			AfterResponse: responded != nil && r.SavedAt.After(*responded)}
		if err := json.Unmarshal(r.Fields, &rv.Fields); err != nil {
			return nil, err
		}
		out = append(out, rv)
	}
	return out, nil
}
