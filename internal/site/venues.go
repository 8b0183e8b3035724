package site

import (
	"context"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

// VenueSummary is a venue in a list: what a reader needs to pick a call,
// and for administrators its counts.
type VenueSummary struct {
	Slug      string      `json:"slug"`
	Name      string      `json:"name"`
	Phase     venue.Phase `json:"phase"`
	EventDate string      `json:"event_date,omitempty"`
	Location  string      `json:"location,omitempty"`
	// Submission is the submission deadline's last second inside.
	Submission time.Time  `json:"submission_deadline"`
	Archived   *time.Time `json:"archived_at,omitempty"`
	// Counts, for administrators only.
	Submissions int64 `json:"submissions,omitempty"`
	Reviewers   int64 `json:"reviewers,omitempty"`
	Chairs      int64 `json:"chairs,omitempty"`
}

// VenueFilter narrows the public list: a phase ("submission" for open
// calls), and a range of event dates (inclusive, zero for open ends).
type VenueFilter struct {
	Phase    venue.Phase
	From, To time.Time
}

// List is the public list of venues, archived ones left out: those taking
// submissions first, the nearest deadline first; the others by event date,
// the latest first.
func (s *Service) List(ctx context.Context, f VenueFilter) ([]VenueSummary, error) {
	all, err := s.summaries(ctx)
	if err != nil {
		return nil, err
	}
	out := []VenueSummary{}
	for _, v := range all {
		if v.Archived != nil || (f.Phase != "" && v.Phase != f.Phase) {
			continue
		}
		if !f.From.IsZero() || !f.To.IsZero() {
			d, err := time.Parse(time.DateOnly, v.EventDate)
			if err != nil || (!f.From.IsZero() && d.Before(f.From)) || (!f.To.IsZero() && d.After(f.To)) {
				continue
			}
		}
		v.Submissions, v.Reviewers, v.Chairs = 0, 0, 0
		out = append(out, v)
	}
	sort.SliceStable(out, func(i, j int) bool {
		oi, oj := out[i].Phase == venue.PhaseSubmission, out[j].Phase == venue.PhaseSubmission
		switch {
		case oi != oj:
			return oi
		case oi && !out[i].Submission.Equal(out[j].Submission):
			return out[i].Submission.Before(out[j].Submission)
		case !oi && out[i].EventDate != out[j].EventDate:
			return out[i].EventDate > out[j].EventDate
		}
		return out[i].Slug < out[j].Slug
	})
	return out, nil
}

// AdminVenues is every venue with its counts, archived ones included, for
// site administrators.
func (s *Service) AdminVenues(ctx context.Context, by account.Principal) ([]VenueSummary, error) {
	if err := s.requireAdmin(ctx, by); err != nil {
		return nil, err
	}
	return s.summaries(ctx)
}

func (s *Service) summaries(ctx context.Context) ([]VenueSummary, error) {
	list, err := s.Venues.List(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	out := make([]VenueSummary, 0, len(list))
	for _, l := range list {
		set := l.Settings
		out = append(out, VenueSummary{Slug: l.Slug, Name: l.Name, Phase: l.Phase, EventDate: set.EventDate, Location: set.Location,
			Submission: set.Deadlines.Submission.End().Add(-time.Second).UTC(), Archived: l.Archived,
			Submissions: l.Submissions, Reviewers: l.Reviewers, Chairs: l.Chairs})
	}
	return out, nil
}

// Archive archives a venue, or brings it back (site administrators).
func (s *Service) Archive(ctx context.Context, by account.Principal, slug string, archived bool, ip string) (venue.Record, error) {
	if err := s.requireAdmin(ctx, by); err != nil {
		return venue.Record{}, err
	}
	var rec venue.Record
	err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		now := s.Clock.Now()
		var at *time.Time
		action := "venue.unarchive"
		if archived {
			at, action = &now, "venue.archive"
		}
		var err error
		if rec, err = s.Venues.SetArchived(ctx, tx, slug, at); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{VenueID: &rec.ID, ActorID: &by.UserID, Action: action, Subject: slug, IP: ip, At: now})
	})
	return rec, err
}

func (s *Service) requireAdmin(ctx context.Context, by account.Principal) error {
	u, _, err := s.Accounts.Get(ctx, by.UserID)
	if err != nil {
		return err
	}
	if !u.Admin {
		return problem.New(problem.ErrForbidden, "not_admin", "only site administrators see and archive every venue")
	}
	return nil
}
