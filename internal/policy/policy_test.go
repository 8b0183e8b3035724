package policy

import (
	"slices"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/venue"
)

// allThings is written out here, not taken from Things(), so that adding a
// Thing to the policy fails TestThingsAreAllWalked until the table below
// says who may see it.
var allThings = []Thing{
	SubmissionExists, AuthorIdentity, OriginalPDF, AnonymisedPDF, Supplementary,
	RevisionHistory, AuthorConflicts, PageCheckReport, LateFlag, OtherReviews,
	ChairOnlyFields, ReviewerIdentity, Pseudonyms, Bids, Affinity, AssignmentData,
	Decision, Discussion, ChairNotes, ReviewsToAuthors, MetaReview, AuthorResponse,
}

// roles are the viewers the table walks, each relative to the one
// submission under test.
var roles = map[string]Relation{
	"anonymous": {},
	"author":    {SignedIn: true, Author: true},
	// The conflict package records authorship as a conflict too; the
	// author view must survive that.
	"co-author":                {SignedIn: true, Author: true, Conflicted: true},
	"reviewer assigned":        {SignedIn: true, Reviewer: true, Assigned: true},
	"reviewer assigned+review": {SignedIn: true, Reviewer: true, Assigned: true, SubmittedOwnReview: true},
	"reviewer not assigned":    {SignedIn: true, Reviewer: true},
	"conflicted reviewer":      {SignedIn: true, Reviewer: true, Assigned: true, SubmittedOwnReview: true, Conflicted: true},
	"chair":                    {SignedIn: true, Chair: true, Reviewer: true},
	"conflicted chair":         {SignedIn: true, Chair: true, Reviewer: true, Conflicted: true},
	"chair who is an author":   {SignedIn: true, Chair: true, Reviewer: true, Author: true, Conflicted: true},
	"author who also reviews":  {SignedIn: true, Author: true, Reviewer: true, Assigned: true, SubmittedOwnReview: true},
	"other venue's reviewer":   {SignedIn: true},
}

var scenarios = map[string]State{
	"submission":         {Phase: "submission"},
	"bidding":            {Phase: "bidding"},
	"reviewing":          {Phase: "reviewing"},
	"decision":           {Phase: "decision"},
	"decision released":  {Phase: "decision", DecisionsReleased: true},
	"withdrawn bidding":  {Phase: "bidding", Withdrawn: true},
	"withdrawn released": {Phase: "decision", DecisionsReleased: true, Withdrawn: true},
}

// The expected sets, spelled out.
const (
	none       = ""
	authorOwn  = "submission author_identity original_pdf anonymised_pdf supplementary revision_history author_conflicts page_check_report author_response"
	authorRel  = authorOwn + " decision reviews_to_authors pseudonyms"
	revBase    = "submission anonymised_pdf supplementary pseudonyms author_response"
	revBaseRel = revBase + " decision meta_review"
	revDone    = revBase + " other_reviews discussion"
	revDoneRel = revDone + " decision meta_review"
	listing    = "submission"
	everything = "submission author_identity original_pdf anonymised_pdf supplementary revision_history author_conflicts" +
		" page_check_report late_flag other_reviews chair_only_fields reviewer_identity pseudonyms bids affinity" +
		" assignment_data decision discussion chair_notes reviews_to_authors meta_review author_response"
)

var visibilityTable = []struct {
	role, scenario string
	sees           string
}{
	{"anonymous", "submission", none},
	{"anonymous", "bidding", none},
	{"anonymous", "reviewing", none},
	{"anonymous", "decision", none},
	{"anonymous", "decision released", none},
	{"anonymous", "withdrawn bidding", none},
	{"anonymous", "withdrawn released", none},

	{"author", "submission", authorOwn},
	{"author", "bidding", authorOwn},
	{"author", "reviewing", authorOwn},
	{"author", "decision", authorOwn},
	{"author", "decision released", authorRel},
	{"author", "withdrawn bidding", authorOwn},
	{"author", "withdrawn released", authorRel},

	{"co-author", "submission", authorOwn},
	{"co-author", "bidding", authorOwn},
	{"co-author", "reviewing", authorOwn},
	{"co-author", "decision", authorOwn},
	{"co-author", "decision released", authorRel},
	{"co-author", "withdrawn bidding", authorOwn},
	{"co-author", "withdrawn released", authorRel},

	{"reviewer assigned", "submission", revBase},
	{"reviewer assigned", "bidding", revBase},
	{"reviewer assigned", "reviewing", revBase},
	{"reviewer assigned", "decision", revBase},
	{"reviewer assigned", "decision released", revBaseRel},
	{"reviewer assigned", "withdrawn bidding", none},
	{"reviewer assigned", "withdrawn released", none},

	{"reviewer assigned+review", "submission", revDone},
	{"reviewer assigned+review", "bidding", revDone},
	{"reviewer assigned+review", "reviewing", revDone},
	{"reviewer assigned+review", "decision", revDone},
	{"reviewer assigned+review", "decision released", revDoneRel},
	{"reviewer assigned+review", "withdrawn bidding", none},
	{"reviewer assigned+review", "withdrawn released", none},

	{"reviewer not assigned", "submission", none},
	{"reviewer not assigned", "bidding", listing},
	{"reviewer not assigned", "reviewing", none},
	{"reviewer not assigned", "decision", none},
	{"reviewer not assigned", "decision released", none},
	{"reviewer not assigned", "withdrawn bidding", none},
	{"reviewer not assigned", "withdrawn released", none},

	{"conflicted reviewer", "submission", none},
	{"conflicted reviewer", "bidding", none},
	{"conflicted reviewer", "reviewing", none},
	{"conflicted reviewer", "decision", none},
	{"conflicted reviewer", "decision released", none},
	{"conflicted reviewer", "withdrawn bidding", none},
	{"conflicted reviewer", "withdrawn released", none},

	{"chair", "submission", everything},
	{"chair", "bidding", everything},
	{"chair", "reviewing", everything},
	{"chair", "decision", everything},
	{"chair", "decision released", everything},
	{"chair", "withdrawn bidding", everything},
	{"chair", "withdrawn released", everything},

	{"conflicted chair", "submission", none},
	{"conflicted chair", "bidding", none},
	{"conflicted chair", "reviewing", none},
	{"conflicted chair", "decision", none},
	{"conflicted chair", "decision released", none},
	{"conflicted chair", "withdrawn bidding", none},
	{"conflicted chair", "withdrawn released", none},

	{"chair who is an author", "submission", authorOwn},
	{"chair who is an author", "bidding", authorOwn},
	{"chair who is an author", "reviewing", authorOwn},
	{"chair who is an author", "decision", authorOwn},
	{"chair who is an author", "decision released", authorRel},
	{"chair who is an author", "withdrawn bidding", authorOwn},
	{"chair who is an author", "withdrawn released", authorRel},

	{"author who also reviews", "submission", authorOwn},
	{"author who also reviews", "bidding", authorOwn},
	{"author who also reviews", "reviewing", authorOwn},
	{"author who also reviews", "decision", authorOwn},
	{"author who also reviews", "decision released", authorRel},
	{"author who also reviews", "withdrawn bidding", authorOwn},
	{"author who also reviews", "withdrawn released", authorRel},

	{"other venue's reviewer", "submission", none},
	{"other venue's reviewer", "bidding", none},
	{"other venue's reviewer", "reviewing", none},
	{"other venue's reviewer", "decision", none},
	{"other venue's reviewer", "decision released", none},
	{"other venue's reviewer", "withdrawn bidding", none},
	{"other venue's reviewer", "withdrawn released", none},
}

func TestVisibilityTable(t *testing.T) {
	t.Parallel()
	for _, row := range visibilityTable {
		r, ok := roles[row.role]
		if !ok {
			t.Fatalf("row names unknown role %q", row.role)
		}
		s, ok := scenarios[row.scenario]
		if !ok {
			t.Fatalf("row names unknown scenario %q", row.scenario)
		}
		want := map[Thing]bool{}
		for _, f := range strings.Fields(row.sees) {
			if !slices.Contains(allThings, Thing(f)) {
				t.Fatalf("%s / %s: expected set names unknown thing %q", row.role, row.scenario, f)
			}
			want[Thing(f)] = true
		}
		t.Run(row.role+"/"+row.scenario, func(t *testing.T) {
			t.Parallel()
			for _, thing := range allThings {
				got := Can(r, s, thing)
				if got != want[thing] {
					t.Errorf("%s: Can = %v, want %v (Explain: %q)", thing, got, want[thing], Explain(r, s, thing))
				}
			}
		})
	}
}

// TestVisibilityTableIsComplete keeps the table honest: every role in
// every scenario, exactly once.
func TestVisibilityTableIsComplete(t *testing.T) {
	t.Parallel()
	seen := map[[2]string]int{}
	for _, row := range visibilityTable {
		seen[[2]string{row.role, row.scenario}]++
	}
	for role := range roles {
		for sc := range scenarios {
			if n := seen[[2]string{role, sc}]; n != 1 {
				t.Errorf("role %q in scenario %q appears %d times in the table, want 1", role, sc, n)
			}
		}
	}
	if len(visibilityTable) != len(roles)*len(scenarios) {
		t.Errorf("table has %d rows, want %d", len(visibilityTable), len(roles)*len(scenarios))
	}
}

func TestThingsAreAllWalked(t *testing.T) {
	t.Parallel()
	if got := Things(); !slices.Equal(got, allThings) {
		t.Errorf("Things() = %v\nthe table walks %v", got, allThings)
	}
}

// TestValuesMatchVenue pins the strings the policy compares against to the
// venue package's, which it does not import (to stay free of the database).
func TestValuesMatchVenue(t *testing.T) {
	t.Parallel()
	pairs := [][2]string{
		{VisibleToAuthors, string(venue.VisibleToAuthors)},
		{ChairsOnly, string(venue.ChairsOnly)},
		{phaseBidding, string(venue.PhaseBidding)},
	}
	for _, p := range pairs {
		if p[0] != p[1] {
			t.Errorf("policy uses %q where venue says %q", p[0], p[1])
		}
	}
}

func TestUnknownThingIsRefused(t *testing.T) {
	t.Parallel()
	chair := roles["chair"]
	s := scenarios["decision released"]
	if Can(chair, s, Thing("everything")) {
		t.Error("an unknown thing was granted to a chair")
	}
	if why := Explain(chair, s, Thing("everything")); !strings.Contains(why, "everything") {
		t.Errorf("Explain for an unknown thing = %q, want it to name the thing", why)
	}
}

func TestExplain(t *testing.T) {
	t.Parallel()
	cases := []struct {
		role, scenario string
		thing          Thing
		mentions       string
	}{
		{"anonymous", "reviewing", SubmissionExists, "sign in"},
		{"author", "decision", Decision, "release"},
		{"author", "decision released", ReviewerIdentity, "authors do not see who the reviewers are"},
		{"co-author", "reviewing", Bids, "authors do not see the bids"},
		{"reviewer assigned", "reviewing", OtherReviews, "after submitting their own review"},
		{"reviewer assigned", "reviewing", Discussion, "after submitting their own review"},
		{"reviewer assigned+review", "reviewing", AuthorIdentity, "reviewers do not see who the authors are"},
		{"reviewer assigned+review", "decision", Decision, "release"},
		{"reviewer assigned", "withdrawn bidding", AnonymisedPDF, "withdrawn"},
		{"reviewer not assigned", "reviewing", SubmissionExists, "only during bidding"},
		{"reviewer not assigned", "bidding", AnonymisedPDF, "not assigned"},
		{"conflicted reviewer", "reviewing", SubmissionExists, "conflict of interest"},
		{"conflicted chair", "reviewing", ChairNotes, "conflict of interest"},
		{"chair who is an author", "reviewing", OtherReviews, "authors do not see the other reviews"},
		{"other venue's reviewer", "bidding", SubmissionExists, "no role"},
	}
	for _, c := range cases {
		got := Explain(roles[c.role], scenarios[c.scenario], c.thing)
		if !strings.Contains(got, c.mentions) {
			t.Errorf("%s / %s / %s: Explain = %q, want it to mention %q", c.role, c.scenario, c.thing, got, c.mentions)
		}
	}
}

// TestMetaReviewToAuthors: authors see the meta-review only where the venue
// shows it, and only once decisions are released; the chairs' reasons say
// which of the two stands in the way.
func TestMetaReviewToAuthors(t *testing.T) {
	t.Parallel()
	author := Relation{SignedIn: true, Author: true}
	cases := []struct {
		state State
		sees  bool
		why   string
	}{
		{State{Phase: "decision", DecisionsReleased: true, MetaReviewToAuthors: true}, true, ""},
		{State{Phase: "decision", MetaReviewToAuthors: true}, false, "once the chairs release decisions"},
		{State{Phase: "decision", DecisionsReleased: true}, false, "does not show authors the meta-review"},
	}
	for _, c := range cases {
		if got := Can(author, c.state, MetaReview); got != c.sees || !strings.Contains(Explain(author, c.state, MetaReview), c.why) {
			t.Errorf("%+v: sees %v (%q), want %v (%q)", c.state, got, Explain(author, c.state, MetaReview), c.sees, c.why)
		}
	}
	// A conflicted chair and an unassigned reviewer never see it.
	released := State{Phase: "decision", DecisionsReleased: true, MetaReviewToAuthors: true}
	for _, r := range []Relation{{SignedIn: true, Chair: true, Conflicted: true}, {SignedIn: true, Reviewer: true}} {
		if Can(r, released, MetaReview) {
			t.Errorf("%+v sees the meta-review", r)
		}
	}
}

// TestAuthorsReadReviewsDuringTheResponse: in the author response phase the
// authors read the reviews (under their pseudonyms) to answer them, but not
// the decision; reviewers and chairs read the response.
func TestAuthorsReadReviewsDuringTheResponse(t *testing.T) {
	t.Parallel()
	response := State{Phase: "author_response"}
	author := Relation{SignedIn: true, Author: true}
	for thing, want := range map[Thing]bool{ReviewsToAuthors: true, Pseudonyms: true, AuthorResponse: true, Decision: false, ReviewerIdentity: false, MetaReview: false} {
		if got := Can(author, response, thing); got != want {
			t.Errorf("the author sees %s: %v, want %v", thing, got, want)
		}
	}
	if Can(author, State{Phase: "reviewing"}, ReviewsToAuthors) {
		t.Error("the authors read the reviews before the response phase")
	}
	for _, r := range []Relation{{SignedIn: true, Reviewer: true, Assigned: true}, {SignedIn: true, Chair: true}} {
		if !Can(r, response, AuthorResponse) {
			t.Errorf("%+v cannot read the response", r)
		}
	}
	for _, r := range []Relation{{SignedIn: true, Reviewer: true}, {SignedIn: true, Chair: true, Conflicted: true}, {SignedIn: true}} {
		if Can(r, response, AuthorResponse) {
			t.Errorf("%+v reads the response", r)
		}
	}
}
