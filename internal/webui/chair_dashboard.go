package webui

import (
	"context"
	"time"

	"github.com/quirehq/quire/internal/matching"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

// dashboardFigures are the chair dashboard's counts: what they are
// derived from (every submission, assignment, review and decision the
// chair may see) costs a dozen queries and the venue's conflicts, so they
// are gathered once per data version of the venue on each replica, and
// again after any write. The person, the venue's settings and whether
// reviews are late yet are part of the key; what depends on the clock
// otherwise (the release, the next deadline) is worked out per request.
type dashboardFigures struct {
	page      dashboardPage // without Head, Released and Next
	releaseAt *time.Time
}

type dashboardKey struct {
	user     int64
	settings string // the venue file
	late     bool   // past the review deadline: reviewers with reviews missing are late
}

func (u *ui) dashboardFigures(ctx context.Context, rec venue.Record, s *session, now time.Time) (dashboardFigures, error) {
	key := dashboardKey{user: s.P.UserID, settings: string(rec.YAML), late: now.After(rec.Settings.Deadlines.Review.End())}
	return matching.Derive(ctx, u.Matching, rec, key, func() (dashboardFigures, error) {
		var f dashboardFigures
		subs, err := u.Submissions.ListVenue(ctx, rec.Slug, s.P, submission.Filter{})
		if err != nil {
			return f, err
		}
		p := dashboardPage{TotalSubmissions: len(subs), Submissions: statusCounts(subs)}
		if n := submission.NominationsOf(rec.Settings, subs); n.Rule.On() {
			p.Reciprocal = &n
		}
		papers, revs, err := u.Reviews.Progress(ctx, rec.Slug, s.P)
		if err != nil {
			return f, err
		}
		// Every submitted paper needs its track's reviews, assigned yet or
		// not (Progress lists only papers with assignments).
		for _, x := range subs {
			if t, ok := rec.Settings.Track(x.Track); ok && x.Status() == "submitted" {
				p.ReviewsNeeded += t.ReviewsPerPaper
			}
		}
		for _, x := range papers {
			p.ReviewsDone += x.Done
			p.ReviewsAssigned += x.Assigned
			if x.Disagreement {
				p.DisagreementsToSettle++
			}
		}
		for _, r := range revs {
			if r.Late {
				p.LateReviewers++
			}
		}
		ov, err := u.Decisions.List(ctx, rec.Slug, s.P)
		if err != nil {
			return f, err
		}
		p.DecisionsOpen = ov.Open
		p.DecisionDeadline = venue.FormatAoE(ov.Deadline)
		return dashboardFigures{page: p, releaseAt: ov.ReleaseAt}, nil
	})
}
