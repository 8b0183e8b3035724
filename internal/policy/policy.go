package policy

import "fmt"

// Relation is everything about a viewer relative to one submission, computed
// by the caller from the database.
type Relation struct {
	SignedIn           bool
	Author             bool // on the submission's author list (verified email)
	Chair              bool // chair of the venue
	Reviewer           bool // reviewer of the venue (any paper)
	Assigned           bool // assigned to review this submission (and not declined)
	SubmittedOwnReview bool // has submitted (not just drafted) their review of this submission
	Conflicted         bool // has a conflict of interest with this submission (any source)
}

// State is the submission's and venue's situation.
type State struct {
	// Phase is the venue phase, one of the venue.Phase values: before_open,
	// submission, bidding, reviewing, decision, camera_ready, closed.
	Phase             string
	DecisionsReleased bool // chairs released decisions (for this submission's venue)
	Withdrawn         bool
	// Held is the anonymity hold: the current PDF shows who its authors
	// are (or the submission was desk-rejected for it) and no person has
	// released it, so its reviewers get none of its files.
	Held bool
	// SupplementaryHeld holds the supplementary material alone: it names
	// the authors, or could not be checked.
	SupplementaryHeld bool
	// MetaReviewToAuthors is the venue's choice to show authors the
	// chairs' meta-review with the decision.
	MetaReviewToAuthors bool
}

// HeldMessage is all a reviewer learns of a hold: not what was found.
const HeldMessage = "held: anonymity check"

// Thing is one kind of information about a submission that is guarded.
type Thing string

const (
	SubmissionExists Thing = "submission"      // number, title, abstract, keywords, track (the anonymised view)
	AuthorIdentity   Thing = "author_identity" // names, emails, affiliations, ORCIDs of the authors
	OriginalPDF      Thing = "original_pdf"    // the authors' own file and its metadata
	AnonymisedPDF    Thing = "anonymised_pdf"
	Supplementary    Thing = "supplementary"    // the anonymised copy for reviewers; the original for authors/chairs
	RevisionHistory  Thing = "revision_history" // incl. who uploaded each revision
	AuthorConflicts  Thing = "author_conflicts" // conflicts declared by authors
	PageCheckReport  Thing = "page_check_report"
	LateFlag         Thing = "late_flag"         // uploaded in the hidden grace window (chairs only, ever)
	OtherReviews     Thing = "other_reviews"     // reviews by others (their author-visible fields)
	ChairOnlyFields  Thing = "chair_only_fields" // review fields marked chairs_only, of anyone's review
	ReviewerIdentity Thing = "reviewer_identity" // real names of the submission's reviewers (others see pseudonyms)
	Pseudonyms       Thing = "pseudonyms"        // "Reviewer 2" labels
	Bids             Thing = "bids"
	Affinity         Thing = "affinity"
	AssignmentData   Thing = "assignment_data"    // who is assigned, loads
	Decision         Thing = "decision"           // the decision and the note to authors
	Discussion       Thing = "discussion"         // reviewer/chair comments (under pseudonyms)
	ChairNotes       Thing = "chair_notes"        // chair-only notes
	ReviewsToAuthors Thing = "reviews_to_authors" // author-visible review fields, shown to authors
	MetaReview       Thing = "meta_review"        // the chairs' recommendation and reasoning
	AuthorResponse   Thing = "author_response"    // the authors' answer to the reviews
)

// Field visibilities of the review form, as venue.Visibility spells them.
// They are repeated here so that the policy needs no database packages; a
// test pins them to the venue package's values.
const (
	VisibleToAuthors = "authors_and_reviewers"
	ChairsOnly       = "chairs_only"
)

// phaseBidding and phaseResponse are the venue phases the rules name.
const (
	phaseBidding  = "bidding"
	phaseResponse = "author_response"
)

// things describes each Thing for the reasons Explain gives; it is also the
// list of Things the policy knows.
var things = []struct {
	thing Thing
	about string
}{
	{SubmissionExists, "this submission"},
	{AuthorIdentity, "who the authors are"},
	{OriginalPDF, "the authors' original file"},
	{AnonymisedPDF, "the anonymised PDF"},
	{Supplementary, "the supplementary material"},
	{RevisionHistory, "the revision history"},
	{AuthorConflicts, "the conflicts declared by the authors"},
	{PageCheckReport, "the page check report"},
	{LateFlag, "whether a file was uploaded late"},
	{OtherReviews, "the other reviews"},
	{ChairOnlyFields, "review fields meant for the chairs"},
	{ReviewerIdentity, "who the reviewers are"},
	{Pseudonyms, "the reviewers' labels"},
	{Bids, "the bids"},
	{Affinity, "the affinity scores"},
	{AssignmentData, "the assignments"},
	{Decision, "the decision"},
	{Discussion, "the discussion"},
	{ChairNotes, "the chairs' notes"},
	{ReviewsToAuthors, "the reviews"},
	{MetaReview, "the meta-review"},
	{AuthorResponse, "the authors' response"},
}

// Things lists every Thing the policy knows, in declaration order, so that
// tests and leak checks can walk all of them.
func Things() []Thing {
	out := make([]Thing, len(things))
	for i, d := range things {
		out[i] = d.thing
	}
	return out
}

func about(t Thing) (string, bool) {
	for _, d := range things {
		if d.thing == t {
			return d.about, true
		}
	}
	return "", false
}

// Can reports whether a viewer with relation r may see t of a submission in
// state s now.
func Can(r Relation, s State, t Thing) bool {
	ok, _ := decide(r, s, t)
	return ok
}

// Explain gives a short reason, fit for an error message, why Can says no;
// it returns "" when Can says yes.
func Explain(r Relation, s State, t Thing) string {
	_, why := decide(r, s, t)
	return why
}

// decide applies the rules in the order the package doc gives and returns
// the answer with the reason for a refusal.
func decide(r Relation, s State, t Thing) (bool, string) {
	what, known := about(t)
	switch {
	case !known:
		return false, fmt.Sprintf("%q is not something the visibility policy knows", string(t))
	case !r.SignedIn:
		return false, "sign in to see submissions"
	case r.Author:
		return authorView(s, t, what)
	case r.Conflicted:
		return false, "you have a conflict of interest with this submission"
	case r.Chair:
		return true, ""
	case r.Reviewer && r.Assigned:
		return assignedView(r, s, t, what)
	case r.Reviewer:
		return biddingView(s, t)
	default:
		return false, "you have no role in this submission's venue"
	}
}

func authorView(s State, t Thing, what string) (bool, string) {
	switch t {
	case SubmissionExists, AuthorIdentity, OriginalPDF, AnonymisedPDF, Supplementary,
		RevisionHistory, AuthorConflicts, PageCheckReport, AuthorResponse:
		return true, ""
	case ReviewsToAuthors, Pseudonyms:
		// The reviews are the authors' to answer during the response phase.
		if s.DecisionsReleased || s.Phase == phaseResponse {
			return true, ""
		}
		return false, fmt.Sprintf("authors see %s once the chairs release decisions", what)
	case Decision:
		if s.DecisionsReleased {
			return true, ""
		}
		return false, fmt.Sprintf("authors see %s once the chairs release decisions", what)
	case MetaReview:
		switch {
		case !s.MetaReviewToAuthors:
			return false, "this venue does not show authors the meta-review"
		case !s.DecisionsReleased:
			return false, "authors see the meta-review with the decision, once the chairs release decisions"
		}
		return true, ""
	default:
		return false, fmt.Sprintf("authors do not see %s", what)
	}
}

func assignedView(r Relation, s State, t Thing, what string) (bool, string) {
	if s.Withdrawn {
		return false, "the submission was withdrawn"
	}
	switch t {
	case AnonymisedPDF, Supplementary:
		if s.Held || (t == Supplementary && s.SupplementaryHeld) {
			return false, HeldMessage
		}
		return true, ""
	case SubmissionExists, Pseudonyms, AuthorResponse:
		return true, ""
	case OtherReviews, Discussion:
		if r.SubmittedOwnReview {
			return true, ""
		}
		return false, fmt.Sprintf("reviewers see %s after submitting their own review", what)
	case Decision, MetaReview:
		if s.DecisionsReleased {
			return true, ""
		}
		return false, fmt.Sprintf("reviewers see %s once the chairs release decisions", what)
	default:
		return false, fmt.Sprintf("reviewers do not see %s", what)
	}
}

func biddingView(s State, t Thing) (bool, string) {
	switch {
	case s.Withdrawn:
		return false, "the submission was withdrawn"
	case t == SubmissionExists && s.Phase == phaseBidding:
		return true, ""
	case t == SubmissionExists:
		return false, "reviewers not assigned to this submission see it only during bidding"
	default:
		return false, "you are not assigned to review this submission"
	}
}

// CanSeeReviewField says whether a viewer sees one field of a submitted
// review: visibility is the field's (VisibleToAuthors or ChairsOnly) and own
// is true when the viewer wrote the review. Authors get the author view
// even of a review they wrote, since authorship wins over every other role.
func CanSeeReviewField(r Relation, s State, visibility string, own bool) bool {
	if visibility != VisibleToAuthors && visibility != ChairsOnly {
		return false
	}
	if !Can(r, s, SubmissionExists) {
		return false
	}
	switch {
	case r.Author:
		return visibility == VisibleToAuthors && Can(r, s, ReviewsToAuthors)
	case own:
		return r.Chair || (r.Reviewer && r.Assigned)
	case visibility == ChairsOnly:
		return Can(r, s, ChairOnlyFields)
	default:
		return Can(r, s, OtherReviews)
	}
}

// CanSeeDraft says whether a viewer sees a review that is not submitted
// yet: only its writer (own), and only while they may see their own
// review's fields at all. Chairs never see another person's draft, nor
// learn that one exists.
func CanSeeDraft(r Relation, s State, own bool) bool {
	return own && !r.Author && CanSeeReviewField(r, s, VisibleToAuthors, true)
}
