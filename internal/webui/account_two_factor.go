package webui

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/account"
)

// Two-factor sign-in: setting it up in the profile, and the second step of
// signing in (account.Service does the checking).

// cookieSecondStep carries, between the two steps of a sign-in, the signed
// challenge saying the password was right. Only the second step's address
// receives it.
const (
	cookieSecondStep = "quire_login_2fa"
	secondStepPath   = "/login/two-factor"
)

var twoFactorPageNames = []string{"account_two_factor", "login_two_factor"}

func (u *ui) registerTwoFactor(e *echo.Echo) error {
	if err := u.addPages(twoFactorPageNames); err != nil {
		return err
	}
	e.GET("/account/two-factor", u.signedIn(u.twoFactorPage))
	e.POST("/account/two-factor/start", u.form(u.startTwoFactor))
	e.POST("/account/two-factor/confirm", u.form(u.confirmTwoFactor))
	e.POST("/account/two-factor/recovery-codes", u.form(u.renewRecoveryCodes))
	e.POST("/account/two-factor/disable", u.form(u.disableTwoFactor))
	e.GET(secondStepPath, u.page(u.secondStepForm))
	e.POST(secondStepPath, u.page(u.secondStep))
	return nil
}

type twoFactorPage struct {
	account.TwoFactor
	// Codes are new recovery codes, shown on this one page only.
	Codes []string
	// Errors name the fields of the renew and disable forms with their
	// form's prefix, since both have a code field.
	Errors *formErrors
	// Required says the instance requires a second factor of this person.
	Required bool
}

func (u *ui) showTwoFactor(c echo.Context, s *session, status int, p twoFactorPage, notice string) error {
	st, err := u.Accounts.TwoFactorStatus(c.Request().Context(), s.User.ID)
	if err != nil {
		return err
	}
	p.TwoFactor = st
	if p.Required, err = u.Accounts.SecondFactorRequired(c.Request().Context(), s.User.ID); err != nil {
		return err
	}
	return u.render(c, status, "account_two_factor", view{Title: "Two-factor sign-in", S: s, Page: p, Notice: notice})
}

func (u *ui) twoFactorPage(c echo.Context, s *session) error {
	notice := ""
	if c.QueryParam("off") != "" {
		notice = "Two-factor sign-in is off. Your password alone signs you in."
	}
	return u.showTwoFactor(c, s, http.StatusOK, twoFactorPage{}, notice)
}

func (u *ui) startTwoFactor(c echo.Context, s *session) error {
	if _, err := u.Accounts.StartTwoFactor(c.Request().Context(), s.User.ID); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account/two-factor")
}

// twoFactorFormError shows a mistake in a form on the page again; other
// errors become the error page.
func (u *ui) twoFactorFormError(c echo.Context, s *session, form string, err error) error {
	if !inputError(err) {
		return err
	}
	status, _, _ := describe(err)
	rename := func(f string) string { return form + f }
	return u.showTwoFactor(c, s, status, twoFactorPage{Errors: formErrorsOf(err, rename)}, "")
}

func (u *ui) confirmTwoFactor(c echo.Context, s *session) error {
	codes, err := u.Accounts.ConfirmTwoFactor(c.Request().Context(), s.User.ID, c.FormValue("code"), c.RealIP())
	if err != nil {
		return u.twoFactorFormError(c, s, "", err)
	}
	return u.showTwoFactor(c, s, http.StatusOK, twoFactorPage{Codes: codes}, "Two-factor sign-in is on.")
}

func (u *ui) renewRecoveryCodes(c echo.Context, s *session) error {
	codes, err := u.Accounts.RenewRecoveryCodes(c.Request().Context(), s.User.ID, c.FormValue("code"), c.RealIP())
	if err != nil {
		return u.twoFactorFormError(c, s, "renew-", err)
	}
	return u.showTwoFactor(c, s, http.StatusOK, twoFactorPage{Codes: codes}, "Your old recovery codes no longer work.")
}

func (u *ui) disableTwoFactor(c echo.Context, s *session) error {
	err := u.Accounts.DisableTwoFactor(c.Request().Context(), s.User.ID, c.FormValue("password"), c.FormValue("code"), c.RealIP())
	if err != nil {
		return u.twoFactorFormError(c, s, "disable-", err)
	}
	return c.Redirect(http.StatusSeeOther, "/account/two-factor?off=1")
}

type secondStepPage struct {
	Next string
	// Form is the pre-session token the form carries (session_form.go).
	Form   string
	Errors *formErrors
}

// askSecondFactor follows a right password on an account with two-factor
// sign-in: the browser keeps the challenge and is asked for a code.
func (u *ui) askSecondFactor(c echo.Context, challenge, next string) error {
	c.SetCookie(&http.Cookie{Name: cookieSecondStep, Value: challenge, Path: secondStepPath, MaxAge: int(account.TwoFactorTTL.Seconds()),
		HttpOnly: true, Secure: u.HTTPS, SameSite: http.SameSiteStrictMode})
	return c.Redirect(http.StatusSeeOther, secondStepPath+"?next="+url.QueryEscape(next))
}

func (u *ui) secondStepForm(c echo.Context, s *session) error {
	next := safeNext(c.QueryParam("next"))
	if s != nil {
		return c.Redirect(http.StatusSeeOther, next)
	}
	if ck, err := c.Cookie(cookieSecondStep); err != nil || ck.Value == "" {
		return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(next))
	}
	return u.render(c, http.StatusOK, "login_two_factor", view{Title: "Enter your code", Page: secondStepPage{Next: next, Form: u.formToken(c)}})
}

func (u *ui) secondStep(c echo.Context, _ *session) error {
	if err := u.checkForm(c); err != nil {
		return err
	}
	next := safeNext(c.FormValue("next"))
	challenge := ""
	if ck, err := c.Cookie(cookieSecondStep); err == nil {
		challenge = ck.Value
	}
	t, err := u.Accounts.FinishLogin(c.Request().Context(), challenge, c.FormValue("code"), c.RealIP())
	if errors.Is(err, account.ErrTwoFactorExpired) {
		// Start again from the password.
		u.forgetSecondStep(c)
		return u.render(c, http.StatusUnauthorized, "login", view{Title: "Sign in", Page: loginPage{Next: next, Errors: formErrorsOf(err, nil), Form: u.formToken(c)}})
	}
	if err != nil {
		if !inputError(err) {
			return err
		}
		status, _, _ := describe(err)
		return u.render(c, status, "login_two_factor", view{Title: "Enter your code", Page: secondStepPage{Next: next, Errors: formErrorsOf(err, nil), Form: u.formToken(c)}})
	}
	u.forgetSecondStep(c)
	setSessionCookies(c, u.HTTPS, t, u.Clock.Now())
	return c.Redirect(http.StatusSeeOther, next)
}

func (u *ui) forgetSecondStep(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: cookieSecondStep, Value: "", Path: secondStepPath, MaxAge: -1, HttpOnly: true, Secure: u.HTTPS, SameSite: http.SameSiteStrictMode})
}

// secondFactorGate sends a person the instance requires a second factor of,
// and who has not set it up, to set it up: every page but that one, signing
// out and the public pages' static files answers with the way there. A
// form sent meanwhile is not acted on.
func (u *ui) secondFactorGate(c echo.Context, s *session) error {
	p := c.Request().URL.Path
	if p == "/account/two-factor" || strings.HasPrefix(p, "/account/two-factor/") || p == "/logout" {
		return nil
	}
	owes, err := u.Accounts.OwesSecondFactor(c.Request().Context(), s.User.ID)
	if err != nil || !owes {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account/two-factor?required=1")
}
