package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/api"
	"github.com/quirehq/quire/internal/idempotency"
)

// TestAKeyLeftByADeadRequestIsTakenOver: an upload whose replica was
// killed (or whose database went away before the key could be let go)
// leaves its Idempotency-Key claimed. A retry is told to wait while the
// claim could still be alive, with Retry-After, and does the work once the
// claim is older than idempotency.Bound: one new revision, and the same
// answer to every later retry.
func TestAKeyLeftByADeadRequestIsTakenOver(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.create(t)
	path := fmt.Sprintf("/api/v1/submissions/%d/pdf", id)
	var uid int64
	ctx := context.Background()
	if err := w.s.App.Pool.QueryRow(ctx, "SELECT id FROM users WHERE email = 'ada@uni.example'").Scan(&uid); err != nil {
		t.Fatal(err)
	}
	// What the killed request left: a claim nobody will renew or let go.
	now := w.s.Clock.Now()
	if _, err := w.s.App.Pool.Exec(ctx, `INSERT INTO idempotency_keys (user_id, key, scope, status, body, created_at, claim, claimed_until)
		VALUES ($1, 'upload-9', $2, 0, '', $3, 'dead', $4)`, uid, "PUT "+path, now, now.Add(idempotency.Bound)); err != nil {
		t.Fatal(err)
	}
	pdf := corpus(t, "midpage4.pdf")
	r := w.upload(t, id, pdf, "Idempotency-Key", "upload-9")
	expectProblem(t, r, http.StatusConflict, "request_in_progress")
	if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 || s > int(idempotency.Bound.Seconds()) {
		t.Errorf("Retry-After %q", r.Header.Get("Retry-After"))
	}
	w.s.Clock.Advance(idempotency.Bound + time.Second)
	first := w.upload(t, id, pdf, "Idempotency-Key", "upload-9")
	again := w.upload(t, id, pdf, "Idempotency-Key", "upload-9")
	if first.StatusCode != http.StatusOK || again.StatusCode != http.StatusOK || string(first.Body) != string(again.Body) || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("after the bound: %s %s / %s", first.Status, first.Body, again.Body)
	}
	var revs []map[string]any
	w.s.As(t, w.author, "GET", fmt.Sprintf("/api/v1/submissions/%d/revisions", id), nil).JSON(t, &revs)
	if len(revs) != 2 {
		t.Fatalf("%d revisions: one for the creation and one for the upload expected", len(revs))
	}
}

// TestTheContractStatesTheBound keeps the promise made to API clients in
// step with the code.
func TestTheContractStatesTheBound(t *testing.T) {
	t.Parallel()
	want := "at most " + strconv.Itoa(int(idempotency.Bound.Seconds())) + " seconds"
	if !strings.Contains(strings.Join(strings.Fields(string(api.Spec)), " "), want) {
		t.Errorf("api/openapi.yaml does not say %q of the Idempotency-Key", want)
	}
}
