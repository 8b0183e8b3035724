package httpapi

import (
	"context"
	"sort"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/apigen"
)

func (h *handlers) RateReview(ctx context.Context, r apigen.RateReviewRequestObject) (apigen.RateReviewResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	if err := h.Reviews.Rate(ctx, r.Id, r.Pseudonym, p, r.Body.Helpful, deref(r.Body.Note), infoFrom(ctx).IP); err != nil {
		return nil, err
	}
	return apigen.RateReview204Response{}, nil
}

func (h *handlers) ListReviewRatings(ctx context.Context, r apigen.ListReviewRatingsRequestObject) (apigen.ListReviewRatingsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	list, err := h.Reviews.Ratings(ctx, r.Id, p)
	if err != nil {
		return nil, err
	}
	out := apigen.ListReviewRatings200JSONResponse{}
	if err := convert(list, &out); err != nil {
		return nil, err
	}
	return out, nil
}

func (h *handlers) ListReviewerRecords(ctx context.Context, r apigen.ListReviewerRecordsRequestObject) (apigen.ListReviewerRecordsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	recs, err := h.Reviews.Records(ctx, r.Venue, p)
	if err != nil {
		return nil, err
	}
	type row struct {
		ReviewerID int64 `json:"reviewer_id"`
		Reviews    int   `json:"reviews"`
		Rated      int   `json:"rated"`
		Helpful    int   `json:"helpful"`
	}
	rows := make([]row, 0, len(recs))
	for id, rc := range recs {
		rows = append(rows, row{ReviewerID: id, Reviews: rc.Reviews, Rated: rc.Rated, Helpful: rc.Helpful})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].ReviewerID < rows[j].ReviewerID })
	out := apigen.ListReviewerRecords200JSONResponse{}
	if err := convert(rows, &out); err != nil {
		return nil, err
	}
	return out, nil
}

func (h *handlers) GetMyReviewRecord(ctx context.Context, r apigen.GetMyReviewRecordRequestObject) (apigen.GetMyReviewRecordResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	rc, released, err := h.Reviews.MyRecord(ctx, r.Venue, p)
	if err != nil {
		return nil, err
	}
	return apigen.GetMyReviewRecord200JSONResponse{Reviews: rc.Reviews, Rated: rc.Rated, Helpful: rc.Helpful, Released: released}, nil
}
