package lease_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/dbtest"
	"github.com/quirehq/quire/internal/lease"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// waitFor polls cond until it holds, failing after a bound generous enough
// for a busy machine: the tests wait on conditions, never on sleeps.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting for %s after 30 s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestOneHolderAtATime(t *testing.T) {
	t.Parallel()
	pool := dbtest.Pool(t)
	ctx := context.Background()
	a, b := lease.NewHolder(pool), lease.NewHolder(pool)
	if a.ID == b.ID {
		t.Fatal("two holders share an id")
	}
	if ok, err := a.Acquire(ctx, "job", time.Hour); err != nil || !ok {
		t.Fatalf("a: %v %v", ok, err)
	}
	if ok, err := b.Acquire(ctx, "job", time.Hour); err != nil || ok {
		t.Fatalf("b took a held lease: %v %v", ok, err)
	}
	if ok, _ := a.Acquire(ctx, "job", time.Hour); !ok {
		t.Fatal("the holder cannot renew its own lease")
	}
	if ok, _ := b.Acquire(ctx, "other", time.Hour); !ok {
		t.Fatal("another job's lease is not free")
	}
	if err := a.Release(ctx, "job"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := b.Acquire(ctx, "job", time.Hour); !ok {
		t.Fatal("a released lease is not free")
	}
	// A lease that is not renewed expires, and then it is anyone's.
	if ok, _ := a.Acquire(ctx, "short", 200*time.Millisecond); !ok {
		t.Fatal("a: short lease")
	}
	waitFor(t, "the short lease to expire", func() bool {
		ok, err := b.Acquire(ctx, "short", time.Hour)
		return err == nil && ok
	})
}

// TestJobRunsOnceAndMovesOnWhenItsHolderDies runs the same job on three
// holders: only one runs it; when that one stops renewing (killed: no
// release), another takes over once the lease expires.
func TestJobRunsOnceAndMovesOnWhenItsHolderDies(t *testing.T) {
	t.Parallel()
	pool := dbtest.Pool(t)
	var runs [3]atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	holders := make([]*lease.Holder, 3)
	ctxs := make([]context.CancelFunc, 3)
	done := make([]chan struct{}, 3)
	var wg sync.WaitGroup
	for i := range holders {
		holders[i] = lease.NewHolder(pool)
		hctx, hcancel := context.WithCancel(ctx)
		ctxs[i] = hcancel
		job := lease.Job{Name: "release-decisions", Every: 20 * time.Millisecond, TTL: 300 * time.Millisecond,
			Run: func(context.Context) { runs[i].Add(1) }}
		done[i] = make(chan struct{})
		wg.Go(func() {
			defer close(done[i])
			holders[i].Run(hctx, job, quiet)
		})
	}
	total := func() int64 { return runs[0].Load() + runs[1].Load() + runs[2].Load() }
	waitFor(t, "the job to run 20 times", func() bool { return total() >= 20 })
	leader := -1
	for i := range runs {
		if runs[i].Load() > 0 {
			if leader >= 0 {
				t.Fatalf("two holders ran the job: %d, %d, %d", runs[0].Load(), runs[1].Load(), runs[2].Load())
			}
			leader = i
		}
	}
	// Kill the leader without letting it release: Run gives its lease up
	// on a clean stop, so renew it once more for the dead holder's id
	// after it stopped; the row then stays until it expires.
	ctxs[leader]()
	<-done[leader]
	if _, err := holders[leader].Acquire(context.Background(), "release-decisions", 300*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "another holder to take the job over", func() bool {
		for i := range runs {
			if i != leader && runs[i].Load() > 0 {
				return true
			}
		}
		return false
	})
	cancel()
	wg.Wait()
}
