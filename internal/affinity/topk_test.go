package affinity

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestTopKWhereSkipsDisallowed(t *testing.T) {
	t.Parallel()
	subs, revs := workshop()
	s := mustScorer(t, subs, revs, Options{})
	all := s.TopK("pinn", len(revs))
	if len(all) < 3 {
		t.Fatalf("TopK(pinn) = %v, want at least 3 matches", all)
	}
	conflicted := all[0].RevID
	got := s.TopKWhere("pinn", 2, func(rev string) bool { return rev != conflicted })
	if want := all[1:3]; !slices.Equal(got, want) {
		t.Errorf("TopKWhere = %v, want %v", got, want)
	}
	if got := s.TopK("pinn", 0); got != nil {
		t.Errorf("TopK(k=0) = %v, want nil", got)
	}
	if got := s.TopK("nope", 3); got != nil {
		t.Errorf("TopK(unknown) = %v, want nil", got)
	}
}

func TestAllTopKMatchesTopKAndReportsProgress(t *testing.T) {
	t.Parallel()
	subs, revs := synthetic(250, 90, 3)
	s := mustScorer(t, subs, revs, Options{Method: MethodBM25})
	var calls []int
	got, err := s.AllTopK(context.Background(), 7, func(done, total int) {
		if total != len(subs) {
			t.Errorf("progress total = %d, want %d", total, len(subs))
		}
		calls = append(calls, done)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(subs) {
		t.Fatalf("AllTopK returned %d submissions, want %d", len(got), len(subs))
	}
	for _, sub := range subs {
		if want := s.TopK(sub.ID, 7); !slices.Equal(got[sub.ID], want) {
			t.Fatalf("AllTopK[%s] = %v, TopK = %v", sub.ID, got[sub.ID], want)
		}
	}
	if len(calls) == 0 || len(calls) > 101 || !slices.IsSorted(calls) || calls[len(calls)-1] != len(subs) {
		t.Errorf("progress calls %v: want at most 101, increasing, ending at %d", calls, len(subs))
	}
}

func TestAllTopKCancelled(t *testing.T) {
	t.Parallel()
	subs, revs := synthetic(300, 50, 4)
	s := mustScorer(t, subs, revs, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := 0
	_, err := s.AllTopK(ctx, 5, func(d, _ int) {
		done = d
		cancel()
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if done >= len(subs) {
		t.Errorf("cancellation did not stop the work: %d of %d done", done, len(subs))
	}
}
