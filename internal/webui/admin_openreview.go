package webui

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/openreview"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

// The console's OpenReview import: an administrator picks a venue and
// uploads the notes openreview-py wrote, optionally a ZIP of the PDFs and
// the profile map, and reads what was imported and what was not. It is
// the command `quire venue import-openreview` in a form; a refused file
// imports nothing.

// openReviewForm is the import's part of the console.
type openReviewForm struct {
	Slug   string
	Report *openreview.Report
	Errors *formErrors
}

// OpenReviewErrors are the import form's errors, if any.
func (p adminPage) OpenReviewErrors() *formErrors {
	if p.OpenReview == nil {
		return nil
	}
	return p.OpenReview.Errors
}

// OpenReviewSlug is the venue the import form chose last.
func (p adminPage) OpenReviewSlug() string {
	if p.OpenReview == nil {
		return ""
	}
	return p.OpenReview.Slug
}

// adminImportOpenReview checks the CSRF token itself, after reading the
// multipart body, so that a body over the server's limit is told as such
// instead of as an expired form.
func (u *ui) adminImportOpenReview(c echo.Context, s *session) error {
	// The console is the administrators': nobody else makes the server
	// read a large upload. (A venue's chairs import with the command.)
	if !s.User.Admin {
		return problem.New(problem.ErrForbidden, "not_admin", "only the site's administrators import from OpenReview in the console")
	}
	req := c.Request()
	if err := req.ParseMultipartForm(8 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return u.openReviewRefused(c, s, "", err)
		}
		return u.openReviewRefused(c, s, "", problem.New(problem.ErrInvalid, "openreview_bad_form", "the form could not be read: "+err.Error()))
	}
	if req.MultipartForm != nil {
		defer func() { _ = req.MultipartForm.RemoveAll() }()
	}
	if !s.csrfOK(c.FormValue(csrfField)) {
		return errCSRF
	}
	slug := c.FormValue("venue")
	in, err := openReviewInput(c)
	if err != nil {
		return u.openReviewRefused(c, s, slug, err)
	}
	in.IP = c.RealIP()
	svc := &openreview.Service{DB: u.DB, Clock: u.Clock, Venues: u.Venues, Accounts: u.Accounts, Submissions: u.Submissions}
	rep, err := svc.Import(req.Context(), slug, s.User.ID, in)
	if err != nil {
		return u.openReviewRefused(c, s, slug, err)
	}
	notice := fmt.Sprintf("Imported %s, %s and %s into %s from OpenReview.", plural(rep.Submissions, "submission"), plural(rep.Reviews, "review"), plural(rep.Decisions, "decision"), rep.Venue)
	return u.renderAdmin(c, s, http.StatusOK, adminPage{YAML: string(venue.DemoYAML()), OpenReview: &openReviewForm{Slug: slug, Report: &rep}}, notice)
}

func (u *ui) openReviewRefused(c echo.Context, s *session, slug string, err error) error {
	if !inputError(err) && !errors.Is(err, problem.ErrNotFound) {
		return err
	}
	status, _, _ := describe(err)
	fe := formErrorsOf(err, nil)
	fe.Summary = "Nothing was imported. " + fe.Summary
	return u.renderAdmin(c, s, status, adminPage{YAML: string(venue.DemoYAML()), OpenReview: &openReviewForm{Slug: slug, Errors: fe}}, "")
}

// openReviewInput reads the form's files: the notes (required), a ZIP of
// PDFs and a profile map (optional).
func openReviewInput(c echo.Context) (openreview.Input, error) {
	var in openreview.Input
	open := func(field string) (multipart.File, *multipart.FileHeader, error) {
		fh, err := c.FormFile(field)
		if errors.Is(err, http.ErrMissingFile) || (err == nil && fh.Size == 0) {
			return nil, nil, nil
		}
		if err != nil {
			return nil, nil, err
		}
		f, err := fh.Open()
		return f, fh, err
	}
	f, _, err := open("notes")
	if err != nil {
		return in, err
	}
	if f == nil {
		return in, problem.Invalid("choose the notes file", problem.FieldError{Field: "notes", Message: "choose the JSON file of notes openreview-py wrote"})
	}
	defer f.Close()
	if in.Notes, err = openreview.Read(f, openreview.DefaultLimits); err != nil {
		return in, err
	}
	zf, zh, err := open("pdfs")
	if err != nil {
		return in, err
	}
	if zf != nil {
		// The archive is read while the import runs; the form's files
		// live until the request ends.
		if in.PDFs, err = openreview.ZipPDFs(zf, zh.Size); err != nil {
			zf.Close()
			return in, err
		}
		c.Response().After(func() { zf.Close() })
	}
	pf, _, err := open("profiles")
	if err != nil {
		return in, err
	}
	if pf != nil {
		defer pf.Close()
		if in.Profiles, err = openreview.ReadProfiles(io.Reader(pf)); err != nil {
			return in, err
		}
	}
	return in, nil
}

// adminExportOpenReview hands an administrator a venue's OpenReview export
// as the three files the import takes: the notes (notes.json), the PDFs and
// supplementary material (pdfs.zip) and the profile map (profiles.csv).
// Each is made when asked; nothing is kept.
func (u *ui) adminExportOpenReview(c echo.Context, s *session) error {
	if !s.User.Admin {
		return problem.New(problem.ErrForbidden, "not_admin", "only the site's administrators export to OpenReview in the console")
	}
	slug, file := c.Param("slug"), c.Param("file")
	if file != "notes.json" && file != "pdfs.zip" && file != "profiles.csv" {
		return problem.New(problem.ErrNotFound, "not_found", "the export is notes.json, pdfs.zip and profiles.csv")
	}
	svc := &openreview.Service{DB: u.DB, Clock: u.Clock, Venues: u.Venues, Accounts: u.Accounts, Submissions: u.Submissions}
	ctx := c.Request().Context()
	ex, err := svc.Export(ctx, slug, s.User.ID)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-openreview-%s"`, slug, file))
	h.Set("Cache-Control", "no-store")
	var buf bytes.Buffer
	switch file {
	case "notes.json":
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		if err := enc.Encode(ex.Notes); err != nil {
			return err
		}
		return c.Blob(http.StatusOK, "application/json", buf.Bytes())
	case "profiles.csv":
		if err := openreview.WriteProfiles(&buf, ex.ProfileIDs, ex.Profiles); err != nil {
			return err
		}
		return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
	}
	// The files can run to gigabytes: streamed as they are read. A fault
	// past the first byte can only cut the download short, which a ZIP
	// reader notices (its directory comes last).
	h.Set("Content-Type", "application/zip")
	c.Response().WriteHeader(http.StatusOK)
	if err := ex.WriteZip(ctx, c.Response(), u.Submissions.Blobs.Open); err != nil {
		u.Log.ErrorContext(ctx, "OpenReview export: the PDFs' ZIP was cut short", "venue", slug, "err", err)
	}
	return nil
}
