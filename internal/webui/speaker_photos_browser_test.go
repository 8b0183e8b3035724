package webui_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/quirehq/quire/internal/speakerphoto/phototest"
	"github.com/quirehq/quire/internal/venue"
)

// TestChairGivesASpeakerAPhoto: a chair finds the speakers' photos among
// the chairs' pages, uploads a phone's photo of a speaker (on its side,
// with a GPS position), sees a refused file leave it in place, and a
// visitor finds it beside the bio, drawn at 160 pixels with twice that for
// dense screens, named by the speaker's name; a speaker without a photo
// shows none. Removed, it is gone from the site. A photo whose speaker the
// venue file dropped is listed apart, for the chair to remove.
func TestChairGivesASpeakerAPhoto(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	dir := t.TempDir()
	photo := filepath.Join(dir, "kim.jpg")
	if err := os.WriteFile(photo, phototest.WithEXIF(phototest.JPEG(900, 1200), 6), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "not-a-photo.jpg")
	if err := os.WriteFile(bad, []byte("<svg xmlns='http://www.w3.org/2000/svg'/>"), 0o644); err != nil {
		t.Fatal(err)
	}

	tb := newTab(t, s)
	tb.signIn("chair@example.org", "/venues/dlde-2023/chair")
	tb.do("opening the speakers' photos", chromedp.Click(chromedp.CSS(`nav.chairnav a[href$="/chair/speakers"]`)))
	tb.see("main h1", "Speakers' photos")
	tb.see(`li[data-speaker="kim"]`, "Philip M. Kim", "No photo yet.")
	tb.checkAccessibility("the speakers' photos, none yet")

	tb.do("uploading Kim's photo",
		chromedp.SetUploadFiles(chromedp.CSS("#photo-kim"), []string{photo}),
		chromedp.Click(chromedp.CSS(`li[data-speaker="kim"] form[data-upload-photo] button[type=submit]`)))
	tb.see(".notice", "The photo is on the site.")
	tb.see(`li[data-speaker="kim"] img[data-photo]`)
	if w := awaitJS(tb, `(async () => { const i = document.querySelector('li[data-speaker="kim"] img[data-photo]'); await i.decode(); return String(i.naturalWidth) + "x" + i.naturalHeight; })()`); w != "160x120" {
		t.Fatalf("the chair's page shows the photo at %s, want 160x120 (turned upright: 1200 × 900)", w)
	}

	// A file that is no photo is refused beside its speaker; the photo stays.
	tb.do("uploading a file that is no photo",
		chromedp.SetUploadFiles(chromedp.CSS("#photo-kim"), []string{bad}),
		chromedp.Click(chromedp.CSS(`li[data-speaker="kim"] form[data-upload-photo] button[type=submit]`)))
	tb.see(`li[data-speaker="kim"] [data-photo-error]`, "not a JPEG, PNG or WebP")
	tb.see(`li[data-speaker="kim"] img[data-photo]`)
	tb.checkAccessibility("the speakers' photos with a refused upload")

	// A visitor sees it beside the bio.
	visitor := newTab(t, s)
	visitor.open("/venues/dlde-2023")
	visitor.see(`[data-speakers]`, "Philip M. Kim")
	got := awaitJS(visitor, `(async () => {
		const i = document.querySelector('[data-speakers] img[data-speaker-photo]');
		i.loading = "eager"; i.scrollIntoView(); await i.decode();
		return [i.alt, i.naturalWidth, i.getAttribute("width"), i.srcset.includes("width=320") && i.srcset.endsWith(" 2x"),
			document.querySelectorAll('[data-speakers] img').length].join("|");
	})()`)
	if got != "Philip M. Kim|160|160|true|1" {
		t.Fatalf("the public page's photo: %s, want alt, natural width 160, width 160, a 2x source, one image", got)
	}
	visitor.checkAccessibility("the venue's public site with a speaker's photo")

	// Removed: the site shows no image, not a broken one.
	tb.do("removing Kim's photo", chromedp.Click(chromedp.CSS(`li[data-speaker="kim"] form[data-remove-photo] button[type=submit]`)))
	tb.see(".notice", "The photo is off the site.")
	tb.see(`li[data-speaker="kim"] [data-no-photo]`)
	visitor.open("/venues/dlde-2023")
	if n := visitor.eval(`String(document.querySelectorAll('[data-speakers] img').length)`); n != "0" {
		t.Fatalf("%s images left on the site", n)
	}

	// A photo whose speaker the venue file dropped is listed apart, for
	// the chair to remove.
	chair := s.Login(t, "chair@example.org")
	if r := s.As(t, chair, "PUT", "/api/v1/venues/dlde-2023/speakers/gu/photo", phototest.PNG(200, 200, false), "Content-Type", "image/png"); r.StatusCode != 200 {
		t.Fatalf("Gu's photo: %s", r.Body)
	}
	y := strings.Replace(string(venue.DemoYAML()), "key: gu\n", "key: albert-gu\n", 1)
	y = strings.Replace(y, "speaker: gu,", "speaker: albert-gu,", 1)
	if r := s.As(t, chair, "PATCH", "/api/v1/venues/dlde-2023", map[string]string{"settings_yaml": y}); r.StatusCode != 200 {
		t.Fatalf("renaming Gu: %s", r.Body)
	}
	tb.open("/venues/dlde-2023/chair/speakers")
	tb.see(`li[data-speaker="albert-gu"] [data-no-photo]`)
	tb.see(`[data-unlisted-photos] li[data-unlisted="gu"]`, "gu")
	tb.checkAccessibility("the speakers' photos with one whose speaker was dropped")
	tb.do("removing the dropped speaker's photo", chromedp.Click(chromedp.CSS(`li[data-unlisted="gu"] button[type=submit]`)))
	tb.see(".notice", "The photo is off the site.")
	if n := tb.eval(`String(document.querySelectorAll('[data-unlisted-photos]').length)`); n != "0" {
		t.Fatal("the dropped speaker's photo is still listed")
	}
}

// awaitJS evaluates a script that answers with a promise of a string.
func awaitJS(tb *tab, js string) string {
	tb.t.Helper()
	s, err := chromedp.Run(tb.step(), chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("evaluating %s: %v", js, err)
	}
	return s
}
