package venue

import (
	"strings"
	"testing"
	"time"
)

func TestAtTheVenue(t *testing.T) {
	t.Parallel()
	s := &Settings{EventDate: "2023-12-16", TimeZone: "America/Chicago"}
	cases := []struct {
		clock string
		want  time.Time
		err   string
	}{
		{"08:15", time.Date(2023, 12, 16, 14, 15, 0, 0, time.UTC), ""},
		{"00:00", time.Date(2023, 12, 16, 6, 0, 0, 0, time.UTC), ""},
		{"24:00", time.Date(2023, 12, 17, 6, 0, 0, 0, time.UTC), ""},
		{"8:15", time.Time{}, "not a time such as 08:15"},
		{"24:01", time.Time{}, "not a time"},
		{"08:15 CST", time.Time{}, "not a time"},
	}
	for _, c := range cases {
		got, err := s.At(c.clock)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: %v, want an error saying %q", c.clock, err, c.err)
			}
			continue
		}
		if err != nil || !got.Equal(c.want) {
			t.Errorf("%s: %v %v, want %v", c.clock, got, err, c.want)
		}
	}
	// A day with a clock change: 02:30 never happens on 10 March 2024 in
	// Chicago, and 01:30 happens twice on 3 November 2024.
	spring := &Settings{EventDate: "2024-03-10", TimeZone: "America/Chicago"}
	if _, err := spring.At("02:30"); err == nil || !strings.Contains(err.Error(), "clock change") {
		t.Errorf("a skipped time: %v", err)
	}
	fall := &Settings{EventDate: "2024-11-03", TimeZone: "America/Chicago"}
	if _, err := fall.At("01:30"); err == nil || !strings.Contains(err.Error(), "clock change") {
		t.Errorf("a repeated time: %v", err)
	}
	if got, err := fall.At("03:00"); err != nil || !got.Equal(time.Date(2024, 11, 3, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("after the change: %v %v", got, err)
	}
}

func TestScheduleRules(t *testing.T) {
	t.Parallel()
	base := func() *Settings {
		s, probs, err := Parse(DemoYAML())
		if err != nil || len(probs) > 0 {
			t.Fatalf("demo: %v %v", err, probs)
		}
		return s
	}
	// The demo's day is valid, runs from 08:15 to 16:45 CST, and has 17 items.
	s := base()
	tl := s.Timeline()
	if len(tl) != 17 || tl[0].Begin.UTC().Format("15:04") != "14:15" || tl[16].Fin.UTC().Format("15:04") != "22:45" {
		t.Fatalf("demo timeline: %d items, %v to %v", len(tl), tl[0].Begin, tl[len(tl)-1].Fin)
	}
	cases := []struct {
		name   string
		change func(s *Settings)
		path   string
		msg    string
	}{
		{"overlap in the main room", func(s *Settings) { s.Schedule.Items[1].End = "09:40" }, "schedule.items[2].start", `overlaps "Machine learning methods`},
		{"overlap in a named room", func(s *Settings) {
			s.Schedule.Items[5].Room, s.Schedule.Items[6].Room = "Hall B", "hall b"
			s.Schedule.Items[6].Start = "10:45"
		}, "schedule.items[6].start", "in room hall b"},
		{"ends before it starts", func(s *Settings) { s.Schedule.Items[16].End = "16:00" }, "schedule.items[16].end", "not after the start"},
		{"not a time", func(s *Settings) { s.Schedule.Items[0].Start = "quarter past eight" }, "schedule.items[0].start", "not a time"},
		{"unknown kind", func(s *Settings) { s.Schedule.Items[0].Kind = "party" }, "schedule.items[0].kind", "must be one of"},
		{"unknown speaker", func(s *Settings) { s.Schedule.Items[1].Speaker = "turing" }, "schedule.items[1].speaker", "not the key of an invited speaker"},
		{"duplicate id", func(s *Settings) { s.Schedule.Items[1].ID = "opening" }, "schedule.items[1].id", "id of item 0"},
		{"missing id", func(s *Settings) { s.Schedule.Items[1].ID = "" }, "schedule.items[1].id", "required"},
		{"paper on a break", func(s *Settings) { s.Schedule.Items[4].Paper = 3 }, "schedule.items[4].paper", "only a talk or a spotlight"},
		{"paper twice", func(s *Settings) { s.Schedule.Items[2].Paper, s.Schedule.Items[3].Paper = 3, 3 }, "schedule.items[3].paper", "#3 is presented by item 2"},
		{"no event date", func(s *Settings) { s.EventDate = "" }, "event_date", "required for a schedule"},
		{"publishing nothing", func(s *Settings) { s.Schedule.Items = nil }, "schedule.published", "empty schedule"},
		{"bad stream", func(s *Settings) { s.Schedule.Items[0].Stream = "javascript:alert(1)" }, "schedule.items[0].stream", "not an http(s) address"},
		{"bad speaker page", func(s *Settings) { s.Site.Speakers[0].URL = "ftp://x" }, "site.speakers[0].url", "not an http(s) address"},
		{"bad contact", func(s *Settings) { s.Site.Contact = "the organisers" }, "site.contact", "not an email address"},
		{"bad virtual audience", func(s *Settings) { s.Site.Virtual.VisibleTo = "friends" }, "site.virtual.visible_to", "everyone or registered"},
	}
	for _, c := range cases {
		s := base()
		s.Schedule.Items = append([]ScheduleItem(nil), s.Schedule.Items...)
		s.Site.Speakers = append([]Speaker(nil), s.Site.Speakers...)
		c.change(s)
		found := false
		for _, p := range s.Validate() {
			if p.Path == c.path && strings.Contains(p.Message, c.msg) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no problem at %s saying %q in %v", c.name, c.path, c.msg, s.Validate())
		}
	}
}

func TestFormatRule(t *testing.T) {
	t.Parallel()
	sub, _ := ParseInstant("2023-10-08 AoE")
	if got := FormatRule(sub); got != "8 October 2023, Anywhere on Earth" {
		t.Errorf("end of an AoE day: %q", got)
	}
	open, _ := ParseInstant("2023-09-01 00:00 AoE")
	if got := FormatRule(open); got != "1 September 2023, 00:00:00 Anywhere on Earth" {
		t.Errorf("a wall-clock time: %q", got)
	}
}
