package httpapi

import (
	"context"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/apigen"
)

func (h *handlers) GetReminders(ctx context.Context, r apigen.GetRemindersRequestObject) (apigen.GetRemindersResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	o, err := h.Reminders.Overview(ctx, r.Venue, p)
	if err != nil {
		return nil, err
	}
	out := apigen.ReminderOverview{}
	if err := convert(o, &out); err != nil {
		return nil, err
	}
	return apigen.GetReminders200JSONResponse(out), nil
}

func (h *handlers) GetMyReminderPreference(ctx context.Context, _ apigen.GetMyReminderPreferenceRequestObject) (apigen.GetMyReminderPreferenceResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	on, err := h.Reminders.Digest(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	return apigen.GetMyReminderPreference200JSONResponse{Digest: on}, nil
}

func (h *handlers) SetMyReminderPreference(ctx context.Context, r apigen.SetMyReminderPreferenceRequestObject) (apigen.SetMyReminderPreferenceResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	if err := h.Reminders.SetDigest(ctx, p.UserID, r.Body.Digest); err != nil {
		return nil, err
	}
	return apigen.SetMyReminderPreference200JSONResponse{Digest: r.Body.Digest}, nil
}
