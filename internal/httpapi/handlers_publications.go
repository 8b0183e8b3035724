package httpapi

import (
	"context"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/apigen"
)

func (h *handlers) ListMyPublications(ctx context.Context, _ apigen.ListMyPublicationsRequestObject) (apigen.ListMyPublicationsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	list, err := h.Expertise.List(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	out := apigen.ListMyPublications200JSONResponse{}
	if err := convert(list, &out); err != nil {
		return nil, err
	}
	return out, nil
}

func (h *handlers) AddMyPublications(ctx context.Context, r apigen.AddMyPublicationsRequestObject) (apigen.AddMyPublicationsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	n, err := h.Expertise.Add(ctx, p.UserID, string(r.Body.Format), []byte(r.Body.Content), deref(r.Body.Replace))
	if err != nil {
		return nil, err
	}
	return apigen.AddMyPublications200JSONResponse{Read: n.Read, Added: n.Added}, nil
}

func (h *handlers) RemoveMyPublication(ctx context.Context, r apigen.RemoveMyPublicationRequestObject) (apigen.RemoveMyPublicationResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	if err := h.Expertise.Remove(ctx, p.UserID, r.Id); err != nil {
		return nil, err
	}
	return apigen.RemoveMyPublication204Response{}, nil
}
