package httpapi

import (
	"context"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/apigen"
)

// twoFactorStatus is the caller's second factor as the API shows it.
func (h *handlers) twoFactorStatus(ctx context.Context, uid int64) (apigen.TwoFactorStatus, error) {
	st, err := h.Accounts.TwoFactorStatus(ctx, uid)
	if err != nil {
		return apigen.TwoFactorStatus{}, err
	}
	required, err := h.Accounts.SecondFactorRequired(ctx, uid)
	if err != nil {
		return apigen.TwoFactorStatus{}, err
	}
	out := apigen.TwoFactorStatus{On: st.On, Required: required, RecoveryCodesLeft: st.RecoveryLeft}
	if st.Pending != nil {
		out.Pending = &struct {
			Secret string `json:"secret"`
			Uri    string `json:"uri"`
		}{Secret: st.Pending.Secret, Uri: st.Pending.URI}
	}
	return out, nil
}

func (h *handlers) GetMyTwoFactor(ctx context.Context, _ apigen.GetMyTwoFactorRequestObject) (apigen.GetMyTwoFactorResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	st, err := h.twoFactorStatus(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	return apigen.GetMyTwoFactor200JSONResponse(st), nil
}

func (h *handlers) StartMyTwoFactor(ctx context.Context, _ apigen.StartMyTwoFactorRequestObject) (apigen.StartMyTwoFactorResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := h.Accounts.StartTwoFactor(ctx, p.UserID); err != nil {
		return nil, err
	}
	st, err := h.twoFactorStatus(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	return apigen.StartMyTwoFactor200JSONResponse(st), nil
}

func (h *handlers) ConfirmMyTwoFactor(ctx context.Context, r apigen.ConfirmMyTwoFactorRequestObject) (apigen.ConfirmMyTwoFactorResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	codes, err := h.Accounts.ConfirmTwoFactor(ctx, p.UserID, r.Body.Code, infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	return apigen.ConfirmMyTwoFactor200JSONResponse{RecoveryCodes: codes}, nil
}

func (h *handlers) RenewMyRecoveryCodes(ctx context.Context, r apigen.RenewMyRecoveryCodesRequestObject) (apigen.RenewMyRecoveryCodesResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	codes, err := h.Accounts.RenewRecoveryCodes(ctx, p.UserID, r.Body.Code, infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	return apigen.RenewMyRecoveryCodes200JSONResponse{RecoveryCodes: codes}, nil
}

func (h *handlers) DisableMyTwoFactor(ctx context.Context, r apigen.DisableMyTwoFactorRequestObject) (apigen.DisableMyTwoFactorResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	if err := h.Accounts.DisableTwoFactor(ctx, p.UserID, r.Body.Password, r.Body.Code, infoFrom(ctx).IP); err != nil {
		return nil, err
	}
	return apigen.DisableMyTwoFactor204Response{}, nil
}

func (h *handlers) ResetTwoFactor(ctx context.Context, r apigen.ResetTwoFactorRequestObject) (apigen.ResetTwoFactorResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := h.Accounts.ResetTwoFactor(ctx, p.UserID, r.Body.Email, infoFrom(ctx).IP); err != nil {
		return nil, err
	}
	return apigen.ResetTwoFactor204Response{}, nil
}
