package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/apigen"
	"github.com/quirehq/quire/internal/speakerphoto"
)

func (h *handlers) PutSpeakerPhoto(ctx context.Context, r apigen.PutSpeakerPhotoRequestObject) (apigen.PutSpeakerPhotoResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	photo, err := h.SpeakerPhotos.Put(ctx, r.Venue, r.Key, p, r.Body, infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	return apigen.PutSpeakerPhoto200JSONResponse(speakerPhotoOut(photo)), nil
}

func speakerPhotoOut(p speakerphoto.Photo) apigen.SpeakerPhoto {
	out := apigen.SpeakerPhoto{Speaker: p.Speaker, Sha256: p.SHA256, ContentType: apigen.SpeakerPhotoContentType(p.ContentType),
		Width: p.Width, Height: p.Height, UploadedAt: p.UploadedAt}
	for _, w := range speakerphoto.Widths {
		if v, ok := p.Variants[w]; ok {
			out.Widths = append(out.Widths, struct {
				DrawnHeight int `json:"drawn_height"`
				DrawnWidth  int `json:"drawn_width"`
				Width       int `json:"width"`
			}{DrawnHeight: v.Height, DrawnWidth: v.Width, Width: w})
		}
	}
	return out
}

func (h *handlers) DeleteSpeakerPhoto(ctx context.Context, r apigen.DeleteSpeakerPhotoRequestObject) (apigen.DeleteSpeakerPhotoResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	if err := h.SpeakerPhotos.Remove(ctx, r.Venue, r.Key, p, infoFrom(ctx).IP); err != nil {
		return nil, err
	}
	return apigen.DeleteSpeakerPhoto204Response{}, nil
}

// GetSpeakerPhoto is public: the photo is as public as the bio beside it.
// Its ETag is the picture's hash, and an address that names the hash (v,
// as the venue's page links it) never shows another picture, so it may be
// kept for a year; one that does not is checked again after five minutes.
func (h *handlers) GetSpeakerPhoto(ctx context.Context, r apigen.GetSpeakerPhotoRequestObject) (apigen.GetSpeakerPhotoResponseObject, error) {
	width := 0
	if r.Params.Width != nil {
		width = int(*r.Params.Width)
	}
	v, err := h.SpeakerPhotos.Find(ctx, r.Venue, r.Key, width)
	if err != nil {
		return nil, err
	}
	out := photoResponse{etag: `"` + v.SHA256 + `"`, cache: "public, max-age=300"}
	if ver := deref(r.Params.V); len(ver) >= 12 && strings.HasPrefix(v.SHA256, ver) {
		out.cache = "public, max-age=31536000, immutable"
	}
	if etagMatches(deref(r.Params.IfNoneMatch), out.etag) {
		out.visit = apigen.GetSpeakerPhoto304Response{}.VisitGetSpeakerPhotoResponse
		return out, nil
	}
	f, n, err := h.SpeakerPhotos.Open(ctx, v)
	if err != nil {
		return nil, err
	}
	ext, size := ".jpg", ""
	if width != 0 {
		size = "-" + strconv.Itoa(width)
	}
	if v.ContentType == "image/png" {
		ext = ".png"
		out.visit = apigen.GetSpeakerPhoto200ImagepngResponse{Body: closingReader{f}, ContentLength: n}.VisitGetSpeakerPhotoResponse
	} else {
		out.visit = apigen.GetSpeakerPhoto200ImagejpegResponse{Body: closingReader{f}, ContentLength: n}.VisitGetSpeakerPhotoResponse
	}
	out.disposition = inline(r.Venue + "-" + r.Key + size + ext)
	return out, nil
}

// photoResponse is a picture, or the word that the client's copy is still
// good, with the headers that say how long to keep it.
type photoResponse struct {
	etag, cache, disposition string
	visit                    func(http.ResponseWriter) error
}

func (p photoResponse) VisitGetSpeakerPhotoResponse(w http.ResponseWriter) error {
	w.Header().Set("ETag", p.etag)
	w.Header().Set("Cache-Control", p.cache)
	if p.disposition != "" {
		w.Header().Set("Content-Disposition", p.disposition)
	}
	return p.visit(w)
}

// etagMatches reads an If-None-Match list (RFC 9110 13.1.2, weak
// comparison).
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}
