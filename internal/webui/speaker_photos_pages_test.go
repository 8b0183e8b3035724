package webui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/speakerphoto/phototest"
)

// TestSpeakerPhotoPagesWithoutScript: the chairs' Speakers page and its
// forms answer the venue's chairs only; a form without its CSRF field, an
// empty one and a bomb are refused, each saying why, and a good photo
// takes the chair back to its speaker.
func TestSpeakerPhotoPagesWithoutScript(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "eve@example.org", "Eve", false)
	const page = "/venues/dlde-2023/chair/speakers"
	const kim = page + "/kim/photo"
	jpg := phototest.JPEG(320, 240)

	anon := newBrowser(t, s)
	if p := anon.get(page); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login") {
		t.Fatalf("signed out: %d %s", p.status, p.location)
	}
	for _, who := range []string{"eve@example.org", "admin@example.org"} {
		b := newBrowser(t, s)
		b.signIn(who, apptest.Password)
		if p := b.get(page); p.status != http.StatusForbidden {
			t.Errorf("%s opens the page: %d", who, p.status)
		}
		if p := b.uploadBytes(kim, "photo", b.csrf(), "kim.jpg", jpg); p.status != http.StatusForbidden {
			t.Errorf("%s uploads: %d", who, p.status)
		}
		if p := b.post(kim+"/remove", url.Values{"csrf": {b.csrf()}}); p.status != http.StatusForbidden {
			t.Errorf("%s removes: %d", who, p.status)
		}
	}

	chair := newBrowser(t, s)
	chair.signIn("chair@example.org", apptest.Password)
	mustContain(t, chair.get(page), "Speakers&#39; photos", `data-speaker="kim"`, "No photo yet.")
	if p := chair.uploadBytes(kim, "photo", "", "kim.jpg", jpg); p.status != http.StatusForbidden {
		t.Errorf("without the CSRF field: %d", p.status)
	}
	p := chair.uploadBytes(kim, "photo", chair.csrf(), "bomb.png", phototest.PNGClaiming(100_000, 100_000))
	if p.status != http.StatusUnprocessableEntity {
		t.Errorf("a bomb: %d", p.status)
	}
	mustContain(t, p, "data-photo-error", "100000 × 100000 pixels", "No photo yet.")
	if p := chair.uploadBytes(kim, "photo", chair.csrf(), "", nil); p.status != http.StatusBadRequest || !strings.Contains(p.body, "Choose a picture to upload.") {
		t.Errorf("no file: %d", p.status)
	}
	p = chair.uploadBytes(kim, "photo", chair.csrf(), "kim.jpg", jpg)
	if p.status != http.StatusSeeOther || p.location != page+"?done=uploaded#speaker-kim" {
		t.Fatalf("upload: %d %s %s", p.status, p.location, p.body)
	}
	mustContain(t, chair.get(p.location), "The photo is on the site.", `alt="Philip M. Kim"`, "width=320")
	mustContain(t, anon.get("/venues/dlde-2023"), `alt="Philip M. Kim"`, `width="160" height="120"`)
}
