package venue

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func utc(y int, mo time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
}

func TestParseInstant(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2023-10-08 AoE", utc(2023, 10, 9, 11, 59, 59)},
		{"2023-10-08 aoe", utc(2023, 10, 9, 11, 59, 59)},
		{"  2023-10-08 AoE ", utc(2023, 10, 9, 11, 59, 59)},
		{"2023-10-08 17:00 AoE", utc(2023, 10, 9, 5, 0, 0)},
		{"2023-10-08T17:00 AoE", utc(2023, 10, 9, 5, 0, 0)},
		{"2023-10-08 23:59:59 AoE", utc(2023, 10, 9, 11, 59, 59)},
		{"2023-09-01 00:00 AoE", utc(2023, 9, 1, 12, 0, 0)},
		{"2023-10-09T11:59:59Z", utc(2023, 10, 9, 11, 59, 59)},
		{"2023-10-08T23:59:59-12:00", utc(2023, 10, 9, 11, 59, 59)},
		{"2023-10-09T13:59:59+02:00", utc(2023, 10, 9, 11, 59, 59)},
		{"2023-10-08 23:59 America/Los_Angeles", utc(2023, 10, 9, 6, 59, 0)}, // PDT, UTC-7
		{"2023-12-08 23:59 America/Los_Angeles", utc(2023, 12, 9, 7, 59, 0)}, // PST, UTC-8
		{"2023-10-08 America/Los_Angeles", utc(2023, 10, 9, 6, 59, 59)},
		{"2023-10-08 12:00 UTC", utc(2023, 10, 8, 12, 0, 0)},
		{"2023-10-08 12:00 Europe/Berlin", utc(2023, 10, 8, 10, 0, 0)},
		{"2024-02-29 AoE", utc(2024, 3, 1, 11, 59, 59)},
		// The day after a DST change starts at an ordinary wall time.
		{"2023-03-12 03:00 America/New_York", utc(2023, 3, 12, 7, 0, 0)},
		{"2023-11-05 02:00 America/New_York", utc(2023, 11, 5, 7, 0, 0)},
	}
	for _, tt := range tests {
		got, err := ParseInstant(tt.in)
		if err != nil {
			t.Errorf("ParseInstant(%q): %v", tt.in, err)
			continue
		}
		if !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("ParseInstant(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestParseInstantRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, mention string
	}{
		{"", "empty"},
		{"2023-10-08", "no time zone"}, // the OpenReview surprise
		{"2023-10-08 23:59", "no time zone"},
		{"2023-10-08T23:59:59", "no time zone"},
		{"2023-10-08 PST", "IANA"},   // abbreviation
		{"2023-10-08 EST", "IANA"},   // known to tzdata, still refused
		{"2023-10-08 Local", "IANA"}, // the server's zone is nobody's
		{"2023-10-08 Mars/Olympus_Mons", "not an IANA"},
		{"2023-02-30 AoE", "not a calendar date"},
		{"2023-10-08 24:00 AoE", "not a time of day"},
		{"2023-10-08 23:60 AoE", "not a time of day"},
		{"2023-10-09T11:59:59.5Z", "fraction of a second"},
		{"2023-03-12 02:30 America/New_York", "skip"},          // spring forward gap
		{"2023-11-05 01:30 America/New_York", "happens twice"}, // fall back overlap
		{"next friday", "not one of"},
		{"2023-10-08 AoE extra", "not one of"},
	}
	for _, tt := range tests {
		_, err := ParseInstant(tt.in)
		if !errors.Is(err, ErrBadInstant) {
			t.Errorf("ParseInstant(%q) err = %v, want ErrBadInstant", tt.in, err)
			continue
		}
		if !strings.Contains(err.Error(), tt.mention) {
			t.Errorf("ParseInstant(%q) err = %q, want it to mention %q", tt.in, err, tt.mention)
		}
	}
}

func TestFormat(t *testing.T) {
	t.Parallel()
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	chicago, _ := time.LoadLocation("America/Chicago")
	sub := utc(2023, 10, 9, 11, 59, 59)
	tests := []struct {
		name, got, want string
	}{
		{"utc", FormatUTC(sub), "2023-10-09 11:59:59 UTC"},
		{"aoe", FormatAoE(sub), "2023-10-08 23:59:59 AoE"},
		{"la summer", FormatIn(sub, la), "2023-10-09 04:59:59 PDT"},
		{"la winter", FormatIn(utc(2023, 12, 9, 11, 59, 59), la), "2023-12-09 03:59:59 PST"},
		{"chicago", FormatIn(sub, chicago), "2023-10-09 06:59:59 CDT"},
		{"describe", Describe(sub), "2023-10-08 23:59:59 AoE (2023-10-09 11:59:59 UTC)"},
		{"export aoe day", FormatInstant(sub), "2023-10-08 AoE"},
		{"export other", FormatInstant(utc(2023, 10, 9, 12, 0, 0)), "2023-10-09T12:00:00Z"},
		{"export non-utc input", FormatInstant(sub.In(la)), "2023-10-08 AoE"},
		{"export other zone", FormatInstant(utc(2023, 9, 1, 12, 0, 0).In(la)), "2023-09-01T12:00:00Z"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestFormatInstantRoundTrips(t *testing.T) {
	t.Parallel()
	for _, at := range []time.Time{
		utc(2023, 10, 9, 11, 59, 59), utc(2023, 10, 9, 11, 59, 58), utc(2023, 10, 9, 12, 0, 0),
		utc(2023, 9, 1, 12, 0, 0), utc(1999, 12, 31, 23, 59, 59), utc(2038, 1, 19, 3, 14, 7),
	} {
		back, err := ParseInstant(FormatInstant(at))
		if err != nil || !back.Equal(at) {
			t.Errorf("%v -> %q -> %v, %v", at, FormatInstant(at), back, err)
		}
	}
}

func TestTimeLeft(t *testing.T) {
	t.Parallel()
	d := utc(2023, 10, 9, 11, 59, 59)
	tests := []struct {
		now  time.Time
		want string
	}{
		{d.Add(-3*24*time.Hour - 4*time.Hour), "3 days 4 hours left"},
		{d.Add(-2 * 24 * time.Hour), "2 days left"},
		{d.Add(-90 * time.Minute), "1 hour 30 minutes left"},
		{utc(2023, 10, 9, 11, 0, 0), "1 hour left"},
		{utc(2023, 10, 9, 11, 59, 0), "1 minute left"},
		{d.Add(-3*24*time.Hour - 4*time.Hour + time.Minute), "3 days 3 hours left"},
		{d, "1 second left"},
		{d.Add(999 * time.Millisecond), "less than a second left"},
		{utc(2023, 10, 9, 12, 0, 0), "closed less than a second ago"},
		{utc(2023, 10, 9, 14, 0, 0), "closed 2 hours ago"},
		{utc(2023, 10, 11, 12, 5, 0), "closed 2 days ago"},
	}
	for _, tt := range tests {
		if got := TimeLeft(d, tt.now); got != tt.want {
			t.Errorf("TimeLeft at %v = %q, want %q", tt.now, got, tt.want)
		}
	}
}

func TestDurationForms(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want time.Duration
		out  string
	}{
		{"15m", 15 * time.Minute, "15m"},
		{"2h", 2 * time.Hour, "2h"},
		{"1h30m", 90 * time.Minute, "1h30m"},
		{"45s", 45 * time.Second, "45s"},
		{"1h0m30s", time.Hour + 30*time.Second, "1h0m30s"},
	} {
		got, err := ParseDuration(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v", tt.in, got, err)
		}
		if s := FormatDuration(got); s != tt.out {
			t.Errorf("FormatDuration(%v) = %q, want %q", got, s, tt.out)
		}
	}
	for _, bad := range []string{"", "soon", "1.5s", "15"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
}

func TestByteSize(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want ByteSize
		out  string
	}{
		{"10 MiB", 10 << 20, "10 MiB"},
		{"10MiB", 10 << 20, "10 MiB"},
		{"10485760", 10 << 20, "10 MiB"},
		{"1536 KiB", 1536 << 10, "1536 KiB"},
		{"10 MB", 10_000_000, "10000000"},
		{"1 GiB", 1 << 30, "1 GiB"},
		{"-1", -1, "-1"},
	} {
		got, err := ParseByteSize(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseByteSize(%q) = %v, %v", tt.in, got, err)
		}
		if s := got.String(); s != tt.out {
			t.Errorf("ByteSize(%d).String() = %q, want %q", got, s, tt.out)
		}
	}
	for _, bad := range []string{"", "ten MB", "1.5 MiB", "99999999999 GiB"} {
		if _, err := ParseByteSize(bad); err == nil {
			t.Errorf("ParseByteSize(%q) accepted", bad)
		}
	}
}
