package assignment

import (
	"context"
	"errors"
	"testing"
	"time"
)

func mediumProblem(t *testing.T) *Problem {
	c := NeurIPSConfig(2, 9)
	c.Papers, c.Reviewers, c.Candidates = 1500, 1200, 60
	return mustGenerate(t, c)
}

func TestSolveReportsProgress(t *testing.T) {
	t.Parallel()
	pr := mediumProblem(t)
	// A clock that moves a second per reading makes every check report.
	now := time.Unix(0, 0)
	clock := func() time.Time { now = now.Add(time.Second); return now }
	var got []Progress
	sol, err := solveWith(context.Background(), pr, func(p Progress) { got = append(got, p) }, options{now: clock, tier: firstTierSize})
	if err != nil {
		t.Fatal(err)
	}
	verify(t, pr, sol)
	if len(got) < 3 || got[0].Phase != PhaseCheck || got[len(got)-1].Phase != PhaseDone {
		t.Fatalf("progress %+v", got)
	}
	order := map[Phase]int{PhaseCheck: 0, PhasePlace: 1, PhaseOptimise: 2, PhaseDone: 3}
	for i, p := range got {
		if p.Fraction < 0 || p.Fraction > 1 || p.Placed > p.Needed {
			t.Fatalf("report %d out of range: %+v", i, p)
		}
		if i > 0 && (order[p.Phase] < order[got[i-1].Phase] || p.Pivots < got[i-1].Pivots) {
			t.Fatalf("report %d goes backwards: %+v after %+v", i, p, got[i-1])
		}
		if p.Phase == PhaseOptimise && p.Gap < 0 {
			t.Fatalf("negative gap: %+v", p)
		}
	}
}

func TestSolveHonoursCancel(t *testing.T) {
	t.Parallel()
	pr := mediumProblem(t)
	ctx, cancel := context.WithCancel(context.Background())
	now := time.Unix(0, 0)
	calls := 0
	_, err := solveWith(ctx, pr, func(p Progress) {
		if calls++; p.Phase != PhaseCheck {
			cancel()
		}
	}, options{now: func() time.Time { now = now.Add(time.Second); return now }, tier: firstTierSize})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v after %d reports, want context.Canceled", err, calls)
	}
}
