package assignment

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

// full allows every pair at cost 0.
func full(demand, minLoad, maxLoad []int32) *Problem {
	pr := &Problem{Demand: demand, MinLoad: minLoad, MaxLoad: maxLoad}
	for p := range demand {
		for r := range minLoad {
			pr.Pairs = append(pr.Pairs, Pair{P: int32(p), R: int32(r)})
		}
	}
	return pr
}

func repeat(v int32, n int) []int32 { return slices.Repeat([]int32{v}, n) }

func without(pr *Problem, drop func(Pair) bool) *Problem {
	pr.Pairs = slices.DeleteFunc(pr.Pairs, drop)
	return pr
}

func TestCheckFeasibleExplains(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		pr     *Problem
		reason Reason
		msg    []string
		check  func(*testing.T, *InfeasibleError)
	}{
		{
			// 20 papers x 3 = 60 reviews; 17 reviewers x 3 = 51 slots.
			name:   "too few slots",
			pr:     full(repeat(3, 20), repeat(0, 17), repeat(3, 17)),
			reason: ReasonCapacity,
			msg:    []string{"60 reviews needed, at most 51 available", "raise the maximum load to 4", "invite 3 reviewers (each taking up to 3 papers"},
			check: func(t *testing.T, e *InfeasibleError) {
				if e.Deficit != 9 || e.RaiseMaxLoadTo != 4 || e.Invite != 3 {
					t.Errorf("deficit %d raise %d invite %d", e.Deficit, e.RaiseMaxLoadTo, e.Invite)
				}
			},
		},
		{
			// Papers 0-2 may only go to reviewers 0 and 1 (load 2 each, 4
			// slots for 6 reviews); the other reviewers have room to spare.
			name: "conflicts make a bottleneck",
			pr: without(full(repeat(2, 4), repeat(0, 5), repeat(2, 5)), func(a Pair) bool {
				return a.P < 3 && a.R >= 2
			}),
			reason: ReasonCapacity,
			msg:    []string{"8 reviews needed, at most 6 available", "raise the maximum load to 3"},
			check: func(t *testing.T, e *InfeasibleError) {
				if len(e.Papers) == 0 || slices.Max(e.Papers) > 2 {
					t.Errorf("short papers %v, want among 0..2", e.Papers)
				}
			},
		},
		{
			name: "loads cannot help",
			pr: without(full(repeat(2, 3), repeat(0, 3), repeat(1, 3)), func(a Pair) bool {
				return a.P == 2 && a.R > 0
			}),
			reason: ReasonPaperCandidates,
			msg:    []string{"paper 2 needs 2 but only 1 reviewers may review it"},
		},
		{
			name:   "reviewer minimum out of reach",
			pr:     without(full(repeat(1, 3), []int32{0, 2}, []int32{3, 3}), func(a Pair) bool { return a.R == 1 && a.P > 0 }),
			reason: ReasonReviewerCandidates,
			msg:    []string{"reviewer 1 must take at least 2 papers but may review only 1"},
		},
		{
			name:   "minimum loads exceed demand",
			pr:     full(repeat(1, 5), repeat(2, 4), repeat(3, 4)),
			reason: ReasonMinLoadTotal,
			msg:    []string{"minimum loads add up to 8 reviews but only 5 are needed", "lower the minimum load to 1"},
		},
		{
			// Reviewers 2 and 3 may only review paper 0, which needs 1 review,
			// yet both must take one.
			name: "minimum loads collide",
			pr: without(full([]int32{1, 2, 2}, []int32{0, 0, 1, 1}, repeat(3, 4)), func(a Pair) bool {
				return a.R >= 2 && a.P > 0
			}),
			reason: ReasonMinLoad,
			msg:    []string{"at most 4 of 5 reviews can be placed", "lower the minimum load to 0"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := CheckFeasible(tc.pr)
			var e *InfeasibleError
			if !errors.As(err, &e) || !errors.Is(err, ErrInfeasible) {
				t.Fatalf("want *InfeasibleError, got %v", err)
			}
			if e.Reason != tc.reason {
				t.Fatalf("reason %q, want %q (%s)", e.Reason, tc.reason, e)
			}
			for _, m := range tc.msg {
				if !strings.Contains(e.Error(), m) {
					t.Errorf("%q lacks %q", e, m)
				}
			}
			if tc.check != nil {
				tc.check(t, e)
			}
			checkSuggestions(t, tc.pr, e)
			if _, serr := Solve(context.Background(), tc.pr, nil); serr == nil || serr.Error() != err.Error() {
				t.Errorf("Solve says %v, CheckFeasible %v", serr, err)
			}
		})
	}
}

func TestCheckFeasibleAccepts(t *testing.T) {
	t.Parallel()
	for name, pr := range map[string]*Problem{
		"empty":            {},
		"no papers":        {MinLoad: []int32{0}, MaxLoad: []int32{2}},
		"exact fit":        full(repeat(2, 3), repeat(2, 3), repeat(2, 3)),
		"zero demand":      {Demand: []int32{0, 0}},
		"dlde-size sample": mustGenerate(t, DLDEConfig(1)),
	} {
		if err := CheckFeasible(pr); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestInvalidProblem(t *testing.T) {
	t.Parallel()
	for name, pr := range map[string]*Problem{
		"load length":  {Demand: []int32{1}, MinLoad: []int32{0}},
		"min over max": {MinLoad: []int32{2}, MaxLoad: []int32{1}},
		"id range":     {Demand: []int32{1}, MinLoad: []int32{0}, MaxLoad: []int32{1}, Pairs: []Pair{{0, 1, 0}}},
		"cost range":   {Demand: []int32{1}, MinLoad: []int32{0}, MaxLoad: []int32{1}, Pairs: []Pair{{0, 0, MaxCost + 1}}},
		"duplicate":    {Demand: []int32{1}, MinLoad: []int32{0}, MaxLoad: []int32{1}, Pairs: []Pair{{0, 0, 1}, {0, 0, 2}}},
	} {
		if _, err := Solve(context.Background(), pr, nil); !errors.Is(err, ErrInvalidProblem) {
			t.Errorf("%s: got %v, want ErrInvalidProblem", name, err)
		}
	}
}

func mustGenerate(t testing.TB, c GenConfig) *Problem {
	t.Helper()
	pr, err := Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	return pr
}
