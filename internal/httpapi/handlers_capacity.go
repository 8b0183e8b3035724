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
