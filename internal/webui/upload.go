package webui

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/problem"
)

// The upload form's fields. The CSRF field comes before the file in the
// form, and so in the stream: the token is checked before a byte of the
// file is read.
const (
	uploadFileField = "pdf"
	suppFileField   = "supplementary"
	csrfMaxLen      = 256
)

var (
	errNoFile     = problem.Invalid("choose a PDF file to upload")
	errNoSuppFile = problem.Invalid("choose a PDF or ZIP file to upload")
	errNotMulti   = problem.Invalid("the upload must be sent as a multipart form")
)

// uploadPDF streams the file part of a multipart form into the submission
// service, which stages it on disk as it arrives: the file is never held in
// memory. An accepted upload goes back to the submission page (so a reload
// does not send it again); a refused one is shown with its report.
func (u *ui) uploadPDF(c echo.Context, s *session) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	return streamFile(c, s, uploadFileField, func(part io.Reader) error {
		if _, err := u.Submissions.UploadPDF(c.Request().Context(), id, s.P, part, c.RealIP()); err != nil {
			return u.refused(c, s, id, err, false)
		}
		return c.Redirect(http.StatusSeeOther, "/submissions/"+strconv.FormatInt(id, 10)+"?uploaded=1")
	}, func() error { return u.refused(c, s, id, errNoFile, false) })
}

// uploadSupplementary is uploadPDF for the supplementary material: a PDF
// or a ZIP, checked for the authors' names, within the venue's own limit.
func (u *ui) uploadSupplementary(c echo.Context, s *session) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	return streamFile(c, s, suppFileField, func(part io.Reader) error {
		if _, err := u.Submissions.UploadSupplementary(c.Request().Context(), id, s.P, part, c.RealIP()); err != nil {
			return u.refused(c, s, id, err, true)
		}
		return c.Redirect(http.StatusSeeOther, "/submissions/"+strconv.FormatInt(id, 10)+"?supplementary=1#supplementary")
	}, func() error { return u.refused(c, s, id, errNoSuppFile, true) })
}

// streamFile reads a multipart form whose CSRF field comes before its file
// field, and hands the file part to use while it is still arriving: the file
// is never held in memory. noFile answers a form without a file.
func streamFile(c echo.Context, s *session, field string, use func(io.Reader) error, noFile func() error) error {
	req := c.Request()
	// Whatever happens, read what is left of the body (bounded by the
	// server's upload limit) so the browser, still sending, gets the answer
	// instead of a reset connection.
	defer func() { _, _ = io.Copy(io.Discard, req.Body) }()
	mr, err := req.MultipartReader()
	if err != nil {
		return errNotMulti
	}
	csrfOK := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return noFile()
		}
		if err != nil {
			return err
		}
		switch part.FormName() {
		case csrfField:
			b, err := io.ReadAll(io.LimitReader(part, csrfMaxLen))
			if err != nil {
				return err
			}
			csrfOK = s.csrfOK(string(b))
		case field:
			if !csrfOK {
				return errCSRF
			}
			if part.FileName() == "" {
				return noFile()
			}
			return use(part)
		}
		_ = part.Close()
	}
}

// refused shows the submission as it still stands, with why the upload (of
// the paper, or of the supplementary material when supp) was refused and,
// when the check got that far, the refused file's report.
func (u *ui) refused(c echo.Context, s *session, id int64, cause error, supp bool) error {
	rv, ok := refusalOf(cause)
	if !ok {
		return cause
	}
	p, err := u.submissionModel(c.Request().Context(), id, s)
	if err != nil {
		return err
	}
	if pe := (*problem.Error)(nil); errors.As(cause, &pe) {
		if rep, ok := pe.Extra["report"].(*pdfcheck.Report); ok && rep != nil {
			u.rememberRefused(c, s, id, rep.Thumbnails)
		}
	}
	status, _, _ := describe(cause)
	noFile := errors.Is(cause, errNoFile) || errors.Is(cause, errNoSuppFile)
	switch {
	case supp && noFile:
		p.Supp.UploadError = rv.Detail
	case supp:
		p.Supp.Refused = &rv
	case noFile:
		p.UploadError = rv.Detail
	default:
		p.Refused = &rv
	}
	return u.render(c, status, "submission", view{Title: "Upload refused: " + p.Title, S: s, Page: p})
}
