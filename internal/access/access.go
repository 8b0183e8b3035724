// Package access computes what a person is to a submission (author, chair,
// assigned reviewer, conflicted, ...) and the submission's situation, so
// that package policy can answer what they may see. Every endpoint that
// shows anything of a submission asks here first.
package access

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/access/accessdb"
	"github.com/quirehq/quire/internal/matching"
	"github.com/quirehq/quire/internal/policy"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

var q = accessdb.New()

// ErrNotFound is the answer to someone who may not know a submission
// exists: the same as for one that does not.
var ErrNotFound = problem.New(problem.ErrNotFound, "submission_not_found", "there is no such submission, or you may not see it")

// Resolver answers for one request at a time.
type Resolver struct {
	Venues   *venue.Store
	Matching *matching.Service
	// Released reports whether a venue's decisions were released.
	Released func(ctx context.Context, db accessdb.DBTX, venueID int64) (bool, error)
}

// View is a person's relation to a submission and its state, with the
// venue it belongs to.
type View struct {
	Relation policy.Relation
	State    policy.State
	Venue    venue.Record
}

// Can asks the policy.
func (v View) Can(t policy.Thing) bool { return policy.Can(v.Relation, v.State, t) }

// Of computes the view of user (0: not signed in) on a submission. A
// submission the person may not even know of is ErrNotFound.
func (r *Resolver) Of(ctx context.Context, db accessdb.DBTX, submissionID, userID int64) (View, error) {
	f, err := q.Facts(ctx, db, accessdb.FactsParams{UserID: userID, SubmissionID: submissionID})
	if errors.Is(err, pgx.ErrNoRows) {
		return View{}, ErrNotFound
	}
	if err != nil {
		return View{}, err
	}
	rec, err := r.Venues.BySlug(ctx, db, f.Slug)
	if err != nil {
		return View{}, err
	}
	phase, err := r.Venues.PhaseNow(ctx, db, rec)
	if err != nil {
		return View{}, err
	}
	v := View{Venue: rec,
		Relation: policy.Relation{SignedIn: userID != 0, Author: f.Author, Chair: f.Chair, Reviewer: f.Reviewer, Assigned: f.Assigned, SubmittedOwnReview: f.SubmittedReview},
		State: policy.State{Phase: string(phase), Withdrawn: f.Withdrawn, Held: f.Held, SupplementaryHeld: f.SuppHeld,
			MetaReviewToAuthors: rec.Settings.MetaReviews.AuthorsSee},
	}
	if r.Released != nil {
		if v.State.DecisionsReleased, err = r.Released(ctx, db, rec.ID); err != nil {
			return View{}, err
		}
	}
	if userID != 0 && !f.Author && (f.Chair || f.Reviewer) {
		if v.Relation.Conflicted, err = r.Matching.Conflicted(ctx, db, rec, submissionID, userID); err != nil {
			return View{}, err
		}
	}
	if !v.Can(policy.SubmissionExists) {
		return v, ErrNotFound
	}
	return v, nil
}
