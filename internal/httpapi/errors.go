package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/fault"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

// Document is an RFC 9457 problem document as Quire sends it.
type Document struct {
	Type      string               `json:"type"`
	Title     string               `json:"title"`
	Status    int                  `json:"status"`
	Detail    string               `json:"detail"`
	Instance  string               `json:"instance,omitempty"`
	Code      string               `json:"code"`
	RequestID string               `json:"request_id,omitempty"`
	Errors    []problem.FieldError `json:"errors,omitempty"`
}

// kinds maps each failure kind to its HTTP status and default code. This table
// and errorHandler are the only place domain errors become HTTP.
var kinds = []struct {
	kind   error
	status int
	code   string
}{
	{problem.ErrInvalid, http.StatusBadRequest, "invalid_request"},
	{problem.ErrUnauthorized, http.StatusUnauthorized, "unauthorized"},
	{problem.ErrForbidden, http.StatusForbidden, "forbidden"},
	{problem.ErrNotFound, http.StatusNotFound, "not_found"},
	{problem.ErrConflict, http.StatusConflict, "conflict"},
	{problem.ErrDeadlinePassed, http.StatusForbidden, "deadline_passed"},
	{problem.ErrTooLarge, http.StatusRequestEntityTooLarge, "payload_too_large"},
	{problem.ErrRateLimited, http.StatusTooManyRequests, "rate_limited"},
	{problem.ErrUnprocessable, http.StatusUnprocessableEntity, "unprocessable"},
	{problem.ErrUnavailable, http.StatusServiceUnavailable, "unavailable"},
}

// echoCodes names the errors Echo itself raises (routing, binding, limits).
var echoCodes = map[int]string{
	http.StatusBadRequest:            "invalid_request",
	http.StatusUnauthorized:          "unauthorized",
	http.StatusForbidden:             "forbidden",
	http.StatusNotFound:              "not_found",
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusRequestEntityTooLarge: "payload_too_large",
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusTooManyRequests:       "rate_limited",
	http.StatusServiceUnavailable:    "unavailable",
}

// ProblemType is the URI that identifies a problem code.
func ProblemType(code string) string { return "urn:quire:problem:" + code }

// fromDomain turns domain errors that carry more than a kind into problems.
func fromDomain(err error) error {
	var de *venue.DeadlineError
	if errors.As(err, &de) {
		code := "deadline_passed"
		if de.NotOpen {
			code = "not_open"
		}
		pe := problem.New(problem.ErrDeadlinePassed, code, de.Error())
		if !de.Deadline.IsZero() {
			pe.Extra = map[string]any{"deadline_utc": de.Deadline.UTC(), "deadline_aoe": venue.FormatAoE(de.Deadline)}
		}
		return pe
	}
	return err
}

func toDocument(err error) (Document, *problem.Error) {
	err = fault.Classify(fromDomain(err))
	var pe *problem.Error
	if errors.As(err, &pe) {
		d := Document{Code: pe.Code, Detail: pe.Detail, Errors: pe.Fields, Status: http.StatusInternalServerError}
		for _, k := range kinds {
			if errors.Is(pe.Kind, k.kind) {
				d.Status = k.status
				if d.Code == "" {
					d.Code = k.code
				}
				break
			}
		}
		return d, pe
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return Document{Status: http.StatusRequestEntityTooLarge, Code: "payload_too_large",
			Detail: fmt.Sprintf("the request body is larger than the limit of %d bytes", mbe.Limit)}, nil
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		code, ok := echoCodes[he.Code]
		if !ok {
			code = "http_" + strconv.Itoa(he.Code)
		}
		detail := http.StatusText(he.Code)
		if m, ok := he.Message.(string); ok && m != "" {
			detail = m
		}
		if he.Code == http.StatusRequestEntityTooLarge {
			detail = "the request body is larger than this endpoint accepts"
		}
		return Document{Status: he.Code, Code: code, Detail: detail}, nil
	}
	for _, k := range kinds {
		if errors.Is(err, k.kind) {
			return Document{Status: k.status, Code: k.code, Detail: err.Error()}, nil
		}
	}
	return Document{Status: http.StatusInternalServerError, Code: "internal_error",
		Detail: "something went wrong on our side; the error has been logged with this request's id"}, nil
}

// errorHandler is Echo's single exit for errors: everything becomes
// application/problem+json, and unknown errors are logged, never shown.
func errorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		if errors.Is(err, context.Canceled) && c.Request().Context().Err() != nil {
			// The client ended the request (often mid-body): its fault, not ours.
			err = unreadable(err)
		}
		doc, pe := toDocument(err)
		doc.Type = ProblemType(doc.Code)
		doc.Title = http.StatusText(doc.Status)
		doc.Instance = c.Request().URL.Path
		doc.RequestID = c.Response().Header().Get(echo.HeaderXRequestID)
		if doc.Status >= 500 {
			log.ErrorContext(c.Request().Context(), "request failed", "request_id", doc.RequestID, "path", doc.Instance, "err", err)
		}
		if pe != nil && pe.RetryAfter > 0 {
			c.Response().Header().Set("Retry-After", strconv.Itoa(int(pe.RetryAfter.Seconds()+0.999)))
		}
		body := map[string]any{}
		add := func(k string, v any) { body[k] = v }
		add("type", doc.Type)
		add("title", doc.Title)
		add("status", doc.Status)
		add("detail", doc.Detail)
		add("instance", doc.Instance)
		add("code", doc.Code)
		if doc.RequestID != "" {
			add("request_id", doc.RequestID)
		}
		if len(doc.Errors) > 0 {
			add("errors", doc.Errors)
		}
		if pe != nil {
			for k, v := range pe.Extra {
				if _, taken := body[k]; !taken {
					body[k] = v
				}
			}
		}
		c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(doc.Status)
			return
		}
		_ = c.JSON(doc.Status, body)
	}
}
