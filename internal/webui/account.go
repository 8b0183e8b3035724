package webui

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/auth"
	"github.com/quirehq/quire/internal/problem"
)

var errNoEmail = problem.Invalid("enter your email address", problem.FieldError{Field: "email", Message: "enter the address you signed up with"})

// accountPageNames are the whole pages this file and its account_*.go
// siblings render; they are parsed here, next to the routes that use them.
var accountPageNames = []string{"account_reset", "account_profile", "account_withdraw", "invitation"}

// registerAccount adds the pages for password reset, the profile, invitations and the authors' view after the release.
func (u *ui) registerAccount(e *echo.Echo) error {
	if err := u.addPages(accountPageNames); err != nil {
		return err
	}
	if err := u.registerTwoFactor(e); err != nil {
		return err
	}
	// The reset link (account.Service mails BaseURL + /reset-password?token=…)
	// and the form asking for it share one address.
	e.GET("/reset-password", u.page(u.resetForm))
	e.POST("/reset-password", u.page(u.reset))
	if err := u.registerSessions(e); err != nil {
		return err
	}
	if err := u.registerTokens(e); err != nil {
		return err
	}
	e.GET("/profile", u.signedIn(u.profileForm))
	if err := u.registerPersonalData(e); err != nil {
		return err
	}
	e.POST("/profile", u.form(u.saveProfile))
	e.POST("/profile/verification", u.form(u.resendVerification))
	// The invitation mail links to /invitations/{token} (invitation.Service.send).
	e.GET("/invitations/:token", u.page(u.invitationPage))
	e.POST("/invitations/:token/accept", u.page(u.acceptInvitation))
	e.POST("/invitations/:token/decline", u.page(u.declineInvitation))
	e.GET("/submissions/:id/withdraw", u.signedIn(u.withdrawForm))
	e.POST("/submissions/:id/withdraw", u.form(u.withdraw))
	e.POST("/submissions/:id/response", u.form(u.saveResponse))
	// Like the PDF upload, the camera-ready upload checks its CSRF field
	// from the stream, before the file.
	e.POST("/submissions/:id/camera-ready", u.signedIn(u.uploadCameraReady))
	e.POST("/submissions/:id/final-authors", u.form(u.finalAuthors))
	return nil
}

// resetPage is the reset form: asking for the link without Token, choosing
// the new password with it.
type resetPage struct {
	Token, Email string
	// Form is the pre-session token the form carries (session_form.go).
	Form        string
	MinPassword int
	Errors      *formErrors
}

func (u *ui) resetForm(c echo.Context, s *session) error {
	return u.render(c, http.StatusOK, "account_reset", view{Title: "Reset your password", S: s,
		Page: resetPage{Token: c.QueryParam("token"), MinPassword: auth.MinPasswordChars, Form: u.formToken(c)}})
}

func (u *ui) reset(c echo.Context, s *session) error {
	if err := u.checkForm(c); err != nil {
		return err
	}
	if token := c.FormValue("token"); token != "" {
		return u.confirmReset(c, s, token)
	}
	email := strings.TrimSpace(c.FormValue("email"))
	if email == "" {
		return u.render(c, http.StatusBadRequest, "account_reset", view{Title: "Reset your password", S: s, Page: resetPage{
			MinPassword: auth.MinPasswordChars, Errors: formErrorsOf(errNoEmail, nil), Form: u.formToken(c)}})
	}
	if err := u.Accounts.RequestReset(c.Request().Context(), email, c.RealIP()); err != nil {
		if !inputError(err) {
			return err
		}
		status, _, _ := describe(err)
		return u.render(c, status, "account_reset", view{Title: "Reset your password", S: s, Page: resetPage{
			Email: email, MinPassword: auth.MinPasswordChars, Errors: formErrorsOf(err, nil), Form: u.formToken(c)}})
	}
	// The same answer whether or not the address has an account.
	return u.render(c, http.StatusOK, "message", view{Title: "Check your inbox", S: s, Page: messagePage{
		Heading: "Check your inbox",
		Body:    "If an account uses " + email + ", a link to choose a new password is on its way. It works once, within an hour.",
		Link:    "/login", LinkText: "Back to sign in",
	}})
}

// confirmReset sets the new password. The service ends every session of
// the account, so this browser's is forgotten too.
func (u *ui) confirmReset(c echo.Context, s *session, token string) error {
	if err := u.Accounts.ConfirmReset(c.Request().Context(), token, c.FormValue("password")); err != nil {
		if !inputError(err) {
			return err
		}
		status, _, _ := describe(err)
		return u.render(c, status, "account_reset", view{Title: "Choose a new password", S: s, Page: resetPage{
			Token: token, MinPassword: auth.MinPasswordChars, Errors: formErrorsOf(err, nil), Form: u.formToken(c)}})
	}
	clearSessionCookies(c, u.HTTPS)
	return u.render(c, http.StatusOK, "message", view{Title: "Password changed", Page: messagePage{
		Heading: "Your password is changed",
		Body:    "Every session of your account was signed out. Sign in with the new password.",
		Link:    "/login", LinkText: "Sign in",
	}})
}

type profilePage struct {
	Email             string
	Verified          bool
	Name, Affiliation string
	ORCID, Keywords   string
	Errors            *formErrors
}

func profileOf(usr account.User) profilePage {
	return profilePage{Email: usr.Email, Verified: usr.Verified, Name: usr.Name, Affiliation: usr.Affiliation, ORCID: usr.ORCID,
		Keywords: strings.Join(usr.Keywords, "\n")}
}

func (u *ui) profileForm(c echo.Context, s *session) error {
	v := view{Title: "Your profile", S: s, Page: profileOf(s.User)}
	switch {
	case c.QueryParam("saved") != "":
		v.Notice = "Your profile was saved."
	case c.QueryParam("sent") != "":
		v.Notice = "A new confirmation link is on its way to " + s.User.Email + "."
	}
	return u.render(c, http.StatusOK, "account_profile", v)
}

func (u *ui) saveProfile(c echo.Context, s *session) error {
	name, aff, orcid := c.FormValue("name"), c.FormValue("affiliation"), c.FormValue("orcid")
	kw := splitKeywords(c.FormValue("keywords"))
	_, err := u.Accounts.UpdateProfile(c.Request().Context(), s.P.UserID, account.ProfileUpdate{Name: &name, Affiliation: &aff, ORCID: &orcid, Keywords: &kw})
	if err != nil {
		if !inputError(err) {
			return err
		}
		status, _, _ := describe(err)
		p := profileOf(s.User)
		p.Name, p.Affiliation, p.ORCID, p.Keywords, p.Errors = name, aff, orcid, c.FormValue("keywords"), formErrorsOf(err, nil)
		return u.render(c, status, "account_profile", view{Title: "Your profile", S: s, Page: p})
	}
	return c.Redirect(http.StatusSeeOther, "/profile?saved=1")
}

func (u *ui) resendVerification(c echo.Context, s *session) error {
	if err := u.Accounts.ResendVerification(c.Request().Context(), s.P.UserID); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/profile?sent=1")
}
