package pdfcheck

import (
	"errors"
	"fmt"
)

// Refusals. Each has a stable machine code (CheckError.Code) that the
// upload endpoint returns and the web page explains.
var (
	ErrNotPDF       = errors.New("not a PDF file")
	ErrEncrypted    = errors.New("PDF is encrypted with a password")
	ErrDamaged      = errors.New("PDF is damaged beyond repair")
	ErrTooLarge     = errors.New("file is too large")
	ErrTooManyPages = errors.New("too many pages")
	ErrPageSize     = errors.New("unsupported page size")
	ErrOverLimit    = errors.New("over the page limit")
	// ErrFormat is a body that leaves the venue's template (format.go).
	ErrFormat = errors.New("does not follow the venue's template")
	// ErrBomb is a stream that decompresses to far more than any paper needs.
	ErrBomb = errors.New("PDF decompresses to an unreasonable size")
	// ErrTimeout and ErrMemoryLimit mean the sandbox killed the check.
	ErrTimeout     = errors.New("PDF check took too long")
	ErrMemoryLimit = errors.New("PDF check used too much memory")
	// ErrCheckFailed is a failure of the checker itself (worker missing,
	// crashed without a verdict), not of the file.
	ErrCheckFailed = errors.New("PDF check failed")
)

var codes = map[error]string{
	ErrNotPDF:       "not_pdf",
	ErrEncrypted:    "encrypted",
	ErrDamaged:      "invalid_pdf",
	ErrTooLarge:     "too_large",
	ErrTooManyPages: "too_many_pages",
	ErrPageSize:     "page_size",
	ErrOverLimit:    "over_page_limit",
	ErrFormat:       "format_violation",
	ErrBomb:         "decompression_bomb",
	ErrTimeout:      "check_timeout",
	ErrMemoryLimit:  "check_memory_limit",
	ErrCheckFailed:  "check_failed",
}

// CheckError is a refusal: Code is stable, Report is filled when the check
// got far enough to produce one (always for over_page_limit).
type CheckError struct {
	Code   string
	Err    error // one of the sentinels above
	Detail string
	Report *Report
}

func (e *CheckError) Error() string {
	if e.Detail == "" {
		return e.Err.Error()
	}
	return e.Err.Error() + ": " + e.Detail
}

func (e *CheckError) Unwrap() error { return e.Err }

// refuse builds a CheckError for a sentinel.
func refuse(sentinel error, format string, args ...any) *CheckError {
	return &CheckError{Code: codes[sentinel], Err: sentinel, Detail: fmt.Sprintf(format, args...)}
}

// sentinelFor maps a code back to its sentinel, for errors that crossed the
// process boundary as JSON.
func sentinelFor(code string) error {
	for err, c := range codes {
		if c == code {
			return err
		}
	}
	return ErrCheckFailed
}
