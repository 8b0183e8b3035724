package access

import (
	"github.com/quirehq/quire/internal/policy"
	"github.com/quirehq/quire/internal/venue"
)

// Answer is one answer to a venue's own submission field, with the field.
type Answer struct {
	Field venue.SubmissionField
	Value any
}

// Text is the answer as one line.
func (a Answer) Text() string { return a.Field.Text(a.Value) }

// VisibleAnswers are the answers of a submission to track that the viewer
// may read, in the venue file's order; public is true once the paper is
// on the venue's public site. Every page and response that shows answers
// takes them from here.
func (v View) VisibleAnswers(track string, answers map[string]any, public bool) []Answer {
	if v.Venue.Settings == nil {
		return nil
	}
	var out []Answer
	for _, f := range v.Venue.Settings.SubmissionFieldsFor(track) {
		val, ok := answers[f.Key]
		if !ok || !policy.CanSeeSubmissionField(v.Relation, v.State, string(f.Visibility), f.NamesAuthor(), public) {
			continue
		}
		out = append(out, Answer{Field: f, Value: val})
	}
	return out
}
