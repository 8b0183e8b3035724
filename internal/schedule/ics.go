package schedule

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// WriteICS writes the day as an iCalendar (RFC 5545) calendar: one event
// per item (only, when it is not empty, so that a poster session's own
// calendar lists its boards), at its UTC instants, with a UID that stays the
// item's across changes so that a re-import updates rather than duplicates.
func WriteICS(w io.Writer, d Day, only string) error {
	var b strings.Builder
	line := func(s string) { b.WriteString(fold(s)); b.WriteString("\r\n") }
	ts := func(t time.Time) string { return t.UTC().Format("20060102T150405Z") }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Quire//Schedule//EN")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line("X-WR-CALNAME:" + esc(d.Name))
	line("X-WR-TIMEZONE:" + d.TimeZone)
	for _, it := range d.Items {
		if only != "" && it.ID != only {
			continue
		}
		line("BEGIN:VEVENT")
		line("UID:" + it.ID + "@" + d.Venue + ".quire")
		line("DTSTAMP:" + ts(d.Stamp))
		line("DTSTART:" + ts(it.Start))
		line("DTEND:" + ts(it.End))
		line("SUMMARY:" + esc(Summary(it)))
		if desc := description(it); desc != "" {
			line("DESCRIPTION:" + esc(desc))
		}
		loc := d.Location
		if it.Room != "" {
			loc = it.Room + ", " + d.Location
		}
		if loc != "" {
			line("LOCATION:" + esc(strings.TrimSuffix(loc, ", ")))
		}
		if it.Stream != "" {
			line("URL:" + it.Stream)
		}
		line("CATEGORIES:" + strings.ToUpper(string(it.Kind)))
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	_, err := io.WriteString(w, b.String())
	return err
}

// Summary is an item's one-line title: the paper's title for a talk that
// presents one, the speaker before a keynote's title.
func Summary(it Item) string {
	switch {
	case it.Paper != nil:
		return it.Paper.Title
	case it.Speaker != nil:
		return it.Speaker.Name + ": " + it.Title
	}
	return it.Title
}

func description(it Item) string {
	var parts []string
	if it.Paper != nil {
		parts = append(parts, strings.Join(it.Paper.Authors, ", "))
	}
	if it.Speaker != nil && it.Speaker.Affiliation != "" {
		parts = append(parts, it.Speaker.Name+" ("+it.Speaker.Affiliation+")")
	}
	for _, p := range it.Posters {
		parts = append(parts, fmt.Sprintf("Board %d: #%d %s (%s)", p.Board, p.Number, p.Title, strings.Join(p.Authors, ", ")))
	}
	return strings.Join(parts, "\n")
}

// esc escapes TEXT values (RFC 5545 3.3.11).
func esc(s string) string {
	// A bare CR would end the content line for some readers: every line
	// break, whatever its form, becomes the escaped \n.
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`).Replace(s)
}

// fold splits content lines longer than 75 octets (RFC 5545 3.1), never
// inside a UTF-8 sequence.
func fold(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		l := len(string(r))
		if n+l > 75 {
			b.WriteString("\r\n ")
			n = 1
		}
		b.WriteRune(r)
		n += l
	}
	return b.String()
}
