package webui

import (
	"io"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/speakerphoto"
	"github.com/quirehq/quire/internal/venue"
)

// The speakers' names and bios are the venue file's; their photos are
// files, uploaded here (or through the API) and drawn for the site.

const photoFileField = "photo"

func (u *ui) registerChairSpeakers(e *echo.Echo) error {
	if err := u.addPages([]string{"chair_speakers"}, "chair_partials"); err != nil {
		return err
	}
	g := "/venues/:slug/chair/speakers"
	e.GET(g, u.signedIn(u.chairSpeakers))
	// The upload checks its CSRF field itself, from the stream.
	e.POST(g+"/:key/photo", u.signedIn(u.chairSpeakerPhoto))
	e.POST(g+"/:key/photo/remove", u.form(u.chairRemoveSpeakerPhoto))
	return nil
}

type speakerRow struct {
	venue.Speaker
	Photo *photoView
	Error string
}

type speakersPage struct {
	Head     chairHead
	Speakers []speakerRow
	// Unlisted are keys of photos whose speakers the venue file dropped.
	Unlisted []string
}

func (u *ui) showSpeakers(c echo.Context, s *session, status int, failed, why, notice string) error {
	rec, head, err := u.chairVenue(c, s, "speakers")
	if err != nil {
		return err
	}
	photos, err := u.speakerPhotos(c.Request().Context(), rec)
	if err != nil {
		return err
	}
	p := speakersPage{Head: head}
	if p.Unlisted, err = u.SpeakerPhotos.Unlisted(c.Request().Context(), rec, s.P); err != nil {
		return err
	}
	for _, sp := range rec.Settings.Site.Speakers {
		row := speakerRow{Speaker: sp, Photo: photos[sp.Key]}
		if sp.Key == failed {
			row.Error = why
		}
		p.Speakers = append(p.Speakers, row)
	}
	return u.render(c, status, "chair_speakers", view{Title: "Speakers' photos · " + rec.Name, S: s, Page: p, Notice: notice})
}

func (u *ui) chairSpeakers(c echo.Context, s *session) error {
	notice := ""
	switch c.QueryParam("done") {
	case "uploaded":
		notice = "The photo is on the site."
	case "removed":
		notice = "The photo is off the site."
	}
	return u.showSpeakers(c, s, http.StatusOK, "", "", notice)
}

func (u *ui) speakersDone(c echo.Context, done, key string) error {
	return c.Redirect(http.StatusSeeOther, chairPath(c.Param("slug"), "speakers", url.Values{"done": {done}})+"#speaker-"+key)
}

// chairSpeakerPhoto streams the form's file to the photo service, which
// reads at most its limit; a refused file is shown beside its speaker and
// the photo before it stays.
func (u *ui) chairSpeakerPhoto(c echo.Context, s *session) error {
	key := c.Param("key")
	refuse := func(err error) error {
		if !inputError(err) {
			return err
		}
		status, _, detail := describe(err)
		return u.showSpeakers(c, s, status, key, detail, "")
	}
	return streamFile(c, s, photoFileField, func(part io.Reader) error {
		if _, err := u.SpeakerPhotos.Put(c.Request().Context(), c.Param("slug"), key, s.P, part, c.RealIP()); err != nil {
			return refuse(err)
		}
		return u.speakersDone(c, "uploaded", key)
	}, func() error { return refuse(speakerphoto.ErrEmpty) })
}

func (u *ui) chairRemoveSpeakerPhoto(c echo.Context, s *session) error {
	key := c.Param("key")
	if err := u.SpeakerPhotos.Remove(c.Request().Context(), c.Param("slug"), key, s.P, c.RealIP()); err != nil {
		return err
	}
	return u.speakersDone(c, "removed", key)
}
