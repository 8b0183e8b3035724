package policy

// Visibilities of a venue's own submission fields, as
// venue.FieldVisibility spells them; a test pins them to the venue
// package's values.
const (
	FieldForReviewers = "reviewers"
	FieldChairsOnly   = "chairs_only"
	FieldPublic       = "public_after_acceptance"
)

// CanSeeSubmissionField says whether a viewer reads one answer to a
// venue's own submission field: visibility is the field's, person is true
// when the answer names an author (a person field), public is true once
// the paper is on the venue's public site.
//
// The paper's authors and the chairs free of a conflict read every
// answer. Reviewers assigned to the paper read the reviewers' fields,
// except an answer that names an author, which reaches them only where
// the authors' identity does. A public field reaches everyone once the
// paper is public, and until then no one but authors and chairs. An
// unknown visibility grants nothing.
func CanSeeSubmissionField(r Relation, s State, visibility string, person, public bool) bool {
	switch visibility {
	case FieldForReviewers, FieldChairsOnly, FieldPublic:
	default:
		return false
	}
	if visibility == FieldPublic && public {
		return true
	}
	if !Can(r, s, SubmissionExists) {
		return false
	}
	switch {
	case r.Author || Can(r, s, ChairOnlyFields):
		// Authors see their own answers; ChairOnlyFields is what only a
		// chair free of a conflict reads.
		return true
	case r.Reviewer && r.Assigned:
		return visibility == FieldForReviewers && (!person || Can(r, s, AuthorIdentity))
	}
	return false
}
