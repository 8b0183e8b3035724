package httpapi

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/apigen"
	"github.com/quirehq/quire/internal/decision"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/schedule"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

func (h *handlers) GetDecision(ctx context.Context, r apigen.GetDecisionRequestObject) (apigen.GetDecisionResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	d, err := h.Decisions.Of(ctx, r.Id, p)
	if err != nil {
		return nil, err
	}
	if d == nil {
		return apigen.GetDecision200JSONResponse{Decided: false}, nil
	}
	out := apigen.DecisionView{Decided: true, Category: &d.Category, Label: &d.Label, Note: &d.Note, Accept: &d.Accept, Presentation: &d.Presentation,
		DecidedAt: d.DecidedAt, OnTime: d.OnTime}
	return apigen.GetDecision200JSONResponse(out), nil
}

func (h *handlers) SetDecision(ctx context.Context, r apigen.SetDecisionRequestObject) (apigen.SetDecisionResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	if err := h.Decisions.Decide(ctx, r.Id, p, r.Body.Category, deref(r.Body.Note), infoFrom(ctx).IP); err != nil {
		return nil, err
	}
	return apigen.SetDecision204Response{}, nil
}

func (h *handlers) ListDecisions(ctx context.Context, r apigen.ListDecisionsRequestObject) (apigen.ListDecisionsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	ov, err := h.Decisions.List(ctx, r.Venue, p)
	if err != nil {
		return nil, err
	}
	out := apigen.DecisionTable{Open: ov.Open, DeadlineUtc: ov.Deadline.UTC(), DeadlineAoe: venue.FormatAoE(ov.Deadline), TimeLeft: ov.TimeLeft,
		ReleaseAt: ov.ReleaseAt, Released: ov.Released}
	type row struct {
		SubmissionID int64  `json:"submission_id"`
		Number       int    `json:"number"`
		Title        string `json:"title"`
		Track        string `json:"track"`
		Withdrawn    bool   `json:"withdrawn"`
		Category     string `json:"category"`
		Note         string `json:"note"`
		DecidedAt    any    `json:"decided_at"`
		OnTime       bool   `json:"on_time"`
		DecidedBy    string `json:"decided_by"`
	}
	conv := []row{}
	for _, x := range ov.Rows {
		var at any
		if x.DecidedAt != nil {
			at = x.DecidedAt.UTC()
		}
		conv = append(conv, row{x.SubmissionID, x.Number, x.Title, x.Track, x.Withdrawn, x.Category, x.Note, at, x.OnTime, x.DecidedBy})
	}
	raw, err := json.Marshal(conv)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, &out.Rows); err != nil {
		return nil, err
	}
	return apigen.ListDecisions200JSONResponse(out), nil
}

func (h *handlers) DecideMany(ctx context.Context, r apigen.DecideManyRequestObject) (apigen.DecideManyResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	var items []decision.Item
	if r.JSONBody != nil {
		for _, it := range r.JSONBody.Items {
			items = append(items, decision.Item{Number: it.Number, Category: it.Category, Note: deref(it.Note)})
		}
	} else if r.Body == nil {
		return nil, noBody("application/json or text/csv")
	} else if items, err = parseDecisionsCSV(r.Body); err != nil {
		return nil, err
	}
	if err := h.Decisions.DecideMany(ctx, r.Venue, p, items, infoFrom(ctx).IP); err != nil {
		return nil, err
	}
	return apigen.DecideMany204Response{}, nil
}

// parseDecisionsCSV reads number,category,note lines (a header is skipped).
func parseDecisionsCSV(r io.Reader) ([]decision.Item, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	var out []decision.Item
	var fields []problem.FieldError
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, problem.Invalid("not valid CSV: " + err.Error())
		}
		if line == 1 && len(rec) > 0 && strings.EqualFold(strings.TrimSpace(rec[0]), "number") {
			continue
		}
		n, err := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(rec[0]), "#"))
		if err != nil || len(rec) < 2 {
			fields = append(fields, problem.FieldError{Field: "line " + strconv.Itoa(line), Message: "needs number,category[,note]"})
			continue
		}
		it := decision.Item{Number: n, Category: strings.TrimSpace(rec[1])}
		if len(rec) > 2 {
			it.Note = rec[2]
		}
		out = append(out, it)
	}
	if len(fields) > 0 {
		return nil, problem.Invalid("no decision was recorded: the CSV has bad lines", fields...)
	}
	return out, nil
}

func (h *handlers) ReleaseDecisions(ctx context.Context, r apigen.ReleaseDecisionsRequestObject) (apigen.ReleaseDecisionsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	var at *venue.Deadline
	if r.Body != nil && r.Body.At != nil && *r.Body.At != "" {
		t, err := venue.ParseInstant(*r.Body.At)
		if err != nil {
			return nil, problem.Invalid(err.Error(), problem.FieldError{Field: "at", Message: err.Error()})
		}
		at = &venue.Deadline{At: t}
	}
	var when = h.Clock.Now()
	if at != nil {
		when = at.At
	}
	got, err := h.Decisions.Release(ctx, r.Venue, p, &when, infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	return apigen.ReleaseDecisions200JSONResponse{ReleaseAt: got.UTC(), ReleaseAtAoe: venue.FormatAoE(got)}, nil
}

func (h *handlers) CancelRelease(ctx context.Context, r apigen.CancelReleaseRequestObject) (apigen.CancelReleaseResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	if err := h.Decisions.CancelRelease(ctx, r.Venue, p, infoFrom(ctx).IP); err != nil {
		return nil, err
	}
	return apigen.CancelRelease204Response{}, nil
}

func (h *handlers) PreviewRelease(ctx context.Context, r apigen.PreviewReleaseRequestObject) (apigen.PreviewReleaseResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	msgs, err := h.Decisions.Preview(ctx, r.Venue, p)
	if err != nil {
		return nil, err
	}
	type m struct {
		To         string `json:"to"`
		Submission int    `json:"submission"`
		Subject    string `json:"subject"`
		Body       string `json:"body"`
	}
	conv := []m{}
	for _, x := range msgs {
		conv = append(conv, m{x.To, x.Submission, x.Subject, x.Body})
	}
	raw, _ := json.Marshal(conv)
	var out apigen.PreviewRelease200JSONResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, err
	}
	return out, nil
}

func (h *handlers) UploadCameraReady(ctx context.Context, r apigen.UploadCameraReadyRequestObject) (apigen.UploadCameraReadyResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	rep, err := h.Decisions.UploadCameraReady(ctx, r.Id, p, r.Body)
	if err != nil {
		return nil, err
	}
	return apigen.UploadCameraReady200JSONResponse{Report: *reportOut(rep)}, nil
}

func (h *handlers) SetFinalAuthors(ctx context.Context, r apigen.SetFinalAuthorsRequestObject) (apigen.SetFinalAuthorsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	var authors []submission.Author
	for _, a := range r.Body.Authors {
		authors = append(authors, submission.Author{Name: a.Name, Email: string(a.Email), Affiliation: deref(a.Affiliation)})
	}
	if err := h.Decisions.SetFinalAuthors(ctx, r.Id, p, authors, deref(r.Body.Confirm)); err != nil {
		return nil, err
	}
	return apigen.SetFinalAuthors204Response{}, nil
}

func (h *handlers) GetProgramme(ctx context.Context, r apigen.GetProgrammeRequestObject) (apigen.GetProgrammeResponseObject, error) {
	papers, rec, err := h.Decisions.Accepted(ctx, r.Venue)
	if err != nil {
		return nil, err
	}
	format := ""
	if r.Params.Format != nil {
		format = string(*r.Params.Format)
	}
	var buf bytes.Buffer
	switch format {
	case "csv":
		if err := decision.WriteCSV(&buf, papers); err != nil {
			return nil, err
		}
		res := apigen.GetProgramme200TextcsvResponse{Body: &buf, ContentLength: int64(buf.Len())}
		return download{attachment(rec.Slug + "-programme.csv"), res.VisitGetProgrammeResponse}, nil
	case "ics":
		// The programme's calendar is the schedule's: the day as the
		// chairs timed it, its slots filled with these papers.
		day, err := h.Schedule.Get(ctx, rec.Slug, viewer(ctx))
		if err != nil {
			return nil, err
		}
		if err := schedule.WriteICS(&buf, day, ""); err != nil {
			return nil, err
		}
		res := apigen.GetProgramme200TextcalendarResponse{Body: &buf, ContentLength: int64(buf.Len())}
		return download{attachment(rec.Slug + "-programme.ics"), res.VisitGetProgrammeResponse}, nil
	}
	raw, _ := json.Marshal(papers)
	var out apigen.GetProgramme200JSONResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, err
	}
	return out, nil
}

func placementOut(pl decision.Placement) apigen.Placement {
	out := apigen.Placement{Spotlights: pl.Spotlights, Posters: map[string]int{}}
	if out.Spotlights == nil {
		out.Spotlights = []int{}
	}
	for n, s := range pl.Posters {
		out.Posters[strconv.Itoa(n)] = s
	}
	return out
}

func (h *handlers) SetProgramme(ctx context.Context, r apigen.SetProgrammeRequestObject) (apigen.SetProgrammeResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	pl := decision.Placement{Spotlights: r.Body.Spotlights, Posters: map[int]int{}}
	for k, v := range r.Body.Posters {
		n, err := strconv.Atoi(strings.TrimPrefix(k, "#"))
		if err != nil {
			return nil, problem.Invalid("poster keys are submission numbers", problem.FieldError{Field: "posters." + k, Message: "not a number"})
		}
		pl.Posters[n] = v
	}
	if err := h.Decisions.SetProgramme(ctx, r.Venue, p, pl, infoFrom(ctx).IP); err != nil {
		return nil, err
	}
	return apigen.SetProgramme204Response{}, nil
}

func (h *handlers) ProposeProgramme(ctx context.Context, r apigen.ProposeProgrammeRequestObject) (apigen.ProposeProgrammeResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	pl, err := h.Decisions.AutoPlacement(ctx, r.Venue, p)
	if err != nil {
		return nil, err
	}
	return apigen.ProposeProgramme200JSONResponse(placementOut(pl)), nil
}

func (h *handlers) GetAcceptedPdf(ctx context.Context, r apigen.GetAcceptedPdfRequestObject) (apigen.GetAcceptedPdfResponseObject, error) {
	// The published file, behind its cover page; only with consent. The
	// response closes it (it is a ReadCloser), which also removes it, even
	// when the client goes away mid-way.
	f, n, err := h.Publication.PDF(ctx, r.Venue, r.Number)
	if err != nil {
		return nil, err
	}
	res := apigen.GetAcceptedPdf200ApplicationpdfResponse{Body: f, ContentLength: n}
	return download{inline(paperName(r.Venue, r.Number, ".pdf")), res.VisitGetAcceptedPdfResponse}, nil
}

func (h *handlers) GetAuditLog(ctx context.Context, r apigen.GetAuditLogRequestObject) (apigen.GetAuditLogResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	entries, err := h.Decisions.Audit(ctx, r.Venue, p)
	if err != nil {
		return nil, err
	}
	if r.Params.Format != nil && *r.Params.Format == "csv" {
		var buf bytes.Buffer
		cw := csv.NewWriter(&buf)
		_ = cw.Write([]string{"at", "actor", "action", "subject", "detail", "ip"})
		for _, e := range entries {
			d, _ := json.Marshal(e.Detail)
			_ = cw.Write([]string{e.At.UTC().Format("2006-01-02T15:04:05Z"), e.Actor, e.Action, e.Subject, string(d), e.IP})
		}
		cw.Flush()
		res := apigen.GetAuditLog200TextcsvResponse{Body: &buf, ContentLength: int64(buf.Len())}
		return download{attachment(r.Venue + "-audit.csv"), res.VisitGetAuditLogResponse}, nil
	}
	raw, _ := json.Marshal(entries)
	var out apigen.GetAuditLog200JSONResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, err
	}
	return out, nil
}

func (h *handlers) GetMetaReview(ctx context.Context, r apigen.GetMetaReviewRequestObject) (apigen.GetMetaReviewResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	m, err := h.Decisions.MetaReviewOf(ctx, r.Id, p)
	if err != nil {
		return nil, err
	}
	out := apigen.MetaReview{Written: m != nil}
	if m != nil {
		if err := convert(m, &out); err != nil {
			return nil, err
		}
		out.Written = true
	}
	return apigen.GetMetaReview200JSONResponse(out), nil
}

func (h *handlers) SetMetaReview(ctx context.Context, r apigen.SetMetaReviewRequestObject) (apigen.SetMetaReviewResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	if err := h.Decisions.SetMetaReview(ctx, r.Id, p, r.Body.Recommendation, r.Body.Body, infoFrom(ctx).IP); err != nil {
		return nil, err
	}
	return apigen.SetMetaReview204Response{}, nil
}

func (h *handlers) DeleteMetaReview(ctx context.Context, r apigen.DeleteMetaReviewRequestObject) (apigen.DeleteMetaReviewResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	if err := h.Decisions.DeleteMetaReview(ctx, r.Id, p, infoFrom(ctx).IP); err != nil {
		return nil, err
	}
	return apigen.DeleteMetaReview204Response{}, nil
}
