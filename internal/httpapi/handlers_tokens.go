package httpapi

import (
	"context"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/apigen"
)

func apiToken(t account.APIToken) apigen.APIToken {
	out := apigen.APIToken{Id: t.ID, Name: t.Name, Scopes: t.Scopes, CreatedAt: t.Created, ExpiresAt: t.Expires, LastUsedAt: t.LastUsed}
	if t.LastUsedAddress != "" {
		out.LastUsedAddress = &t.LastUsedAddress
	}
	return out
}

func (h *handlers) ListMyTokens(ctx context.Context, _ apigen.ListMyTokensRequestObject) (apigen.ListMyTokensResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	list, err := h.Accounts.APITokens(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	out := make(apigen.ListMyTokens200JSONResponse, 0, len(list))
	for _, t := range list {
		out = append(out, apiToken(t))
	}
	return out, nil
}

func (h *handlers) CreateMyToken(ctx context.Context, r apigen.CreateMyTokenRequestObject) (apigen.CreateMyTokenResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	t, secret, err := h.Accounts.CreateAPIToken(ctx, p.UserID, account.NewAPIToken{Name: r.Body.Name, Scopes: r.Body.Scopes, Expires: r.Body.ExpiresAt})
	if err != nil {
		return nil, err
	}
	a := apiToken(t)
	return apigen.CreateMyToken201JSONResponse{Id: a.Id, Name: a.Name, Scopes: a.Scopes, CreatedAt: a.CreatedAt,
		ExpiresAt: a.ExpiresAt, Secret: secret}, nil
}

func (h *handlers) RevokeMyToken(ctx context.Context, r apigen.RevokeMyTokenRequestObject) (apigen.RevokeMyTokenResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	if err := h.Accounts.RevokeAPIToken(ctx, p.UserID, r.Id); err != nil {
		return nil, err
	}
	return apigen.RevokeMyToken204Response{}, nil
}
