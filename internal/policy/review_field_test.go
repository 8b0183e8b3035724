package policy

import "testing"

func TestCanSeeReviewField(t *testing.T) {
	t.Parallel()
	const (
		toAuthors = VisibleToAuthors
		toChairs  = ChairsOnly
	)
	cases := []struct {
		role, scenario string
		visibility     string
		own            bool
		want           bool
	}{
		{"anonymous", "decision released", toAuthors, false, false},

		{"author", "reviewing", toAuthors, false, false},
		{"author", "decision", toAuthors, false, false},
		{"author", "decision released", toAuthors, false, true},
		{"author", "decision released", toChairs, false, false},
		{"author", "withdrawn released", toAuthors, false, true},
		{"co-author", "decision released", toAuthors, false, true},
		{"co-author", "decision released", toChairs, false, false},
		// Authorship wins even over having written the review.
		{"author who also reviews", "reviewing", toAuthors, true, false},
		{"author who also reviews", "decision released", toChairs, true, false},
		{"author who also reviews", "decision released", toAuthors, true, true},

		{"reviewer assigned", "reviewing", toAuthors, true, true},
		{"reviewer assigned", "reviewing", toChairs, true, true},
		{"reviewer assigned", "reviewing", toAuthors, false, false},
		{"reviewer assigned", "reviewing", toChairs, false, false},
		{"reviewer assigned", "decision released", toAuthors, false, false},
		{"reviewer assigned+review", "reviewing", toAuthors, false, true},
		{"reviewer assigned+review", "reviewing", toChairs, false, false},
		{"reviewer assigned+review", "reviewing", toChairs, true, true},
		{"reviewer assigned+review", "decision released", toChairs, false, false},
		{"reviewer assigned+review", "withdrawn released", toAuthors, true, false},
		{"reviewer assigned+review", "withdrawn released", toAuthors, false, false},

		// Listed for bidding is not access to reviews, not even one's own
		// (say, written before being unassigned).
		{"reviewer not assigned", "bidding", toAuthors, true, false},
		{"reviewer not assigned", "bidding", toAuthors, false, false},

		{"conflicted reviewer", "reviewing", toAuthors, true, false},
		{"conflicted reviewer", "reviewing", toAuthors, false, false},

		{"chair", "reviewing", toChairs, false, true},
		{"chair", "reviewing", toAuthors, false, true},
		{"chair", "withdrawn bidding", toChairs, false, true},
		{"chair", "reviewing", toChairs, true, true},
		{"conflicted chair", "reviewing", toAuthors, false, false},
		{"conflicted chair", "reviewing", toChairs, false, false},
		{"chair who is an author", "reviewing", toChairs, false, false},
		{"chair who is an author", "decision", toAuthors, false, false},
		{"chair who is an author", "decision released", toAuthors, false, true},
		{"chair who is an author", "decision released", toChairs, false, false},

		{"other venue's reviewer", "reviewing", toAuthors, false, false},

		// An unknown visibility grants nothing, even to a chair.
		{"chair", "reviewing", "public", false, false},
		{"chair", "reviewing", "", true, false},
		{"reviewer assigned+review", "reviewing", "Chairs_Only", true, false},
	}
	for _, c := range cases {
		r, ok := roles[c.role]
		if !ok {
			t.Fatalf("unknown role %q", c.role)
		}
		s, ok := scenarios[c.scenario]
		if !ok {
			t.Fatalf("unknown scenario %q", c.scenario)
		}
		if got := CanSeeReviewField(r, s, c.visibility, c.own); got != c.want {
			t.Errorf("%s / %s / %q own=%v: got %v, want %v", c.role, c.scenario, c.visibility, c.own, got, c.want)
		}
	}
}
