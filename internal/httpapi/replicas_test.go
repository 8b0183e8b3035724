package httpapi_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
)

// TestScheduledReleaseRunsOnceAcrossReplicas: three servers on one
// database, as behind a load balancer. The release job runs on the one
// that holds its lease, and every author gets the decision once.
func TestScheduledReleaseRunsOnceAcrossReplicas(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.create(t)
	if r := w.upload(t, id, corpus(t, "midpage4.pdf")); r.StatusCode != 200 {
		t.Fatalf("upload: %s", r.Body)
	}
	if r := w.s.As(t, w.chair, "PUT", fmt.Sprintf("/api/v1/submissions/%d/decision", id), map[string]string{"category": "accept-poster"}); r.StatusCode != 204 {
		t.Fatalf("decide: %s", r.Body)
	}
	if r := w.s.As(t, w.chair, "PUT", "/api/v1/venues/dlde-2023/release", map[string]string{"at": "2023-10-27 AoE"}); r.StatusCode != 200 {
		t.Fatalf("schedule: %s", r.Body)
	}
	env := apptest.Options{Env: map[string]string{"DATABASE_URL": w.s.App.Config.DatabaseURL}}
	replicas := []*apptest.Server{w.s, apptest.Start(t, env), apptest.Start(t, env)}
	after := time.Date(2023, 10, 28, 12, 0, 0, 0, time.UTC)
	for _, s := range replicas {
		s.Clock.Set(after)
	}
	// Wait until the mail went out through whichever replica released.
	waitAll := func() {
		t.Helper()
		deadline := time.Now().Add(time.Minute)
		for {
			n := 0
			for _, s := range replicas {
				n += mailsTo(s, "ada@uni.example", "#1 is accepted") + mailsTo(s, "bob@lab.example", "#1 is accepted")
			}
			if n >= 2 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("the release mail did not go out within a minute (%d of 2)", n)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitAll()
	// Let every replica's release job tick a few more times, then count.
	for _, s := range replicas {
		if _, err := s.App.Services.Decisions.SendDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		s.WaitOutboxSettled(t)
	}
	for _, to := range []string{"ada@uni.example", "bob@lab.example"} {
		n := 0
		for _, s := range replicas {
			n += mailsTo(s, to, "#1 is accepted")
		}
		if n != 1 {
			t.Errorf("%s got the decision %d times across the replicas, want once", to, n)
		}
	}
	var holders int
	if err := w.s.App.Pool.QueryRow(context.Background(), "SELECT count(DISTINCT holder) FROM leases WHERE name = 'release-decisions'").Scan(&holders); err != nil || holders != 1 {
		t.Errorf("the release job's lease has %d holders (%v), want one", holders, err)
	}
}
