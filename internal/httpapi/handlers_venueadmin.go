package httpapi

import (
	"bytes"
	"context"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/apigen"
	"github.com/quirehq/quire/internal/venue"
)

func (h *handlers) venueOut(ctx context.Context, rec venue.Record) (apigen.Venue, error) {
	phase, err := h.Venues.PhaseNow(ctx, h.DB, rec)
	if err != nil {
		return apigen.Venue{}, err
	}
	return venueView(rec, phase)
}

func (h *handlers) UpdateVenue(ctx context.Context, r apigen.UpdateVenueRequestObject) (apigen.UpdateVenueResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	rec, err := h.VenueAdmin.Update(ctx, r.Venue, p.UserID, []byte(r.Body.SettingsYaml), infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	v, err := h.venueOut(ctx, rec)
	if err != nil {
		return nil, err
	}
	return apigen.UpdateVenue200JSONResponse(v), nil
}

func (h *handlers) ExportVenueSettings(ctx context.Context, r apigen.ExportVenueSettingsRequestObject) (apigen.ExportVenueSettingsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	rec, err := h.Venues.BySlug(ctx, h.DB, r.Venue)
	if err != nil {
		return nil, err
	}
	if err := h.Venues.Require(ctx, h.DB, rec.ID, p.UserID, venue.RoleChair); err != nil {
		return nil, err
	}
	res := apigen.ExportVenueSettings200ApplicationyamlResponse{Body: bytes.NewReader(rec.YAML), ContentLength: int64(len(rec.YAML))}
	return download{attachment(rec.Slug + ".yaml"), res.VisitExportVenueSettingsResponse}, nil
}

func overrideOut(o venue.Override) apigen.PhaseOverride {
	return apigen.PhaseOverride{Phase: apigen.Phase(o.Phase), Kind: apigen.PhaseOverrideKind(o.Kind), At: o.At, By: o.By, Reason: o.Reason}
}

func (h *handlers) ListOverrides(ctx context.Context, r apigen.ListOverridesRequestObject) (apigen.ListOverridesResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	list, err := h.VenueAdmin.Overrides(ctx, r.Venue, p.UserID)
	if err != nil {
		return nil, err
	}
	out := apigen.ListOverrides200JSONResponse{}
	for _, o := range list {
		out = append(out, overrideOut(o))
	}
	return out, nil
}

func (h *handlers) CreateOverride(ctx context.Context, r apigen.CreateOverrideRequestObject) (apigen.CreateOverrideResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	o, err := h.VenueAdmin.Override(ctx, r.Venue, p.UserID, venue.Phase(r.Body.Phase), venue.OverrideKind(r.Body.Kind), r.Body.Reason, infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	u, _, err := h.Accounts.Get(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	o.By = u.Name
	return apigen.CreateOverride201JSONResponse(overrideOut(o)), nil
}

func extensionOut(e venue.Extension, grantedBy, reviewer string) apigen.Extension {
	out := apigen.Extension{Action: apigen.DeadlineAction(e.Action), Until: e.Until.UTC(), UntilAoe: venue.FormatAoE(e.Until),
		GrantedBy: grantedBy, GrantedAt: e.GrantedAt, Reason: e.Reason}
	if e.Submission != "" {
		out.Submission = &e.Submission
	}
	if reviewer != "" {
		out.Reviewer = &reviewer
	}
	return out
}

func (h *handlers) ListExtensions(ctx context.Context, r apigen.ListExtensionsRequestObject) (apigen.ListExtensionsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	list, err := h.VenueAdmin.Extensions(ctx, r.Venue, p.UserID)
	if err != nil {
		return nil, err
	}
	out := apigen.ListExtensions200JSONResponse{}
	for _, e := range list {
		out = append(out, extensionOut(e.Extension, e.GrantedByName, e.ReviewerEmail))
	}
	return out, nil
}

func (h *handlers) CreateExtension(ctx context.Context, r apigen.CreateExtensionRequestObject) (apigen.CreateExtensionResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	b := r.Body
	in := venue.ExtensionInput{Action: venue.Action(b.Action), Submission: deref(b.Submission), Until: b.Until, Reason: b.Reason}
	if b.Reviewer != nil {
		in.ReviewerEmail = string(*b.Reviewer)
	}
	e, err := h.VenueAdmin.Extend(ctx, r.Venue, p.UserID, in, h.resolveReviewer, infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	u, _, err := h.Accounts.Get(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	return apigen.CreateExtension201JSONResponse(extensionOut(e, u.Name, in.ReviewerEmail)), nil
}
