// Package idempotency lets a client retry a create or an upload safely: a
// request carrying an Idempotency-Key that was seen before gets the first
// answer back instead of doing the work twice. Keys are per account.
//
// A claim on a key lasts while its request runs, and at most Bound after
// the request stops, however it stops (its process killed, the database
// gone before the key could be let go): the request renews the claim as it
// works, and a retry finding a claim older than that takes the key over
// and does the work. The work is done once all the same: the transaction
// that makes a request's change renews its claim first (Hold), so a request
// that lost its key to a retry changes nothing, and a retry cannot take a
// key whose change is being committed.
package idempotency

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/idempotency/idempotencydb"
	"github.com/quirehq/quire/internal/problem"
)

var q = idempotencydb.New()

// Bound is how long a claim outlives a request that stopped without
// answering; the API contract states it. Renew runs four times within it.
const Bound = 20 * time.Second

// RenewEvery is how often a running request renews its claim.
const RenewEvery = Bound / 4

// Answer is a stored response.
type Answer struct {
	Status int
	Body   json.RawMessage
}

// Claimed is a key held by the request running now.
type Claimed struct {
	UserID int64
	Key    string
	token  string
}

// ErrSuperseded refuses the change of a request whose key a retry took over
// (the request ran longer than Bound without renewing it): the retry does
// the work, this one must not.
var ErrSuperseded = problem.New(problem.ErrConflict, "request_superseded",
	"a retry with the same Idempotency-Key took this request over; its answer is the one that counts")

// ErrAnswerLost answers a retry of a request whose change was made but
// whose server stopped before it could answer: doing it again would make
// it twice, so the client is told to read the result instead.
var ErrAnswerLost = problem.New(problem.ErrConflict, "request_completed",
	"the first request with this Idempotency-Key made its change, but its answer was lost when its server stopped; read the result (for example the submission) instead of sending it again")

// Claim reserves key for a request of scope (method and route): it returns
// the claim to hold, or the stored answer when the key was used before for
// the same scope.
func Claim(ctx context.Context, db idempotencydb.DBTX, userID int64, key, scope string, now time.Time) (*Claimed, *Answer, error) {
	if len(key) == 0 || len(key) > 200 {
		return nil, nil, problem.Invalid("the Idempotency-Key header must be 1 to 200 characters", problem.FieldError{Field: "header.Idempotency-Key", Message: "1 to 200 characters"})
	}
	c := &Claimed{UserID: userID, Key: key, token: newToken()}
	for range 2 {
		until := now.Add(Bound)
		n, err := q.Claim(ctx, db, idempotencydb.ClaimParams{UserID: userID, Key: key, Scope: scope, CreatedAt: now, Claim: c.token, ClaimedUntil: &until})
		if err != nil {
			return nil, nil, err
		}
		if n == 1 {
			return c, nil, nil
		}
		row, err := q.Get(ctx, db, idempotencydb.GetParams{UserID: userID, Key: key})
		if errors.Is(err, pgx.ErrNoRows) { // let go in between: try once more
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		switch {
		case row.Scope != scope:
			return nil, nil, problem.New(problem.ErrUnprocessable, "idempotency_key_reused", "this Idempotency-Key was used for a different request")
		case row.Status == 0 && row.Committed && (row.ClaimedUntil == nil || !row.ClaimedUntil.After(now)):
			return nil, nil, ErrAnswerLost
		case row.Status == 0:
			pe := problem.New(problem.ErrConflict, "request_in_progress", "a request with this Idempotency-Key is still being processed; retry in a moment")
			pe.RetryAfter = RenewEvery
			if row.ClaimedUntil != nil && row.ClaimedUntil.After(now) {
				pe.RetryAfter = row.ClaimedUntil.Sub(now)
			}
			return nil, nil, pe
		}
		return nil, &Answer{Status: int(row.Status), Body: row.Body}, nil
	}
	return nil, nil, problem.New(problem.ErrConflict, "request_in_progress", "a request with this Idempotency-Key is being processed; retry in a moment")
}

// Renew extends the claim while its request works; ErrSuperseded when a
// retry took the key over.
func (c *Claimed) Renew(ctx context.Context, db idempotencydb.DBTX, now time.Time) error {
	until := now.Add(Bound)
	n, err := q.Renew(ctx, db, idempotencydb.RenewParams{UserID: c.UserID, Key: c.Key, Claim: c.token, ClaimedUntil: &until})
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrSuperseded
	}
	return nil
}

// Complete stores the answer to a claimed key. Server errors let the key go
// instead, so that a retry does the work, unless the change was committed
// (Hold): then the key stays, and a retry learns that. A request that lost
// its key stores nothing: the answer of the retry that took it over stands.
func (c *Claimed) Complete(ctx context.Context, db idempotencydb.DBTX, status int, body []byte) error {
	if status >= 500 || !json.Valid(body) {
		return q.Release(ctx, db, idempotencydb.ReleaseParams{UserID: c.UserID, Key: c.Key, Claim: c.token})
	}
	return q.Complete(ctx, db, idempotencydb.CompleteParams{UserID: c.UserID, Key: c.Key, Claim: c.token, Status: int32(status), Body: body})
}

type claimKey struct{}

// With puts the request's claim in its context, for Hold.
func With(ctx context.Context, c *Claimed) context.Context {
	return context.WithValue(ctx, claimKey{}, c)
}

// Hold marks the claim of the request in ctx, if it has one, inside tx,
// the transaction that makes the request's change: a request whose key a
// retry took over fails here and changes nothing; once tx commits, the key
// is never taken over (a retry gets the answer, or ErrAnswerLost if the
// server stopped before answering), and if tx rolls back, nothing is
// marked.
func Hold(ctx context.Context, tx pgx.Tx, now time.Time) error {
	c, ok := ctx.Value(claimKey{}).(*Claimed)
	if !ok {
		return nil
	}
	until := now.Add(Bound)
	n, err := q.Commit(ctx, tx, idempotencydb.CommitParams{UserID: c.UserID, Key: c.Key, Claim: c.token, ClaimedUntil: &until})
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrSuperseded
	}
	return nil
}

func newToken() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand does not fail on Linux
	return hex.EncodeToString(b[:])
}
