package httpapi_test

import (
	"bytes"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/speakerphoto/phototest"
)

const kimPhoto = "/api/v1/venues/dlde-2023/speakers/kim/photo"

type speakerPhotoJSON struct {
	Speaker     string
	SHA256      string `json:"sha256"`
	ContentType string `json:"content_type"`
	Width       int
	Height      int
	Widths      []struct {
		Width       int
		DrawnWidth  int `json:"drawn_width"`
		DrawnHeight int `json:"drawn_height"`
	}
}

// TestSpeakerPhotos: a chair uploads a speaker's photo, replaces it and
// removes it; anyone reads it at the widths the site serves, drawn once,
// cached by its hash; no one but the venue's chairs changes it; a bad file
// or a bomb is refused with its code and keeps the photo; the garbage
// collection keeps every blob a photo names and only those.
func TestSpeakerPhotos(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	put := func(token string, body []byte, ctype string) *speakerPhotoJSON {
		t.Helper()
		r := w.s.As(t, token, "PUT", kimPhoto, body, "Content-Type", ctype)
		if r.StatusCode != 200 {
			t.Fatalf("upload: %s %s", r.Status, r.Body)
		}
		var p speakerPhotoJSON
		r.JSON(t, &p)
		return &p
	}
	// Before any upload: no photo, for anyone.
	expectProblem(t, w.s.Do(t, "GET", kimPhoto, nil), 404, "photo_not_found")

	// A phone's photo: on its side, with a GPS position in its EXIF data.
	src := phototest.WithEXIF(phototest.JPEG(900, 1200), 6)
	first := put(w.chair, src, "image/jpeg")
	if first.ContentType != "image/jpeg" || first.Width != 1200 || first.Height != 900 || len(first.Widths) != 2 {
		t.Fatalf("stored %+v", first)
	}

	// Anyone reads it: not signed in, a reviewer, an author.
	for _, token := range []string{"", w.reviewer, w.author} {
		for _, width := range []int{160, 320} {
			path := kimPhoto + "?width=" + strconv.Itoa(width)
			r := w.s.Do(t, "GET", path, nil)
			if token != "" {
				r = w.s.As(t, token, "GET", path, nil)
			}
			if r.StatusCode != 200 || r.Header.Get("Content-Type") != "image/jpeg" {
				t.Fatalf("GET %s as %q: %s %s", path, token, r.Status, r.Header.Get("Content-Type"))
			}
			cfg, format, err := image.DecodeConfig(bytes.NewReader(r.Body))
			if err != nil || format != "jpeg" || cfg.Width != width || cfg.Height != width*900/1200 {
				t.Fatalf("width %d: %v %s %d × %d", width, err, format, cfg.Width, cfg.Height)
			}
			for _, s := range []string{phototest.GPSMarker, "Exif"} {
				if bytes.Contains(r.Body, []byte(s)) {
					t.Fatalf("width %d keeps %q", width, s)
				}
			}
		}
	}
	whole := w.s.Do(t, "GET", kimPhoto, nil)
	if whole.StatusCode != 200 || bytes.Contains(whole.Body, []byte(phototest.GPSMarker)) || sha(whole.Body) != first.SHA256 {
		t.Fatalf("the stored photo: %s, %d bytes", whole.Status, len(whole.Body))
	}

	// Cached by hash: an address naming it is kept for a year, and the
	// ETag answers 304.
	r := w.s.Do(t, "GET", kimPhoto+"?width=160", nil)
	etag := r.Header.Get("ETag")
	if etag == "" || r.Header.Get("Cache-Control") != "public, max-age=300" {
		t.Fatalf("headers: %v", r.Header)
	}
	if r := w.s.Do(t, "GET", kimPhoto+"?width=160&v="+strings.Trim(etag, `"`)[:12], nil); !strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("versioned address: %v", r.Header)
	}
	if r := w.s.Do(t, "GET", kimPhoto+"?width=160", nil, "If-None-Match", etag); r.StatusCode != 304 || len(r.Body) != 0 || r.Header.Get("ETag") != etag {
		t.Fatalf("If-None-Match: %s %v", r.Status, r.Header)
	}
	expectProblem(t, w.s.Do(t, "GET", kimPhoto+"?width=200", nil), 400, "invalid_request")
	expectProblem(t, w.s.Do(t, "GET", "/api/v1/venues/dlde-2023/speakers/nobody/photo", nil), 404, "speaker_not_found")

	// Only the venue's chairs change it: not a reviewer, an author, a
	// stranger, another venue's chair, nor anyone signed out.
	jpg := phototest.JPEG(400, 400)
	for _, token := range []string{w.reviewer, w.author, w.stranger, w.other} {
		expectProblem(t, w.s.As(t, token, "PUT", kimPhoto, jpg, "Content-Type", "image/jpeg"), 403, "not_chair")
		expectProblem(t, w.s.As(t, token, "DELETE", kimPhoto, nil), 403, "not_chair")
	}
	if r := w.s.Do(t, "PUT", kimPhoto, jpg, "Content-Type", "image/jpeg"); r.StatusCode != 401 {
		t.Fatalf("signed out: %s", r.Status)
	}
	expectProblem(t, w.s.As(t, w.chair, "PUT", "/api/v1/venues/dlde-2023/speakers/nobody/photo", jpg, "Content-Type", "image/jpeg"), 404, "speaker_not_found")

	// Refused uploads keep the photo.
	for _, c := range []struct {
		body   []byte
		ctype  string
		status int
		code   string
	}{
		{[]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), "image/gif", 422, "photo_type_unsupported"},
		{[]byte("<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"), "image/svg+xml", 422, "photo_type_unsupported"},
		{phototest.PNGClaiming(100_000, 100_000), "image/png", 422, "photo_too_large"},
		{jpg[:len(jpg)/3], "image/jpeg", 422, "photo_unreadable"},
		{append(phototest.JPEG(64, 64), make([]byte, 10<<20)...), "image/jpeg", 413, "photo_file_too_large"},
	} {
		expectProblem(t, w.s.As(t, w.chair, "PUT", kimPhoto, c.body, "Content-Type", c.ctype), c.status, c.code)
	}
	if r := w.s.Do(t, "GET", kimPhoto+"?width=160", nil); r.Header.Get("ETag") != etag {
		t.Fatal("a refused upload changed the photo")
	}

	// Replaced by a picture with transparency: kept as PNG, a new hash.
	second := put(w.chair, phototest.PNG(500, 500, true), "image/png")
	if second.ContentType != "image/png" || second.SHA256 == first.SHA256 {
		t.Fatalf("replaced: %+v", second)
	}
	r = w.s.Do(t, "GET", kimPhoto+"?width=320", nil)
	if r.StatusCode != 200 || r.Header.Get("Content-Type") != "image/png" || r.Header.Get("ETag") == etag {
		t.Fatalf("after the replacement: %s %v", r.Status, r.Header)
	}

	// The garbage collection keeps the photo and its widths however old,
	// and deletes what the replacement left.
	blobs := w.s.App.Services.Submissions.Blobs
	named := []string{second.SHA256, sha(r.Body), sha(w.s.Do(t, "GET", kimPhoto+"?width=160", nil).Body)}
	if _, err := w.s.App.Services.Submissions.CollectGarbage(t.Context(), -time.Minute); err != nil {
		t.Fatal(err)
	}
	for _, s := range named {
		if ok, _ := blobs.Exists(t.Context(), s); !ok {
			t.Fatalf("the garbage collection deleted the photo's blob %s", s[:12])
		}
	}
	if ok, _ := blobs.Exists(t.Context(), first.SHA256); ok {
		t.Fatal("the replaced photo's blob is kept by nothing and still there")
	}

	// Removed: gone from the site, its blobs free to go.
	if r := w.s.As(t, w.chair, "DELETE", kimPhoto, nil); r.StatusCode != 204 {
		t.Fatalf("remove: %s %s", r.Status, r.Body)
	}
	expectProblem(t, w.s.Do(t, "GET", kimPhoto+"?width=160", nil), 404, "photo_not_found")
	expectProblem(t, w.s.As(t, w.chair, "DELETE", kimPhoto, nil), 404, "photo_not_found")
	if _, err := w.s.App.Services.Submissions.CollectGarbage(t.Context(), -time.Minute); err != nil {
		t.Fatal(err)
	}
	if ok, _ := blobs.Exists(t.Context(), second.SHA256); ok {
		t.Fatal("a removed photo's blob is still there after the collection")
	}
}

// renameSpeaker changes a speaker's key in the demo venue file (and the
// keynote that names it), as a chair editing the file would.
func renameSpeaker(t *testing.T, s *apptest.Server, chair, from, to string) {
	t.Helper()
	// One review a paper: the world's pool is one reviewer.
	y := strings.ReplaceAll(venueYAML(t, "dlde-2023"), "reviews_per_paper: 3", "reviews_per_paper: 1")
	y = strings.Replace(y, "key: "+from+"\n", "key: "+to+"\n", 1)
	y = strings.Replace(y, "speaker: "+from+",", "speaker: "+to+",", 1)
	if r := s.As(t, chair, "PATCH", "/api/v1/venues/dlde-2023", map[string]string{"settings_yaml": y}); r.StatusCode != 200 {
		t.Fatalf("renaming %s: %s %s", from, r.Status, r.Body)
	}
}

// TestSpeakerDroppedFromTheVenueFile: a photo whose speaker the venue file
// no longer lists is shown to no one, chairs included, yet kept (and its
// blobs) until a chair removes it.
func TestSpeakerDroppedFromTheVenueFile(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	const guPhoto = "/api/v1/venues/dlde-2023/speakers/gu/photo"
	r := w.s.As(t, w.chair, "PUT", guPhoto, phototest.JPEG(300, 300), "Content-Type", "image/jpeg")
	if r.StatusCode != 200 {
		t.Fatalf("upload: %s", r.Body)
	}
	var p speakerPhotoJSON
	r.JSON(t, &p)
	renameSpeaker(t, w.s, w.chair, "gu", "albert-gu")
	expectProblem(t, w.s.Do(t, "GET", guPhoto, nil), 404, "speaker_not_found")
	expectProblem(t, w.s.As(t, w.chair, "GET", guPhoto+"?width=160", nil), 404, "speaker_not_found")
	expectProblem(t, w.s.Do(t, "GET", "/api/v1/venues/dlde-2023/speakers/albert-gu/photo", nil), 404, "photo_not_found")
	if _, err := w.s.App.Services.Submissions.CollectGarbage(t.Context(), -time.Minute); err != nil {
		t.Fatal(err)
	}
	if ok, _ := w.s.App.Services.Submissions.Blobs.Exists(t.Context(), p.SHA256); !ok {
		t.Fatal("the collection deleted a photo a row still names")
	}
	expectProblem(t, w.s.As(t, w.reviewer, "DELETE", guPhoto, nil), 403, "not_chair")
	if r := w.s.As(t, w.chair, "DELETE", guPhoto, nil); r.StatusCode != 204 {
		t.Fatalf("remove: %s %s", r.Status, r.Body)
	}
}
