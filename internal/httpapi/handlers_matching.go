package httpapi

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/apigen"
	"github.com/quirehq/quire/internal/matching"
)

func (h *handlers) ListReviewerPool(ctx context.Context, r apigen.ListReviewerPoolRequestObject) (apigen.ListReviewerPoolResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	pool, err := h.Matching.Pool(ctx, r.Venue, p)
	if err != nil {
		return nil, err
	}
	out := apigen.ListReviewerPool200JSONResponse{}
	for _, m := range pool {
		out = append(out, apigen.PoolMember{Id: m.ID, Name: m.Name, Affiliation: m.Affiliation})
	}
	return out, nil
}

func (h *handlers) ListConflicts(ctx context.Context, r apigen.ListConflictsRequestObject) (apigen.ListConflictsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	list, err := h.Matching.Conflicts(ctx, r.Venue, p)
	if err != nil {
		return nil, err
	}
	out := apigen.ListConflicts200JSONResponse{}
	for _, c := range list {
		out = append(out, apigen.ConflictView{Number: c.Number, Title: c.Title, Reviewer: c.ReviewerName, Email: c.ReviewerEmail,
			Source: c.Source, Detail: c.Detail, Waived: c.Waived})
	}
	return out, nil
}

func (h *handlers) SetConflict(ctx context.Context, r apigen.SetConflictRequestObject) (apigen.SetConflictResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	b := r.Body
	if err := h.Matching.SetConflict(ctx, r.Venue, p, b.Submission, string(b.Reviewer), deref(b.Note), deref(b.Waive), infoFrom(ctx).IP); err != nil {
		return nil, err
	}
	return apigen.SetConflict204Response{}, nil
}

func (h *handlers) DeclareAuthorConflicts(ctx context.Context, r apigen.DeclareAuthorConflictsRequestObject) (apigen.DeclareAuthorConflictsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	if err := h.Matching.DeclareAsAuthor(ctx, r.Id, p, r.Body.Reviewers, h.Submissions.AuthorOf); err != nil {
		return nil, err
	}
	return apigen.DeclareAuthorConflicts204Response{}, nil
}

func (h *handlers) DeclareReviewerConflicts(ctx context.Context, r apigen.DeclareReviewerConflictsRequestObject) (apigen.DeclareReviewerConflictsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	if err := h.Matching.DeclareAsReviewer(ctx, r.Venue, p, r.Body.Submissions); err != nil {
		return nil, err
	}
	return apigen.DeclareReviewerConflicts204Response{}, nil
}

func (h *handlers) ListBids(ctx context.Context, r apigen.ListBidsRequestObject) (apigen.ListBidsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	list, err := h.Matching.BiddingList(ctx, r.Venue, p)
	if err != nil {
		return nil, err
	}
	out := apigen.ListBids200JSONResponse{}
	for _, b := range list {
		out = append(out, apigen.BidItem{SubmissionId: b.SubmissionID, Number: b.Number, Title: b.Title, Abstract: b.Abstract,
			Keywords: b.Keywords, Track: b.Track, Affinity: float32(b.Affinity), Bid: b.Bid})
	}
	return out, nil
}

func (h *handlers) SetBid(ctx context.Context, r apigen.SetBidRequestObject) (apigen.SetBidResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	if err := h.Matching.Bid(ctx, r.Venue, p, r.Id, string(r.Body.Bid)); err != nil {
		return nil, err
	}
	return apigen.SetBid204Response{}, nil
}

func (h *handlers) ImportAffinity(ctx context.Context, r apigen.ImportAffinityRequestObject) (apigen.ImportAffinityResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	n, err := h.Matching.ImportAffinity(ctx, r.Venue, p, r.Body, infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	return apigen.ImportAffinity200JSONResponse{Imported: n}, nil
}

func runOut(run matching.Run) (apigen.AssignmentRun, error) {
	out := apigen.AssignmentRun{Id: run.ID, Status: apigen.AssignmentRunStatus(run.Status), Phase: run.Phase, Progress: float32(run.Progress),
		StartedAt: run.StartedAt, FinishedAt: run.FinishedAt}
	if run.Explanation != "" {
		out.Explanation = &run.Explanation
	}
	if run.Proposal != nil {
		b, err := json.Marshal(run.Proposal)
		if err != nil {
			return out, err
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return out, err
		}
		out.Proposal = &m
	}
	return out, nil
}

func (h *handlers) StartAssignmentRun(ctx context.Context, r apigen.StartAssignmentRunRequestObject) (apigen.StartAssignmentRunResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	var params matching.Params
	if b := r.Body; b != nil {
		params = matching.Params{AffinityWeight: float64(deref(b.AffinityWeight)), BidWeight: float64(deref(b.BidWeight)),
			ExternalWeight: float64(deref(b.ExternalWeight)), KeepExisting: deref(b.KeepExisting), MaxProbability: float64(deref(b.MaxProbability))}
		if b.Mode != nil {
			params.Mode = string(*b.Mode)
		}
		if b.Seed != nil {
			params.Seed = uint64(*b.Seed)
		}
	}
	id, err := h.Matching.StartRun(ctx, r.Venue, p, params)
	if err != nil {
		return nil, err
	}
	run, err := h.Matching.RunFor(ctx, r.Venue, p, id)
	if err != nil {
		return nil, err
	}
	out, err := runOut(run)
	return apigen.StartAssignmentRun202JSONResponse(out), err
}

func (h *handlers) GetAssignmentRun(ctx context.Context, r apigen.GetAssignmentRunRequestObject) (apigen.GetAssignmentRunResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	run, err := h.Matching.RunFor(ctx, r.Venue, p, r.Run)
	if err != nil {
		return nil, err
	}
	out, err := runOut(run)
	return apigen.GetAssignmentRun200JSONResponse(out), err
}

func (h *handlers) CommitAssignmentRun(ctx context.Context, r apigen.CommitAssignmentRunRequestObject) (apigen.CommitAssignmentRunResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	var edited []matching.ProposalPair
	if r.Body != nil && r.Body.Pairs != nil {
		edited = []matching.ProposalPair{}
		for _, pp := range *r.Body.Pairs {
			edited = append(edited, matching.ProposalPair{SubmissionID: pp.SubmissionId, ReviewerID: pp.ReviewerId})
		}
	}
	if err := h.Matching.CommitRun(ctx, r.Venue, p, r.Run, edited, infoFrom(ctx).IP); err != nil {
		return nil, err
	}
	return apigen.CommitAssignmentRun204Response{}, nil
}

func (h *handlers) ExportAssignments(ctx context.Context, r apigen.ExportAssignmentsRequestObject) (apigen.ExportAssignmentsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := h.Matching.ExportCSV(ctx, r.Venue, p, &buf); err != nil {
		return nil, err
	}
	res := apigen.ExportAssignments200TextcsvResponse{Body: &buf, ContentLength: int64(buf.Len())}
	return download{attachment(r.Venue + "-assignments.csv"), res.VisitExportAssignmentsResponse}, nil
}

func (h *handlers) ChangeAssignments(ctx context.Context, r apigen.ChangeAssignmentsRequestObject) (apigen.ChangeAssignmentsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	var changes []matching.Change
	source := "manual"
	if r.JSONBody != nil {
		for _, c := range r.JSONBody.Changes {
			changes = append(changes, matching.Change{Number: c.Number, Email: c.Email, Assign: c.Assign})
		}
	} else {
		source = "import"
		if r.Body == nil {
			return nil, noBody("application/json or text/csv")
		}
		if changes, err = matching.ParseCSV(r.Body); err != nil {
			return nil, err
		}
	}
	if err := h.Matching.Apply(ctx, r.Venue, p, changes, source, infoFrom(ctx).IP); err != nil {
		return nil, err
	}
	return apigen.ChangeAssignments204Response{}, nil
}

func (h *handlers) ListMyAssignments(ctx context.Context, r apigen.ListMyAssignmentsRequestObject) (apigen.ListMyAssignmentsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	list, err := h.Matching.Mine(ctx, r.Venue, p)
	if err != nil {
		return nil, err
	}
	out := apigen.ListMyAssignments200JSONResponse{}
	for _, a := range list {
		out = append(out, apigen.MyAssignment{SubmissionId: a.SubmissionID, Number: a.Number, Title: a.Title, Abstract: a.Abstract,
			Keywords: a.Keywords, Track: a.Track, Declined: a.Declined, Held: a.Held, Due: a.Due})
	}
	return out, nil
}

func (h *handlers) DeclineAssignment(ctx context.Context, r apigen.DeclineAssignmentRequestObject) (apigen.DeclineAssignmentResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	if err := h.Matching.Decline(ctx, r.Venue, p, r.Id, r.Body.Reason, infoFrom(ctx).IP); err != nil {
		return nil, err
	}
	return apigen.DeclineAssignment204Response{}, nil
}
