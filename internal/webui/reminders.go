package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/reminder"
	"github.com/quirehq/quire/internal/venue"
)

// registerReminders adds a person's choice of how reminders reach them and
// the chairs' view of their venue's reminders.
func (u *ui) registerReminders(e *echo.Echo) error {
	if err := u.addPages([]string{"account_reminders"}); err != nil {
		return err
	}
	if err := u.addPages([]string{"chair_reminders"}, "chair_partials"); err != nil {
		return err
	}
	if err := u.registerPublications(e); err != nil {
		return err
	}
	e.GET("/account/reminders", u.signedIn(u.reminderPreference))
	e.POST("/account/reminders", u.form(u.saveReminderPreference))
	e.GET("/venues/:slug/chair/reminders", u.signedIn(u.chairReminders))
	return nil
}

func (u *ui) reminderPreference(c echo.Context, s *session) error {
	on, err := u.Reminders.Digest(c.Request().Context(), s.User.ID)
	if err != nil {
		return err
	}
	notice := ""
	if c.QueryParam("saved") != "" {
		notice = "Saved."
	}
	return u.render(c, http.StatusOK, "account_reminders", view{Title: "Reminders", S: s, Page: map[string]bool{"Digest": on}, Notice: notice})
}

func (u *ui) saveReminderPreference(c echo.Context, s *session) error {
	if err := u.Reminders.SetDigest(c.Request().Context(), s.User.ID, c.FormValue("digest") == "daily"); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account/reminders?saved=1")
}

type remindersPage struct {
	Head  chairHead
	Steps []reminderStepRow
	Log   []reminderLogRow
}

type reminderStepRow struct {
	reminder.Step
	What, When, AtAoE string
}

type reminderLogRow struct {
	reminder.Sent
	What, AtAoE string
}

var reminderWhat = map[string]string{venue.RemindReview: "Reviews", venue.RemindBidding: "Bids",
	venue.RemindResponse: "Authors' responses", venue.RemindCameraReady: "Camera-ready versions"}

// stepWhen says a step's place against its deadline: "7d before".
func stepWhen(key string) string {
	if len(key) < 2 {
		return key
	}
	if key[0] == '-' {
		return key[1:] + " before"
	}
	return key[1:] + " after"
}

func (u *ui) chairReminders(c echo.Context, s *session) error {
	rec, head, err := u.chairVenue(c, s, "mail")
	if err != nil {
		return err
	}
	o, err := u.Reminders.Overview(c.Request().Context(), rec.Slug, s.P)
	if err != nil {
		return err
	}
	p := remindersPage{Head: head}
	for _, st := range o.Steps {
		p.Steps = append(p.Steps, reminderStepRow{Step: st, What: reminderWhat[st.Kind], When: stepWhen(st.Key), AtAoE: venue.FormatAoE(st.At)})
	}
	for _, l := range o.Log {
		p.Log = append(p.Log, reminderLogRow{Sent: l, What: reminderWhat[l.Kind] + ", " + stepWhen(l.Step), AtAoE: venue.FormatAoE(l.At)})
	}
	return u.render(c, http.StatusOK, "chair_reminders", view{Title: "Reminders · " + rec.Name, S: s, Page: p})
}
