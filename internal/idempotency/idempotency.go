// Package idempotency lets a client retry a create or an upload safely: a
// request carrying an Idempotency-Key that was seen before gets the first
// answer back instead of doing the work twice. Keys are per account.
package idempotency

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/idempotency/idempotencydb"
	"github.com/quirehq/quire/internal/problem"
)

var q = idempotencydb.New()

// Answer is a stored response.
type Answer struct {
	Status int
	Body   json.RawMessage
}

// Claim reserves key for a request of scope (method and route). It returns
// the stored answer when the key was used before for the same scope.
func Claim(ctx context.Context, db idempotencydb.DBTX, userID int64, key, scope string, now time.Time) (*Answer, error) {
	if len(key) == 0 || len(key) > 200 {
		return nil, problem.Invalid("the Idempotency-Key header must be 1 to 200 characters", problem.FieldError{Field: "header.Idempotency-Key", Message: "1 to 200 characters"})
	}
	n, err := q.Claim(ctx, db, idempotencydb.ClaimParams{UserID: userID, Key: key, Scope: scope, CreatedAt: now})
	if err != nil || n == 1 {
		return nil, err
	}
	row, err := q.Get(ctx, db, idempotencydb.GetParams{UserID: userID, Key: key})
	if errors.Is(err, pgx.ErrNoRows) { // released in between: try once more
		return Claim(ctx, db, userID, key, scope, now)
	}
	if err != nil {
		return nil, err
	}
	switch {
	case row.Scope != scope:
		return nil, problem.New(problem.ErrUnprocessable, "idempotency_key_reused", "this Idempotency-Key was used for a different request")
	case row.Status == 0:
		return nil, problem.New(problem.ErrConflict, "request_in_progress", "a request with this Idempotency-Key is still being processed; retry in a moment")
	}
	return &Answer{Status: int(row.Status), Body: row.Body}, nil
}

// Complete stores the answer to a claimed key. Server errors release the key
// instead, so that a retry does the work.
func Complete(ctx context.Context, db idempotencydb.DBTX, userID int64, key string, status int, body []byte) error {
	if status >= 500 || !json.Valid(body) {
		return q.Release(ctx, db, idempotencydb.ReleaseParams{UserID: userID, Key: key})
	}
	return q.Complete(ctx, db, idempotencydb.CompleteParams{UserID: userID, Key: key, Status: int32(status), Body: body})
}
