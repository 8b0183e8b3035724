// Package schedule is the venue's timed day: the items of the venue file's
// schedule with their instants, the papers that fill its spotlight slots and
// poster sessions, who may see it, and its calendar. Times are stored once,
// as wall-clock times in the venue's zone; every other zone is derived.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/decision"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

// Service reads and changes venues' schedules.
type Service struct {
	DB        *pgxpool.Pool
	Clock     clock.Clock
	Venues    *venue.Store
	Admin     *venue.Admin
	Decisions *decision.Service
}

// Speaker is an invited speaker as an item shows them.
type Speaker struct {
	Name        string `json:"name"`
	Affiliation string `json:"affiliation,omitempty"`
	URL         string `json:"url,omitempty"`
}

// Paper is an accepted paper as an item shows it; Board is its poster
// board within a poster session.
type Paper struct {
	Number  int      `json:"number"`
	Title   string   `json:"title"`
	Authors []string `json:"authors"`
	Board   int      `json:"board,omitempty"`
	PDF     string   `json:"pdf,omitempty"`
}

// Item is one slot of the day, resolved.
type Item struct {
	ID    string         `json:"id"`
	Kind  venue.ItemKind `json:"kind"`
	Title string         `json:"title"`
	// Start and End are instants; StartLocal and EndLocal the same in the
	// venue's zone ("08:15"), as the venue file has them.
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	StartLocal string    `json:"start_local"`
	EndLocal   string    `json:"end_local"`
	Speaker    *Speaker  `json:"speaker,omitempty"`
	// Paper is the paper presented, once decisions are released (chairs:
	// always).
	Paper  *Paper `json:"paper,omitempty"`
	Room   string `json:"room,omitempty"`
	Stream string `json:"stream,omitempty"`
	// Session numbers the poster sessions in time order; Posters are its
	// boards, once decisions are released.
	Session int     `json:"session,omitempty"`
	Posters []Paper `json:"posters,omitempty"`
}

// Day is a venue's schedule as a reader sees it.
type Day struct {
	Venue     string    `json:"venue"`
	Name      string    `json:"name"`
	Date      string    `json:"date"`
	TimeZone  string    `json:"time_zone"`
	Location  string    `json:"location,omitempty"`
	Published bool      `json:"published"`
	Items     []Item    `json:"items"`
	Stamp     time.Time `json:"-"`
}

// Get returns the venue's schedule to p (nil: not signed in). A schedule
// that is not published is the chairs' alone: to anyone else it does not
// exist. Papers appear once decisions are released, to chairs before.
func (s *Service) Get(ctx context.Context, slug string, p *account.Principal) (Day, error) {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return Day{}, err
	}
	chair := false
	if p != nil {
		switch err := s.Venues.Require(ctx, s.DB, rec.ID, p.UserID, venue.RoleChair); {
		case err == nil:
			chair = true
		case !errors.Is(err, problem.ErrForbidden):
			return Day{}, err
		}
	}
	if !rec.Settings.Schedule.Published && !chair {
		return Day{}, problem.New(problem.ErrNotFound, "schedule_not_published", "the venue has not published its schedule")
	}
	// Once released the papers are public: everyone sees the same day.
	// Before, a chair sees the decided ones, but none they are conflicted with.
	papers, _, err := s.Decisions.Accepted(ctx, slug)
	if err == nil && len(papers) == 0 && chair {
		papers, err = s.Decisions.Programme(ctx, rec, p.UserID)
	}
	if err != nil {
		return Day{}, err
	}
	return Resolve(rec, papers, s.Clock.Now()), nil
}

// Resolve turns the venue file's schedule into a Day: spotlight slots
// without a paper take the spotlight papers not placed by number, in talk
// order; the k-th poster session (in time order) lists the papers of
// programme session k by their boards.
func Resolve(rec venue.Record, papers []decision.Paper, stamp time.Time) Day {
	set := rec.Settings
	zone := set.Zone()
	d := Day{Venue: rec.Slug, Name: rec.Name, Date: set.EventDate, TimeZone: zone.String(), Location: set.Location,
		Published: set.Schedule.Published, Items: []Item{}, Stamp: stamp}
	speakers := map[string]venue.Speaker{}
	for _, sp := range set.Site.Speakers {
		speakers[sp.Key] = sp
	}
	byNumber := map[int]decision.Paper{}
	var spots []decision.Paper
	sessions := map[int][]decision.Paper{}
	for _, x := range papers {
		byNumber[x.Number] = x
		if x.Spotlight > 0 {
			spots = append(spots, x)
		}
		if x.PosterSession > 0 {
			sessions[x.PosterSession] = append(sessions[x.PosterSession], x)
		}
	}
	sort.Slice(spots, func(i, j int) bool { return spots[i].Spotlight < spots[j].Spotlight })
	named := map[int]bool{}
	for _, it := range set.Schedule.Items {
		if it.Paper != 0 {
			named[it.Paper] = true
		}
	}
	var queue []decision.Paper
	for _, x := range spots {
		if !named[x.Number] {
			queue = append(queue, x)
		}
	}
	session := 0
	for _, t := range set.Timeline() {
		it := Item{ID: t.ID, Kind: t.Kind, Title: t.Title, Start: t.Begin.UTC(), End: t.Fin.UTC(),
			StartLocal: t.Begin.In(zone).Format("15:04"), EndLocal: localEnd(t), Room: t.Room, Stream: t.Stream}
		if sp, ok := speakers[t.Speaker]; ok && t.Speaker != "" {
			it.Speaker = &Speaker{Name: sp.Name, Affiliation: sp.Affiliation, URL: sp.URL}
		}
		switch {
		case t.Paper != 0:
			if x, ok := byNumber[t.Paper]; ok {
				it.Paper = paperOf(x, 0)
			}
		case t.Kind == venue.ItemSpotlight && len(queue) > 0:
			it.Paper, queue = paperOf(queue[0], 0), queue[1:]
		}
		if t.Kind == venue.ItemPosters {
			session++
			it.Session = session
			ps := sessions[session]
			sort.Slice(ps, func(i, j int) bool {
				if ps[i].Board != ps[j].Board {
					return ps[i].Board < ps[j].Board
				}
				return ps[i].Number < ps[j].Number
			})
			for i, x := range ps {
				board := x.Board
				if board == 0 { // a programme that numbers no boards: in paper order
					board = i + 1
				}
				it.Posters = append(it.Posters, *paperOf(x, board))
			}
		}
		d.Items = append(d.Items, it)
	}
	return d
}

// localEnd is the end in the venue's zone, "24:00" for midnight after.
func localEnd(t venue.Timed) string {
	if t.End == "24:00" {
		return "24:00"
	}
	return t.Fin.Format("15:04")
}

func paperOf(x decision.Paper, board int) *Paper {
	return &Paper{Number: x.Number, Title: x.Title, Authors: x.Authors, Board: board, PDF: x.PDF}
}

// Now is what is on at an instant and what follows, for the day itself.
type Now struct {
	On   []Item // every item under way (several rooms may run at once)
	Next *Item  // the first item still to start
}

// At finds what is on at t and what comes next.
func (d Day) At(t time.Time) Now {
	var n Now
	for i := range d.Items {
		it := d.Items[i]
		if !t.Before(it.Start) && t.Before(it.End) {
			n.On = append(n.On, it)
		} else if it.Start.After(t) && n.Next == nil {
			n.Next = &d.Items[i]
		}
	}
	return n
}

// Item returns the item with id.
func (d Day) Item(id string) (Item, bool) {
	for _, it := range d.Items {
		if it.ID == id {
			return it, true
		}
	}
	return Item{}, false
}

// Describe names an item for messages.
func Describe(it venue.ScheduleItem) string {
	return fmt.Sprintf("%s %s–%s %q", it.Kind, it.Start, it.End, it.Title)
}
