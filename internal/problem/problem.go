// Package problem defines the kinds of failure every domain package shares,
// and the error value that carries a stable machine-readable code and a human
// message. Domain code wraps these; the HTTP layer turns them into RFC 9457
// problem+json exactly once.
package problem

import (
	"errors"
	"time"
)

// Kinds of failure. Wrap them (fmt.Errorf("%w: ...", ErrNotFound)) or use New.
var (
	ErrInvalid        = errors.New("invalid input")
	ErrUnauthorized   = errors.New("authentication required")
	ErrForbidden      = errors.New("forbidden")
	ErrNotFound       = errors.New("not found")
	ErrConflict       = errors.New("conflict")
	ErrDeadlinePassed = errors.New("deadline passed")
	ErrTooLarge       = errors.New("too large")
	ErrRateLimited    = errors.New("too many requests")
	ErrUnprocessable  = errors.New("unprocessable content")
	// ErrUnavailable is a fault of the server that a retry may get past
	// (a tool the server needs is missing): nothing was changed.
	ErrUnavailable = errors.New("service unavailable")
)

// FieldError points at one bad input field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is a failure with a stable code (e.g. "email_taken") a client can
// branch on, and a detail a person can read.
type Error struct {
	Kind       error
	Code       string
	Detail     string
	Fields     []FieldError
	RetryAfter time.Duration
	// Extra members added to the problem document (e.g. a page-check report).
	Extra map[string]any
	Cause error
}

// New makes an Error of a kind with a code and a human detail.
func New(kind error, code, detail string) *Error {
	return &Error{Kind: kind, Code: code, Detail: detail}
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return e.Detail + ": " + e.Cause.Error()
	}
	return e.Detail
}

// Unwrap exposes both the kind and the cause to errors.Is and errors.As.
func (e *Error) Unwrap() []error {
	out := []error{e.Kind}
	if e.Cause != nil {
		out = append(out, e.Cause)
	}
	return out
}

// Invalid is the common case of one or more bad fields.
func Invalid(detail string, fields ...FieldError) *Error {
	return &Error{Kind: ErrInvalid, Code: "invalid_request", Detail: detail, Fields: fields}
}
