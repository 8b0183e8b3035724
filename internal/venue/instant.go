package venue

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	// Venues name IANA zones; minimal containers ship no zoneinfo.
	_ "time/tzdata"
)

// ErrBadInstant reports deadline text that Quire will not guess at.
var ErrBadInstant = errors.New("bad deadline")

// AoE is Anywhere on Earth: UTC-12, the last zone in which a day ends.
var AoE = time.FixedZone("AoE", -12*60*60)

const dayEnd = 23*time.Hour + 59*time.Minute + 59*time.Second

// instantSyntax is the local form: a date, an optional time, then a zone.
var instantSyntax = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?\s+(\S+)$`)

var zoneless = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$`)

// ParseInstant reads a deadline as chairs write it:
//
//	2023-10-08 AoE                      end of that day at UTC-12 (23:59:59)
//	2023-10-08 17:00 AoE                that minute at UTC-12
//	2023-10-09T11:59:59Z                an RFC 3339 instant (any offset)
//	2023-10-08 23:59 America/Los_Angeles a wall time in an IANA zone
//
// A date without a time means the last second of that day in that zone.
// Deadlines have whole-second precision: the second named is inside the
// deadline in full (see Deadline.End). Anything else is rejected rather
// than guessed: a bare date, a zone abbreviation such as PST (several
// zones share it), and a wall time that a DST change skips or repeats.
func ParseInstant(text string) (time.Time, error) {
	s := strings.TrimSpace(text)
	if s == "" {
		return time.Time{}, fmt.Errorf("%w: empty", ErrBadInstant)
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		if t.Nanosecond() != 0 {
			return time.Time{}, fmt.Errorf("%w: %q has a fraction of a second; deadlines are whole seconds", ErrBadInstant, text)
		}
		return t.UTC(), nil
	}
	if zoneless.MatchString(s) {
		return time.Time{}, fmt.Errorf("%w: %q has no time zone: add AoE, UTC or an IANA zone, as in 2023-10-08 AoE", ErrBadInstant, text)
	}
	m := instantSyntax.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, fmt.Errorf("%w: %q is not one of: 2023-10-08 AoE, 2023-10-08 17:00 AoE, "+
			"2023-10-09T11:59:59Z, 2023-10-08 23:59 America/Los_Angeles", ErrBadInstant, text)
	}
	loc, err := loadZone(m[5])
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q: %w", ErrBadInstant, text, err)
	}
	day, err := time.Parse(time.DateOnly, m[1])
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q: %s is not a calendar date", ErrBadInstant, text, m[1])
	}
	clock := dayEnd
	if m[2] != "" {
		if clock, err = clockOf(m[2], m[3], m[4]); err != nil {
			return time.Time{}, fmt.Errorf("%w: %q: %w", ErrBadInstant, text, err)
		}
	}
	return wallToInstant(day, clock, loc, text)
}

func clockOf(hh, mm, ss string) (time.Duration, error) {
	h, _ := strconv.Atoi(hh)
	m, _ := strconv.Atoi(mm)
	s := 0
	if ss != "" {
		s, _ = strconv.Atoi(ss)
	}
	if h > 23 || m > 59 || s > 59 {
		return 0, fmt.Errorf("%s:%s is not a time of day (use 23:59, not 24:00)", hh, mm)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second, nil
}

// wallToInstant finds the unique instant whose wall clock in loc reads day
// plus clock. time.Date silently normalises a skipped or repeated wall time;
// a deadline must not be silently an hour off, so both are errors.
func wallToInstant(day time.Time, clock time.Duration, loc *time.Location, text string) (time.Time, error) {
	wall := day.Add(clock) // as if UTC
	seen := map[int]bool{}
	var found []time.Time
	for _, probe := range []time.Duration{-36 * time.Hour, 0, 36 * time.Hour} {
		_, off := wall.Add(probe).In(loc).Zone()
		if seen[off] {
			continue
		}
		seen[off] = true
		cand := wall.Add(-time.Duration(off) * time.Second)
		y, mo, d := cand.In(loc).Date()
		h, mi, s := cand.In(loc).Clock()
		if time.Date(y, mo, d, h, mi, s, 0, time.UTC).Equal(wall) {
			found = append(found, cand.UTC())
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return time.Time{}, fmt.Errorf("%w: %q does not exist: the clocks in %s skip that time", ErrBadInstant, text, loc)
	default:
		return time.Time{}, fmt.Errorf("%w: %q happens twice in %s (clocks go back): write it as an RFC 3339 instant with its offset", ErrBadInstant, text, loc)
	}
}

// ErrBadZone reports a zone name Quire will not use.
var ErrBadZone = errors.New("bad time zone")

// loadZone accepts AoE, UTC and IANA Area/City names. Abbreviations that
// tzdata happens to know (EST, MST, CET) are refused: they name a fixed
// offset, not what people in that region use in summer.
func loadZone(name string) (*time.Location, error) {
	switch {
	case strings.EqualFold(name, "AoE"):
		return AoE, nil
	case name == "UTC" || name == "Z":
		return time.UTC, nil
	case !strings.Contains(name, "/"):
		return nil, fmt.Errorf("%w: %q: use AoE, UTC or an IANA name such as America/Chicago", ErrBadZone, name)
	}
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("%w: %q is not an IANA time zone", ErrBadZone, name)
	}
	zones.Store(name, loc)
	return loc, nil
}

// zones caches the zones loaded: time.LoadLocation reads the zone file each
// time, and every page that shows a venue's times asks for its zone many
// times over.
var zones sync.Map

// LoadZone is the zone rule of deadlines, for display zones too.
func LoadZone(name string) (*time.Location, error) { return loadZone(name) }

// FormatInstant writes t in the form Export uses: "2023-10-08 AoE" when t is
// the last second of a day AoE (how chairs think of deadlines), else RFC 3339
// in UTC. ParseInstant(FormatInstant(t)) == t for every whole-second t.
func FormatInstant(t time.Time) string {
	a := t.In(AoE)
	if h, m, s := a.Clock(); h == 23 && m == 59 && s == 59 && a.Nanosecond() == 0 {
		return a.Format(time.DateOnly) + " AoE"
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// FormatRule states a deadline the way venues publish it: "8 October
// 2023, Anywhere on Earth" for the end of an AoE day, otherwise with the
// AoE wall-clock time, "8 October 2023, 17:00:00 Anywhere on Earth".
func FormatRule(t time.Time) string {
	a := t.In(AoE)
	if h, m, s := a.Clock(); h == 23 && m == 59 && s == 59 && a.Nanosecond() == 0 {
		return a.Format("2 January 2006") + ", Anywhere on Earth"
	}
	return a.Format("2 January 2006, 15:04:05") + " Anywhere on Earth"
}

// FormatUTC shows t as "2023-10-09 11:59:59 UTC".
func FormatUTC(t time.Time) string { return t.UTC().Format(time.DateTime) + " UTC" }

// FormatAoE shows t as "2023-10-08 23:59:59 AoE".
func FormatAoE(t time.Time) string { return t.In(AoE).Format(time.DateTime) + " AoE" }

// FormatIn shows t on the wall clock of loc with its abbreviation, as
// "2023-10-09 04:59:59 PDT".
func FormatIn(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2006-01-02 15:04:05 MST")
}

// Describe states a deadline in both forms every message uses, AoE first
// because that is how venues publish them.
func Describe(t time.Time) string { return FormatAoE(t) + " (" + FormatUTC(t) + ")" }
