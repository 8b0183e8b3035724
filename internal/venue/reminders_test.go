package venue

import (
	"strings"
	"testing"
	"time"
)

func TestParseDays(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]time.Duration{"7d": 7 * 24 * time.Hour, "36h": 36 * time.Hour, "1d12h": 36 * time.Hour, " 2d ": 48 * time.Hour} {
		if got, err := parseDays(in); err != nil || got != want {
			t.Errorf("parseDays(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0d", "7", "d", "-1d", "1w", "91d", "1.5d", "1d2"} {
		if _, err := parseDays(bad); err == nil {
			t.Errorf("parseDays(%q) accepted", bad)
		}
	}
}

// TestReminderSteps: the demo's schedule in time order, each step at its
// offset from the end of its deadline's last second.
func TestReminderSteps(t *testing.T) {
	t.Parallel()
	s := demo(t)
	steps := s.ReminderSteps()
	var got []string
	for i, st := range steps {
		got = append(got, st.Kind+st.Key)
		if i > 0 && steps[i].At.Before(steps[i-1].At) {
			t.Errorf("steps out of order: %v", got)
		}
		if want := s.ReminderDeadline(st.Kind).End().Add(st.Offset); !st.At.Equal(want) {
			t.Errorf("%s%s at %v, want %v", st.Kind, st.Key, st.At, want)
		}
	}
	if strings.Join(got, " ") != "bidding-2d review-7d review-1d review+1d camera_ready-7d camera_ready-1d" {
		t.Fatalf("steps %v", got)
	}
	// A deadline the venue does not have gives no steps.
	s.Deadlines.Bidding = Deadline{}
	if steps := s.ReminderSteps(); steps[0].Kind != RemindReview {
		t.Fatalf("steps without a bidding deadline start with %s", steps[0].Kind)
	}
}

func TestReminderValidation(t *testing.T) {
	t.Parallel()
	s := demo(t)
	s.Reminders = []Reminder{{Deadline: "reviews", Before: []string{"7d"}}, {Deadline: RemindReview}, {Deadline: RemindReview, Before: []string{"soon"}, After: []string{"1w"}}}
	var msgs []string
	for _, p := range s.Validate() {
		msgs = append(msgs, p.Path+": "+p.Message)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{`reminders[0].deadline: "reviews" is not one of`, "reminders[1]: says neither before nor after",
		"reminders[2].deadline: review has a schedule already", `reminders[2].before[0]: "soon" is not`, `reminders[2].after[0]: "1w" is not`} {
		if !strings.Contains(all, want) {
			t.Errorf("problems lack %q:\n%s", want, all)
		}
	}
}
