package httpapi

import (
	"context"
	"strings"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/apigen"
	"github.com/quirehq/quire/internal/invitation"
	"github.com/quirehq/quire/internal/matching"
	"github.com/quirehq/quire/internal/venue"
)

// venueView is the public face of a venue: grace periods are hidden, and
// every deadline is given in UTC, AoE and the venue's own zone.
func venueView(rec venue.Record, phase venue.Phase) (apigen.Venue, error) {
	pub := rec.Settings.Public()
	yaml, err := venue.Export(pub)
	if err != nil {
		return apigen.Venue{}, err
	}
	v := apigen.Venue{Slug: rec.Slug, Name: rec.Name, Phase: string(phase), SettingsYaml: string(yaml), Deadlines: []apigen.Deadline{}}
	if pub.Description != "" {
		v.Description = &pub.Description
	}
	if pub.SiteURL != "" {
		v.SiteUrl = &pub.SiteURL
	}
	if pub.TimeZone != "" {
		v.TimeZone = &pub.TimeZone
	}
	d := pub.Deadlines
	for _, dl := range []struct {
		name string
		d    venue.Deadline
	}{{"submission_opens", d.SubmissionOpens}, {"submission", d.Submission}, {"bidding", d.Bidding}, {"review", d.Review}, {"decision", d.Decision}, {"camera_ready", d.CameraReady}} {
		if !dl.d.IsSet() {
			continue
		}
		local := venue.FormatIn(dl.d.At, pub.Zone())
		v.Deadlines = append(v.Deadlines, apigen.Deadline{Name: dl.name, Utc: dl.d.At.UTC(), Aoe: venue.FormatAoE(dl.d.At), Local: &local})
	}
	return v, nil
}

func (h *handlers) CreateVenue(ctx context.Context, r apigen.CreateVenueRequestObject) (apigen.CreateVenueResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	chairs := make([]string, len(r.Body.Chairs))
	for i, c := range r.Body.Chairs {
		chairs[i] = string(c)
	}
	rec, err := h.Site.CreateVenue(ctx, p, []byte(r.Body.SettingsYaml), chairs, infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	v, err := venueView(rec, rec.Settings.PhaseAt(h.Clock.Now(), nil))
	if err != nil {
		return nil, err
	}
	return apigen.CreateVenue201JSONResponse(v), nil
}

func (h *handlers) GetVenue(ctx context.Context, r apigen.GetVenueRequestObject) (apigen.GetVenueResponseObject, error) {
	rec, err := h.Venues.BySlug(ctx, h.DB, r.Venue)
	if err != nil {
		return nil, err
	}
	v, err := h.venueOut(ctx, rec)
	if err != nil {
		return nil, err
	}
	return apigen.GetVenue200JSONResponse(v), nil
}

func invitationOut(in invitation.Invitation) apigen.Invitation {
	out := apigen.Invitation{Id: in.ID, Email: in.Email, Name: in.Name, Affiliation: in.Affiliation, Keywords: in.Keywords,
		Role: apigen.InvitedRole(in.Role), State: apigen.InvitationState(in.State), CreatedAt: in.CreatedAt, LastSentAt: in.LastSentAt,
		SendCount: int(in.SendCount), RespondedAt: in.RespondedAt}
	if out.Keywords == nil {
		out.Keywords = []string{}
	}
	if in.DeclineReason != "" {
		out.DeclineReason = &in.DeclineReason
	}
	return out
}

func invitationsOut(in []invitation.Invitation) []apigen.Invitation {
	out := make([]apigen.Invitation, 0, len(in))
	for _, i := range in {
		out = append(out, invitationOut(i))
	}
	return out
}

func (h *handlers) ListInvitations(ctx context.Context, r apigen.ListInvitationsRequestObject) (apigen.ListInvitationsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	list, err := h.Invitations.List(ctx, r.Venue, p)
	if err != nil {
		return nil, err
	}
	return apigen.ListInvitations200JSONResponse(invitationsOut(list)), nil
}

func (h *handlers) CreateInvitations(ctx context.Context, r apigen.CreateInvitationsRequestObject) (apigen.CreateInvitationsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	var in []invitation.Input
	if r.JSONBody != nil {
		b := r.JSONBody
		in = []invitation.Input{{Email: string(b.Email), Name: deref(b.Name), Affiliation: deref(b.Affiliation), Keywords: deref(b.Keywords), Role: string(b.Role)}}
	} else {
		if r.Body == nil {
			return nil, noBody("application/json or text/csv")
		}
		role := ""
		if r.Params.Role != nil {
			role = string(*r.Params.Role)
		}
		if in, err = invitation.ParseCSV(r.Body, role); err != nil {
			return nil, err
		}
	}
	list, err := h.Invitations.Create(ctx, r.Venue, p, in, infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	return apigen.CreateInvitations201JSONResponse(invitationsOut(list)), nil
}

func (h *handlers) ResendInvitation(ctx context.Context, r apigen.ResendInvitationRequestObject) (apigen.ResendInvitationResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	inv, err := h.Invitations.Resend(ctx, r.Venue, r.Id, p, infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	return apigen.ResendInvitation200JSONResponse(invitationOut(inv)), nil
}

func (h *handlers) RevokeInvitation(ctx context.Context, r apigen.RevokeInvitationRequestObject) (apigen.RevokeInvitationResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	inv, err := h.Invitations.Revoke(ctx, r.Venue, r.Id, p, infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	return apigen.RevokeInvitation200JSONResponse(invitationOut(inv)), nil
}

func viewOut(v invitation.View) apigen.InvitationView {
	out := apigen.InvitationView{Venue: v.Venue, VenueName: v.VenueName, Role: apigen.InvitedRole(v.Role), Email: v.Email, State: apigen.InvitationViewState(v.State)}
	if v.ReviewerMaxLoad > 0 {
		out.ReviewerMaxLoad = &v.ReviewerMaxLoad
	}
	if strings.TrimSpace(v.Name) != "" {
		out.Name = &v.Name
	}
	return out
}

func (h *handlers) GetInvitation(ctx context.Context, r apigen.GetInvitationRequestObject) (apigen.GetInvitationResponseObject, error) {
	v, err := h.Invitations.Get(ctx, r.Token)
	if err != nil {
		return nil, err
	}
	return apigen.GetInvitation200JSONResponse(viewOut(v)), nil
}

func (h *handlers) AcceptInvitation(ctx context.Context, r apigen.AcceptInvitationRequestObject) (apigen.AcceptInvitationResponseObject, error) {
	var caller *account.Principal
	if p, ok := account.PrincipalFrom(ctx); ok {
		caller = &p
	}
	var na *invitation.NewAccount
	if r.Body != nil && (r.Body.Password != nil || r.Body.Name != nil) {
		na = &invitation.NewAccount{Name: deref(r.Body.Name), Password: deref(r.Body.Password)}
	}
	var cap *matching.Capacity
	if r.Body != nil && (r.Body.MaxLoad != nil || r.Body.EmergencyOnly != nil) {
		cap = &matching.Capacity{MaxLoad: deref(r.Body.MaxLoad), EmergencyOnly: deref(r.Body.EmergencyOnly)}
		if r.Body.MaxLoad == nil {
			v, err := h.Invitations.Get(ctx, r.Token)
			if err != nil {
				return nil, err
			}
			cap.MaxLoad = v.ReviewerMaxLoad
		}
	}
	res, err := h.Invitations.Accept(ctx, r.Token, caller, na, cap, infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	out := apigen.AcceptResult{Venue: res.View.Venue, Role: apigen.InvitedRole(res.View.Role)}
	if res.Tokens != nil {
		tp := tokenPair(*res.Tokens, h.Clock.Now())
		out.Tokens = &tp
	}
	return apigen.AcceptInvitation200JSONResponse(out), nil
}

func (h *handlers) DeclineInvitation(ctx context.Context, r apigen.DeclineInvitationRequestObject) (apigen.DeclineInvitationResponseObject, error) {
	reason := ""
	if r.Body != nil {
		reason = deref(r.Body.Reason)
	}
	v, err := h.Invitations.Decline(ctx, r.Token, reason, infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	return apigen.DeclineInvitation200JSONResponse(viewOut(v)), nil
}
