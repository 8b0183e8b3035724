package webui

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/personaldata"
)

// exportData hands the signed-in person their data export, the same ZIP as
// GET /api/v1/me/export, through a page address so that an expired access
// token is renewed as on every other page.
func (u *ui) exportData(c echo.Context, s *session) error {
	svc := &personaldata.Service{DB: u.DB, Blobs: u.Submissions.Blobs}
	a, err := svc.Export(c.Request().Context(), s.P.UserID)
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
