package webui

import (
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/expertise"
	"github.com/quirehq/quire/internal/problem"
)

// registerPublications adds a person's list of publications, which venues
// read as their expertise: upload, see and remove.
func (u *ui) registerPublications(e *echo.Echo) error {
	if err := u.addPages([]string{"account_publications"}); err != nil {
		return err
	}
	e.GET("/account/publications", u.signedIn(u.publicationsPage))
	e.POST("/account/publications", u.form(u.addPublications))
	e.POST("/account/publications/:id/remove", u.form(u.removePublication))
	return nil
}

var errBadPublicationID = problem.New(problem.ErrNotFound, "publication_not_found", "you have no such publication listed")

type publicationsPage struct {
	Entries []expertise.Entry
	Format  string
	Errors  *formErrors
}

func (u *ui) showPublications(c echo.Context, s *session, status int, p publicationsPage, notice string) error {
	list, err := u.Expertise.List(c.Request().Context(), s.User.ID)
	if err != nil {
		return err
	}
	p.Entries = list
	if p.Format == "" {
		p.Format = expertise.FormatBibTeX
	}
	return u.render(c, status, "account_publications", view{Title: "Your publications", S: s, Page: p, Notice: notice})
}

func (u *ui) publicationsPage(c echo.Context, s *session) error {
	notice := ""
	if n := c.QueryParam("added"); n != "" {
		notice = n + " added to your publications."
	} else if c.QueryParam("removed") != "" {
		notice = "Removed."
	}
	return u.showPublications(c, s, http.StatusOK, publicationsPage{}, notice)
}

// addPublications reads the uploaded file (or the pasted text).
func (u *ui) addPublications(c echo.Context, s *session) error {
	format := c.FormValue("format")
	data := []byte(c.FormValue("content"))
	if fh, err := c.FormFile("file"); err == nil && fh.Size > 0 {
		if fh.Size > expertise.MaxFileBytes {
			data = make([]byte, expertise.MaxFileBytes+1)
		} else {
			f, err := fh.Open()
			if err != nil {
				return err
			}
			defer f.Close()
			if data, err = io.ReadAll(io.LimitReader(f, expertise.MaxFileBytes+1)); err != nil {
				return err
			}
		}
	}
	n, err := u.Expertise.Add(c.Request().Context(), s.User.ID, format, data, c.FormValue("replace") == "yes")
	if err != nil {
		if !inputError(err) {
			return err
		}
		status, _, _ := describe(err)
		return u.showPublications(c, s, status, publicationsPage{Format: format, Errors: formErrorsOf(err, nil)}, "")
	}
	return c.Redirect(http.StatusSeeOther, "/account/publications?added="+strconv.Itoa(n.Added))
}

func (u *ui) removePublication(c echo.Context, s *session) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return errBadPublicationID
	}
	if err := u.Expertise.Remove(c.Request().Context(), s.User.ID, id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account/publications?removed=1")
}
