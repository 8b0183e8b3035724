package account_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/auth"
	"github.com/quirehq/quire/internal/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// TestDBLimiterAgreesWithTheMemoryOne replays the same attempts against the
// memory limiter and the PostgreSQL one: same answers, same waits.
func TestDBLimiterAgreesWithTheMemoryOne(t *testing.T) {
	t.Parallel()
	pool := dbtest.Pool(t)
	ctx := context.Background()
	rate := auth.Rate{Burst: 3, Per: 30 * time.Second}
	mem, err := auth.NewMemoryLimiter(rate, 0)
	if err != nil {
		t.Fatal(err)
	}
	db := &account.DBLimiter{DB: pool, Name: "test", Rate: rate}
	t0 := time.Date(2023, 10, 8, 12, 0, 0, 0, time.UTC)
	// Offsets in seconds: a burst, refusals, one refill, a long pause.
	for i, off := range []float64{0, 0, 0, 0, 1, 9.5, 10, 10, 19, 20, 100, 100, 100, 100} {
		for _, key := range []string{"a", "b"} {
			if key == "b" && i%2 == 1 {
				continue // b sees half the attempts
			}
			now := t0.Add(time.Duration(off * float64(time.Second)))
			mok, mwait, _ := mem.Allow(ctx, key, now)
			dok, dwait, err := db.Allow(ctx, key, now)
			if err != nil {
				t.Fatal(err)
			}
			if mok != dok || (mwait-dwait).Abs() > time.Millisecond {
				t.Errorf("attempt %d of %s at +%vs: memory %v wait %v, database %v wait %v", i, key, off, mok, mwait, dok, dwait)
			}
		}
	}
	// A clock that goes back a day (or a replica running a day ahead)
	// costs at most one step, not a day of lockout.
	if ok, _, _ := db.Allow(ctx, "c", t0.Add(24*time.Hour)); !ok {
		t.Fatal("c: first attempt refused")
	}
	for i := 0; i < 3; i++ {
		if _, _, err := db.Allow(ctx, "c", t0.Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	ok, wait, err := db.Allow(ctx, "c", t0)
	if err != nil || ok || wait > rate.Per/time.Duration(rate.Burst) {
		t.Errorf("after the clock went back: allowed %v, wait %v (%v), want a refusal of at most one step", ok, wait, err)
	}
	if ok, _, _ := db.Allow(ctx, "c", t0.Add(rate.Per/time.Duration(rate.Burst))); !ok {
		t.Error("c: refused a step later")
	}
	// Another limit name is another bucket.
	other := &account.DBLimiter{DB: pool, Name: "other", Rate: rate}
	if ok, _, err := other.Allow(ctx, "a", t0); err != nil || !ok {
		t.Errorf("a different limit shares the bucket: %v %v", ok, err)
	}
	n, err := account.ForgetFull(ctx, pool, t0.Add(time.Hour))
	if err != nil || n != 4 {
		t.Errorf("forgot %d refilled buckets (%v), want 4", n, err)
	}
}

// TestDBLimiterHoldsUnderConcurrency: attempts racing from many
// connections (as from several replicas) get exactly the burst.
func TestDBLimiterHoldsUnderConcurrency(t *testing.T) {
	t.Parallel()
	pool := dbtest.Pool(t)
	db := &account.DBLimiter{DB: pool, Name: "race", Rate: auth.Rate{Burst: 10, Per: time.Hour}}
	now := time.Date(2023, 10, 8, 12, 0, 0, 0, time.UTC)
	results := make(chan bool, 50)
	for range 50 {
		go func() {
			ok, _, err := db.Allow(context.Background(), "acct:target", now)
			if err != nil {
				t.Error(err)
			}
			results <- ok
		}()
	}
	allowed := 0
	for range 50 {
		if <-results {
			allowed++
		}
	}
	if allowed != 10 {
		t.Errorf("%d of 50 concurrent attempts allowed, want the burst of 10", allowed)
	}
}

func BenchmarkDBLimiter(b *testing.B) {
	pool := dbtest.Pool(b)
	db := &account.DBLimiter{DB: pool, Name: "bench", Rate: auth.Rate{Burst: 30, Per: 10 * time.Minute}}
	now := time.Now()
	i := 0
	for b.Loop() {
		i++
		if _, _, err := db.Allow(context.Background(), fmt.Sprintf("ip:10.0.%d.%d", i/250%250, i%250), now); err != nil {
			b.Fatal(err)
		}
	}
}
