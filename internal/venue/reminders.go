package venue

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Reminder kinds: which deadline a reminder is about, and so who gets it.
const (
	// RemindReview goes to reviewers with an assigned review not submitted.
	RemindReview = "review"
	// RemindBidding goes to reviewers who have not bid on any paper.
	RemindBidding = "bidding"
	// RemindResponse goes to the authors of a paper with reviews and no
	// submitted response.
	RemindResponse = "author_response"
	// RemindCameraReady goes to the authors of an accepted paper whose
	// camera-ready version is not in.
	RemindCameraReady = "camera_ready"
)

// ReminderKinds lists the kinds in the order of a venue's timeline.
var ReminderKinds = []string{RemindBidding, RemindReview, RemindResponse, RemindCameraReady}

// Reminder is a venue file's schedule for one deadline: how long before
// it, and after it, the people who still owe something are reminded. For
// example before: [7d, 1d] and after: [1d].
type Reminder struct {
	Deadline string   `yaml:"deadline"`
	Before   []string `yaml:"before,omitempty"`
	After    []string `yaml:"after,omitempty"`
}

// ReminderStep is one reminder of a schedule, at its instant.
type ReminderStep struct {
	Kind string
	// Key names the step for "sent once": "-7d" is seven days before,
	// "+1d" a day after.
	Key string
	At  time.Time
	// Offset is signed: negative before the deadline.
	Offset time.Duration
}

// parseDays reads "7d", "36h" or "1d12h": whole days and hours.
func parseDays(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var d time.Duration
	rest := s
	if i := strings.IndexByte(rest, 'd'); i >= 0 {
		n, err := strconv.Atoi(rest[:i])
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%q is not a number of days and hours like 7d, 36h or 1d12h", s)
		}
		d, rest = time.Duration(n)*24*time.Hour, rest[i+1:]
	}
	if rest != "" {
		if !strings.HasSuffix(rest, "h") {
			return 0, fmt.Errorf("%q is not a number of days and hours like 7d, 36h or 1d12h", s)
		}
		n, err := strconv.Atoi(strings.TrimSuffix(rest, "h"))
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%q is not a number of days and hours like 7d, 36h or 1d12h", s)
		}
		d += time.Duration(n) * time.Hour
	}
	if d <= 0 || d > 90*24*time.Hour {
		return 0, fmt.Errorf("%q must be more than nothing and at most 90 days", s)
	}
	return d, nil
}

// ReminderDeadline is the deadline a reminder kind is about.
func (s *Settings) ReminderDeadline(kind string) Deadline {
	switch kind {
	case RemindReview:
		return s.Deadlines.Review
	case RemindBidding:
		return s.Deadlines.Bidding
	case RemindResponse:
		return s.Deadlines.AuthorResponse
	case RemindCameraReady:
		return s.Deadlines.CameraReady
	}
	return Deadline{}
}

// ReminderSteps is the venue's whole reminder schedule in time order;
// steps of a deadline the venue does not have are left out.
func (s *Settings) ReminderSteps() []ReminderStep {
	var out []ReminderStep
	for _, r := range s.Reminders {
		d := s.ReminderDeadline(r.Deadline)
		if !d.IsSet() {
			continue
		}
		for _, b := range r.Before {
			if off, err := parseDays(b); err == nil {
				out = append(out, ReminderStep{Kind: r.Deadline, Key: "-" + strings.TrimSpace(b), At: d.End().Add(-off), Offset: -off})
			}
		}
		for _, a := range r.After {
			if off, err := parseDays(a); err == nil {
				out = append(out, ReminderStep{Kind: r.Deadline, Key: "+" + strings.TrimSpace(a), At: d.End().Add(off), Offset: off})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

func (s *Settings) validateReminders(ps *problems) {
	seen := map[string]bool{}
	for i, r := range s.Reminders {
		path := "reminders[" + strconv.Itoa(i) + "]"
		switch r.Deadline {
		case RemindReview, RemindBidding, RemindResponse, RemindCameraReady:
		default:
			ps.addf(path+".deadline", "%q is not one of %s", r.Deadline, strings.Join(ReminderKinds, ", "))
			continue
		}
		if seen[r.Deadline] {
			ps.addf(path+".deadline", "%s has a schedule already: give each deadline one entry", r.Deadline)
		}
		seen[r.Deadline] = true
		if len(r.Before)+len(r.After) == 0 {
			ps.addf(path, "says neither before nor after: give at least one, like before: [7d, 1d]")
		}
		for j, b := range r.Before {
			if _, err := parseDays(b); err != nil {
				ps.addf(path+".before["+strconv.Itoa(j)+"]", "%s", err.Error())
			}
		}
		for j, a := range r.After {
			if _, err := parseDays(a); err != nil {
				ps.addf(path+".after["+strconv.Itoa(j)+"]", "%s", err.Error())
			}
		}
	}
}
