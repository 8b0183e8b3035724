package webui

import (
	"strconv"

	"github.com/quirehq/quire/internal/schedule"
	"github.com/quirehq/quire/internal/venue"
)

// schedulePreview is the difference a save makes on the public page, with
// the rows to save carried in hidden fields so that Confirm posts exactly
// what was previewed.
type schedulePreview struct {
	Changes   []scheduleChange
	Unchanged int
	Rows      []scheduleRow
	Base      string
	// Stale: a confirmation came after someone else changed the schedule;
	// this preview is against their version.
	Stale bool
	CSRF  string
}

// scheduleChange is one changed item, named for people.
type scheduleChange struct {
	What     string // "Added", "Moved and retitled", …
	Old, New *schedule.Item
	Details  []string
}

func (u *ui) previewPage(rec venue.Record, head chairHead, s *session, pv schedule.Preview, stale bool) schedulePage {
	p := u.schedulePage(rec, head, schedule.Day{})
	pr := &schedulePreview{Unchanged: pv.Unchanged, Base: pv.Base, Stale: stale, CSRF: s.CSRF}
	for _, c := range pv.Changes {
		pr.Changes = append(pr.Changes, scheduleChange{What: changeWords(c.Kinds), Old: c.Old, New: c.New, Details: c.Details})
	}
	for i, it := range pv.Items {
		r := scheduleRow{Index: i, ID: it.ID, Start: it.Start, End: it.End, Kind: string(it.Kind), Title: it.Title,
			Speaker: it.Speaker, Room: it.Room, Stream: it.Stream}
		if it.Paper != 0 {
			r.Paper = strconv.Itoa(it.Paper)
		}
		pr.Rows = append(pr.Rows, r)
	}
	p.Preview = pr
	return p
}

// changeWords says "Moved and retitled" for [moved retitled].
func changeWords(kinds []schedule.ChangeKind) string {
	s := ""
	for i, k := range kinds {
		switch {
		case i == 0:
			s = string(k)
			s = string(s[0]-'a'+'A') + s[1:]
		case i == len(kinds)-1:
			s += " and " + string(k)
		default:
			s += ", " + string(k)
		}
	}
	return s
}
