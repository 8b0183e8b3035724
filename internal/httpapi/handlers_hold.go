package httpapi

import (
	"context"

	"github.com/quirehq/quire/internal/access"
	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/apigen"
	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/policy"
	"github.com/quirehq/quire/internal/submission"
)

func findingsOut(fs []pdfcheck.Finding) []apigen.LeakFinding {
	out := make([]apigen.LeakFinding, 0, len(fs))
	for _, f := range fs {
		lf := apigen.LeakFinding{Code: f.Code, Message: f.Message, Where: &f.Where}
		if f.Page > 0 {
			lf.Page = &f.Page
		}
		if f.Line > 0 {
			lf.Line = &f.Line
		}
		if f.Text != "" {
			lf.Text = &f.Text
		}
		out = append(out, lf)
	}
	return out
}

// holdOut is the anonymity hold as authors and chairs see it: what was
// found, where, and what the chairs decided.
func holdOut(s submission.Submission, v access.View) *apigen.AnonymityHold {
	if !v.Can(policy.PageCheckReport) {
		return nil
	}
	out := &apigen.AnonymityHold{Held: s.Hold.Active(), PdfHeld: s.Hold.PDF, SupplementaryHeld: s.Hold.Supplementary,
		Action: apigen.AnonymityHoldAction(s.Hold.Action), FixBy: s.Hold.FixBy, Findings: findingsOut(s.Findings())}
	if s.Hold.Note != "" {
		out.Note = &s.Hold.Note
	}
	return out
}

func waiversOut(ws []submission.HoldWaiver) *[]apigen.HoldWaiver {
	list := make([]apigen.HoldWaiver, 0, len(ws))
	for _, w := range ws {
		hw := apigen.HoldWaiver{At: w.At, By: w.ByName, Reason: w.Reason}
		if w.PDFSHA != "" {
			hw.PdfSha256 = &w.PDFSHA
		}
		if w.SuppSHA != "" {
			hw.SupplementarySha256 = &w.SuppSHA
		}
		list = append(list, hw)
	}
	return &list
}

func (h *handlers) ListAnonymityHolds(ctx context.Context, r apigen.ListAnonymityHoldsRequestObject) (apigen.ListAnonymityHoldsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	subs, err := h.Submissions.ListHeld(ctx, r.Venue, p)
	if err != nil {
		return nil, err
	}
	// As for the venue's list: the service left out what this chair may
	// not see; the rest is the chair's full view.
	chairView := access.View{Relation: policy.Relation{SignedIn: true, Chair: true}}
	out := apigen.ListAnonymityHolds200JSONResponse{}
	for _, s := range subs {
		out = append(out, h.submissionOut(ctx, s, chairView))
	}
	return out, nil
}

func (h *handlers) ReleaseAnonymityHold(ctx context.Context, r apigen.ReleaseAnonymityHoldRequestObject) (apigen.ReleaseAnonymityHoldResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	s, err := h.Submissions.ReleaseHold(ctx, r.Id, p, r.Body.Reason, infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	out, err := h.subOut(ctx, s)
	return apigen.ReleaseAnonymityHold200JSONResponse(out), err
}

func (h *handlers) RequireAnonymityFix(ctx context.Context, r apigen.RequireAnonymityFixRequestObject) (apigen.RequireAnonymityFixResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	s, err := h.Submissions.RequireFix(ctx, r.Id, p, r.Body.Until, deref(r.Body.Note), infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	out, err := h.subOut(ctx, s)
	return apigen.RequireAnonymityFix200JSONResponse(out), err
}

func (h *handlers) DeskRejectForAnonymity(ctx context.Context, r apigen.DeskRejectForAnonymityRequestObject) (apigen.DeskRejectForAnonymityResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	if err := h.Decisions.DeskReject(ctx, r.Id, p, r.Body.Reason, infoFrom(ctx).IP); err != nil {
		return nil, err
	}
	s, err := h.Submissions.Get(ctx, r.Id, p)
	if err != nil {
		return nil, err
	}
	out, err := h.subOut(ctx, s)
	return apigen.DeskRejectForAnonymity200JSONResponse(out), err
}
