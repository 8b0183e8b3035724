package httpapi

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/problem"
)

// checkBody refuses a body its operation cannot read before anything tries
// to: a Content-Type that does not parse or a multipart body without its
// boundary is a 400, a media type the operation does not take a 415. What
// passes has its Content-Type rewritten in canonical form (lower case), so
// the generated code, which compares prefixes, finds the body it expects.
func checkBody(op *openapi3.Operation, req *http.Request) error {
	if op == nil || op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	ct := req.Header.Get(echo.HeaderContentType)
	if ct == "" {
		// No body, or one of no stated type: the contract check names
		// what is missing.
		return nil
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return problem.New(problem.ErrInvalid, "bad_content_type", "the Content-Type header cannot be read ("+err.Error()+"); send one of "+accepted(op))
	}
	if op.RequestBody.Value.Content.Get(mt) == nil {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType, "this operation takes "+accepted(op)+", not "+mt)
	}
	if strings.HasPrefix(mt, "multipart/") && params["boundary"] == "" {
		return problem.New(problem.ErrInvalid, "bad_content_type", "a multipart body needs a boundary in its Content-Type")
	}
	req.Header.Set(echo.HeaderContentType, mime.FormatMediaType(mt, params))
	return nil
}

// accepted lists the media types an operation takes, for messages.
func accepted(op *openapi3.Operation) string {
	var types []string
	for t := range op.RequestBody.Value.Content {
		types = append(types, t)
	}
	slices.Sort(types)
	return strings.Join(types, ", ")
}

// unreadable turns a failure to read a request body (a connection cut
// mid-body, a multipart part without its end) into a 400 the client can act
// on. A body over the limit stays a 413, a problem stays what it is.
func unreadable(err error) error {
	var mbe *http.MaxBytesError
	var pe *problem.Error
	if err == nil || err == io.EOF || errors.As(err, &mbe) || errors.As(err, &pe) {
		return err
	}
	e := problem.New(problem.ErrInvalid, "unreadable_body", "the request body could not be read to its end; send it again")
	e.Cause = err
	return e
}

// bodyReader is a request body whose read errors say what went wrong.
type bodyReader struct {
	r io.Reader
	c io.Closer
}

func (b bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	return n, unreadable(err)
}

func (b bodyReader) Close() error { return b.c.Close() }

// noBody answers a request whose body the generated code left unset (a
// media type it does not pick up), instead of reading from nothing.
func noBody(takes string) error {
	return echo.NewHTTPError(http.StatusUnsupportedMediaType, "send the body as "+takes)
}

// formFile finds the part named "file" of a multipart form, reading past
// the others; what it returns reads the file and reports a cut-off part
// as a 400.
func formFile(mr *multipart.Reader) (io.Reader, error) {
	if mr == nil {
		return nil, problem.New(problem.ErrInvalid, "bad_content_type", "the upload must be sent as a multipart form")
	}
	for {
		part, err := mr.NextPart()
		// io.EOF itself is the form's clean end; wrapped, a form cut off.
		if err == io.EOF {
			return nil, problem.Invalid("the form has no file", problem.FieldError{Field: "file", Message: "choose a PDF to upload"})
		}
		if err != nil {
			return nil, problem.New(problem.ErrInvalid, "unreadable_body", "the form cannot be read: "+err.Error())
		}
		if part.FormName() == "file" {
			return bodyReader{r: part, c: part}, nil
		}
	}
}
