package idempotency_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/dbtest"
	"github.com/quirehq/quire/internal/idempotency"
	"github.com/quirehq/quire/internal/problem"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var t0 = time.Date(2023, 10, 8, 20, 0, 0, 0, time.UTC)

func code(err error) string {
	var pe *problem.Error
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// TestAClaimLastsWhileItsRequestRuns walks a key through what a killed
// replica leaves behind: a claim nobody renews is taken over once it is
// older than Bound, the request that lost it can neither act nor answer,
// and the answer of the one that took it over is what every later retry
// gets.
func TestAClaimLastsWhileItsRequestRuns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.Pool(t)
	var uid int64
	if err := db.QueryRow(ctx, `INSERT INTO users (email, name, password_hash, created_at, updated_at) VALUES ('a@x.example', 'A', 'x', now(), now()) RETURNING id`).Scan(&uid); err != nil {
		t.Fatal(err)
	}
	const scope = "PUT /api/v1/submissions/1/pdf"
	a, prev, err := idempotency.Claim(ctx, db, uid, "k1", scope, t0)
	if err != nil || a == nil || prev != nil {
		t.Fatalf("first claim: %v %v %v", a, prev, err)
	}
	// While A runs (and renews), a retry waits, told for how long.
	if err := a.Renew(ctx, db, t0.Add(idempotency.RenewEvery)); err != nil {
		t.Fatal(err)
	}
	_, _, err = idempotency.Claim(ctx, db, uid, "k1", scope, t0.Add(idempotency.Bound))
	var pe *problem.Error
	if code(err) != "request_in_progress" || !errors.As(err, &pe) || pe.RetryAfter != idempotency.RenewEvery {
		t.Fatalf("a retry while the first runs: %v", err)
	}
	if _, _, err := idempotency.Claim(ctx, db, uid, "k1", "POST /other", t0); code(err) != "idempotency_key_reused" {
		t.Fatalf("the key on another request: %v", err)
	}
	// A stops renewing (its process is gone): past the bound, B takes over.
	late := t0.Add(idempotency.RenewEvery + idempotency.Bound + time.Second)
	b, prev, err := idempotency.Claim(ctx, db, uid, "k1", scope, late)
	if err != nil || b == nil || prev != nil {
		t.Fatalf("the takeover: %v %v %v", b, prev, err)
	}
	// A, were it still alive, changes nothing and answers nothing.
	err = pgx.BeginFunc(idempotency.With(ctx, a), db, func(tx pgx.Tx) error { return idempotency.Hold(idempotency.With(ctx, a), tx, late) })
	if !errors.Is(err, idempotency.ErrSuperseded) {
		t.Fatalf("the old request's transaction: %v", err)
	}
	if err := a.Complete(ctx, db, 200, []byte(`{"who":"a"}`)); err != nil {
		t.Fatal(err)
	}
	// B's change holds the key while it commits, then B answers.
	if err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error { return idempotency.Hold(idempotency.With(ctx, b), tx, late) }); err != nil {
		t.Fatalf("the new request's transaction: %v", err)
	}
	if err := b.Complete(ctx, db, 200, []byte(`{"who":"b"}`)); err != nil {
		t.Fatal(err)
	}
	_, prev, err = idempotency.Claim(ctx, db, uid, "k1", scope, late.Add(time.Hour))
	if err != nil || prev == nil || string(prev.Body) != `{"who":"b"}` {
		t.Fatalf("the stored answer: %+v %v", prev, err)
	}
	// A server error lets the key go at once: the next retry does the work.
	c, _, _ := idempotency.Claim(ctx, db, uid, "k2", scope, t0)
	if err := c.Complete(ctx, db, 503, nil); err != nil {
		t.Fatal(err)
	}
	if d, _, err := idempotency.Claim(ctx, db, uid, "k2", scope, t0.Add(time.Second)); err != nil || d == nil {
		t.Fatalf("after a 503: %v %v", d, err)
	}
	// A claim made before claims had a bound is stale at once.
	if _, err := db.Exec(ctx, `INSERT INTO idempotency_keys (user_id, key, scope, status, body, created_at) VALUES ($1, 'old', $2, 0, '', $3)`, uid, scope, t0); err != nil {
		t.Fatal(err)
	}
	if e, _, err := idempotency.Claim(ctx, db, uid, "old", scope, t0.Add(time.Second)); err != nil || e == nil {
		t.Fatalf("a claim from before the bound: %v %v", e, err)
	}
	// A request that made its change and died before answering: its key is
	// never taken over, and a retry is told to read the result instead.
	f, _, _ := idempotency.Claim(ctx, db, uid, "k3", scope, t0)
	if err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error { return idempotency.Hold(idempotency.With(ctx, f), tx, t0) }); err != nil {
		t.Fatal(err)
	}
	if err := f.Complete(ctx, db, 500, nil); err != nil { // its answer failed: the key stays
		t.Fatal(err)
	}
	if _, _, err := idempotency.Claim(ctx, db, uid, "k3", scope, t0.Add(time.Second)); code(err) != "request_in_progress" {
		t.Fatalf("a retry within the bound of a committed request: %v", err)
	}
	if g, _, err := idempotency.Claim(ctx, db, uid, "k3", scope, t0.Add(idempotency.Bound+time.Second)); g != nil || code(err) != "request_completed" {
		t.Fatalf("a retry of a committed request whose answer was lost: %v %v", g, err)
	}
	// A change that rolled back marks nothing: the key is taken over.
	h, _, _ := idempotency.Claim(ctx, db, uid, "k4", scope, t0)
	_ = pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if err := idempotency.Hold(idempotency.With(ctx, h), tx, t0); err != nil {
			return err
		}
		return errors.New("the upload was refused")
	})
	if i, _, err := idempotency.Claim(ctx, db, uid, "k4", scope, t0.Add(idempotency.Bound+time.Second)); err != nil || i == nil {
		t.Fatalf("a retry after a rolled-back change: %v %v", i, err)
	}
	// Without a claim in the context, Hold has nothing to do.
	if err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error { return idempotency.Hold(ctx, tx, t0) }); err != nil {
		t.Fatal(err)
	}
}
