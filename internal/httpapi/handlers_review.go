package httpapi

import (
	"context"
	"encoding/json"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/apigen"
	"github.com/quirehq/quire/internal/review"
	"github.com/quirehq/quire/internal/venue"
)

func formOut(form []venue.FormField) []apigen.FormField {
	out := []apigen.FormField{}
	for _, f := range form {
		ff := apigen.FormField{Key: f.Key, Label: f.Label, Kind: apigen.FormFieldKind(f.Kind), Required: f.Required, Visibility: apigen.FormFieldVisibility(f.Visibility)}
		if f.MaxChars > 0 {
			m := f.MaxChars
			ff.MaxChars = &m
		}
		if len(f.Points) > 0 {
			pts := make([]struct {
				Label string `json:"label"`
				Value int    `json:"value"`
			}, len(f.Points))
			for i, p := range f.Points {
				pts[i].Label, pts[i].Value = p.Label, p.Value
			}
			ff.Points = &pts
		}
		out = append(out, ff)
	}
	return out
}

func reviewOut(r review.Review) apigen.ReviewView {
	out := apigen.ReviewView{Label: r.Label(), Status: apigen.ReviewViewStatus(r.Status), Fields: r.Fields, Own: r.Own,
		EditedAfterSubmit: r.EditedAfterSubmit, SubmittedAt: r.SubmittedAt}
	if out.Fields == nil {
		out.Fields = map[string]any{}
	}
	if !r.UpdatedAt.IsZero() {
		at := r.UpdatedAt
		out.UpdatedAt = &at
	}
	if r.Pseudonym == 0 {
		out.Label = "Your review"
	}
	if r.ReviewerName != "" {
		out.ReviewerName, out.ReviewerEmail = &r.ReviewerName, &r.ReviewerEmail
	}
	return out
}

func (h *handlers) ListReviews(ctx context.Context, r apigen.ListReviewsRequestObject) (apigen.ListReviewsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	list, form, err := h.Reviews.List(ctx, r.Id, p)
	if err != nil {
		return nil, err
	}
	out := apigen.ReviewList{Form: formOut(form), Reviews: []apigen.ReviewView{}}
	for _, rv := range list {
		out.Reviews = append(out.Reviews, reviewOut(rv))
	}
	return apigen.ListReviews200JSONResponse(out), nil
}

func (h *handlers) GetMyReview(ctx context.Context, r apigen.GetMyReviewRequestObject) (apigen.GetMyReviewResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	rv, form, err := h.Reviews.Mine(ctx, r.Id, p)
	if err != nil {
		return nil, err
	}
	return apigen.GetMyReview200JSONResponse{Form: formOut(form), Review: reviewOut(rv)}, nil
}

func (h *handlers) SaveMyReview(ctx context.Context, r apigen.SaveMyReviewRequestObject) (apigen.SaveMyReviewResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	rv, err := h.Reviews.Save(ctx, r.Id, p, r.Body.Fields, deref(r.Body.Submit), infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	return apigen.SaveMyReview200JSONResponse(reviewOut(rv)), nil
}

func commentOut(c review.Comment) apigen.CommentView {
	out := apigen.CommentView{Kind: apigen.CommentViewKind(c.Kind), By: c.By, Body: c.Body, At: c.At, Mine: c.IsMine}
	if c.Name != "" {
		out.Name = &c.Name
	}
	return out
}

func (h *handlers) ListComments(ctx context.Context, r apigen.ListCommentsRequestObject) (apigen.ListCommentsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	list, err := h.Reviews.Comments(ctx, r.Id, p)
	if err != nil {
		return nil, err
	}
	out := apigen.ListComments200JSONResponse{}
	for _, c := range list {
		out = append(out, commentOut(c))
	}
	return out, nil
}

func (h *handlers) AddComment(ctx context.Context, r apigen.AddCommentRequestObject) (apigen.AddCommentResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	c, err := h.Reviews.AddComment(ctx, r.Id, p, string(r.Body.Kind), r.Body.Body)
	if err != nil {
		return nil, err
	}
	return apigen.AddComment201JSONResponse(commentOut(c)), nil
}

func (h *handlers) GetProgress(ctx context.Context, r apigen.GetProgressRequestObject) (apigen.GetProgressResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	papers, revs, err := h.Reviews.Progress(ctx, r.Venue, p)
	if err != nil {
		return nil, err
	}
	type paperJSON struct {
		SubmissionID   int64   `json:"submission_id"`
		Number         int     `json:"number"`
		Title          string  `json:"title"`
		Track          string  `json:"track"`
		Needed         int     `json:"needed"`
		Assigned       int     `json:"assigned"`
		Done           int     `json:"done"`
		Scores         []int   `json:"scores"`
		MeanScore      float64 `json:"mean_score"`
		Spread         float64 `json:"spread"`
		MeanConfidence float64 `json:"mean_confidence"`
		Disagreement   bool    `json:"disagreement"`
	}
	type revJSON struct {
		Name     string `json:"name"`
		Email    string `json:"email"`
		Assigned int    `json:"assigned"`
		Done     int    `json:"done"`
		Late     bool   `json:"late"`
	}
	doc := struct {
		Papers    []paperJSON `json:"papers"`
		Reviewers []revJSON   `json:"reviewers"`
	}{Papers: []paperJSON{}, Reviewers: []revJSON{}}
	for _, x := range papers {
		doc.Papers = append(doc.Papers, paperJSON{x.SubmissionID, x.Number, x.Title, x.Track, x.Needed, x.Assigned, x.Done, x.Scores, x.MeanScore, x.Spread, x.MeanConfidence, x.Disagreement})
	}
	for _, x := range revs {
		doc.Reviewers = append(doc.Reviewers, revJSON{x.Name, x.Email, x.Assigned, x.Done, x.Late})
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	var out apigen.Progress
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return apigen.GetProgress200JSONResponse(out), nil
}

func (h *handlers) RemindLateReviewers(ctx context.Context, r apigen.RemindLateReviewersRequestObject) (apigen.RemindLateReviewersResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	n, err := h.Reviews.RemindLate(ctx, r.Venue, p)
	if err != nil {
		return nil, err
	}
	return apigen.RemindLateReviewers200JSONResponse{Reminded: n}, nil
}
