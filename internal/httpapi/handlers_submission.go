package httpapi

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/quirehq/quire/internal/access"
	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/apigen"
	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/policy"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

func inputOf(b apigen.SubmissionInput) submission.Input {
	in := submission.Input{Title: b.Title, Abstract: b.Abstract, Track: b.Track, Declaration: b.Declaration, Keywords: deref(b.Keywords), Fields: answersIn(b.Fields)}
	for _, a := range b.Authors {
		in.Authors = append(in.Authors, submission.Author{Name: a.Name, Email: string(a.Email), Affiliation: deref(a.Affiliation)})
	}
	return in
}

func reportOut(r *pdfcheck.Report) *apigen.PageCheckReport {
	if r == nil {
		return nil
	}
	b, err := json.Marshal(r)
	if err != nil {
		return nil
	}
	var m apigen.PageCheckReport
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	return &m
}

// submissionOut shows a submission as the policy lets the viewer see it:
// authors and chairs see everything of their papers (chairs also whether it
// arrived in the hidden grace window, which authors never learn exists);
// reviewers see the anonymised view: no authors, no original file, no
// report (it quotes the authors' metadata), no history.
func (h *handlers) submissionOut(ctx context.Context, s submission.Submission, v access.View) apigen.Submission {
	out := apigen.Submission{Id: s.ID, Number: s.Number, Venue: s.Venue, Track: s.Track, Title: s.Title, Abstract: s.Abstract,
		Keywords: s.Keywords, Status: apigen.SubmissionStatus(s.Status()), CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt,
		WithdrawnAt: s.WithdrawnAt, Authors: []apigen.SubmissionAuthor{}}
	if v.Can(policy.AuthorIdentity) {
		for _, a := range s.Authors {
			aff := a.Affiliation
			out.Authors = append(out.Authors, apigen.SubmissionAuthor{Name: a.Name, Email: apigen.Email(a.Email), Affiliation: &aff})
		}
	}
	if v.Can(policy.RevisionHistory) {
		out.Revision = s.Revision
	}
	if v.Can(policy.PageCheckReport) {
		out.Verdict, out.BodyPages, out.LeakCount, out.Report = s.Verdict, s.BodyPages, s.LeakCount, reportOut(s.Report)
	}
	if s.PDF != nil && v.Can(policy.OriginalPDF) {
		out.Pdf = &apigen.StoredFile{Sha256: s.PDF.SHA256, Size: s.PDF.Size}
	}
	if s.Supp != nil && v.Can(policy.OriginalPDF) {
		t := s.SuppType
		out.Supplementary = &apigen.StoredFile{Sha256: s.Supp.SHA256, Size: s.Supp.Size, Type: &t}
	}
	if s.Waiver != nil && v.Can(policy.PageCheckReport) {
		w := *s.Waiver
		out.Waiver = &struct {
			At     *time.Time `json:"at,omitempty"`
			Reason *string    `json:"reason,omitempty"`
		}{At: &w.At, Reason: &w.Reason}
	}
	if v.Can(policy.LateFlag) {
		out.Late = &s.Late
	}
	out.Anonymity = holdOut(s, v)
	out.Fields = answersOut(v.VisibleAnswers(s.Track, s.Fields, false))
	if rec, err := h.Venues.BySlug(ctx, h.DB, s.Venue); err == nil && rec.Settings.Deadlines.Submission.IsSet() {
		at := rec.Settings.Deadlines.Submission.At
		local := venue.FormatIn(at, rec.Settings.Zone())
		out.Deadline = &apigen.Deadline{Name: "submission", Utc: at.UTC(), Aoe: venue.FormatAoE(at), Local: &local}
		left := venue.TimeLeft(at, h.Clock.Now())
		out.TimeLeft = &left
	}
	return out
}

// subOut answers with a submission as the caller is entitled to see it.
func (h *handlers) subOut(ctx context.Context, s submission.Submission) (apigen.Submission, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return apigen.Submission{}, err
	}
	v, err := h.Submissions.Viewer(ctx, s.ID, p)
	if err != nil {
		return apigen.Submission{}, err
	}
	out := h.submissionOut(ctx, s, v)
	// One submission's answer also lists its waivers to chairs (a query of
	// its own, so the lists leave them out).
	if out.Anonymity != nil && v.Relation.Chair && !v.Relation.Author {
		ws, err := h.Submissions.HoldWaivers(ctx, s.ID, p)
		if err != nil {
			return apigen.Submission{}, err
		}
		out.Anonymity.Waivers = waiversOut(ws)
	}
	return out, nil
}

func (h *handlers) CreateSubmission(ctx context.Context, r apigen.CreateSubmissionRequestObject) (apigen.CreateSubmissionResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	s, err := h.Submissions.Create(ctx, r.Venue, p, inputOf(*r.Body))
	if err != nil {
		return nil, err
	}
	out, err := h.subOut(ctx, s)
	return apigen.CreateSubmission201JSONResponse(out), err
}

func (h *handlers) GetSubmission(ctx context.Context, r apigen.GetSubmissionRequestObject) (apigen.GetSubmissionResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	s, err := h.Submissions.Get(ctx, r.Id, p)
	if err != nil {
		return nil, err
	}
	out, err := h.subOut(ctx, s)
	return apigen.GetSubmission200JSONResponse(out), err
}

func (h *handlers) UpdateSubmission(ctx context.Context, r apigen.UpdateSubmissionRequestObject) (apigen.UpdateSubmissionResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	s, err := h.Submissions.Update(ctx, r.Id, p, inputOf(*r.Body))
	if err != nil {
		return nil, err
	}
	out, err := h.subOut(ctx, s)
	return apigen.UpdateSubmission200JSONResponse(out), err
}

func (h *handlers) uploadResult(ctx context.Context, res submission.Result) (apigen.UploadResult, error) {
	out, err := h.subOut(ctx, res.Submission)
	return apigen.UploadResult{Submission: out, Report: reportOut(res.Report)}, err
}

func (h *handlers) UploadPdf(ctx context.Context, r apigen.UploadPdfRequestObject) (apigen.UploadPdfResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	res, err := h.Submissions.UploadPDF(ctx, r.Id, p, r.Body, infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	out, err := h.uploadResult(ctx, res)
	return apigen.UploadPdf200JSONResponse(out), err
}

// UploadPdfForm takes the browser's multipart form, streaming the part named
// "file" without buffering the whole form.
func (h *handlers) UploadPdfForm(ctx context.Context, r apigen.UploadPdfFormRequestObject) (apigen.UploadPdfFormResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	file, err := formFile(r.Body)
	if err != nil {
		return nil, err
	}
	res, err := h.Submissions.UploadPDF(ctx, r.Id, p, file, infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	out, err := h.uploadResult(ctx, res)
	return apigen.UploadPdfForm200JSONResponse(out), err
}

func (h *handlers) UploadSupplementary(ctx context.Context, r apigen.UploadSupplementaryRequestObject) (apigen.UploadSupplementaryResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	res, err := h.Submissions.UploadSupplementary(ctx, r.Id, p, r.Body, infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	out, err := h.uploadResult(ctx, res)
	return apigen.UploadSupplementary200JSONResponse(out), err
}

func (h *handlers) DownloadPdf(ctx context.Context, r apigen.DownloadPdfRequestObject) (apigen.DownloadPdfResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	which, suffix := submission.FileOriginal, ".pdf"
	if r.Params.Copy != nil && *r.Params.Copy == apigen.Anonymised {
		which, suffix = submission.FileAnonymised, "-anonymised.pdf"
	}
	s, err := h.Submissions.Get(ctx, r.Id, p)
	if err != nil {
		return nil, err
	}
	f, n, _, err := h.Submissions.Open(ctx, r.Id, p, which)
	if err != nil {
		return nil, err
	}
	res := apigen.DownloadPdf200ApplicationpdfResponse{Body: closingReader{f}, ContentLength: n}
	return download{inline(paperName(s.Venue, s.Number, suffix)), res.VisitDownloadPdfResponse}, nil
}

func (h *handlers) DownloadSupplementary(ctx context.Context, r apigen.DownloadSupplementaryRequestObject) (apigen.DownloadSupplementaryResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	s, err := h.Submissions.Get(ctx, r.Id, p)
	if err != nil {
		return nil, err
	}
	f, n, ctype, err := h.Submissions.Open(ctx, r.Id, p, submission.FileSupplementary)
	if err != nil {
		return nil, err
	}
	disp := inline(paperName(s.Venue, s.Number, "-supplementary.pdf"))
	if ctype == "application/zip" {
		disp = attachment(paperName(s.Venue, s.Number, "-supplementary.zip"))
	}
	res := apigen.DownloadSupplementary200ApplicationoctetStreamResponse{Body: closingReader{f}, ContentLength: n}
	return download{disp, res.VisitDownloadSupplementaryResponse}, nil
}

// closingReader closes the file once the response has read it to the end.
type closingReader struct{ f io.ReadCloser }

func (c closingReader) Read(p []byte) (int, error) {
	n, err := c.f.Read(p)
	if err != nil {
		c.f.Close()
	}
	return n, err
}

func (h *handlers) ListRevisions(ctx context.Context, r apigen.ListRevisionsRequestObject) (apigen.ListRevisionsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	v, err := h.Submissions.Viewer(ctx, r.Id, p)
	if err != nil {
		return nil, err
	}
	chair := v.Can(policy.LateFlag)
	revs, err := h.Submissions.History(ctx, r.Id, p)
	if err != nil {
		return nil, err
	}
	out := apigen.ListRevisions200JSONResponse{}
	for _, v := range revs {
		sn := v.Snapshot
		rv := apigen.Revision{Seq: v.Seq, Kind: v.Kind, At: v.At, By: v.ByName, Current: v.IsCurrent, Title: sn.Title, Track: sn.Track}
		if sn.PDFSHA != "" {
			rv.Pdf = &apigen.StoredFile{Sha256: sn.PDFSHA, Size: sn.PDFSize}
			verdict, pages := sn.Verdict, sn.BodyPages
			rv.Verdict, rv.BodyPages = &verdict, &pages
		}
		if chair {
			late := v.Late
			rv.Late = &late
		}
		out = append(out, rv)
	}
	return out, nil
}

func (h *handlers) RestoreRevision(ctx context.Context, r apigen.RestoreRevisionRequestObject) (apigen.RestoreRevisionResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	s, err := h.Submissions.Restore(ctx, r.Id, r.Seq, p, infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	out, err := h.subOut(ctx, s)
	return apigen.RestoreRevision200JSONResponse(out), err
}

func (h *handlers) WithdrawSubmission(ctx context.Context, r apigen.WithdrawSubmissionRequestObject) (apigen.WithdrawSubmissionResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	s, err := h.Submissions.Withdraw(ctx, r.Id, p, infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	out, err := h.subOut(ctx, s)
	return apigen.WithdrawSubmission200JSONResponse(out), err
}

func (h *handlers) ReinstateSubmission(ctx context.Context, r apigen.ReinstateSubmissionRequestObject) (apigen.ReinstateSubmissionResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	s, err := h.Submissions.Reinstate(ctx, r.Id, p, infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	out, err := h.subOut(ctx, s)
	return apigen.ReinstateSubmission200JSONResponse(out), err
}

func (h *handlers) WaivePageCheck(ctx context.Context, r apigen.WaivePageCheckRequestObject) (apigen.WaivePageCheckResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	s, err := h.Submissions.Waive(ctx, r.Id, p, strings.TrimSpace(r.Body.Reason), infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	out, err := h.subOut(ctx, s)
	return apigen.WaivePageCheck200JSONResponse(out), err
}

func (h *handlers) ListMySubmissions(ctx context.Context, _ apigen.ListMySubmissionsRequestObject) (apigen.ListMySubmissionsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	subs, err := h.Submissions.ListMine(ctx, p)
	if err != nil {
		return nil, err
	}
	out := apigen.ListMySubmissions200JSONResponse{}
	for _, s := range subs {
		v, err := h.Submissions.Viewer(ctx, s.ID, p)
		if err != nil {
			return nil, err
		}
		out = append(out, h.submissionOut(ctx, s, v))
	}
	return out, nil
}

func (h *handlers) ListVenueSubmissions(ctx context.Context, r apigen.ListVenueSubmissionsRequestObject) (apigen.ListVenueSubmissionsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	f := submission.Filter{Track: deref(r.Params.Track), Verdict: deref(r.Params.Verdict), Leaks: r.Params.Leaks}
	if r.Params.Status != nil {
		f.Status = string(*r.Params.Status)
	}
	subs, err := h.Submissions.ListVenue(ctx, r.Venue, p, f)
	if err != nil {
		return nil, err
	}
	rec, err := h.Venues.BySlug(ctx, h.DB, r.Venue)
	if err != nil {
		return nil, err
	}
	if r.Params.Format != nil && *r.Params.Format == apigen.ListVenueSubmissionsParamsFormatCsv {
		b := submissionsCSV(subs, rec.Settings.SubmissionFields)
		res := apigen.ListVenueSubmissions200TextcsvResponse{Body: bytes.NewReader(b), ContentLength: int64(len(b))}
		return download{attachment(r.Venue + "-submissions.csv"), res.VisitListVenueSubmissionsResponse}, nil
	}
	out := apigen.ListVenueSubmissions200JSONResponse{}
	// The service left out what a conflicted chair may not see; the rest
	// is the chair's full view.
	chairView := access.View{Relation: policy.Relation{SignedIn: true, Chair: true}, Venue: rec}
	for _, s := range subs {
		out = append(out, h.submissionOut(ctx, s, chairView))
	}
	return out, nil
}

// submissionsCSV is the chairs' export: one row per submission.
func submissionsCSV(subs []submission.Submission, fields []venue.SubmissionField) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(append([]string{"number", "title", "track", "status", "verdict", "body_pages", "leaks", "late", "authors", "emails", "affiliations", "keywords", "updated_at"}, fieldColumns(fields)...))
	for _, s := range subs {
		var names, emails, affs []string
		for _, a := range s.Authors {
			names, emails, affs = append(names, a.Name), append(emails, a.Email), append(affs, a.Affiliation)
		}
		_ = w.Write(append([]string{strconv.Itoa(s.Number), s.Title, s.Track, s.Status(), s.Verdict, strconv.Itoa(s.BodyPages), strconv.Itoa(s.LeakCount),
			strconv.FormatBool(s.Late), strings.Join(names, "; "), strings.Join(emails, "; "), strings.Join(affs, "; "),
			strings.Join(s.Keywords, "; "), s.UpdatedAt.UTC().Format(time.RFC3339)}, fieldCells(fields, s.Fields)...))
	}
	w.Flush()
	return buf.Bytes()
}
