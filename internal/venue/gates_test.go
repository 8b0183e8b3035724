package venue_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/database"
	"github.com/quirehq/quire/internal/dbtest"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
	"github.com/quirehq/quire/internal/venue/venuedb"
)

// gateWorld is a demo venue with a chair and two reviewers on pool.
type gateWorld struct {
	clk               *clock.Fake
	store             *venue.Store
	admin             *venue.Admin
	rec               venue.Record
	chair, rev1, rev2 int64
}

func newGateWorld(t *testing.T, pool *pgxpool.Pool) *gateWorld {
	t.Helper()
	ctx := context.Background()
	w := &gateWorld{clk: clock.NewFake(time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC))}
	w.store = &venue.Store{Clock: w.clk}
	w.admin = &venue.Admin{DB: pool, Store: w.store}
	var err error
	if w.rec, err = w.store.Create(ctx, pool, venue.DemoYAML()); err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		id    *int64
		email string
		role  string
	}{{&w.chair, "chair@x.org", venue.RoleChair}, {&w.rev1, "r1@x.org", venue.RoleReviewer}, {&w.rev2, "r2@x.org", venue.RoleReviewer}} {
		if err := pool.QueryRow(ctx, `INSERT INTO users (email, name, password_hash, created_at, updated_at) VALUES ($1, $1, 'x', now(), now()) RETURNING id`, u.email).Scan(u.id); err != nil {
			t.Fatal(err)
		}
		if err := w.store.Grant(ctx, pool, w.rec.ID, *u.id, u.role, nil); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// extend grants an extension as a chair does, at the clock's instant.
func (w *gateWorld) extend(t *testing.T, action venue.Action, reviewer int64, submission, until string) {
	t.Helper()
	in := venue.ExtensionInput{Action: action, Submission: submission, Until: until, Reason: "asked"}
	if reviewer != 0 {
		in.ReviewerEmail = fmt.Sprint(reviewer)
	}
	byID := func(context.Context, venuedb.DBTX, int64, string) (int64, error) { return reviewer, nil }
	if _, err := w.admin.Extend(context.Background(), w.rec.Slug, w.chair, in, byID, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
}

func (w *gateWorld) override(t *testing.T, at time.Time, phase venue.Phase, kind venue.OverrideKind) {
	t.Helper()
	w.clk.Set(at)
	if _, err := w.admin.Override(context.Background(), w.rec.Slug, w.chair, phase, kind, "chairs' call", "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
}

// gated reads the world's venue as a page does.
func gated(t *testing.T, store *venue.Store, db venuedb.DBTX, slug string) venue.GatedVenue {
	t.Helper()
	vs, err := store.Gated(context.Background(), db, []string{slug})
	if err != nil || len(vs) != 1 {
		t.Fatalf("Gated(%s): %v, %d venues", slug, err, len(vs))
	}
	return vs[0]
}

// TestGatedDecidesAsCheck: a page's gates, decided on what was read once
// with the venue, say what Check says, at every instant around every
// deadline, override and extension, for every action and subject: the
// newest extension wins, a chair's early close removes grace, an archived
// venue refuses everything.
func TestGatedDecidesAsCheck(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.Pool(t)
	w := newGateWorld(t, pool)
	d := w.rec.Settings.Deadlines

	w.clk.Set(time.Date(2023, 10, 2, 0, 0, 0, 0, time.UTC))
	w.extend(t, venue.ActionReview, w.rev1, "", "2023-10-21 AoE")
	w.extend(t, venue.ActionReview, w.rev1, "", "2023-10-20 AoE") // newer, shorter: it wins
	w.extend(t, venue.ActionBid, w.rev2, "", "2023-10-13 12:00 UTC")
	w.extend(t, venue.ActionSubmit, 0, "1", "2023-10-03 AoE")
	w.extend(t, venue.ActionCameraReady, 0, "2", "2023-11-30 AoE")
	w.override(t, d.Bidding.At.Add(-6*time.Hour), venue.PhaseBidding, venue.OverrideClose)
	w.override(t, d.Decision.At.Add(-48*time.Hour), venue.PhaseDecision, venue.OverrideClose)
	w.override(t, d.Decision.At.Add(-24*time.Hour), venue.PhaseReviewing, venue.OverrideOpen)

	var instants []time.Time
	for _, at := range []time.Time{d.SubmissionOpens.At, d.Submission.At, d.Bidding.At, d.Review.At, d.Decision.At, d.CameraReady.At,
		d.Bidding.At.Add(-6 * time.Hour), d.Decision.At.Add(-48 * time.Hour), d.Decision.At.Add(-24 * time.Hour),
		time.Date(2023, 10, 3, 23, 59, 59, 0, venue.AoE), time.Date(2023, 10, 13, 12, 0, 0, 0, time.UTC),
		time.Date(2023, 10, 20, 23, 59, 59, 0, venue.AoE), time.Date(2023, 11, 30, 23, 59, 59, 0, venue.AoE)} {
		if at.IsZero() {
			continue
		}
		for _, off := range []time.Duration{-time.Second, -time.Nanosecond, 0, time.Nanosecond, time.Second, 10 * time.Minute, 2 * time.Hour} {
			instants = append(instants, at.Add(off))
		}
	}
	subjects := []venue.Subject{{}, {ReviewerID: w.rev1}, {ReviewerID: w.rev2}, {Submission: "1"}, {Submission: "2"}}
	actions := []venue.Action{venue.ActionSubmit, venue.ActionBid, venue.ActionReview, venue.ActionRespond, venue.ActionDecide, venue.ActionCameraReady}

	compare := func(rec venue.Record, g venue.GatedVenue) (allowed int) {
		t.Helper()
		for _, at := range instants {
			w.clk.Set(at)
			want, err := w.store.PhaseNow(ctx, pool, rec)
			if err != nil {
				t.Fatal(err)
			}
			if got := g.PhaseAt(at); got != want {
				t.Fatalf("phase at %s: %s, Check's store says %s", at, got, want)
			}
			for _, a := range actions {
				for _, s := range subjects {
					want, wantErr := w.store.Check(ctx, pool, rec, a, s, at)
					got, gotErr := g.Check(a, s, at)
					if !sameResult(got, want) || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || errors.Is(gotErr, venue.ErrDeadlinePassed) != errors.Is(wantErr, venue.ErrDeadlinePassed) ||
						errors.Is(gotErr, venue.ErrNotOpen) != errors.Is(wantErr, venue.ErrNotOpen) || errors.Is(gotErr, problem.ErrConflict) != errors.Is(wantErr, problem.ErrConflict) {
						t.Fatalf("%s for %+v at %s: %+v, %v; Check: %+v, %v", a, s, at, got, gotErr, want, wantErr)
					}
					if gotErr == nil {
						allowed++
					}
				}
			}
		}
		return allowed
	}
	g := gated(t, w.store, pool, w.rec.Slug)
	if g.ID != w.rec.ID || g.Name != w.rec.Name || !g.Settings.Deadlines.Review.At.Equal(d.Review.At) {
		t.Fatalf("read %+v, created %+v", g.Record, w.rec)
	}
	if compare(w.rec, g) == 0 {
		t.Fatal("nothing was allowed at any instant: the comparison says nothing")
	}

	archived, err := w.store.SetArchived(ctx, pool, w.rec.Slug, &instants[0])
	if err != nil {
		t.Fatal(err)
	}
	if n := compare(archived, gated(t, w.store, pool, w.rec.Slug)); n != 0 {
		t.Fatalf("an archived venue allowed %d actions", n)
	}

	if _, err := w.store.Gated(ctx, pool, []string{w.rec.Slug, "no-such-venue"}); !errors.Is(err, problem.ErrNotFound) {
		t.Fatalf("an unknown venue: %v", err)
	}
}

// TestGatedSeesEveryWriteAtOnce: replica A keeps a venue's gate inputs
// under its data version; an override or an extension written through
// replica B, a pool of its own on the same database, shows on A's very
// next read, to the second. A row written with the version's triggers off
// does not: A's reads come from its cache, and only the bump in the
// writing transaction makes them read again.
func TestGatedSeesEveryWriteAtOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := dbtest.URL(t)
	poolA, poolB := openPool(t, url), openPool(t, url)
	b := newGateWorld(t, poolB)
	a := &venue.Store{Clock: b.clk}
	slug := b.rec.Slug
	reviewEnd := b.rec.Settings.Deadlines.Review.At // 2023-10-18 AoE, its last second
	now := reviewEnd.Add(-24 * time.Hour)
	b.clk.Set(now)

	reviewGate := func(at time.Time) error {
		t.Helper()
		_, err := gated(t, a, poolA, slug).Check(venue.ActionReview, venue.Subject{ReviewerID: b.rev1}, at)
		return err
	}
	for range 2 { // the second from the cache
		if p := gated(t, a, poolA, slug).PhaseAt(now); p != venue.PhaseReviewing {
			t.Fatalf("phase %s, want reviewing", p)
		}
		if err := reviewGate(reviewEnd); err != nil {
			t.Fatalf("at the review deadline's last second: %v", err)
		}
		if err := reviewGate(reviewEnd.Add(time.Second)); !errors.Is(err, venue.ErrDeadlinePassed) {
			t.Fatalf("a second after the review deadline (no grace in the demo): %v", err)
		}
	}

	// Behind the triggers' back: A does not see it.
	err := pgx.BeginFunc(ctx, poolB, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL session_replication_role = replica"); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO phase_overrides (venue_id, phase, kind, at, by_user, reason) VALUES ($1, 'reviewing', 'close', $2, $3, 'unseen')`,
			b.rec.ID, now.Add(-time.Hour), b.chair)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if p := gated(t, a, poolA, slug).PhaseAt(now); p != venue.PhaseReviewing {
		t.Fatalf("a write without the bump showed (phase %s): the page did not read from the cache", p)
	}

	// Through B, as a chair does: A sees it, and the unseen close with it
	// (reviewing closed an hour ago moved the venue on to its decisions).
	b.override(t, now, venue.PhaseBidding, venue.OverrideOpen)
	g := gated(t, a, poolA, slug)
	if p := g.PhaseAt(now); p != venue.PhaseDecision {
		t.Fatalf("after bidding was reopened on B: phase %s on A, want decision", p)
	}
	if _, err := g.Check(venue.ActionBid, venue.Subject{ReviewerID: b.rev2}, now); err != nil {
		t.Fatalf("bidding, reopened on B, is closed on A: %v", err)
	}
	if err := reviewGate(now); !errors.Is(err, venue.ErrDeadlinePassed) {
		t.Fatalf("reviewing, closed an hour ago: %v", err)
	}

	b.extend(t, venue.ActionReview, b.rev1, "", "2023-10-19 AoE")
	until := time.Date(2023, 10, 19, 23, 59, 59, 0, venue.AoE)
	for range 2 {
		if err := reviewGate(until); err != nil {
			t.Fatalf("the extension's last second, after it was granted on B: %v", err)
		}
		if err := reviewGate(until.Add(time.Second)); !errors.Is(err, venue.ErrDeadlinePassed) {
			t.Fatalf("a second after the extension: %v", err)
		}
	}
	b.extend(t, venue.ActionReview, b.rev1, "", "2023-10-18 12:00 UTC")
	if err := reviewGate(time.Date(2023, 10, 18, 12, 0, 1, 0, time.UTC)); !errors.Is(err, venue.ErrDeadlinePassed) {
		t.Fatalf("a shorter extension granted on B still lets through on A: %v", err)
	}
}

func openPool(t *testing.T, url string) *pgxpool.Pool {
	t.Helper()
	pool, err := database.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func sameResult(a, b venue.GateResult) bool {
	return a.Allowed == b.Allowed && a.Late == b.Late && a.Extended == b.Extended && a.Phase == b.Phase && a.Deadline.Equal(b.Deadline)
}
