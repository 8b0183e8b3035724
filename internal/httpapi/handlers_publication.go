package httpapi

import (
	"bytes"
	"context"
	"net/http"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/apigen"
	"github.com/quirehq/quire/internal/publication"
)

// as is convert for a value of the generated type T.
func as[T any](from any) (T, error) {
	var out T
	return out, convert(from, &out)
}

func (h *handlers) GetPublicationConsent(ctx context.Context, r apigen.GetPublicationConsentRequestObject) (apigen.GetPublicationConsentResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	c, err := h.Publication.ConsentOf(ctx, r.Id, p)
	if err != nil {
		return nil, err
	}
	return as[apigen.GetPublicationConsent200JSONResponse](c)
}

func (h *handlers) SetPublicationConsent(ctx context.Context, r apigen.SetPublicationConsentRequestObject) (apigen.SetPublicationConsentResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	c, err := h.Publication.SetConsent(ctx, r.Id, p, r.Body.Consent, deref(r.Body.Licence), infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	return as[apigen.SetPublicationConsent200JSONResponse](c)
}

// citations answers papers as BibTeX or CSL-JSON, the format asked for,
// or nil for JSON.
func citations(v publication.Venue, papers []publication.Paper, format string, bib func(bytes.Buffer) download, csl func([]publication.CSLItem) (any, error)) (any, error) {
	switch format {
	case "bibtex":
		var buf bytes.Buffer
		if err := publication.WriteBibTeX(&buf, v, papers); err != nil {
			return nil, err
		}
		return bib(buf), nil
	case "csl-json":
		return csl(publication.CSL(v, papers))
	}
	return nil, nil
}

func (h *handlers) ListPublishedPapers(ctx context.Context, r apigen.ListPublishedPapersRequestObject) (apigen.ListPublishedPapersResponseObject, error) {
	v, err := h.Publication.Published(ctx, r.Venue)
	if err != nil {
		return nil, err
	}
	format := string(deref(r.Params.Format))
	out, err := citations(v, v.AcceptedOnly(), format,
		func(buf bytes.Buffer) download {
			res := apigen.ListPublishedPapers200ApplicationxBibtexResponse{Body: &buf, ContentLength: int64(buf.Len())}
			return download{attachment(v.Slug + "-papers.bib"), res.VisitListPublishedPapersResponse}
		},
		func(items []publication.CSLItem) (any, error) {
			res, err := as[apigen.ListPublishedPapers200ApplicationVndCitationstylesCslPlusJSONResponse](items)
			return download{attachment(v.Slug + "-papers.json"), res.VisitListPublishedPapersResponse}, err
		})
	if err != nil {
		return nil, err
	}
	if out != nil {
		return out.(download), nil
	}
	papers := v.Papers
	if papers == nil {
		papers = []publication.Paper{}
	}
	return as[apigen.ListPublishedPapers200JSONResponse](papers)
}

func (h *handlers) GetPublishedPaper(ctx context.Context, r apigen.GetPublishedPaperRequestObject) (apigen.GetPublishedPaperResponseObject, error) {
	v, p, err := h.Publication.Paper(ctx, r.Venue, r.Number)
	if err != nil {
		return nil, err
	}
	name := paperName(v.Slug, p.Number, "")
	out, err := citations(v, []publication.Paper{p}, string(deref(r.Params.Format)),
		func(buf bytes.Buffer) download {
			res := apigen.GetPublishedPaper200ApplicationxBibtexResponse{Body: &buf, ContentLength: int64(buf.Len())}
			return download{attachment(name + ".bib"), res.VisitGetPublishedPaperResponse}
		},
		func(items []publication.CSLItem) (any, error) {
			res, err := as[apigen.GetPublishedPaper200ApplicationVndCitationstylesCslPlusJSONResponse](items)
			return download{attachment(name + ".json"), res.VisitGetPublishedPaperResponse}, err
		})
	if err != nil {
		return nil, err
	}
	if out != nil {
		return out.(download), nil
	}
	return as[apigen.GetPublishedPaper200JSONResponse](p)
}

func (h *handlers) GetPublishedPdf(ctx context.Context, r apigen.GetPublishedPdfRequestObject) (apigen.GetPublishedPdfResponseObject, error) {
	f, n, err := h.Publication.PDF(ctx, r.Venue, r.Number)
	if err != nil {
		return nil, err
	}
	res := apigen.GetPublishedPdf200ApplicationpdfResponse{Body: f, ContentLength: n}
	return download{inline(paperName(r.Venue, r.Number, ".pdf")), res.VisitGetPublishedPdfResponse}, nil
}

func (h *handlers) GetProceedings(ctx context.Context, r apigen.GetProceedingsRequestObject) (apigen.GetProceedingsResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	pr, err := h.Publication.Proceedings(ctx, r.Venue, p)
	if err != nil {
		return nil, err
	}
	return proceedingsResponse{ctx: ctx, pr: pr}, nil
}

// proceedingsResponse streams the bundle as it is built.
type proceedingsResponse struct {
	ctx context.Context
	pr  *publication.Proceedings
}

func (e proceedingsResponse) VisitGetProceedingsResponse(w http.ResponseWriter) error {
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", attachment(e.pr.Name()))
	w.WriteHeader(http.StatusOK)
	return e.pr.WriteTo(e.ctx, w)
}

func (d download) VisitListPublishedPapersResponse(w http.ResponseWriter) error { return d.write(w) }
func (d download) VisitGetPublishedPaperResponse(w http.ResponseWriter) error   { return d.write(w) }
func (d download) VisitGetPublishedPdfResponse(w http.ResponseWriter) error     { return d.write(w) }
