package httpapi

import (
	"context"
	"net/http"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/apigen"
	"github.com/quirehq/quire/internal/personaldata"
)

// personalData reads through the same pool and file store as submissions.
func (h *handlers) personalData() *personaldata.Service {
	return &personaldata.Service{DB: h.DB, Blobs: h.Submissions.Blobs}
}

func (h *handlers) ExportMyData(ctx context.Context, _ apigen.ExportMyDataRequestObject) (apigen.ExportMyDataResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	a, err := h.personalData().Export(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	return exportResponse{ctx: ctx, archive: a}, nil
}

// exportResponse streams the ZIP into the response as it is built.
type exportResponse struct {
	ctx     context.Context
	archive *personaldata.Archive
}

func (e exportResponse) VisitExportMyDataResponse(w http.ResponseWriter) error {
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", attachment("quire-personal-data.zip"))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	return e.archive.WriteTo(e.ctx, w)
}

func (h *handlers) DeleteMe(ctx context.Context, r apigen.DeleteMeRequestObject) (apigen.DeleteMeResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	in := personaldata.Deletion{Password: r.Body.Password, IP: infoFrom(ctx).IP}
	if r.Body.Otp != nil {
		in.Code = *r.Body.Otp
	}
	d := &personaldata.Deleter{Service: h.personalData(), Accounts: h.Accounts, Now: h.Clock.Now}
	if err := d.Delete(ctx, p.UserID, in); err != nil {
		return nil, err
	}
	return apigen.DeleteMe204Response{}, nil
}
