package venue_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/dbtest"
	"github.com/quirehq/quire/internal/venue"
	"github.com/quirehq/quire/internal/venue/venuedb"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// TestCheckAppliesExtensionsAndOverrides walks the one gate every
// deadline-gated action goes through, with what is stored in the database.
func TestCheckAppliesExtensionsAndOverrides(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.Pool(t)
	clk := clock.NewFake(time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC))
	store := &venue.Store{Clock: clk}
	admin := &venue.Admin{DB: pool, Store: store}
	rec, err := store.Create(ctx, pool, venue.DemoYAML())
	if err != nil {
		t.Fatal(err)
	}
	var chair, rev1, rev2 int64
	for _, u := range []struct {
		id    *int64
		email string
	}{{&chair, "chair@x.org"}, {&rev1, "r1@x.org"}, {&rev2, "r2@x.org"}} {
		if err := pool.QueryRow(ctx, `INSERT INTO users (email, name, password_hash, created_at, updated_at) VALUES ($1, $1, 'x', now(), now()) RETURNING id`, u.email).Scan(u.id); err != nil {
			t.Fatal(err)
		}
	}
	for _, g := range []struct {
		id   int64
		role string
	}{{chair, venue.RoleChair}, {rev1, venue.RoleReviewer}, {rev2, venue.RoleReviewer}} {
		if err := store.Grant(ctx, pool, rec.ID, g.id, g.role, nil); err != nil {
			t.Fatal(err)
		}
	}
	reviewDeadline := time.Date(2023, 10, 19, 11, 59, 59, 0, time.UTC)
	after := reviewDeadline.Add(2 * time.Hour)

	// Past the review deadline nobody may review...
	for _, r := range []int64{rev1, rev2} {
		_, err := store.Check(ctx, pool, rec, venue.ActionReview, venue.Subject{ReviewerID: r}, after)
		var de *venue.DeadlineError
		if !errors.As(err, &de) || !de.Deadline.Equal(reviewDeadline) {
			t.Fatalf("reviewer %d after the deadline: %v", r, err)
		}
	}
	// ...until a chair extends it for one reviewer.
	byID := func(context.Context, venuedb.DBTX, int64, string) (int64, error) { return rev1, nil }
	if _, err := admin.Extend(ctx, rec.Slug, chair, venue.ExtensionInput{Action: venue.ActionReview, ReviewerEmail: "r1@x.org", Until: "2023-10-20 AoE", Reason: "illness"}, byID, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	res, err := store.Check(ctx, pool, rec, venue.ActionReview, venue.Subject{ReviewerID: rev1}, after)
	if err != nil || !res.Allowed || !res.Extended {
		t.Fatalf("extended reviewer: %+v %v", res, err)
	}
	if _, err := store.Check(ctx, pool, rec, venue.ActionReview, venue.Subject{ReviewerID: rev2}, after); err == nil {
		t.Fatal("the extension leaked to another reviewer")
	}
	// A reviewer who is not a chair cannot grant extensions.
	if _, err := admin.Extend(ctx, rec.Slug, rev2, venue.ExtensionInput{Action: venue.ActionReview, ReviewerEmail: "r2@x.org", Until: "2023-10-30 AoE", Reason: "me"}, byID, ""); err == nil {
		t.Fatal("a reviewer granted an extension")
	}

	// Submission is open on 2023-10-05; a chair closing it early refuses uploads from then on.
	clk.Set(time.Date(2023, 10, 5, 0, 0, 0, 0, time.UTC))
	if _, err := store.Check(ctx, pool, rec, venue.ActionSubmit, venue.Subject{Submission: "3"}, clk.Now()); err != nil {
		t.Fatalf("open submission: %v", err)
	}
	if _, err := admin.Override(ctx, rec.Slug, chair, venue.PhaseSubmission, venue.OverrideClose, "moved to OpenReview", ""); err != nil {
		t.Fatal(err)
	}
	_, err = store.Check(ctx, pool, rec, venue.ActionSubmit, venue.Subject{Submission: "3"}, clk.Now().Add(time.Minute))
	var de *venue.DeadlineError
	if !errors.As(err, &de) || !de.ClosedEarly {
		t.Fatalf("after an early close: %v", err)
	}
	if ph, err := store.PhaseNow(ctx, pool, rec); err != nil || ph == venue.PhaseSubmission {
		t.Fatalf("phase after an early close: %s %v", ph, err)
	}
}
