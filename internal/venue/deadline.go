package venue

import (
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Deadline is one published instant plus its hidden grace window.
//
// Precision rule: At is a whole second and that whole second is inside the
// deadline. For "2023-10-08 AoE", At is 2023-10-09T11:59:59Z, so
// 11:59:59.999999999Z is on time and 12:00:00Z is not. End() is the first
// instant outside.
//
// Grace is never shown to authors or reviewers: work received in
// [End, End+Grace) is accepted and marked late, and every message still
// states At as the deadline.
type Deadline struct {
	At    time.Time
	Grace time.Duration
}

// IsSet reports whether the deadline was given; optional deadlines are zero.
func (d Deadline) IsSet() bool { return !d.At.IsZero() }

// IsZero lets yaml omitempty drop unset deadlines on export.
func (d Deadline) IsZero() bool { return !d.IsSet() && d.Grace == 0 }

// End is the first instant after the deadline.
func (d Deadline) End() time.Time { return d.At.Add(time.Second) }

// String is the export form of At.
func (d Deadline) String() string { return FormatInstant(d.At) }

type deadlineMapping struct {
	At    string `yaml:"at"`
	Grace string `yaml:"grace,omitempty"`
}

// MarshalYAML writes a bare instant, or {at, grace} when a grace is set, so
// files without grace stay one line per deadline.
func (d Deadline) MarshalYAML() (any, error) {
	if d.Grace == 0 {
		return FormatInstant(d.At), nil
	}
	return deadlineMapping{At: FormatInstant(d.At), Grace: FormatDuration(d.Grace)}, nil
}

// unmarshalNode accepts the two forms MarshalYAML writes.
func (d *Deadline) unmarshalNode(n *yaml.Node, p *decodeState, path string) {
	switch n.Kind {
	case yaml.ScalarNode:
		at, err := ParseInstant(n.Value)
		if err != nil {
			p.add(path, n, trimSentinel(err))
			return
		}
		d.At = at
	case yaml.MappingNode:
		var m deadlineMapping
		p.decodeStruct(n, &m, path)
		if m.At == "" {
			p.add(path+".at", n, "required")
		} else if at, err := ParseInstant(m.At); err != nil {
			p.add(path+".at", p.valueNode(n, "at"), trimSentinel(err))
		} else {
			d.At = at
		}
		if m.Grace != "" {
			g, err := ParseDuration(m.Grace)
			if err != nil {
				p.add(path+".grace", p.valueNode(n, "grace"), err.Error())
			}
			d.Grace = g
		}
	default:
		p.add(path, n, "must be a deadline such as 2023-10-08 AoE, or a mapping with at and grace")
	}
}

// ParseDuration reads a grace window such as "15m" or "1h30m". Units below
// a second are refused, like sub-second deadlines.
func ParseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration such as 15m or 2h", s)
	}
	if d%time.Second != 0 {
		return 0, fmt.Errorf("%q has a fraction of a second", s)
	}
	return d, nil
}

// FormatDuration writes d without the zero units time.Duration.String adds
// ("15m" rather than "15m0s").
func FormatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// TimeLeft says how long until the deadline closes (End), in the two
// largest units, as a person would: "3 days 4 hours left",
// "59 seconds left", or "closed 2 hours ago".
func TimeLeft(d time.Time, now time.Time) string {
	left := d.Add(time.Second).Sub(now)
	if left <= 0 {
		return "closed " + roughly(-left) + " ago"
	}
	return roughly(left) + " left"
}

func roughly(d time.Duration) string {
	units := []struct {
		name string
		size time.Duration
	}{
		{"day", 24 * time.Hour}, {"hour", time.Hour}, {"minute", time.Minute}, {"second", time.Second},
	}
	var parts []string
	for _, u := range units {
		n := int64(d / u.size)
		if n == 0 && len(parts) == 0 {
			continue
		}
		d -= time.Duration(n) * u.size
		if n > 0 {
			parts = append(parts, plural(n, u.name))
		}
		if len(parts) == 2 || (len(parts) == 1 && n == 0) {
			break
		}
	}
	if len(parts) == 0 {
		return "less than a second"
	}
	return strings.Join(parts, " ")
}

func plural(n int64, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
