package httpapi

import (
	"context"
	"time"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/apigen"
)

func tokenPair(t account.Tokens, now time.Time) apigen.TokenPair {
	return apigen.TokenPair{
		AccessToken: t.Access, TokenType: apigen.Bearer, ExpiresIn: int(t.AccessExpires.Sub(now).Seconds()),
		RefreshToken: t.Refresh, RefreshExpiresIn: int(t.RefreshExpires.Sub(now).Seconds()), CsrfToken: t.CSRF,
	}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func (h *handlers) Register(ctx context.Context, r apigen.RegisterRequestObject) (apigen.RegisterResponseObject, error) {
	b := r.Body
	err := h.Accounts.Register(ctx, account.RegisterInput{
		Email: string(b.Email), Name: b.Name, Password: b.Password, Affiliation: deref(b.Affiliation),
		ORCID: deref(b.Orcid), Keywords: deref(b.Keywords),
	}, infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	return apigen.Register202JSONResponse{AcceptedJSONResponse: apigen.AcceptedJSONResponse{
		Message: "Check your inbox: we sent a link to confirm the address (or, if it already has an account, a note about it).",
	}}, nil
}

func (h *handlers) VerifyEmail(ctx context.Context, r apigen.VerifyEmailRequestObject) (apigen.VerifyEmailResponseObject, error) {
	if err := h.Accounts.Verify(ctx, r.Body.Token); err != nil {
		return nil, err
	}
	return apigen.VerifyEmail200JSONResponse{AcceptedJSONResponse: apigen.AcceptedJSONResponse{Message: "Your email address is confirmed."}}, nil
}

func (h *handlers) Login(ctx context.Context, r apigen.LoginRequestObject) (apigen.LoginResponseObject, error) {
	t, err := h.Accounts.Login(ctx, r.Body.Email, r.Body.Password, deref(r.Body.Otp), infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	return apigen.Login200JSONResponse{TokensJSONResponse: apigen.TokensJSONResponse(tokenPair(t, h.Clock.Now()))}, nil
}

func refreshToken(ctx context.Context, body *apigen.RefreshRequest) string {
	if body != nil && body.RefreshToken != nil && *body.RefreshToken != "" {
		return *body.RefreshToken
	}
	return infoFrom(ctx).RefreshCookie
}

func (h *handlers) Refresh(ctx context.Context, r apigen.RefreshRequestObject) (apigen.RefreshResponseObject, error) {
	t, err := h.Accounts.Refresh(ctx, refreshToken(ctx, r.Body))
	if err != nil {
		return nil, err
	}
	return apigen.Refresh200JSONResponse{TokensJSONResponse: apigen.TokensJSONResponse(tokenPair(t, h.Clock.Now()))}, nil
}

func (h *handlers) Logout(ctx context.Context, r apigen.LogoutRequestObject) (apigen.LogoutResponseObject, error) {
	// The caller's access token, when it sent one, ends with its login.
	p, _ := account.PrincipalFrom(ctx)
	if err := h.Accounts.Logout(ctx, refreshToken(ctx, r.Body), p); err != nil {
		return nil, err
	}
	return apigen.Logout204Response{}, nil
}

func (h *handlers) RequestPasswordReset(ctx context.Context, r apigen.RequestPasswordResetRequestObject) (apigen.RequestPasswordResetResponseObject, error) {
	if err := h.Accounts.RequestReset(ctx, r.Body.Email, infoFrom(ctx).IP); err != nil {
		return nil, err
	}
	return apigen.RequestPasswordReset202JSONResponse{AcceptedJSONResponse: apigen.AcceptedJSONResponse{
		Message: "If an account uses this address, a reset link is on its way. It works once, within an hour.",
	}}, nil
}

func (h *handlers) ConfirmPasswordReset(ctx context.Context, r apigen.ConfirmPasswordResetRequestObject) (apigen.ConfirmPasswordResetResponseObject, error) {
	if err := h.Accounts.ConfirmReset(ctx, r.Body.Token, r.Body.Password); err != nil {
		return nil, err
	}
	return apigen.ConfirmPasswordReset200JSONResponse{AcceptedJSONResponse: apigen.AcceptedJSONResponse{
		Message: "Your password is changed and every session was signed out. Sign in with the new password.",
	}}, nil
}

func meOf(u account.User, roles []account.Role) apigen.Me {
	m := apigen.Me{Id: u.ID, Email: u.Email, Name: u.Name, Affiliation: u.Affiliation, Keywords: u.Keywords,
		EmailVerified: u.Verified, IsAdmin: u.Admin, Roles: []apigen.Role{}}
	if u.ORCID != "" {
		m.Orcid = &u.ORCID
	}
	for _, r := range roles {
		m.Roles = append(m.Roles, apigen.Role{Venue: r.Venue, Role: apigen.RoleRole(r.Role)})
	}
	return m
}

func (h *handlers) GetMe(ctx context.Context, _ apigen.GetMeRequestObject) (apigen.GetMeResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	u, roles, err := h.Accounts.Get(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	return apigen.GetMe200JSONResponse(meOf(u, roles)), nil
}

func (h *handlers) UpdateMe(ctx context.Context, r apigen.UpdateMeRequestObject) (apigen.UpdateMeResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	b := r.Body
	if _, err := h.Accounts.UpdateProfile(ctx, p.UserID, account.ProfileUpdate{Name: b.Name, Affiliation: b.Affiliation, ORCID: b.Orcid, Keywords: b.Keywords}); err != nil {
		return nil, err
	}
	u, roles, err := h.Accounts.Get(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	return apigen.UpdateMe200JSONResponse(meOf(u, roles)), nil
}
