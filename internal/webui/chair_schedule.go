package webui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/schedule"
	"github.com/quirehq/quire/internal/venue"
)

// registerChairSchedule adds the chairs' day view: the schedule as a form,
// one row per item in time order, a blank row to add one, a button on each
// row to swap its content with the item before (the times stay: the slot
// grid is kept while talks move), and publishing.
func (u *ui) registerChairSchedule(e *echo.Echo) error {
	if err := u.addPages([]string{"chair_schedule"}, "chair_partials"); err != nil {
		return err
	}
	g := "/venues/:slug/chair/schedule"
	e.GET(g, u.signedIn(u.chairSchedule))
	e.POST(g, u.form(u.chairSaveSchedule))
	e.POST(g+"/publish", u.form(u.chairPublishSchedule))
	return nil
}

// scheduleRow is one editable row.
type scheduleRow struct {
	Index                                              int
	ID, Start, End, Kind, Title, Speaker, Room, Stream string
	Paper                                              string
	// StartISO is the row's instant, for the reader's zone beside it.
	StartISO, EndISO string
	Filled           string // the paper that fills a spotlight slot, as the public will see it
}

type schedulePage struct {
	Head      chairHead
	Zone      string
	Date      string
	Published bool
	Rows      []scheduleRow
	Kinds     []venue.ItemKind
	Speakers  []venue.Speaker
	Errors    *formErrors
	// Preview, when set, is shown instead of the editor: what saving the
	// posted rows changes on the public page, to confirm or cancel.
	Preview *schedulePreview
}

func (u *ui) chairSchedule(c echo.Context, s *session) error {
	rec, head, err := u.chairVenue(c, s, "schedule")
	if err != nil {
		return err
	}
	day, err := u.Schedule.Get(c.Request().Context(), rec.Slug, &s.P)
	if err != nil {
		return err
	}
	return u.renderSchedule(c, s, http.StatusOK, u.schedulePage(rec, head, day), "")
}

func (u *ui) schedulePage(rec venue.Record, head chairHead, day schedule.Day) schedulePage {
	set := rec.Settings
	p := schedulePage{Head: head, Zone: set.Zone().String(), Date: set.EventDate, Published: set.Schedule.Published,
		Kinds: venue.ItemKinds, Speakers: set.Site.Speakers}
	byID := map[string]schedule.Item{}
	for _, it := range day.Items {
		byID[it.ID] = it
	}
	for i, t := range set.Timeline() {
		r := scheduleRow{Index: i, ID: t.ID, Start: t.Start, End: t.End, Kind: string(t.Kind), Title: t.Title, Speaker: t.Speaker,
			Room: t.Room, Stream: t.Stream, StartISO: t.Begin.UTC().Format("2006-01-02T15:04:05Z"), EndISO: t.Fin.UTC().Format("2006-01-02T15:04:05Z")}
		if t.Paper != 0 {
			r.Paper = strconv.Itoa(t.Paper)
		}
		if it, ok := byID[t.ID]; ok && it.Paper != nil {
			r.Filled = "#" + strconv.Itoa(it.Paper.Number) + " " + it.Paper.Title
		}
		p.Rows = append(p.Rows, r)
	}
	return p
}

// rowCtx is what the schedule row template needs: the page and the row.
type rowCtx struct {
	Page schedulePage
	Row  scheduleRow
}

func (u *ui) renderSchedule(c echo.Context, s *session, status int, p schedulePage, notice string) error {
	return u.render(c, status, "chair_schedule", view{Title: "Schedule · " + p.Head.VenueName, S: s, Page: p, Notice: notice})
}

// oneLine joins the lines of a title: the title box wraps long titles, and
// a line break typed in it is a space on every page.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// postedRows reads the form's rows: items.N.field, in the order posted,
// the blank row left out, rows marked for removal dropped, and a row's
// content swapped with the row before when its "earlier" button was used.
func postedRows(c echo.Context) []scheduleRow {
	n, _ := strconv.Atoi(c.FormValue("rows"))
	if n > 500 {
		n = 500
	}
	var rows []scheduleRow
	earlier := -1
	button, _ := strconv.Atoi(c.FormValue("earlier"))
	for i := 0; i <= n; i++ {
		f := func(k string) string { return strings.TrimSpace(c.FormValue("items." + strconv.Itoa(i) + "." + k)) }
		r := scheduleRow{Index: len(rows), ID: f("id"), Start: f("start"), End: f("end"), Kind: f("kind"), Title: oneLine(f("title")),
			Speaker: f("speaker"), Paper: f("paper"), Room: f("room"), Stream: f("stream")}
		if f("remove") != "" || (r.ID == "" && r.Title == "" && r.Start == "" && r.End == "") {
			continue
		}
		if i == button && c.FormValue("earlier") != "" {
			earlier = len(rows)
		}
		rows = append(rows, r)
	}
	if k := earlier; k > 0 {
		a, b := &rows[k-1], &rows[k]
		a.ID, b.ID = b.ID, a.ID
		a.Kind, b.Kind = b.Kind, a.Kind
		a.Title, b.Title = b.Title, a.Title
		a.Speaker, b.Speaker = b.Speaker, a.Speaker
		a.Paper, b.Paper = b.Paper, a.Paper
		a.Room, b.Room = b.Room, a.Room
		a.Stream, b.Stream = b.Stream, a.Stream
	}
	return rows
}

// chairSaveSchedule saves the posted rows. Only the buttons say what to
// do: Enter in a field presses the form's first button, a hidden "Save",
// never a row's "earlier". A draft is saved at once; a published schedule
// is first shown as the difference on the public page, and written only
// when that preview is confirmed against the schedule it was made from.
func (u *ui) chairSaveSchedule(c echo.Context, s *session) error {
	rec, head, err := u.chairVenue(c, s, "schedule")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	rows := postedRows(c)
	action := c.FormValue("action")
	if action == "back" {
		p := u.schedulePage(rec, head, schedule.Day{})
		p.Rows = rows
		return u.renderSchedule(c, s, http.StatusOK, p, "Nothing is saved yet: the public schedule is as it was.")
	}
	pv, err := u.Schedule.Preview(ctx, rec.Slug, s.P, scheduleItemsOf(rows))
	if err != nil {
		if !inputError(err) {
			return err
		}
		p := u.schedulePage(rec, head, schedule.Day{})
		p.Rows = rows
		p.Errors = formErrorsOf(err, nil)
		return u.renderSchedule(c, s, http.StatusBadRequest, p, "")
	}
	if pv.Same {
		day, err := u.Schedule.Get(ctx, rec.Slug, &s.P)
		if err != nil {
			return err
		}
		return u.renderSchedule(c, s, http.StatusOK, u.schedulePage(rec, head, day), "Nothing changed: the schedule is as it was.")
	}
	if pv.Published && (action != "confirm" || c.FormValue("base") != pv.Base) {
		stale := action == "confirm"
		return u.renderSchedule(c, s, http.StatusOK, u.previewPage(rec, head, s, pv, stale), "")
	}
	day, err := u.Schedule.Put(ctx, rec.Slug, s.P, pv.Items, c.RealIP())
	if err != nil {
		p := u.schedulePage(rec, head, schedule.Day{})
		p.Rows = rows
		p.Errors = formErrorsOf(err, nil)
		return u.renderSchedule(c, s, http.StatusBadRequest, p, "")
	}
	rec, err = u.Venues.BySlug(ctx, u.DB, rec.Slug)
	if err != nil {
		return err
	}
	notice := "The schedule is saved."
	if pv.Published {
		notice = "The schedule is saved: the public page shows the changes now."
	}
	return u.renderSchedule(c, s, http.StatusOK, u.schedulePage(rec, head, day), notice)
}

// scheduleItemsOf turns posted rows into the venue file's items.
func scheduleItemsOf(rows []scheduleRow) []venue.ScheduleItem {
	items := make([]venue.ScheduleItem, len(rows))
	for i, r := range rows {
		paper, _ := strconv.Atoi(r.Paper)
		items[i] = venue.ScheduleItem{ID: r.ID, Start: r.Start, End: r.End, Kind: venue.ItemKind(r.Kind), Title: r.Title,
			Speaker: r.Speaker, Paper: paper, Room: r.Room, Stream: r.Stream}
	}
	return items
}

func (u *ui) chairPublishSchedule(c echo.Context, s *session) error {
	rec, head, err := u.chairVenue(c, s, "schedule")
	if err != nil {
		return err
	}
	publish := c.FormValue("published") == "true"
	day, err := u.Schedule.Publish(c.Request().Context(), rec.Slug, s.P, publish, c.RealIP())
	if err != nil {
		return err
	}
	rec, err = u.Venues.BySlug(c.Request().Context(), u.DB, rec.Slug)
	if err != nil {
		return err
	}
	notice := "The schedule is public now."
	if !publish {
		notice = "The schedule is taken back: only chairs see it."
	}
	return u.renderSchedule(c, s, http.StatusOK, u.schedulePage(rec, head, day), notice)
}
