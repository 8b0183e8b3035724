package groupmail

import (
	"context"
	"strings"
	"time"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/matching"
	"github.com/quirehq/quire/internal/venue"
)

// Kinds of group: whom a message goes to decides what it may say.
const (
	KindReviewers = "reviewers"
	KindAuthors   = "authors"
)

// Keys of the groups that every venue has; a track's group is "track:"
// and its key, a decision category's "decision:" and its key.
const (
	GroupMissingReviews = "missing-reviews"
	GroupReviewers      = "reviewers"
	GroupAuthors        = "authors"
	trackPrefix         = "track:"
	decisionPrefix      = "decision:"
)

// Paper is a paper as a recipient's copy names it: by number and title.
type Paper struct {
	Number int
	Title  string
}

// Recipient is one person in a group with the papers the group holds them
// for.
type Recipient struct {
	Name, Email string
	Papers      []Paper
}

// Group is a set of a venue's people that chairs can write to, as the
// calling chair may see it: papers hidden from a conflicted chair are left
// out, and with them anyone who is in the group only through them.
type Group struct {
	Key, Label string
	Kind       string
	// Deadline is what {{deadline}} becomes (zero: the group has none
	// ahead); DeadlineName says which deadline it is.
	Deadline     time.Time
	DeadlineName string
	// Closed says why the group cannot be written to now; "" when it can.
	Closed     string
	Recipients []Recipient
}

// notReleased is why a decision category's authors cannot be written to
// before the release.
const notReleased = "the decisions are not released yet: a mail to the authors of one decision would tell them their decision " +
	"before the others learn theirs; the release sends each author their decision, and after it this group opens"

// groups builds every group of the venue for the calling chair from one
// read of the venue's assignments, reviewers, papers and authors.
func (s *Service) groups(ctx context.Context, rec venue.Record, p account.Principal) ([]Group, error) {
	// A conflict that came after the assignment takes the paper away from
	// its reviewer: it is nobody's to review, nor to be reminded of.
	hidden, conflicted, err := s.Matching.ChairView(ctx, s.DB, rec, p.UserID)
	if err != nil {
		return nil, err
	}
	released, err := s.Decisions.Released(ctx, s.DB, rec.ID)
	if err != nil {
		return nil, err
	}
	assigned, err := q.VenueAssignments(ctx, s.DB, rec.ID)
	if err != nil {
		return nil, err
	}
	reviewers, err := q.VenueReviewers(ctx, s.DB, rec.ID)
	if err != nil {
		return nil, err
	}
	papers, err := q.SubmittedPapers(ctx, s.DB, rec.ID)
	if err != nil {
		return nil, err
	}
	authorRows, err := q.PaperAuthors(ctx, s.DB, rec.ID)
	if err != nil {
		return nil, err
	}
	set, now := rec.Settings, s.Clock.Now()
	review := set.Deadlines.Review.At

	// Reviewers: those with reviews still to submit, and everyone.
	missing := people{}
	all := people{}
	byUser := map[int64][]Paper{}
	for _, a := range assigned {
		if hidden[a.SubmissionID] || conflicted[matching.Pair{Paper: a.SubmissionID, Reviewer: a.UserID}] {
			continue
		}
		paper := Paper{Number: int(a.Number), Title: a.Title}
		byUser[a.UserID] = append(byUser[a.UserID], paper)
		if !a.Submitted {
			missing.add(a.Name, a.Email, paper)
		}
	}
	for _, r := range reviewers {
		all.add(r.Name, r.Email, byUser[r.ID]...)
	}
	out := []Group{
		{Key: GroupMissingReviews, Label: "Reviewers with missing reviews", Kind: KindReviewers, Deadline: review, DeadlineName: "the review deadline", Recipients: missing.list},
		{Key: GroupReviewers, Label: "All reviewers", Kind: KindReviewers, Deadline: review, DeadlineName: "the review deadline", Recipients: all.list},
	}

	// Authors, of the papers each group holds.
	authorsOf := map[int64][]struct{ name, email string }{}
	for _, a := range authorRows {
		authorsOf[a.SubmissionID] = append(authorsOf[a.SubmissionID], struct{ name, email string }{a.Name, a.Email})
	}
	authorsWhere := func(keep func(track, category string) bool) []Recipient {
		ps := people{}
		for _, r := range papers {
			if hidden[r.ID] || !keep(r.Track, r.Category) {
				continue
			}
			for _, a := range authorsOf[r.ID] {
				ps.add(a.name, a.email, Paper{Number: int(r.Number), Title: r.Title})
			}
		}
		return ps.list
	}
	next, nextName := authorDeadline(set, now)
	out = append(out, Group{Key: GroupAuthors, Label: "Authors of all submitted papers", Kind: KindAuthors, Deadline: next, DeadlineName: nextName,
		Recipients: authorsWhere(func(string, string) bool { return true })})
	for _, t := range set.Tracks {
		out = append(out, Group{Key: trackPrefix + t.Key, Label: "Authors of submitted papers in " + t.Name, Kind: KindAuthors, Deadline: next, DeadlineName: nextName,
			Recipients: authorsWhere(func(track, _ string) bool { return track == t.Key })})
	}
	for _, d := range set.Decisions {
		g := Group{Key: decisionPrefix + d.Key, Label: "Authors of papers decided: " + d.Label, Kind: KindAuthors}
		if cr := set.Deadlines.CameraReady; d.Accept && cr.IsSet() && now.Before(cr.End()) {
			g.Deadline, g.DeadlineName = cr.At, "the camera-ready deadline"
		}
		if released {
			g.Recipients = authorsWhere(func(_, category string) bool { return category == d.Key })
		} else {
			g.Closed = notReleased
		}
		out = append(out, g)
	}
	return out, nil
}

// authorDeadline is the next deadline that concerns every author: the
// submission deadline, then the author response's.
func authorDeadline(set *venue.Settings, now time.Time) (time.Time, string) {
	d := set.Deadlines
	switch {
	case d.Submission.IsSet() && now.Before(d.Submission.End()):
		return d.Submission.At, "the submission deadline"
	case d.AuthorResponse.IsSet() && now.Before(d.AuthorResponse.End()):
		return d.AuthorResponse.At, "the author response deadline"
	}
	return time.Time{}, ""
}

// people gathers a group's recipients once each (by address, whatever its
// case), in the order they first appear, with their papers.
type people struct {
	list  []Recipient
	index map[string]int
}

func (ps *people) add(name, email string, papers ...Paper) {
	if ps.index == nil {
		ps.index = map[string]int{}
	}
	key := strings.ToLower(email)
	i, ok := ps.index[key]
	if !ok {
		i = len(ps.list)
		ps.index[key] = i
		ps.list = append(ps.list, Recipient{Name: name, Email: email})
	}
	ps.list[i].Papers = append(ps.list[i].Papers, papers...)
}
