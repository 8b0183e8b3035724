package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/personaldata"
)

// registerPersonalData adds the export of one's data and the deletion of
// one's account: the same services as GET /api/v1/me/export and DELETE
// /api/v1/me, through page addresses, so that an expired access token is
// renewed as on every other page and deletion needs no script.
func (u *ui) registerPersonalData(e *echo.Echo) error {
	if err := u.addPages([]string{"account_delete"}); err != nil {
		return err
	}
	e.GET("/account/export", u.signedIn(u.exportData))
	e.GET("/account/delete", u.signedIn(u.deleteForm))
	e.POST("/account/delete", u.form(u.deleteAccount))
	return nil
}

func (u *ui) personalData() *personaldata.Service {
	return &personaldata.Service{DB: u.DB, Blobs: u.Submissions.Blobs}
}

func (u *ui) exportData(c echo.Context, s *session) error {
	a, err := u.personalData().Export(c.Request().Context(), s.P.UserID)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "application/zip")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="quire-personal-data.zip"`)
	h.Set(echo.HeaderCacheControl, "no-store")
	c.Response().WriteHeader(http.StatusOK)
	return a.WriteTo(c.Request().Context(), c.Response())
}

type deletePage struct {
	// TwoFactor asks for a code as well as the password.
	TwoFactor bool
	Deleted   bool
	Errors    *formErrors
}

func (u *ui) showDelete(c echo.Context, s *session, status int, p deletePage) error {
	tf, err := u.Accounts.TwoFactorStatus(c.Request().Context(), s.P.UserID)
	if err != nil {
		return err
	}
	p.TwoFactor = tf.On
	return u.render(c, status, "account_delete", view{Title: "Delete your account", S: s, Page: p})
}

func (u *ui) deleteForm(c echo.Context, s *session) error {
	return u.showDelete(c, s, http.StatusOK, deletePage{})
}

func (u *ui) deleteAccount(c echo.Context, s *session) error {
	if c.FormValue("confirm") != "yes" {
		fe := &formErrors{Summary: "Please correct the 1 problem below.", Fields: map[string]string{"confirm": "Tick the box to confirm that you want your account deleted."}, Order: []string{"confirm"}}
		return u.showDelete(c, s, http.StatusBadRequest, deletePage{Errors: fe})
	}
	d := &personaldata.Deleter{Service: u.personalData(), Accounts: u.Accounts, Now: u.Clock.Now}
	err := d.Delete(c.Request().Context(), s.P.UserID, personaldata.Deletion{Password: c.FormValue("password"), Code: c.FormValue("code"), IP: c.RealIP()})
	if err != nil {
		if !inputError(err) {
			return err
		}
		status, _, _ := describe(err)
		return u.showDelete(c, s, status, deletePage{Errors: formErrorsOf(err, nil)})
	}
	clearSessionCookies(c, u.HTTPS)
	return u.render(c, http.StatusOK, "account_delete", view{Title: "Your account is deleted", Page: deletePage{Deleted: true}})
}
