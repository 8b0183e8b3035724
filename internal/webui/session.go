package webui

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/auth"
	"github.com/quirehq/quire/internal/problem"
)

// The browser session is the API's: the same three cookies with the same
// names, flags and paths (see httpapi/authn.go), so a person signed in
// through a page is signed in for the API's cookie mode too, and the page
// script can refresh the session through POST /api/v1/auth/refresh. The
// refresh cookie comes to the pages as well, so that they can renew an
// expired access token themselves (session_renew.go).
const (
	cookieAccess  = "quire_access"
	cookieRefresh = "quire_refresh"
	cookieCSRF    = "quire_csrf"
	csrfField     = "csrf"
	// legacyRefreshPath is where the refresh cookie used to live. Such a
	// cookie would be sent to the API before the current one and, stale,
	// read as a replayed token; it is expired wherever cookies are set.
	legacyRefreshPath = "/api/v1/auth"
)

// session is the signed-in person of a request.
type session struct {
	P     account.Principal
	User  account.User
	Roles []account.Role
	// CSRF is the token every state-changing form carries.
	CSRF   string
	access string
	// priorCSRF is the token of the access token this request's session
	// was renewed from (see renewedSession): the page the form was on
	// was shown with it.
	priorCSRF string
}

func (s *session) csrfOK(token string) bool {
	if s == nil {
		return false
	}
	return account.CSRFMatches(s.access, token) || (s.priorCSRF != "" && auth.ValidCSRF(s.priorCSRF, token))
}

// sessionOf reads the access cookie. An expired, forged or signed-out token
// is the same as none: the page asks the person to sign in (the script
// refreshes the session before that happens, when it runs). A fault
// checking the token's login or reading the account (the database away) is
// an error, never a signed-out person: sending them to sign in would lose
// what they sent and tell them something false.
func (u *ui) sessionOf(c echo.Context) (*session, error) {
	ck, err := c.Cookie(cookieAccess)
	if err != nil || ck.Value == "" {
		return nil, nil
	}
	p, err := u.Accounts.Authenticate(c.Request().Context(), ck.Value)
	if errors.Is(err, problem.ErrUnauthorized) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("webui: checking the session: %w", err)
	}
	usr, roles, err := u.Accounts.Get(c.Request().Context(), p.UserID)
	if errors.Is(err, problem.ErrNotFound) || errors.Is(err, problem.ErrUnauthorized) {
		return nil, nil // an account that is gone
	}
	if err != nil {
		return nil, fmt.Errorf("webui: reading the signed-in account: %w", err)
	}
	s := &session{P: p, User: usr, Roles: roles, access: ck.Value}
	// The CSRF cookie holds the token the API handed out with this access
	// token; a stale one (from before a refresh in another tab) is useless.
	if cc, err := c.Cookie(cookieCSRF); err == nil && account.CSRFMatches(ck.Value, cc.Value) {
		s.CSRF = cc.Value
	}
	return s, nil
}

func setSessionCookies(c echo.Context, secure bool, t account.Tokens, now time.Time) {
	refreshAge := int(t.RefreshExpires.Sub(now).Seconds())
	c.SetCookie(&http.Cookie{Name: cookieRefresh, Value: "", Path: legacyRefreshPath, MaxAge: -1, HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode})
	c.SetCookie(&http.Cookie{Name: cookieAccess, Value: t.Access, Path: "/", MaxAge: t.AccessMaxAge(now), HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
	c.SetCookie(&http.Cookie{Name: cookieRefresh, Value: t.Refresh, Path: "/", MaxAge: refreshAge, HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode})
	c.SetCookie(&http.Cookie{Name: cookieCSRF, Value: t.CSRF, Path: "/", MaxAge: refreshAge, Secure: secure, SameSite: http.SameSiteStrictMode})
}

func clearSessionCookies(c echo.Context, secure bool) {
	for _, ck := range []struct{ name, path string }{{cookieAccess, "/"}, {cookieRefresh, "/"}, {cookieRefresh, legacyRefreshPath}, {cookieCSRF, "/"}} {
		c.SetCookie(&http.Cookie{Name: ck.name, Value: "", Path: ck.path, MaxAge: -1, HttpOnly: ck.name != cookieCSRF, Secure: secure, SameSite: http.SameSiteLaxMode})
	}
}

type loginPage struct {
	Email, Next string
	// Form is the pre-session token the form carries (session_form.go).
	Form string
	// Ended says a form was sent after the session had ended for good.
	Ended  bool
	Errors *formErrors
}

func (u *ui) loginForm(c echo.Context, s *session) error {
	next := safeNext(c.QueryParam("next"))
	if s != nil {
		return c.Redirect(http.StatusSeeOther, next)
	}
	return u.render(c, http.StatusOK, "login", view{Title: "Sign in", Page: loginPage{Next: next, Ended: c.QueryParam("ended") != "", Form: u.formToken(c)}})
}

func (u *ui) login(c echo.Context, _ *session) error {
	if err := u.checkForm(c); err != nil {
		return err
	}
	email, next := strings.TrimSpace(c.FormValue("email")), safeNext(c.FormValue("next"))
	t, challenge, err := u.Accounts.BeginLogin(c.Request().Context(), email, c.FormValue("password"), c.RealIP())
	if err != nil {
		if !inputError(err) {
			return err
		}
		status, _, _ := describe(err)
		fe := formErrorsOf(err, nil)
		return u.render(c, status, "login", view{Title: "Sign in", Page: loginPage{Email: email, Next: next, Errors: fe, Form: u.formToken(c)}})
	}
	if challenge != "" {
		return u.askSecondFactor(c, challenge, next)
	}
	setSessionCookies(c, u.HTTPS, t, u.Clock.Now())
	return c.Redirect(http.StatusSeeOther, next)
}

// logout ends the login on the server and forgets it in this browser.
// Signing out is always possible: when the server cannot revoke the login,
// the browser still forgets it, and the fault is logged.
func (u *ui) logout(c echo.Context, s *session) error {
	if s != nil && !s.csrfOK(c.FormValue(csrfField)) {
		return errCSRF
	}
	if s != nil {
		refresh := ""
		if ck, err := c.Cookie(cookieRefresh); err == nil {
			refresh = ck.Value
		}
		if err := u.Accounts.Logout(c.Request().Context(), refresh, s.P); err != nil {
			u.Log.ErrorContext(c.Request().Context(), "revoking a login at sign-out", "err", err)
		}
	}
	clearSessionCookies(c, u.HTTPS)
	return c.Redirect(http.StatusSeeOther, "/login?signed_out=1")
}

type registerPage struct {
	Name, Email, Affiliation string
	Form                     string
	MinPassword              int
	Errors                   *formErrors
}

func (u *ui) registerForm(c echo.Context, s *session) error {
	if s != nil {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	return u.render(c, http.StatusOK, "register", view{Title: "Create an account", Page: registerPage{MinPassword: auth.MinPasswordChars, Form: u.formToken(c)}})
}

func (u *ui) register(c echo.Context, _ *session) error {
	if err := u.checkForm(c); err != nil {
		return err
	}
	in := account.RegisterInput{Name: c.FormValue("name"), Email: c.FormValue("email"), Password: c.FormValue("password"),
		Affiliation: c.FormValue("affiliation")}
	if err := u.Accounts.Register(c.Request().Context(), in, c.RealIP()); err != nil {
		if !inputError(err) {
			return err
		}
		status, _, _ := describe(err)
		return u.render(c, status, "register", view{Title: "Create an account",
			Page: registerPage{MinPassword: auth.MinPasswordChars, Name: in.Name, Email: in.Email, Affiliation: in.Affiliation, Errors: formErrorsOf(err, nil), Form: u.formToken(c)}})
	}
	return u.render(c, http.StatusOK, "message", view{Title: "Check your inbox", Page: messagePage{
		Heading: "Check your inbox",
		Body:    "We sent a link to " + in.Email + " to confirm the address (or, if it already has an account, a note about it). The link works for three days.",
		Link:    "/login", LinkText: "Sign in",
	}})
}

type messagePage struct {
	Heading, Body, Link, LinkText string
}

type verifyPage struct {
	Token string
}

// verifyForm asks for one click rather than confirming on GET: mail
// scanners open links, and would otherwise use the token up.
func (u *ui) verifyForm(c echo.Context, s *session) error {
	return u.render(c, http.StatusOK, "verify", view{Title: "Confirm your email address", S: s, Page: verifyPage{Token: c.QueryParam("token")}})
}

func (u *ui) verify(c echo.Context, s *session) error {
	if err := u.Accounts.Verify(c.Request().Context(), c.FormValue("token")); err != nil {
		return err
	}
	link, text := "/login", "Sign in"
	if s != nil {
		link, text = "/", "Continue"
	}
	return u.render(c, http.StatusOK, "message", view{Title: "Address confirmed", S: s, Page: messagePage{
		Heading: "Your email address is confirmed", Body: "You can now submit papers and accept invitations.", Link: link, LinkText: text,
	}})
}
