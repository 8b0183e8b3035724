package fault

import (
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/quirehq/quire/internal/problem"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	refused := &net.OpError{Op: "dial", Net: "unix", Err: syscall.ECONNREFUSED}
	tests := []struct {
		name string
		err  error
		code string // "" = left as it is
	}{
		{"a dropped connection", fmt.Errorf("listing: %w", &net.OpError{Op: "write", Net: "unix", Err: syscall.EPIPE}), CodeDatabase},
		{"a refused connection", fmt.Errorf("rate limit: %w", refused), CodeDatabase},
		{"the server shutting down", &pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"}, CodeDatabase},
		{"a connection exception", &pgconn.PgError{Code: "08006"}, CodeDatabase},
		{"too many connections", &pgconn.PgError{Code: "53300"}, CodeDatabase},
		{"an end of stream", fmt.Errorf("reading: %w", io.ErrUnexpectedEOF), CodeDatabase},
		{"a closed pool", errors.New("closed pool"), CodeDatabase},
		{"the object store", fmt.Errorf("blob: s3 put x: %w: %w", ErrStorage, refused), CodeStorage},
		// Refusals of what was asked are not faults of a dependency.
		{"a unique violation", &pgconn.PgError{Code: "23505"}, ""},
		{"a missing table", &pgconn.PgError{Code: "42P01"}, ""},
		{"no rows", pgx.ErrNoRows, ""},
		{"a bug", errors.New("index out of range"), ""},
		{"a problem already", problem.New(problem.ErrNotFound, "x", "y"), ""},
	}
	for _, tt := range tests {
		got := Classify(tt.err)
		var pe *problem.Error
		isFault := errors.As(got, &pe) && errors.Is(got, problem.ErrUnavailable)
		switch {
		case tt.code == "" && got != tt.err:
			t.Errorf("%s: changed into %v", tt.name, got)
		case tt.code != "" && (!isFault || pe.Code != tt.code || pe.RetryAfter != RetryAfter):
			t.Errorf("%s: %v, want a 503 %s with Retry-After", tt.name, got, tt.code)
		case tt.code != "" && !errors.Is(got, tt.err):
			t.Errorf("%s: the cause is lost", tt.name)
		}
	}
	if Classify(nil) != nil {
		t.Error("nil is a fault")
	}
}
