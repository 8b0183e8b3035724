package webui

import (
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/problem"
)

// registerSessions adds the list of one's sessions, and has every request
// say where it comes from: the sign-in form and the renewal of an expired
// access token (session_renew.go) start and rotate logins, and a login
// records the address and device it was last used from.
func (u *ui) registerSessions(e *echo.Echo) error {
	if err := u.addPages([]string{"account_sessions"}); err != nil {
		return err
	}
	e.Use(withClient)
	e.GET("/account/sessions", u.signedIn(u.sessionsPage))
	e.POST("/account/sessions/others/end", u.form(u.endOtherSessions))
	e.POST("/account/sessions/:id/end", u.form(u.endSession))
	return nil
}

func withClient(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		ctx := account.WithClient(req.Context(), account.Client{Address: c.RealIP(), UserAgent: req.UserAgent()})
		c.SetRequest(req.WithContext(ctx))
		return next(c)
	}
}

type sessionsPage struct {
	Sessions []sessionRow
	// Others is how many sessions there are besides this browser's.
	Others int
}

type sessionRow struct {
	ID, Device, Address string
	Created, LastUsed   shownTime
	Current             bool
}

// shownTime is an instant in UTC, with its ISO form for the page script to
// show it in the viewer's zone.
type shownTime struct{ UTC, ISO string }

func showTime(t time.Time) shownTime {
	return shownTime{UTC: t.UTC().Format("2 Jan 2006, 15:04 UTC"), ISO: t.UTC().Format(time.RFC3339)}
}

func (u *ui) sessionsPage(c echo.Context, s *session) error {
	list, err := u.Accounts.Sessions(c.Request().Context(), s.P.UserID, s.P.Session)
	if err != nil {
		return err
	}
	p := sessionsPage{Sessions: make([]sessionRow, 0, len(list))}
	for _, l := range list {
		p.Sessions = append(p.Sessions, sessionRow{ID: l.ID.String(), Device: l.Device, Address: l.Address,
			Created: showTime(l.Created), LastUsed: showTime(l.LastUsed), Current: l.Current})
		if !l.Current {
			p.Others++
		}
	}
	v := view{Title: "Your sessions", S: s, Page: p}
	switch {
	case c.QueryParam("ended") != "":
		v.Notice = "The session was ended: that browser or program is signed out."
	case c.QueryParam("others") != "":
		n, _ := strconv.Atoi(c.QueryParam("others"))
		v.Notice = "Signed out everywhere else: " + plural(n, "session") + " ended."
	}
	return u.render(c, http.StatusOK, "account_sessions", v)
}

var errBadSessionID = problem.New(problem.ErrNotFound, "session_not_found", "there is no such active session of yours")

func (u *ui) endSession(c echo.Context, s *session) error {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return errBadSessionID
	}
	if err := u.Accounts.EndSession(c.Request().Context(), s.P.UserID, id); err != nil {
		return err
	}
	if id == s.P.Session {
		// This browser's own: it is signed out like any other.
		clearSessionCookies(c, u.HTTPS)
		return c.Redirect(http.StatusSeeOther, "/login?signed_out=1")
	}
	return c.Redirect(http.StatusSeeOther, "/account/sessions?ended=1")
}

func (u *ui) endOtherSessions(c echo.Context, s *session) error {
	n, err := u.Accounts.EndOtherSessions(c.Request().Context(), s.P.UserID, s.P.Session)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account/sessions?others="+strconv.Itoa(n))
}
