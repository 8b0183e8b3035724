package httpapi

import (
	"context"
	"encoding/json"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/apigen"
	"github.com/quirehq/quire/internal/site"
	"github.com/quirehq/quire/internal/venue"
)

func (h *handlers) ListVenues(ctx context.Context, r apigen.ListVenuesRequestObject) (apigen.ListVenuesResponseObject, error) {
	var f site.VenueFilter
	if r.Params.Phase != nil {
		f.Phase = venue.Phase(*r.Params.Phase)
	}
	if r.Params.From != nil {
		f.From = r.Params.From.Time
	}
	if r.Params.To != nil {
		f.To = r.Params.To.Time
	}
	list, err := h.Site.List(ctx, f)
	if err != nil {
		return nil, err
	}
	var out apigen.ListVenues200JSONResponse
	return out, convert(list, &out)
}

func (h *handlers) ListVenuesForAdmin(ctx context.Context, _ apigen.ListVenuesForAdminRequestObject) (apigen.ListVenuesForAdminResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	list, err := h.Site.AdminVenues(ctx, p)
	if err != nil {
		return nil, err
	}
	var out apigen.ListVenuesForAdmin200JSONResponse
	return out, convert(list, &out)
}

func (h *handlers) SetVenueArchived(ctx context.Context, r apigen.SetVenueArchivedRequestObject) (apigen.SetVenueArchivedResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := h.Site.Archive(ctx, p, r.Venue, r.Body.Archived, infoFrom(ctx).IP); err != nil {
		return nil, err
	}
	return apigen.SetVenueArchived204Response{}, nil
}

// convert copies a domain value into its contract type through JSON: the
// domain types carry the contract's field names.
func convert(from, to any) error {
	raw, err := json.Marshal(from)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, to)
}
