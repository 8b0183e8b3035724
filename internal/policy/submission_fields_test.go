package policy

import (
	"testing"

	"github.com/quirehq/quire/internal/venue"
)

func TestSubmissionFieldVisibilitiesMatchTheVenueFile(t *testing.T) {
	t.Parallel()
	for _, c := range [][2]string{
		{FieldForReviewers, string(venue.FieldForReviewers)}, {FieldChairsOnly, string(venue.FieldChairsOnly)}, {FieldPublic, string(venue.FieldPublic)},
	} {
		if c[0] != c[1] {
			t.Errorf("policy spells a visibility %q, the venue file %q", c[0], c[1])
		}
	}
	if len(venue.FieldVisibilities) != 3 {
		t.Errorf("the venue file has %d visibilities; the policy knows 3", len(venue.FieldVisibilities))
	}
}

func TestCanSeeSubmissionField(t *testing.T) {
	t.Parallel()
	const (
		rev, chairs, pub = FieldForReviewers, FieldChairsOnly, FieldPublic
	)
	cases := []struct {
		role, scenario string
		visibility     string
		person, public bool
		want           bool
	}{
		{"author", "reviewing", chairs, false, false, true},
		{"author", "reviewing", pub, true, false, true},
		{"co-author", "submission", rev, true, false, true},
		{"chair", "reviewing", chairs, false, false, true},
		{"chair", "reviewing", rev, true, false, true},
		{"chair", "withdrawn bidding", chairs, false, false, true},
		{"conflicted chair", "reviewing", chairs, false, false, false},
		{"conflicted chair", "reviewing", rev, false, false, false},
		{"chair who is an author", "reviewing", chairs, false, false, true},

		{"reviewer assigned", "reviewing", rev, false, false, true},
		{"reviewer assigned", "reviewing", chairs, false, false, false},
		// A public field is not the reviewers' before the paper is
		// public; an answer naming an author never is.
		{"reviewer assigned", "reviewing", pub, false, false, false},
		{"reviewer assigned", "reviewing", rev, true, false, false},
		{"reviewer assigned", "decision released", rev, true, false, false},
		{"reviewer assigned", "withdrawn released", rev, false, false, false},
		{"reviewer not assigned", "bidding", rev, false, false, false},
		{"conflicted reviewer", "reviewing", rev, false, false, false},
		{"other venue's reviewer", "reviewing", rev, false, false, false},

		// Once the paper is public its public answers are everyone's,
		// and nothing else is.
		{"anonymous", "decision released", pub, false, true, true},
		{"anonymous", "decision released", pub, true, true, true},
		{"anonymous", "decision released", rev, false, true, false},
		{"anonymous", "decision released", chairs, false, true, false},
		{"reviewer assigned", "decision released", pub, false, true, true},
		{"reviewer assigned", "decision released", chairs, false, true, false},
		{"anonymous", "decision released", pub, false, false, false},

		// An unknown visibility grants nothing, even to a chair.
		{"chair", "reviewing", "public", false, true, false},
		{"author", "reviewing", "", false, false, false},
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
		if got := CanSeeSubmissionField(r, s, c.visibility, c.person, c.public); got != c.want {
			t.Errorf("%s / %s / %q person=%v public=%v: got %v, want %v", c.role, c.scenario, c.visibility, c.person, c.public, got, c.want)
		}
	}
}
