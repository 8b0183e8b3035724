package schedule

import (
	"reflect"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/decision"
	"github.com/quirehq/quire/internal/venue"
)

// TestDiffNamesWhatThePublicSees: changes are matched by item id and told
// apart (added, removed, moved, retitled, changed), a paper filling a
// spotlight slot counts as a new title, and untouched items are counted.
func TestDiffNamesWhatThePublicSees(t *testing.T) {
	t.Parallel()
	stamp := time.Date(2023, 12, 1, 0, 0, 0, 0, time.UTC)
	old := demoRecord(t)
	set := *old.Settings
	items := append([]venue.ScheduleItem(nil), set.Schedule.Items...)
	items[0].Start, items[0].End = "08:00", "08:15"              // opening: moved
	items[2].Paper = 7                                           // spotlight-1: #7 in its slot
	items[6].Room, items[6].Speaker = "Hall B", ""               // keynote-rubanova: changed
	items[9].Title = "Physics-inspired learning on graphs, live" // keynote-bronstein: retitled
	items = append(items[:4], items[5:]...)                      // break-morning: removed
	items = append(items, venue.ScheduleItem{ID: "drinks", Start: "16:45", End: "18:00", Kind: venue.ItemOther, Title: "Drinks"})
	set.Schedule.Items = items
	after := old
	after.Settings = &set
	papers := []decision.Paper{{Number: 7, Title: "Seven", Authors: []string{"A"}}}

	changes, same := Diff(Resolve(old, papers, stamp), Resolve(after, papers, stamp))
	var got []string
	for _, c := range changes {
		id := ""
		if c.New != nil {
			id = c.New.ID
		} else {
			id = c.Old.ID
		}
		s := id + ":"
		for _, k := range c.Kinds {
			s += " " + string(k)
		}
		for _, d := range c.Details {
			s += " [" + d + "]"
		}
		got = append(got, s)
	}
	want := []string{
		"opening: moved",
		"spotlight-1: retitled",
		"break-morning: removed",
		"keynote-rubanova: changed [speaker: Yulia Rubanova → none] [room: none → Hall B]",
		"keynote-bronstein: retitled",
		"drinks: added",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("changes:\n got %q\nwant %q", got, want)
	}
	if same != 12 {
		t.Errorf("%d items unchanged; want 12", same)
	}
	if c, n := Diff(Resolve(old, nil, stamp), Resolve(old, nil, stamp)); len(c) != 0 || n != 17 {
		t.Errorf("a day against itself: %d changes, %d the same", len(c), n)
	}
}

// TestFingerprintFollowsTheItems: equal items, equal fingerprints; any
// change, another.
func TestFingerprintFollowsTheItems(t *testing.T) {
	t.Parallel()
	items := demoRecord(t).Settings.Schedule.Items
	a := Fingerprint(items)
	b := Fingerprint(append([]venue.ScheduleItem(nil), items...))
	moved := append([]venue.ScheduleItem(nil), items...)
	moved[3].Start = "09:50"
	if a != b || a == Fingerprint(moved) || len(a) != 24 {
		t.Errorf("fingerprints %q %q %q", a, b, Fingerprint(moved))
	}
}
