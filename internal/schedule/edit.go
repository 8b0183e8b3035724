package schedule

import (
	"context"
	"fmt"
	"strings"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/decision"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

// Put replaces the schedule's items (chairs). The whole schedule must hold:
// each item on the event day and ending after it starts, no two at once in
// one room, speakers that are invited speakers, each paper presented once,
// and every spotlight paper of the programme given a slot. Problems name
// the item by its index in items and by its title and times.
func (s *Service) Put(ctx context.Context, slug string, p account.Principal, items []venue.ScheduleItem, ip string) (Day, error) {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return Day{}, err
	}
	if err := s.Venues.Require(ctx, s.DB, rec.ID, p.UserID, venue.RoleChair); err != nil {
		return Day{}, err
	}
	// Checked against every accepted paper; shown with what this chair may see.
	all, err := s.Decisions.Placed(ctx, rec)
	if err != nil {
		return Day{}, err
	}
	papers, err := s.Decisions.Programme(ctx, rec, p.UserID)
	if err != nil {
		return Day{}, err
	}
	for i := range items {
		items[i].ID = strings.TrimSpace(items[i].ID)
		if items[i].ID == "" {
			items[i].ID = newID(items, i)
		}
	}
	rec, err = s.Admin.Change(ctx, slug, p.UserID, "schedule.update", map[string]any{"items": len(items)}, ip, func(set *venue.Settings) error {
		set.Schedule.Items = items
		if probs := set.Validate(); len(probs) > 0 {
			return scheduleProblem(probs)
		}
		if fields := placeProgramme(items, all, papers); len(fields) > 0 {
			return problem.Invalid(fields[0].Message, fields...)
		}
		return nil
	})
	if err != nil {
		return Day{}, err
	}
	return Resolve(rec, papers, s.Clock.Now()), nil
}

// Publish makes the schedule public or takes it back (chairs). It is
// separate from releasing decisions: keynotes are public weeks before.
func (s *Service) Publish(ctx context.Context, slug string, p account.Principal, published bool, ip string) (Day, error) {
	rec, err := s.Admin.Change(ctx, slug, p.UserID, "schedule.publish", map[string]any{"published": published}, ip, func(set *venue.Settings) error {
		set.Schedule.Published = published
		if probs := set.Validate(); len(probs) > 0 {
			return scheduleProblem(probs)
		}
		return nil
	})
	if err != nil {
		return Day{}, err
	}
	papers, err := s.Decisions.Programme(ctx, rec, p.UserID)
	if err != nil {
		return Day{}, err
	}
	return Resolve(rec, papers, s.Clock.Now()), nil
}

// scheduleProblem reports the venue file's problems with the schedule's
// own paths ("items[2].start"), and any other problem of the file as it is.
func scheduleProblem(probs []venue.Problem) error {
	var fields []problem.FieldError
	for _, p := range probs {
		path := p.Path
		if rest, ok := strings.CutPrefix(path, "schedule."); ok {
			path = rest
		}
		fields = append(fields, problem.FieldError{Field: path, Message: p.Message})
	}
	detail := "the schedule was not changed: " + fields[0].Field + ": " + fields[0].Message
	e := problem.Invalid(detail, fields...)
	e.Code = "invalid_schedule"
	return e
}

// placeProgramme checks the items against the accepted papers (all of
// them): a paper an item names must be accepted, and the spotlight papers
// not named must fit the spotlight slots left. Messages name only papers
// in visible, the ones the editing chair may see.
func placeProgramme(items []venue.ScheduleItem, papers, visible []decision.Paper) []problem.FieldError {
	seen := map[int]bool{}
	for _, x := range visible {
		seen[x.Number] = true
	}
	accepted := map[int]decision.Paper{}
	for _, x := range papers {
		accepted[x.Number] = x
	}
	var fields []problem.FieldError
	named := map[int]bool{}
	free := 0
	for i, it := range items {
		if it.Paper != 0 {
			if _, ok := accepted[it.Paper]; !ok {
				fields = append(fields, problem.FieldError{Field: fmt.Sprintf("items[%d].paper", i),
					Message: fmt.Sprintf("%s: #%d is not an accepted paper", Describe(it), it.Paper)})
			}
			named[it.Paper] = true
		} else if it.Kind == venue.ItemSpotlight {
			free++
		}
	}
	var waiting []string
	n := 0
	for _, x := range papers {
		if x.Spotlight > 0 && !named[x.Number] {
			n++
			if seen[x.Number] {
				waiting = append(waiting, fmt.Sprintf("#%d", x.Number))
			}
		}
	}
	if n > free {
		which := strings.Join(waiting, ", ")
		if len(waiting) < n {
			which += fmt.Sprintf(" and %d you may not see", n-len(waiting))
		}
		fields = append(fields, problem.FieldError{Field: "items",
			Message: fmt.Sprintf("%d spotlight papers (%s) but %d spotlight slots free: every spotlight paper needs a slot", n, strings.TrimPrefix(which, " and "), free)})
	}
	return fields
}

// newID names a new item after its kind, unlike any other item's id.
func newID(items []venue.ScheduleItem, i int) string {
	base := "item"
	for _, k := range venue.ItemKinds {
		if k == items[i].Kind {
			base = string(k)
		}
	}
	taken := map[string]bool{}
	for _, it := range items {
		taken[it.ID] = true
	}
	for n := 1; ; n++ {
		id := fmt.Sprintf("%s-%d", base, n)
		if !taken[id] {
			return id
		}
	}
}
