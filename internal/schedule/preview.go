package schedule

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

// Preview is what saving items would do, worked out without saving: a
// published schedule is read by attendees and calendars, so a chair sees
// the difference on the public page before it happens.
type Preview struct {
	// Items are the items as Put would store them, new ones with their ids.
	Items     []venue.ScheduleItem
	Published bool
	// Same: the items are the stored ones, in time order; saving would
	// change nothing.
	Same bool
	// Base names the stored items the preview was made against; a
	// confirmation carries it, so that a schedule changed meanwhile is
	// previewed again rather than overwritten blind.
	Base string
	// Changes are the items the public page shows differently, in time
	// order; Unchanged counts the rest.
	Changes   []Change
	Unchanged int
}

// ChangeKind is one way an item differs on the public page.
type ChangeKind string

const (
	Added    ChangeKind = "added"
	Removed  ChangeKind = "removed"
	Moved    ChangeKind = "moved"    // its times
	Retitled ChangeKind = "retitled" // its title, or the paper in its slot
	Altered  ChangeKind = "changed"  // its kind, speaker, room or stream
)

// Change is one item as the public sees it now (Old, nil when added) and
// after saving (New, nil when removed).
type Change struct {
	Kinds    []ChangeKind
	Old, New *Item
	// Details name the fields that changed other than times and title.
	Details []string
}

// Preview checks items as Put does and compares the public day they make
// with today's, without writing anything (chairs).
func (s *Service) Preview(ctx context.Context, slug string, p account.Principal, items []venue.ScheduleItem) (Preview, error) {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return Preview{}, err
	}
	if err := s.Venues.Require(ctx, s.DB, rec.ID, p.UserID, venue.RoleChair); err != nil {
		return Preview{}, err
	}
	all, err := s.Decisions.Placed(ctx, rec)
	if err != nil {
		return Preview{}, err
	}
	visible, err := s.Decisions.Programme(ctx, rec, p.UserID)
	if err != nil {
		return Preview{}, err
	}
	// What the public sees: papers only once decisions are released.
	public, _, err := s.Decisions.Accepted(ctx, slug)
	if err != nil {
		return Preview{}, err
	}
	items = append([]venue.ScheduleItem(nil), items...)
	for i := range items {
		items[i].ID = strings.TrimSpace(items[i].ID)
		if items[i].ID == "" {
			items[i].ID = newID(items, i)
		}
	}
	set := *rec.Settings
	set.Schedule.Items = items
	if probs := set.Validate(); len(probs) > 0 {
		return Preview{}, scheduleProblem(probs)
	}
	if fields := placeProgramme(items, all, visible); len(fields) > 0 {
		return Preview{}, problem.Invalid(fields[0].Message, fields...)
	}
	after := rec
	after.Settings = &set
	pv := Preview{Items: items, Published: rec.Settings.Schedule.Published, Base: Fingerprint(rec.Settings.Schedule.Items),
		Same: sameItems(rec.Settings.Timeline(), items)}
	now := s.Clock.Now()
	pv.Changes, pv.Unchanged = Diff(Resolve(rec, public, now), Resolve(after, public, now))
	return pv, nil
}

// Fingerprint names a list of items: equal lists, equal names.
func Fingerprint(items []venue.ScheduleItem) string {
	b, _ := json.Marshal(items) // plain strings and ints: cannot fail
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}

// sameItems reports whether items are the stored ones as the editor lists
// them, in time order.
func sameItems(stored []venue.Timed, items []venue.ScheduleItem) bool {
	if len(stored) != len(items) {
		return false
	}
	for i, t := range stored {
		if t.ScheduleItem != items[i] {
			return false
		}
	}
	return true
}

// Diff compares two days item by item (by id, the calendar's UID): what
// was added, removed, moved, retitled or otherwise changed, in time order,
// and how many items stay as they are.
func Diff(before, after Day) ([]Change, int) {
	old := map[string]*Item{}
	for i := range before.Items {
		old[before.Items[i].ID] = &before.Items[i]
	}
	var out []Change
	same := 0
	seen := map[string]bool{}
	for i := range after.Items {
		n := &after.Items[i]
		seen[n.ID] = true
		o, ok := old[n.ID]
		if !ok {
			out = append(out, Change{Kinds: []ChangeKind{Added}, New: n})
			continue
		}
		c := compare(o, n)
		if len(c.Kinds) == 0 {
			same++
			continue
		}
		out = append(out, c)
	}
	for i := range before.Items {
		if o := &before.Items[i]; !seen[o.ID] {
			out = append(out, Change{Kinds: []ChangeKind{Removed}, Old: o})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].at().Before(out[j].at()) })
	return out, same
}

func (c Change) at() time.Time {
	if c.New != nil {
		return c.New.Start
	}
	return c.Old.Start
}

// compare lists how o became n.
func compare(o, n *Item) Change {
	c := Change{Old: o, New: n}
	if o.StartLocal != n.StartLocal || o.EndLocal != n.EndLocal {
		c.Kinds = append(c.Kinds, Moved)
	}
	if o.Title != n.Title || paperNumber(o.Paper) != paperNumber(n.Paper) {
		c.Kinds = append(c.Kinds, Retitled)
	}
	if o.Kind != n.Kind {
		c.Details = append(c.Details, fmt.Sprintf("kind: %s → %s", o.Kind, n.Kind))
	}
	if a, b := speakerName(o.Speaker), speakerName(n.Speaker); a != b {
		c.Details = append(c.Details, fmt.Sprintf("speaker: %s → %s", a, b))
	}
	if o.Room != n.Room {
		c.Details = append(c.Details, fmt.Sprintf("room: %s → %s", orNone(o.Room), orNone(n.Room)))
	}
	if o.Stream != n.Stream {
		c.Details = append(c.Details, fmt.Sprintf("stream link: %s → %s", orNone(o.Stream), orNone(n.Stream)))
	}
	if len(c.Details) > 0 {
		c.Kinds = append(c.Kinds, Altered)
	}
	return c
}

func paperNumber(p *Paper) int {
	if p == nil {
		return 0
	}
	return p.Number
}

func speakerName(sp *Speaker) string {
	if sp == nil {
		return "none"
	}
	return sp.Name
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
