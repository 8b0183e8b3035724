package httpapi

import (
	"context"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/apigen"
	"github.com/quirehq/quire/internal/review"
)

func responseOut(r *review.Response) (apigen.AuthorResponse, error) {
	out := apigen.AuthorResponse{Status: "none"}
	if r == nil {
		return out, nil
	}
	return out, convert(r, &out)
}

func (h *handlers) GetResponse(ctx context.Context, r apigen.GetResponseRequestObject) (apigen.GetResponseResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := h.Reviews.ResponseOf(ctx, r.Id, p)
	if err != nil {
		return nil, err
	}
	out, err := responseOut(resp)
	return apigen.GetResponse200JSONResponse(out), err
}

func (h *handlers) SaveResponse(ctx context.Context, r apigen.SaveResponseRequestObject) (apigen.SaveResponseResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := h.Reviews.SaveResponse(ctx, r.Id, p, r.Body.Body, deref(r.Body.Submit), infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	out, err := responseOut(resp)
	return apigen.SaveResponse200JSONResponse(out), err
}

func (h *handlers) GetReviewHistory(ctx context.Context, r apigen.GetReviewHistoryRequestObject) (apigen.GetReviewHistoryResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	hist, err := h.Reviews.History(ctx, r.Id, p)
	if err != nil {
		return nil, err
	}
	out := apigen.GetReviewHistory200JSONResponse{}
	return out, convert(hist, &out)
}
