package schedule

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/decision"
	"github.com/quirehq/quire/internal/venue"
)

func demoRecord(t *testing.T) venue.Record {
	t.Helper()
	set, probs, err := venue.Parse(venue.DemoYAML())
	if err != nil || len(probs) > 0 {
		t.Fatalf("demo: %v %v", err, probs)
	}
	return venue.Record{Slug: set.Slug, Name: set.Name, Settings: set}
}

// TestResolveFillsSlotsAndBoards: spotlight slots without a paper take the
// spotlight papers in talk order, after those named by an item; poster
// sessions list their programme session's papers on boards numbered from 1.
func TestResolveFillsSlotsAndBoards(t *testing.T) {
	t.Parallel()
	rec := demoRecord(t)
	rec.Settings.Schedule.Items[7].Paper = 9 // spotlight-3 names #9
	papers := []decision.Paper{
		{Number: 4, Title: "Four", Authors: []string{"A"}, Spotlight: 2, PosterSession: 1},
		{Number: 9, Title: "Nine", Authors: []string{"B"}, Spotlight: 1, PosterSession: 2},
		{Number: 2, Title: "Two", Authors: []string{"C"}, Spotlight: 3, PosterSession: 1},
		{Number: 7, Title: "Seven", Authors: []string{"D"}, PosterSession: 2},
		{Number: 5, Title: "Five", Authors: []string{"E"}, PosterSession: 1},
	}
	d := Resolve(rec, papers, time.Date(2023, 12, 1, 0, 0, 0, 0, time.UTC))
	if len(d.Items) != 17 {
		t.Fatalf("%d items", len(d.Items))
	}
	got := map[string]int{}
	for _, it := range d.Items {
		if it.Paper != nil {
			got[it.ID] = it.Paper.Number
		}
	}
	// #9 is named by spotlight-3; the free slots take #4 then #2 (talk order 2, 3).
	want := map[string]int{"spotlight-1": 4, "spotlight-2": 2, "spotlight-3": 9}
	if len(got) != len(want) {
		t.Fatalf("filled slots %v, want %v", got, want)
	}
	for id, n := range want {
		if got[id] != n {
			t.Errorf("%s holds #%d, want #%d", id, got[id], n)
		}
	}
	p1, _ := d.Item("posters-1")
	p2, _ := d.Item("posters-2")
	if p1.Session != 1 || p2.Session != 2 || len(p1.Posters) != 3 || len(p2.Posters) != 2 {
		t.Fatalf("sessions: %+v %+v", p1, p2)
	}
	for i, n := range []int{2, 4, 5} {
		if p1.Posters[i].Number != n || p1.Posters[i].Board != i+1 {
			t.Errorf("session 1 board %d: %+v", i+1, p1.Posters[i])
		}
	}
	// One zone stored, every time derived: 08:15 CST is 14:15 UTC.
	if o := d.Items[0]; o.StartLocal != "08:15" || !o.Start.Equal(time.Date(2023, 12, 16, 14, 15, 0, 0, time.UTC)) {
		t.Errorf("opening: %s %v", o.StartLocal, o.Start)
	}
	// Now and next, at 09:00 CST and between the days.
	at := d.At(time.Date(2023, 12, 16, 15, 0, 0, 0, time.UTC))
	if len(at.On) != 1 || at.On[0].ID != "keynote-kim" || at.Next == nil || at.Next.ID != "spotlight-1" {
		t.Errorf("at 09:00 CST: %+v", at)
	}
	if at := d.At(time.Date(2023, 12, 17, 0, 0, 0, 0, time.UTC)); len(at.On) != 0 || at.Next != nil {
		t.Errorf("after the day: %+v", at)
	}
	// The calendar: one event per item, escaped, folded, stable UIDs.
	var buf bytes.Buffer
	if err := WriteICS(&buf, d, ""); err != nil {
		t.Fatal(err)
	}
	cal := buf.String()
	if n := strings.Count(cal, "BEGIN:VEVENT"); n != 17 {
		t.Errorf("%d events", n)
	}
	for _, line := range strings.Split(cal, "\r\n") {
		if len(line) > 75 {
			t.Errorf("a line longer than 75 octets: %q", line)
		}
	}
	unfolded := strings.ReplaceAll(cal, "\r\n ", "")
	for _, want := range []string{"UID:keynote-kim@dlde-2023.quire", "DTSTART:20231216T144500Z", "protein\\, peptide", "Board 1: #2 Two (C)"} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("the calendar lacks %q", want)
		}
	}
}

func TestPlaceProgramme(t *testing.T) {
	t.Parallel()
	items := []venue.ScheduleItem{
		{ID: "a", Kind: venue.ItemSpotlight, Start: "09:00", End: "09:15", Title: "Slot"},
		{ID: "b", Kind: venue.ItemTalk, Start: "09:15", End: "09:30", Title: "Talk", Paper: 8},
	}
	papers := []decision.Paper{{Number: 1, Spotlight: 1}, {Number: 3, Spotlight: 2}}
	fields := placeProgramme(items, papers, papers)
	if len(fields) != 2 || fields[0].Field != "items[1].paper" || !strings.Contains(fields[1].Message, "2 spotlight papers (#1, #3) but 1 spotlight slots free") {
		t.Fatalf("problems: %+v", fields)
	}
	// A spotlight paper the editing chair may not see still needs a slot,
	// without being named to them.
	if fields := placeProgramme(items[:1], papers, papers[:1]); len(fields) != 1 || !strings.Contains(fields[0].Message, "(#1 and 1 you may not see)") {
		t.Fatalf("a hidden spotlight paper: %+v", fields)
	}
	items[1].Paper = 3
	if fields := placeProgramme(items, papers, papers); len(fields) != 0 {
		t.Fatalf("#3 given a talk, #1 the slot: %+v", fields)
	}
}
