package httpapi

import (
	"context"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/apigen"
)

func (h *handlers) ListMySessions(ctx context.Context, _ apigen.ListMySessionsRequestObject) (apigen.ListMySessionsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	list, err := h.Accounts.Sessions(ctx, p.UserID, p.Session)
	if err != nil {
		return nil, err
	}
	out := make(apigen.ListMySessions200JSONResponse, 0, len(list))
	for _, s := range list {
		out = append(out, apigen.Session{Id: s.ID, Device: s.Device, Address: s.Address, CreatedAt: s.Created,
			LastUsedAt: s.LastUsed, Current: s.Current})
	}
	return out, nil
}

func (h *handlers) EndSession(ctx context.Context, r apigen.EndSessionRequestObject) (apigen.EndSessionResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	if err := h.Accounts.EndSession(ctx, p.UserID, r.Id); err != nil {
		return nil, err
	}
	return apigen.EndSession204Response{}, nil
}

func (h *handlers) EndOtherSessions(ctx context.Context, _ apigen.EndOtherSessionsRequestObject) (apigen.EndOtherSessionsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	n, err := h.Accounts.EndOtherSessions(ctx, p.UserID, p.Session)
	if err != nil {
		return nil, err
	}
	return apigen.EndOtherSessions200JSONResponse{Ended: n}, nil
}
