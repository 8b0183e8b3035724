package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/auth"
	"github.com/quirehq/quire/internal/problem"
)

// The forms used before there is a session (sign in, create an account,
// reset the password) cannot carry the session's CSRF token. Without one,
// a page of another site could post its own password to /login and sign
// the browser into the attacker's account, whose work the victim would
// then do. They carry a pre-session token instead: a random value in a
// cookie of its own, repeated in the form (double submit), and the request
// must not come from another site by its Fetch metadata or Origin. Over
// HTTPS the cookie has the __Host- prefix, so a sibling host cannot plant
// one.
const (
	formCookie       = "quire_form"
	formCookieSecure = "__Host-quire_form"
	formCookieMaxAge = 24 * 60 * 60
)

var (
	errCrossSiteForm = problem.New(problem.ErrForbidden, "cross_site_form",
		"this form was sent from another site, so it was refused and nobody was signed in; to sign in, open Quire's own sign-in page")
	errFormToken = problem.New(problem.ErrForbidden, "csrf_token_invalid",
		"this form is out of date or did not come from Quire, so nothing was done; go back, reload the page and send it again")
)

func (u *ui) formCookieName() string {
	if u.HTTPS {
		return formCookieSecure
	}
	return formCookie
}

// formToken is the token the pre-session forms of this page carry: the
// browser's, or a new one set with this response.
func (u *ui) formToken(c echo.Context) string {
	if ck, err := c.Cookie(u.formCookieName()); err == nil && len(ck.Value) >= 32 && len(ck.Value) <= csrfMaxLen {
		return ck.Value
	}
	t := auth.NewCSRFToken()
	c.SetCookie(&http.Cookie{Name: u.formCookieName(), Value: t, Path: "/", MaxAge: formCookieMaxAge, HttpOnly: true,
		Secure: u.HTTPS, SameSite: http.SameSiteStrictMode})
	return t
}

// checkForm refuses a pre-session form sent from another site or without
// the token of this browser's cookie.
func (u *ui) checkForm(c echo.Context) error {
	if auth.CrossSite(c.Request()) {
		return errCrossSiteForm
	}
	ck, err := c.Cookie(u.formCookieName())
	if err != nil || !auth.ValidCSRF(ck.Value, c.FormValue(csrfField)) {
		return errFormToken
	}
	return nil
}
