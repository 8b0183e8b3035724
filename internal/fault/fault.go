// Package fault tells a fault of ours or of a dependency (PostgreSQL not
// answering, the object store down) from everything else, so that both the
// API and the pages answer it the same way: 503 with Retry-After and a
// stable code, the person's session untouched, and nothing stored.
//
// Domain packages do not have to know: an error that reaches the edge
// unclassified is looked at here, once, before it would become a 500.
package fault

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/quirehq/quire/internal/problem"
)

// RetryAfter is what a client is told to wait after a dependency fault:
// long enough for a database restart or a fail-over to finish, short
// enough that nobody gives up.
const RetryAfter = 5 * time.Second

// ErrStorage marks a failure of the file store (an S3 bucket or the data
// folder) that a retry may get past. The blob package wraps its
// transport failures with it.
var ErrStorage = errors.New("the file store did not answer")

// Codes of the faults, stable for clients to branch on.
const (
	CodeDatabase = "database_unavailable"
	CodeStorage  = "storage_unavailable"
)

// Classify returns err as a 503 problem when it is a dependency fault, and
// err itself otherwise. A problem already classified is left as it is.
func Classify(err error) error {
	var pe *problem.Error
	if err == nil || errors.As(err, &pe) {
		return err
	}
	switch {
	case errors.Is(err, ErrStorage):
		return unavailable(CodeStorage, "the file store does not answer; nothing was stored. Please try again in a moment", err)
	case Database(err):
		return unavailable(CodeDatabase, "the database does not answer; nothing was stored. Please try again in a moment", err)
	}
	return err
}

func unavailable(code, detail string, cause error) *problem.Error {
	pe := problem.New(problem.ErrUnavailable, code, detail)
	pe.Cause, pe.RetryAfter = cause, RetryAfter
	return pe
}

// Database reports whether err says PostgreSQL could not be reached or
// dropped the connection, rather than refusing what was asked of it.
func Database(err error) bool {
	if err == nil {
		return false
	}
	var pge *pgconn.PgError
	if errors.As(err, &pge) {
		// Class 08: connection exception; 57P01-03: the server is shutting
		// down or starting; 53300: too many connections.
		return strings.HasPrefix(pge.Code, "08") || pge.Code == "57P01" || pge.Code == "57P02" || pge.Code == "57P03" || pge.Code == "53300"
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	if pgconn.Timeout(err) {
		return true
	}
	// A pool that waited its whole acquire timeout for a connection.
	if errors.Is(err, context.DeadlineExceeded) && strings.Contains(err.Error(), "acquire") {
		return true
	}
	for _, e := range []error{io.EOF, io.ErrUnexpectedEOF, syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.EPIPE} {
		if errors.Is(err, e) {
			return true
		}
	}
	var ne *net.OpError
	if errors.As(err, &ne) {
		return true
	}
	// pgx says so in words when the connection went away under a query.
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "closed pool") || strings.Contains(msg, "failed to connect")
}
