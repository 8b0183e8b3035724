package policy

import (
	"fmt"
	"testing"
)

// everyCase walks every combination of relation flags, phase, release and
// withdrawal and anonymity hold: 128 relations × 7 phases × 16 states.
func everyCase(f func(r Relation, s State)) {
	phases := []string{"before_open", "submission", "bidding", "reviewing", "decision", "camera_ready", "closed"}
	for bits := range 1 << 7 {
		r := Relation{
			SignedIn:           bits&1 != 0,
			Author:             bits&2 != 0,
			Chair:              bits&4 != 0,
			Reviewer:           bits&8 != 0,
			Assigned:           bits&16 != 0,
			SubmittedOwnReview: bits&32 != 0,
			Conflicted:         bits&64 != 0,
		}
		for _, p := range phases {
			for _, released := range []bool{false, true} {
				for _, withdrawn := range []bool{false, true} {
					for hold := range 4 {
						f(r, State{Phase: p, DecisionsReleased: released, Withdrawn: withdrawn, Held: hold&1 != 0, SupplementaryHeld: hold&2 != 0})
					}
				}
			}
		}
	}
}

// TestInvariants states the double-blind promises as properties and checks
// them against every input, so that a rule added later cannot break one of
// them for a combination the table does not list.
func TestInvariants(t *testing.T) {
	t.Parallel()
	chairOnly := []Thing{LateFlag, ChairOnlyFields, ReviewerIdentity, Bids, Affinity, AssignmentData, ChairNotes}
	linksAuthors := []Thing{AuthorIdentity, OriginalPDF, RevisionHistory, AuthorConflicts, PageCheckReport}
	reviewerTalk := []Thing{OtherReviews, Discussion}
	afterRelease := []Thing{Decision, ReviewsToAuthors}

	everyCase(func(r Relation, s State) {
		fullChair := r.SignedIn && r.Chair && !r.Author && !r.Conflicted
		for _, thing := range allThings {
			got := Can(r, s, thing)
			where := fmt.Sprintf("%+v %+v %s", r, s, thing)
			if why := Explain(r, s, thing); got == (why != "") {
				t.Errorf("%s: Can = %v but Explain = %q", where, got, why)
			}
			if got && !r.SignedIn {
				t.Errorf("%s: shown to someone not signed in", where)
			}
			if got && r.Conflicted && !r.Author {
				t.Errorf("%s: shown to a conflicted non-author", where)
			}
			if got && s.Withdrawn && !r.Author && !r.Chair {
				t.Errorf("%s: withdrawn submission shown to a reviewer", where)
			}
			if got && !r.Author && !r.Chair && !r.Reviewer {
				t.Errorf("%s: shown to someone with no role", where)
			}
		}
		// No file of a held submission reaches anyone but its authors and
		// a chair free of conflict; a held supplement alone is withheld
		// alone, and the hold never hides the paper itself from the list.
		if !r.Author && !fullChair {
			if s.Held && (Can(r, s, AnonymisedPDF) || Can(r, s, Supplementary)) {
				t.Errorf("%+v %+v: a held submission's files are served", r, s)
			}
			if s.SupplementaryHeld && Can(r, s, Supplementary) {
				t.Errorf("%+v %+v: held supplementary material is served", r, s)
			}
			if free := (State{Phase: s.Phase, DecisionsReleased: s.DecisionsReleased, Withdrawn: s.Withdrawn}); Can(r, s, SubmissionExists) != Can(r, free, SubmissionExists) {
				t.Errorf("%+v %+v: the hold changes whether the submission is listed", r, s)
			}
		}
		if r.Reviewer && r.Assigned && r.SignedIn && !r.Author && !r.Conflicted && !r.Chair && !s.Withdrawn && s.Held {
			if why := Explain(r, s, AnonymisedPDF); why != HeldMessage {
				t.Errorf("%+v %+v: a held paper is refused with %q, want only %q", r, s, why, HeldMessage)
			}
		}
		for _, thing := range chairOnly {
			if got := Can(r, s, thing); got != fullChair {
				t.Errorf("%+v %+v %s: Can = %v, want %v (chairs only)", r, s, thing, got, fullChair)
			}
		}
		for _, thing := range linksAuthors {
			want := r.SignedIn && (r.Author || fullChair)
			if got := Can(r, s, thing); got != want {
				t.Errorf("%+v %+v %s: Can = %v, want %v (links the authors)", r, s, thing, got, want)
			}
		}
		for _, thing := range reviewerTalk {
			if Can(r, s, thing) && r.Author {
				t.Errorf("%+v %+v %s: an author reads the reviewers' side", r, s, thing)
			}
			if Can(r, s, thing) && !fullChair && !r.SubmittedOwnReview {
				t.Errorf("%+v %+v %s: a reviewer reads it before submitting their review", r, s, thing)
			}
		}
		for _, thing := range afterRelease {
			if Can(r, s, thing) && !fullChair && !s.DecisionsReleased {
				t.Errorf("%+v %+v %s: shown before release", r, s, thing)
			}
		}
		for _, vis := range []string{VisibleToAuthors, ChairsOnly} {
			for _, own := range []bool{false, true} {
				got := CanSeeReviewField(r, s, vis, own)
				where := fmt.Sprintf("%+v %+v %s own=%v", r, s, vis, own)
				if got && !Can(r, s, SubmissionExists) {
					t.Errorf("%s: review field of a submission the viewer cannot see", where)
				}
				if got && vis == ChairsOnly && !fullChair && !own {
					t.Errorf("%s: someone else's chair-only field shown to a non-chair", where)
				}
				if got && r.Author && (vis == ChairsOnly || !s.DecisionsReleased) {
					t.Errorf("%s: author sees a review field they must not", where)
				}
				if fullChair && !got {
					t.Errorf("%s: hidden from a chair", where)
				}
			}
		}
	})
}
