package httpapi_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"github.com/quirehq/quire/internal/app/apptest"
)

type scheduleJSON struct {
	Published bool
	TimeZone  string `json:"time_zone"`
	Items     []struct {
		ID         string
		Kind       string
		Title      string
		Start, End time.Time
		StartLocal string `json:"start_local"`
		Speaker    *struct{ Name string }
		Paper      *struct {
			Number int
			Title  string
		}
		Posters []struct{ Board, Number int }
	}
}

// parseICS decodes a calendar with a real iCalendar parser and returns its
// events' UIDs, starts and ends.
func parseICS(t *testing.T, r *apptest.Response) map[string][2]time.Time {
	t.Helper()
	if r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("calendar: %s %s %s", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	cal, err := ical.NewDecoder(bytes.NewReader(r.Body)).Decode()
	if err != nil {
		t.Fatalf("the calendar does not parse: %v\n%s", err, r.Body)
	}
	out := map[string][2]time.Time{}
	for _, ev := range cal.Events() {
		uid, err := ev.Props.Text(ical.PropUID)
		if err != nil {
			t.Fatal(err)
		}
		start, err1 := ev.DateTimeStart(time.UTC)
		end, err2 := ev.DateTimeEnd(time.UTC)
		if err1 != nil || err2 != nil {
			t.Fatalf("event %s: %v %v", uid, err1, err2)
		}
		if _, dup := out[uid]; dup {
			t.Fatalf("two events with UID %s", uid)
		}
		out[uid] = [2]time.Time{start, end}
	}
	return out
}

// TestScheduleBuildRejectPublishExport: a chair builds the day; overlaps and
// an item that leaves the day are refused with the item named; the schedule
// is the chairs' until published; then anyone reads it as JSON and as a
// calendar whose events are the items at the same instants, and whose UIDs
// survive a change of time.
func TestScheduleBuildRejectPublishExport(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	items := []map[string]any{
		{"id": "opening", "start": "08:15", "end": "08:45", "kind": "opening", "title": "Opening remarks"},
		{"id": "keynote-kim", "start": "08:45", "end": "09:30", "kind": "keynote", "title": "Protein design", "speaker": "kim"},
		{"start": "10:15", "end": "11:00", "kind": "posters", "title": "Posters A", "room": "Hall B"},
		{"start": "10:15", "end": "11:00", "kind": "posters", "title": "Posters B", "room": "Hall C"},
		{"id": "closing", "start": "16:30", "end": "16:45", "kind": "closing", "title": "Closing remarks"},
	}
	put := func(items []map[string]any) *apptest.Response {
		return w.s.As(t, w.chair, "PUT", "/api/v1/venues/dlde-2023/schedule", map[string]any{"items": items})
	}
	// Take the demo file's published schedule back first: this venue's day
	// starts as a draft.
	if r := w.s.As(t, w.chair, "PUT", "/api/v1/venues/dlde-2023/schedule/publication", map[string]bool{"published": false}); r.StatusCode != 200 {
		t.Fatalf("unpublish: %s", r.Body)
	}

	// An overlap in one room, and an item past midnight.
	bad := append([]map[string]any{}, items...)
	bad = append(bad, map[string]any{"id": "talk", "start": "09:00", "end": "09:20", "kind": "talk", "title": "Squeezed in"},
		map[string]any{"id": "party", "start": "23:30", "end": "00:30", "kind": "other", "title": "Party"})
	p := expectProblem(t, put(bad), 400, "invalid_schedule")
	fields := map[string]string{}
	for _, e := range p["errors"].([]any) {
		m := e.(map[string]any)
		fields[m["field"].(string)] = m["message"].(string)
	}
	if msg := fields["items[5].start"]; !strings.Contains(msg, `"Squeezed in"`) || !strings.Contains(msg, `"Protein design"`) {
		t.Errorf("the overlap is not named: %v", fields)
	}
	if msg := fields["items[6].end"]; !strings.Contains(msg, "00:30") {
		t.Errorf("the item leaving the day is not named: %v", fields)
	}
	if _, ok := fields["items[2].start"]; ok {
		t.Errorf("posters in two rooms at once were taken for an overlap: %v", fields)
	}
	expectProblem(t, put([]map[string]any{{"start": "9:00", "end": "10:00", "kind": "talk", "title": "x"}}), 400, "invalid_schedule")
	expectProblem(t, put([]map[string]any{{"start": "09:00", "end": "10:00", "kind": "talk", "title": "x", "speaker": "nobody"}}), 400, "invalid_schedule")
	expectProblem(t, put([]map[string]any{{"start": "09:00", "end": "10:00", "kind": "lecture", "title": "x"}}), 400, "invalid_request")
	// Only chairs edit.
	expectProblem(t, w.s.As(t, w.author, "PUT", "/api/v1/venues/dlde-2023/schedule", map[string]any{"items": items}), 403, "not_chair")

	r := put(items)
	if r.StatusCode != 200 {
		t.Fatalf("put: %s", r.Body)
	}
	var day scheduleJSON
	r.JSON(t, &day)
	if day.Published || len(day.Items) != 5 || day.Items[2].ID != "posters-1" || day.Items[3].ID != "posters-2" {
		t.Fatalf("saved: %+v", day)
	}
	// A draft is the chairs' alone.
	expectProblem(t, w.s.Do(t, "GET", "/api/v1/venues/dlde-2023/schedule", nil), 404, "schedule_not_published")
	expectProblem(t, w.s.As(t, w.author, "GET", "/api/v1/venues/dlde-2023/schedule?format=ics", nil), 404, "schedule_not_published")

	if r := w.s.As(t, w.chair, "PUT", "/api/v1/venues/dlde-2023/schedule/publication", map[string]bool{"published": true}); r.StatusCode != 200 {
		t.Fatalf("publish: %s", r.Body)
	}
	w.s.Do(t, "GET", "/api/v1/venues/dlde-2023/schedule", nil).JSON(t, &day)
	if !day.Published || day.TimeZone != "America/Chicago" {
		t.Fatalf("public: %+v", day)
	}
	// 08:15 in Chicago on 16 December 2023 (CST, UTC-6) is 14:15 UTC.
	if want := time.Date(2023, 12, 16, 14, 15, 0, 0, time.UTC); !day.Items[0].Start.Equal(want) || day.Items[0].StartLocal != "08:15" {
		t.Errorf("opening at %v (%s), want %v", day.Items[0].Start, day.Items[0].StartLocal, want)
	}
	if day.Items[1].Speaker == nil || day.Items[1].Speaker.Name != "Philip M. Kim" {
		t.Errorf("keynote speaker: %+v", day.Items[1].Speaker)
	}
	events := parseICS(t, w.s.Do(t, "GET", "/api/v1/venues/dlde-2023/schedule?format=ics", nil))
	if len(events) != len(day.Items) {
		t.Fatalf("%d events for %d items", len(events), len(day.Items))
	}
	for _, it := range day.Items {
		ev, ok := events[it.ID+"@dlde-2023.quire"]
		if !ok || !ev[0].Equal(it.Start) || !ev[1].Equal(it.End) {
			t.Errorf("item %s (%v–%v) is event %v", it.ID, it.Start, it.End, ev)
		}
	}
	// One poster session's own calendar.
	if one := parseICS(t, w.s.Do(t, "GET", "/api/v1/venues/dlde-2023/schedule?format=ics&item=posters-2", nil)); len(one) != 1 {
		t.Errorf("a session's calendar has %d events", len(one))
	}
	expectProblem(t, w.s.Do(t, "GET", "/api/v1/venues/dlde-2023/schedule?format=ics&item=nothing", nil), 404, "no_such_item")

	// Moving the opening keeps its UID: a re-import updates the event.
	items[0]["start"], items[0]["end"] = "08:00", "08:30"
	items[2]["id"], items[3]["id"] = "posters-1", "posters-2"
	if r := put(items); r.StatusCode != 200 {
		t.Fatalf("move: %s", r.Body)
	}
	moved := parseICS(t, w.s.Do(t, "GET", "/api/v1/venues/dlde-2023/schedule?format=ics", nil))
	if ev := moved["opening@dlde-2023.quire"]; len(moved) != 5 || !ev[0].Equal(time.Date(2023, 12, 16, 14, 0, 0, 0, time.UTC)) {
		t.Errorf("after the move: %v", moved)
	}
}
