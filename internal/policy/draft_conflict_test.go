package policy

import "testing"

// everyRelation walks every combination of a signed-in viewer's flags, in
// every phase, released or not, withdrawn or not.
func everyRelation(f func(r Relation, s State)) {
	phases := []string{"before_open", "submission", "bidding", "reviewing", "author_response", "decision", "camera_ready", "closed"}
	for bits := 0; bits < 1<<6; bits++ {
		r := Relation{SignedIn: true, Author: bits&1 != 0, Chair: bits&2 != 0, Reviewer: bits&4 != 0, Assigned: bits&8 != 0,
			SubmittedOwnReview: bits&16 != 0, Conflicted: bits&32 != 0}
		for _, p := range phases {
			for sb := 0; sb < 4; sb++ {
				f(r, State{Phase: p, DecisionsReleased: sb&1 != 0, Withdrawn: sb&2 != 0})
			}
		}
	}
}

// TestADraftIsItsWritersAlone: nobody sees someone else's draft, chairs
// included, in any phase; its writer sees it while they review the paper.
func TestADraftIsItsWritersAlone(t *testing.T) {
	t.Parallel()
	everyRelation(func(r Relation, s State) {
		if CanSeeDraft(r, s, false) {
			t.Errorf("%+v %+v sees another person's draft", r, s)
		}
		want := !r.Author && !r.Conflicted && (r.Chair || (r.Reviewer && r.Assigned && !s.Withdrawn))
		if got := CanSeeDraft(r, s, true); got != want {
			t.Errorf("%+v %+v: own draft %v, want %v", r, s, got, want)
		}
	})
	if CanSeeDraft(Relation{}, State{Phase: "reviewing"}, true) {
		t.Error("a viewer who is not signed in sees a draft")
	}
}

// TestAConflictAfterTheAssignmentGrantsNothing: an assignment that stays
// after a conflict was declared (kept for the chairs to replace) gives the
// reviewer nothing of the paper, not even their own review, in any phase.
func TestAConflictAfterTheAssignmentGrantsNothing(t *testing.T) {
	t.Parallel()
	everyRelation(func(r Relation, s State) {
		if !r.Conflicted || r.Author {
			return
		}
		for _, th := range Things() {
			if Can(r, s, th) {
				t.Errorf("%+v %+v: a conflicted viewer sees %s", r, s, th)
			}
		}
		for _, vis := range []string{VisibleToAuthors, ChairsOnly} {
			if CanSeeReviewField(r, s, vis, true) || CanSeeReviewField(r, s, vis, false) {
				t.Errorf("%+v %+v: a conflicted viewer sees a review field (%s)", r, s, vis)
			}
		}
	})
}
