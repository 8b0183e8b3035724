package webui

import (
	"context"
	"net/url"
	"strconv"

	"github.com/quirehq/quire/internal/speakerphoto"
	"github.com/quirehq/quire/internal/venue"
)

// photoDisplayWidth is the width, in CSS pixels, a speaker's photo is
// shown at; the site serves it drawn at that width and at twice it for
// high-density screens (speakerphoto.Widths).
const photoDisplayWidth = 160

// photoView is a speaker's photo as an <img> shows it. Each address names
// the picture's hash, so a browser keeps it until a new photo gives a new
// address, and width and height are given so the page does not shift as
// it loads.
type photoView struct {
	Src, Srcset   string
	Width, Height int
	Alt           string
}

// photoViewOf is nil when the photo lacks the display width (a photo
// stored before the widths changed): no image rather than a broken one.
func photoViewOf(slug string, sp venue.Speaker, p speakerphoto.Photo) *photoView {
	one, ok := p.Variants[photoDisplayWidth]
	if !ok {
		return nil
	}
	v := &photoView{Src: photoURL(slug, sp.Key, photoDisplayWidth, one.SHA256), Width: one.Width, Height: one.Height, Alt: sp.Name}
	if two, ok := p.Variants[2*photoDisplayWidth]; ok && two.Width > one.Width {
		v.Srcset = photoURL(slug, sp.Key, 2*photoDisplayWidth, two.SHA256) + " 2x"
	}
	return v
}

func photoURL(slug, key string, width int, sha string) string {
	return "/api/v1/venues/" + url.PathEscape(slug) + "/speakers/" + url.PathEscape(key) + "/photo?width=" + strconv.Itoa(width) + "&v=" + sha[:12]
}

// speakerPhotos are the photos of the speakers the venue file lists, by
// key, as the pages show them.
func (u *ui) speakerPhotos(ctx context.Context, rec venue.Record) (map[string]*photoView, error) {
	out := map[string]*photoView{}
	if u.SpeakerPhotos == nil {
		return out, nil
	}
	photos, err := u.SpeakerPhotos.List(ctx, rec)
	if err != nil {
		return nil, err
	}
	for _, sp := range rec.Settings.Site.Speakers {
		if p, ok := photos[sp.Key]; ok {
			if v := photoViewOf(rec.Slug, sp, p); v != nil {
				out[sp.Key] = v
			}
		}
	}
	return out, nil
}
