package webui

import (
	"errors"
	"html/template"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/decision"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/publication"
	"github.com/quirehq/quire/internal/schedule"
	"github.com/quirehq/quire/internal/venue"
)

// registerSite adds the public venue site's day pages: what is on now and
// next, and the poster boards.
func (u *ui) registerSite(e *echo.Echo) error {
	if err := u.addPages([]string{"venue_now", "venue_posters"}); err != nil {
		return err
	}
	e.GET("/venues/:slug/now", u.page(u.venueNow))
	e.GET("/venues/:slug/posters", u.page(u.venuePosters))
	return nil
}

// slot is a schedule item as a page shows it: its times in the venue's
// zone on the server, and as instants for the page script to show in the
// reader's zone.
type slot struct {
	schedule.Item
	Summary, KindLabel string
	Zone               string // the venue zone's abbreviation on the day, "CST"
	StartISO, EndISO   string
	SpeakerAffiliation string
	On                 bool
}

var itemKindLabels = map[venue.ItemKind]string{
	venue.ItemOpening: "Opening", venue.ItemKeynote: "Keynote", venue.ItemTalk: "Talk", venue.ItemSpotlight: "Spotlight",
	venue.ItemPosters: "Posters", venue.ItemBreak: "Break", venue.ItemClosing: "Closing", venue.ItemOther: "",
}

func slotOf(it schedule.Item, zone *time.Location, now time.Time) slot {
	abbr, _ := it.Start.In(zone).Zone()
	return slot{Item: it, Summary: schedule.Summary(it), KindLabel: itemKindLabels[it.Kind], Zone: abbr,
		StartISO: it.Start.Format(time.RFC3339), EndISO: it.End.Format(time.RFC3339),
		On: !now.Before(it.Start) && now.Before(it.End)}
}

// sitePart is what the venue page shows of the site and the day.
type sitePart struct {
	Call       template.HTML
	Topics     []string
	Speakers   []venue.Speaker
	Organisers []venue.Organiser
	Contact    string
	// VirtualURL is set when the reader may follow it; VirtualSignIn when
	// there is a link the reader would see once signed in.
	VirtualURL    string
	VirtualSignIn bool
	// Schedule is the day, when published (or the reader chairs it);
	// Draft marks a schedule only chairs see.
	Schedule     []slot
	ScheduleZone string
	Draft        bool
	Accepted     []decision.Paper
	// Published are the accepted papers public with their authors'
	// consent, by number; Others the rejected papers their authors made
	// public; Archival the venue's status, for the list's heading.
	Published map[int]publication.Paper
	Others    []publication.Paper
	Archival  string
	// Hours is the published day's span in the venue's zone ("08:15–16:45
	// CST"), from the schedule itself so the header cannot disagree with
	// it; Place the building.
	Hours, Place string
	// Bios are the speakers' biographies by key, rendered from Markdown.
	Bios             map[string]template.HTML
	Acknowledgements template.HTML
	// Photos are the speakers' photos by key; a speaker without one
	// shows none (never a broken image).
	Photos map[string]*photoView
}

// site builds the public page's site part for the reader s (nil: anonymous).
func (u *ui) site(c echo.Context, s *session, rec venue.Record) (sitePart, error) {
	ctx := c.Request().Context()
	set := rec.Settings
	p := sitePart{Topics: set.Site.Topics, Speakers: set.Site.Speakers, Organisers: set.Site.Organisers, Contact: set.Site.Contact}
	if set.Site.Call != "" {
		p.Call = renderMarkdown(set.Site.Call)
	}
	p.Place = set.Site.Place
	if set.Site.Acknowledgements != "" {
		p.Acknowledgements = renderMarkdown(set.Site.Acknowledgements)
	}
	p.Bios = map[string]template.HTML{}
	for _, sp := range set.Site.Speakers {
		if sp.Bio != "" {
			p.Bios[sp.Key] = renderMarkdown(sp.Bio)
		}
	}
	photos, err := u.speakerPhotos(ctx, rec)
	if err != nil {
		return p, err
	}
	p.Photos = photos
	if v := set.Site.Virtual; v.URL != "" {
		if v.VisibleTo == venue.VirtualEveryone || v.VisibleTo == "" || s != nil {
			p.VirtualURL = v.URL
		} else {
			p.VirtualSignIn = true
		}
	}
	day, err := u.Schedule.Get(ctx, rec.Slug, principal(s))
	var pe *problem.Error
	switch {
	case errors.As(err, &pe) && pe.Code == "schedule_not_published":
	case err != nil:
		return p, err
	default:
		now := u.Clock.Now()
		for _, it := range day.Items {
			p.Schedule = append(p.Schedule, slotOf(it, set.Zone(), now))
		}
		p.ScheduleZone = set.Zone().String()
		p.Draft = !day.Published
		if n := len(p.Schedule); n > 0 && !p.Draft {
			first, last := p.Schedule[0], p.Schedule[n-1]
			p.Hours = first.StartLocal + "–" + last.EndLocal + " " + first.Zone
		}
	}
	accepted, _, err := u.Decisions.Accepted(ctx, rec.Slug)
	if err != nil {
		return p, err
	}
	p.Accepted = accepted
	pub, err := u.Publication.Published(ctx, rec.Slug)
	if err != nil {
		return p, err
	}
	if len(pub.Papers) > 0 {
		p.Published, p.Archival = map[int]publication.Paper{}, pub.Archival.Label()
	}
	for _, x := range pub.Papers {
		if x.Accepted {
			p.Published[x.Number] = x
		} else {
			p.Others = append(p.Others, x)
		}
	}
	return p, nil
}

func principal(s *session) *account.Principal {
	if s == nil {
		return nil
	}
	return &s.P
}

type nowPage struct {
	Slug, Name, Zone string
	Date             string
	On               []slot
	Next             *slot
	Before, After    bool // the day has not begun, or is over
}

// venueNow is the day itself: what is on, in every room, and what follows.
func (u *ui) venueNow(c echo.Context, s *session) error {
	rec, day, err := u.day(c, s)
	if err != nil {
		return err
	}
	now := u.Clock.Now()
	zone := rec.Settings.Zone()
	at := day.At(now)
	p := nowPage{Slug: rec.Slug, Name: rec.Name, Zone: zone.String(), Date: rec.Settings.EventDate}
	for _, it := range at.On {
		p.On = append(p.On, slotOf(it, zone, now))
	}
	if at.Next != nil {
		n := slotOf(*at.Next, zone, now)
		p.Next = &n
	}
	if len(day.Items) > 0 {
		p.Before = now.Before(day.Items[0].Start)
		p.After = len(p.On) == 0 && p.Next == nil
	}
	return u.render(c, http.StatusOK, "venue_now", view{Title: "Now · " + rec.Name, S: s, Page: p})
}

type postersPage struct {
	Slug, Name string
	Sessions   []slot
	Released   bool
}

// venuePosters lists each poster session's boards.
func (u *ui) venuePosters(c echo.Context, s *session) error {
	rec, day, err := u.day(c, s)
	if err != nil {
		return err
	}
	p := postersPage{Slug: rec.Slug, Name: rec.Name}
	released, err := u.Decisions.Released(c.Request().Context(), u.DB, rec.ID)
	if err != nil {
		return err
	}
	p.Released = released
	for _, it := range day.Items {
		if it.Kind == venue.ItemPosters {
			p.Sessions = append(p.Sessions, slotOf(it, rec.Settings.Zone(), u.Clock.Now()))
		}
	}
	return u.render(c, http.StatusOK, "venue_posters", view{Title: "Posters · " + rec.Name, S: s, Page: p})
}

func (u *ui) day(c echo.Context, s *session) (venue.Record, schedule.Day, error) {
	ctx := c.Request().Context()
	rec, err := u.Venues.BySlug(ctx, u.DB, c.Param("slug"))
	if err != nil {
		return rec, schedule.Day{}, err
	}
	day, err := u.Schedule.Get(ctx, rec.Slug, principal(s))
	return rec, day, err
}
