package venue

import (
	"reflect"
	"testing"
	"time"
)

// FuzzParse checks that no file makes Parse panic, and that whatever it
// accepts survives an export and re-import unchanged.
func FuzzParse(f *testing.F) {
	f.Add(DemoYAML())
	f.Add([]byte("slug: a\ndeadlines: {submission: 2023-10-08 AoE}\n"))
	f.Add([]byte("tracks: [{key: a, reviews_per_paper: x}]\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, probs, err := Parse(data)
		if (err == nil) != (len(probs) == 0) || (err == nil) != (s != nil) {
			t.Fatalf("inconsistent result: s=%v probs=%v err=%v", s != nil, probs, err)
		}
		if s == nil {
			return
		}
		out, err := Export(s)
		if err != nil {
			t.Fatal(err)
		}
		back, _, err := Parse(out)
		if err != nil || !reflect.DeepEqual(s, back) {
			t.Fatalf("accepted file does not round-trip: %v\n%s", err, out)
		}
	})
}

// FuzzParseInstant checks that accepted deadlines are whole seconds in UTC
// and survive the export form.
func FuzzParseInstant(f *testing.F) {
	for _, s := range []string{"2023-10-08 AoE", "2023-10-08 17:00 AoE", "2023-10-09T11:59:59Z",
		"2023-10-08 23:59 America/Los_Angeles", "2023-03-12 02:30 America/New_York"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		at, err := ParseInstant(s)
		if err != nil {
			return
		}
		if at.Nanosecond() != 0 || at.Location() != time.UTC {
			t.Fatalf("ParseInstant(%q) = %v", s, at)
		}
		back, err := ParseInstant(FormatInstant(at))
		if err != nil || !back.Equal(at) {
			t.Fatalf("%q -> %v -> %q -> %v, %v", s, at, FormatInstant(at), back, err)
		}
	})
}

func BenchmarkParseDemo(b *testing.B) {
	data := DemoYAML()
	for b.Loop() {
		if _, _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGate(b *testing.B) {
	s, err := DemoVenue()
	if err != nil {
		b.Fatal(err)
	}
	ov := []Override{{Phase: PhaseReviewing, Kind: OverrideOpen, At: utc(2023, 10, 10, 0, 0, 0), By: "c", Reason: "r"}}
	at := utc(2023, 10, 9, 12, 10, 0)
	for b.Loop() {
		if _, err := s.Gate(ActionSubmit, at, nil, ov); err != nil {
			b.Fatal(err)
		}
	}
}
