package venue

import (
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Site is what the venue's public page says beyond its rules: the call,
// who speaks, who organises, how to reach them and how to attend online.
type Site struct {
	// Call is the call for papers, in Markdown (rendered without raw HTML,
	// with http, https and mailto links only).
	Call       string      `yaml:"call,omitempty"`
	Topics     []string    `yaml:"topics,omitempty"`
	Speakers   []Speaker   `yaml:"speakers,omitempty"`
	Organisers []Organiser `yaml:"organisers,omitempty"` // in the order shown
	Contact    string      `yaml:"contact,omitempty"`
	Virtual    Virtual     `yaml:"virtual,omitempty"`
	// Place is the building the day is held in, for the page's header
	// next to the day's hours.
	Place string `yaml:"place,omitempty"`
	// Acknowledgements close the page, in Markdown like the call.
	Acknowledgements string `yaml:"acknowledgements,omitempty"`
}

// Speaker is an invited speaker; schedule items name one by Key.
type Speaker struct {
	Key         string `yaml:"key"`
	Name        string `yaml:"name"`
	Affiliation string `yaml:"affiliation,omitempty"`
	Bio         string `yaml:"bio,omitempty"`
	URL         string `yaml:"url,omitempty"`
}

// Organiser is one of the people running the venue.
type Organiser struct {
	Name         string   `yaml:"name"`
	Affiliations []string `yaml:"affiliations,omitempty"`
	URL          string   `yaml:"url,omitempty"`
}

// Who may see the virtual-attendance link.
const (
	VirtualEveryone   = "everyone"
	VirtualRegistered = "registered" // anyone signed in to Quire
)

// Virtual is the link to attend online and who may see it.
type Virtual struct {
	URL       string `yaml:"url,omitempty"`
	VisibleTo string `yaml:"visible_to,omitempty"`
}

// ItemKind is what a schedule item is.
type ItemKind string

const (
	ItemOpening   ItemKind = "opening"
	ItemKeynote   ItemKind = "keynote"
	ItemTalk      ItemKind = "talk"
	ItemSpotlight ItemKind = "spotlight"
	ItemPosters   ItemKind = "posters"
	ItemBreak     ItemKind = "break"
	ItemClosing   ItemKind = "closing"
	ItemOther     ItemKind = "other"
)

// ItemKinds lists every kind, in the order a form offers them.
var ItemKinds = []ItemKind{ItemOpening, ItemKeynote, ItemTalk, ItemSpotlight, ItemPosters, ItemBreak, ItemClosing, ItemOther}

// Schedule is the timed day. Times are wall-clock times in the venue's
// zone on its event date: one zone is stored, every other is derived.
type Schedule struct {
	// Published makes the schedule public; chairs see it either way.
	Published bool           `yaml:"published,omitempty"`
	Items     []ScheduleItem `yaml:"items,omitempty"`
}

// ScheduleItem is one slot of the day.
type ScheduleItem struct {
	// ID is the item's stable name: its calendar UID, so that a
	// re-imported calendar updates the event rather than adding one.
	ID    string   `yaml:"id"`
	Start string   `yaml:"start"` // "08:15" in the venue's zone
	End   string   `yaml:"end"`
	Kind  ItemKind `yaml:"kind"`
	Title string   `yaml:"title"`
	// Speaker is the key of an invited speaker.
	Speaker string `yaml:"speaker,omitempty"`
	// Paper is the number of the accepted paper presented (a talk or a
	// spotlight); a spotlight slot without one takes the next spotlight
	// paper of the programme, in talk order.
	Paper  int    `yaml:"paper,omitempty"`
	Room   string `yaml:"room,omitempty"`
	Stream string `yaml:"stream,omitempty"`
}

var clockPattern = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])$|^24:00$`)

// Day is the venue's event date at midnight in its zone, and whether it
// has one.
func (s *Settings) Day() (time.Time, bool) {
	d, err := time.ParseInLocation(time.DateOnly, s.EventDate, s.Zone())
	return d, err == nil
}

// At turns a wall-clock time of the event day ("08:15", "24:00") into an
// instant. A time a DST change skips or repeats is refused.
func (s *Settings) At(clock string) (time.Time, error) {
	day, ok := s.Day()
	if !ok {
		return time.Time{}, fmt.Errorf("the venue has no event_date")
	}
	m := clockPattern.FindStringSubmatch(clock)
	if m == nil {
		return time.Time{}, fmt.Errorf("%q is not a time such as 08:15 (24-hour clock)", clock)
	}
	if clock == "24:00" {
		return time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, day.Location()), nil
	}
	h, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(m[2])
	t := time.Date(day.Year(), day.Month(), day.Day(), h, mi, 0, 0, day.Location())
	if t.Hour() != h || t.Minute() != mi || ambiguous(t) {
		return time.Time{}, fmt.Errorf("%s does not happen exactly once on %s in %s (a clock change)", clock, s.EventDate, s.TimeZone)
	}
	return t, nil
}

// ambiguous reports whether t's wall-clock time happens twice (the hour a
// DST change repeats).
func ambiguous(t time.Time) bool {
	_, off := t.Zone()
	for _, d := range []time.Duration{-time.Hour, time.Hour} {
		other := t.Add(d)
		if _, o := other.Zone(); o != off && other.In(t.Location()).Format("15:04") == t.Format("15:04") {
			return true
		}
	}
	return false
}

func validHTTP(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

func (s *Settings) validateSite(ps *problems) {
	site := &s.Site
	validateKeys(ps, "site.topics", "", len(site.Topics), func(i int) string { return site.Topics[i] })
	// Schedule items name a speaker by the key.
	validateKeys(ps, "site.speakers", "key", len(site.Speakers), func(i int) string { return site.Speakers[i].Key })
	for i, sp := range site.Speakers {
		path := fmt.Sprintf("site.speakers[%d]", i)
		if strings.TrimSpace(sp.Name) == "" {
			ps.addf(path+".name", "required")
		}
		if sp.URL != "" && !validHTTP(sp.URL) {
			ps.addf(path+".url", "%q is not an http(s) address", sp.URL)
		}
	}
	for i, o := range site.Organisers {
		path := fmt.Sprintf("site.organisers[%d]", i)
		if strings.TrimSpace(o.Name) == "" {
			ps.addf(path+".name", "required")
		}
		if o.URL != "" && !validHTTP(o.URL) {
			ps.addf(path+".url", "%q is not an http(s) address", o.URL)
		}
	}
	if site.Contact != "" {
		if a, err := mail.ParseAddress(site.Contact); err != nil || a.Address != site.Contact {
			ps.addf("site.contact", "%q is not an email address", site.Contact)
		}
	}
	v := site.Virtual
	if v.URL != "" && !validHTTP(v.URL) {
		ps.addf("site.virtual.url", "%q is not an http(s) address", v.URL)
	}
	switch v.VisibleTo {
	case "", VirtualEveryone, VirtualRegistered:
	default:
		ps.addf("site.virtual.visible_to", "must be %s or %s", VirtualEveryone, VirtualRegistered)
	}
	if v.URL == "" && v.VisibleTo != "" {
		ps.addf("site.virtual.url", "required when visible_to is set")
	}
	if len(site.Place) > 200 {
		ps.addf("site.place", "at most 200 characters (a building and a city)")
	}
}

// Timed is a schedule item with its instants.
type Timed struct {
	ScheduleItem
	Index      int // in the file
	Begin, Fin time.Time
}

// Timeline is the schedule in time order with instants; items whose times
// do not read are left out (Validate reports them).
func (s *Settings) Timeline() []Timed {
	var out []Timed
	for i, it := range s.Schedule.Items {
		b, err1 := s.At(it.Start)
		e, err2 := s.At(it.End)
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, Timed{ScheduleItem: it, Index: i, Begin: b, Fin: e})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Begin.Before(out[j].Begin) })
	return out
}

func (s *Settings) validateSchedule(ps *problems) {
	items := s.Schedule.Items
	if len(items) == 0 {
		if s.Schedule.Published {
			ps.addf("schedule.published", "an empty schedule cannot be published")
		}
		return
	}
	if _, ok := s.Day(); !ok {
		ps.addf("event_date", "required for a schedule: its times are on that day")
		return
	}
	speakers := map[string]bool{}
	for _, sp := range s.Site.Speakers {
		speakers[sp.Key] = true
	}
	ids, papers := map[string]int{}, map[int]int{}
	for i, it := range items {
		path := fmt.Sprintf("schedule.items[%d]", i)
		switch {
		case it.ID == "":
			ps.addf(path+".id", "required: it keeps the item's calendar event the same across changes")
		case !keyPattern.MatchString(it.ID):
			ps.addf(path+".id", "%q must be lower-case letters and digits joined by '-' or '_'", it.ID)
		default:
			if j, dup := ids[it.ID]; dup {
				ps.addf(path+".id", "%q is the id of item %d as well", it.ID, j)
			}
			ids[it.ID] = i
		}
		if !containsKind(it.Kind) {
			ps.addf(path+".kind", "must be one of %s", joinQuoted(ItemKinds))
		}
		if strings.TrimSpace(it.Title) == "" {
			ps.addf(path+".title", "required")
		}
		if it.Speaker != "" && !speakers[it.Speaker] {
			ps.addf(path+".speaker", "%q is not the key of an invited speaker (site.speakers)", it.Speaker)
		}
		if it.Paper != 0 {
			if it.Kind != ItemSpotlight && it.Kind != ItemTalk {
				ps.addf(path+".paper", "only a talk or a spotlight presents a paper")
			} else if it.Paper < 0 {
				ps.addf(path+".paper", "must be a submission number")
			} else if j, dup := papers[it.Paper]; dup {
				ps.addf(path+".paper", "#%d is presented by item %d already", it.Paper, j)
			}
			papers[it.Paper] = i
		}
		if it.Stream != "" && !validHTTP(it.Stream) {
			ps.addf(path+".stream", "%q is not an http(s) address", it.Stream)
		}
		b, err := s.At(it.Start)
		if err != nil {
			ps.addf(path+".start", "%v", err)
		}
		e, err2 := s.At(it.End)
		if err2 != nil {
			ps.addf(path+".end", "%v", err2)
		}
		if err == nil && err2 == nil && !e.After(b) {
			ps.addf(path+".end", "%s is not after the start, %s: an item must end after it starts, on the event day", it.End, it.Start)
		}
	}
	// One room holds one thing at a time; items without a room share the
	// main one.
	tl := s.Timeline()
	last := map[string]Timed{}
	for _, t := range tl {
		if !t.Fin.After(t.Begin) {
			continue
		}
		room := strings.ToLower(strings.TrimSpace(t.Room))
		if prev, ok := last[room]; ok && t.Begin.Before(prev.Fin) {
			where := "the main room"
			if room != "" {
				where = "room " + t.Room
			}
			ps.addf(fmt.Sprintf("schedule.items[%d].start", t.Index), "%q (%s–%s) overlaps %q (%s–%s) in %s",
				t.Title, t.Start, t.End, prev.Title, prev.Start, prev.End, where)
		}
		if prev, ok := last[room]; !ok || t.Fin.After(prev.Fin) {
			last[room] = t
		}
	}
}

func containsKind(k ItemKind) bool {
	for _, x := range ItemKinds {
		if x == k {
			return true
		}
	}
	return false
}
