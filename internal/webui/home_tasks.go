package webui

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

// task is one thing a person has to do before a deadline, in one of their
// venues: the home page lists them all, across venues, nearest first.
type task struct {
	Venue, VenueName, What, Link string
	Deadline                     deadlineRow
	Rule                         string // the deadline as the venue states it
}

// phaseTasks is what each role has to do in a phase, and by which deadline.
var phaseTasks = map[venue.Phase]struct {
	author, chair string
	deadline      func(d *venue.Deadlines) venue.Deadline
}{
	venue.PhaseSubmission:     {"Submissions close: revise your paper until then", "Submissions close", func(d *venue.Deadlines) venue.Deadline { return d.Submission }},
	venue.PhaseBidding:        {"", "Bidding ends", func(d *venue.Deadlines) venue.Deadline { return d.Bidding }},
	venue.PhaseReviewing:      {"", "Reviews are due", func(d *venue.Deadlines) venue.Deadline { return d.Review }},
	venue.PhaseAuthorResponse: {"Respond to the reviews", "Author responses are due", func(d *venue.Deadlines) venue.Deadline { return d.AuthorResponse }},
	venue.PhaseDecision:       {"", "Decisions are due", func(d *venue.Deadlines) venue.Deadline { return d.Decision }},
	venue.PhaseCameraReady:    {"Camera-ready versions are due", "Camera-ready versions are due", func(d *venue.Deadlines) venue.Deadline { return d.CameraReady }},
}

// tasks lists the open tasks of every venue the person has a role in, the
// nearest deadline first; mine are their submissions. A reviewer's
// deadlines are their own (an extension included), as the venue's gate
// applies them.
func (u *ui) tasks(ctx context.Context, s *session, venues []homeVenue, mine []submission.Submission) ([]task, error) {
	now := u.Clock.Now()
	var out []task
	// An author's tasks are those of the papers still in the running: not
	// withdrawn, and for camera-ready versions accepted (once released).
	live := map[string][]int64{}
	for _, sub := range mine {
		if sub.WithdrawnAt == nil {
			live[sub.Venue] = append(live[sub.Venue], sub.ID)
		}
	}
	accepted := func(slug string) (bool, error) {
		for _, id := range live[slug] {
			d, err := u.Decisions.Of(ctx, id, s.P)
			if errors.Is(err, problem.ErrForbidden) { // not released
				continue
			}
			if err != nil {
				return false, err
			}
			if d != nil && d.Accept {
				return true, nil
			}
		}
		return false, nil
	}
	// The phases and gates come with the venues (myVenues); a reviewer's
	// progress still takes a query per venue, and a venue not read since
	// its last write a load of its own, so the venues are asked at the same
	// time: the page waits for the slowest, not for their sum.
	perVenue := make([][]task, len(venues))
	errs := make([]error, len(venues))
	var wg sync.WaitGroup
	for i, v := range venues {
		if v.rec.Archived != nil {
			continue
		}
		wg.Go(func() { perVenue[i], errs[i] = u.venueTasks(ctx, s, v, now, live, accepted) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, ts := range perVenue {
		out = append(out, ts...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Deadline.AtISO < out[j].Deadline.AtISO })
	return out, nil
}

// venueTasks is one venue's part of tasks.
func (u *ui) venueTasks(ctx context.Context, s *session, v homeVenue, now time.Time, live map[string][]int64, accepted func(slug string) (bool, error)) ([]task, error) {
	var out []task
	add := func(rec venue.Record, what, link string, at time.Time) {
		row := instantRow(what, at, rec.Settings, now)
		if row.Passed {
			return
		}
		out = append(out, task{Venue: rec.Slug, VenueName: rec.Name, What: what, Link: link, Deadline: *row, Rule: venue.FormatRule(at)})
	}
	rec := v.rec.Record
	phase := v.rec.PhaseAt(now)
	pt, ok := phaseTasks[phase]
	base := "/venues/" + rec.Slug
	for _, role := range v.Roles {
		switch role {
		case venue.RoleReviewer:
			bid, err := gatedView(v.rec, venue.ActionBid, s.P.UserID, "Bidding ends", now)
			if err != nil {
				return nil, err
			}
			if bid.Open && bid.Deadline != nil {
				add(rec, "Bid on the papers", base+"/bids", deadlineAt(bid.Deadline))
			}
			rev, err := gatedView(v.rec, venue.ActionReview, s.P.UserID, "Reviews due", now)
			if err != nil {
				return nil, err
			}
			if rev.Open && rev.Deadline != nil {
				what, err := u.reviewCount(ctx, rec, s)
				if err != nil {
					return nil, err
				}
				add(rec, what, base+"/review", deadlineAt(rev.Deadline))
			}
		case venue.RoleChair:
			if ok && pt.chair != "" && pt.deadline(&rec.Settings.Deadlines).IsSet() {
				add(rec, pt.chair, base+"/chair", pt.deadline(&rec.Settings.Deadlines).At)
			}
		case "author":
			if !ok || pt.author == "" || !pt.deadline(&rec.Settings.Deadlines).IsSet() || len(live[rec.Slug]) == 0 {
				continue
			}
			if phase == venue.PhaseCameraReady {
				if acc, err := accepted(rec.Slug); err != nil {
					return nil, err
				} else if !acc {
					continue
				}
			}
			add(rec, pt.author, "/submissions", pt.deadline(&rec.Settings.Deadlines).At)
		}
	}
	return out, nil
}

// deadlineAt is the instant a deadline row shows.
func deadlineAt(r *deadlineRow) time.Time {
	t, _ := time.Parse(time.RFC3339, r.AtISO)
	return t
}

// reviewCount says how far a reviewer is with a venue's reviews.
func (u *ui) reviewCount(ctx context.Context, rec venue.Record, s *session) (string, error) {
	n, done, err := u.Matching.ProgressIn(ctx, rec, s.P)
	if err != nil {
		return "", err
	}
	if n == 0 {
		return "Reviews are due (nothing assigned to you yet)", nil
	}
	return "Submit your reviews: " + strconv.Itoa(done) + " of " + strconv.Itoa(n) + " done", nil
}
