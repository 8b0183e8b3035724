package httpapi

import (
	"context"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/apigen"
	"github.com/quirehq/quire/internal/matching"
)

func myCapacity(c matching.MyCapacity) apigen.MyCapacity {
	return apigen.MyCapacity{MaxLoad: c.MaxLoad, MinLoad: c.MinLoad, EmergencyOnly: c.EmergencyOnly, Stated: c.Stated,
		VenueMaxLoad: c.VenueMax, Assigned: c.Assigned}
}

func (h *handlers) GetMyCapacity(ctx context.Context, r apigen.GetMyCapacityRequestObject) (apigen.GetMyCapacityResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	c, err := h.Matching.Capacity(ctx, r.Venue, p)
	if err != nil {
		return nil, err
	}
	return apigen.GetMyCapacity200JSONResponse(myCapacity(c)), nil
}

func (h *handlers) SetMyCapacity(ctx context.Context, r apigen.SetMyCapacityRequestObject) (apigen.SetMyCapacityResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	c, err := h.Matching.SetCapacity(ctx, r.Venue, p, matching.Capacity{MaxLoad: r.Body.MaxLoad, EmergencyOnly: deref(r.Body.EmergencyOnly)}, infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	return apigen.SetMyCapacity200JSONResponse(myCapacity(c)), nil
}

func (h *handlers) GetPoolCapacity(ctx context.Context, r apigen.GetPoolCapacityRequestObject) (apigen.GetPoolCapacityResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	pc, err := h.Matching.PoolCapacity(ctx, r.Venue, p)
	if err != nil {
		return nil, err
	}
	return apigen.GetPoolCapacity200JSONResponse{Reviewers: pc.Reviewers, Emergency: pc.Emergency, Capacity: pc.Capacity,
		Demand: pc.Demand, Reduced: pc.Reduced, Short: pc.Short()}, nil
}

func (h *handlers) GetEmergencyPlan(ctx context.Context, r apigen.GetEmergencyPlanRequestObject) (apigen.GetEmergencyPlanResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	plan, err := h.Matching.Emergency(ctx, r.Venue, p)
	if err != nil {
		return nil, err
	}
	var out apigen.EmergencyPlan
	if err := convert(plan, &out); err != nil {
		return nil, err
	}
	return apigen.GetEmergencyPlan200JSONResponse(out), nil
}

func (h *handlers) AssignEmergency(ctx context.Context, r apigen.AssignEmergencyRequestObject) (apigen.AssignEmergencyResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	picks := make([]matching.EmergencyPick, len(r.Body.Picks))
	for i, pk := range r.Body.Picks {
		picks[i] = matching.EmergencyPick{Number: pk.Number, Email: pk.Email}
	}
	if err := h.Matching.AssignEmergency(ctx, r.Venue, p, picks, r.Body.Due, infoFrom(ctx).IP); err != nil {
		return nil, err
	}
	return apigen.AssignEmergency204Response{}, nil
}
