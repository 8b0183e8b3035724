package httpapi

import (
	"context"
	"encoding/json"

	"github.com/quirehq/quire/internal/access"
	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/apigen"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

// The venue's own submission fields: their schema, public as the venue
// file is, and a submission's answers in and out. What a caller reads of
// the answers is access.View.VisibleAnswers, the policy's word.

func (h *handlers) ListSubmissionFields(ctx context.Context, r apigen.ListSubmissionFieldsRequestObject) (apigen.ListSubmissionFieldsResponseObject, error) {
	rec, err := h.Venues.BySlug(ctx, h.DB, r.Venue)
	if err != nil {
		return nil, err
	}
	fields := rec.Settings.SubmissionFields
	if r.Params.Track != nil {
		if _, ok := rec.Settings.Track(*r.Params.Track); !ok {
			return nil, problem.Invalid("there is no track "+*r.Params.Track+" at this venue", problem.FieldError{Field: "track", Message: "is not a track of this venue"})
		}
		fields = rec.Settings.SubmissionFieldsFor(*r.Params.Track)
	}
	out := apigen.ListSubmissionFields200JSONResponse{}
	for _, f := range fields {
		out = append(out, fieldSpecOut(f))
	}
	return out, nil
}

func fieldSpecOut(f venue.SubmissionField) apigen.SubmissionFieldSpec {
	s := apigen.SubmissionFieldSpec{Key: f.Key, Label: f.Label, Kind: apigen.SubmissionFieldSpecKind(f.Kind), Required: f.Required,
		Visibility: apigen.SubmissionFieldSpecVisibility(f.Visibility), Tracks: append([]string{}, f.Tracks...)}
	if f.Help != "" {
		s.Help = &f.Help
	}
	if len(f.Options) > 0 {
		o := append([]string{}, f.Options...)
		s.Options = &o
	}
	if f.Kind == venue.FieldText || f.Kind == venue.FieldLongText {
		n := f.Limit()
		s.MaxChars = &n
	}
	if f.Min.Set {
		v := f.Min.V
		s.Min = &v
	}
	if f.Max.Set {
		v := f.Max.V
		s.Max = &v
	}
	if f.Integer {
		s.Integer = &f.Integer
	}
	return s
}

// answersIn turns the contract's union values into what JSON decodes to,
// which the venue's check takes; nil (no fields given) stays nil.
func answersIn(a *apigen.SubmissionFieldAnswers) map[string]any {
	if a == nil {
		return nil
	}
	out := make(map[string]any, len(*a))
	for k, v := range *a {
		b, err := v.MarshalJSON()
		var x any
		if err != nil || json.Unmarshal(b, &x) != nil {
			continue // the contract's validation let only the four shapes in
		}
		out[k] = x
	}
	return out
}

// answersOut is the answers the viewer may read.
func answersOut(as []access.Answer) *apigen.SubmissionFieldAnswers {
	out := apigen.SubmissionFieldAnswers{}
	for _, a := range as {
		b, err := json.Marshal(a.Value)
		if err != nil {
			continue
		}
		var v apigen.SubmissionFieldValue
		if v.UnmarshalJSON(b) == nil {
			out[a.Field.Key] = v
		}
	}
	return &out
}

// fieldColumns are the CSV export's columns of the venue's fields, one per
// field, named by key after the fixed ones.
func fieldColumns(fields []venue.SubmissionField) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = "field:" + f.Key
	}
	return out
}

// fieldCells are one submission's answers in fieldColumns' order; the
// export is the chairs', who read every answer.
func fieldCells(fields []venue.SubmissionField, answers map[string]any) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.Text(answers[f.Key])
	}
	return out
}

func (h *handlers) GetReciprocalReviewing(ctx context.Context, r apigen.GetReciprocalReviewingRequestObject) (apigen.GetReciprocalReviewingResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	n, err := h.Submissions.Nominations(ctx, r.Venue, p)
	if err != nil {
		return nil, err
	}
	out := apigen.GetReciprocalReviewing200JSONResponse{On: n.Rule.On(), Field: n.Rule.Field, LoadPerPaper: n.Rule.Load(1), Papers: n.Papers, Named: n.Named,
		Missing: []apigen.PaperRef{}, Nominees: []apigen.ReciprocalNominee{}}
	for _, s := range n.Missing {
		out.Missing = append(out.Missing, apigen.PaperRef{SubmissionId: s.ID, Number: s.Number, Title: s.Title})
	}
	for _, who := range n.Nominees {
		out.Nominees = append(out.Nominees, apigen.ReciprocalNominee{Name: who.Name, Email: who.Email, Numbers: who.Numbers, Load: who.Load, InPool: who.InPool})
	}
	return out, nil
}
