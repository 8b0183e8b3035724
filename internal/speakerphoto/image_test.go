package speakerphoto

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/speakerphoto/phototest"
)

func code(err error) string {
	var pe *problem.Error
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func decodePicture(t *testing.T, p Picture) image.Image {
	t.Helper()
	var img image.Image
	var err error
	switch p.ContentType {
	case "image/jpeg":
		img, err = jpeg.Decode(bytes.NewReader(p.Data))
	case "image/png":
		img, err = png.Decode(bytes.NewReader(p.Data))
	default:
		t.Fatalf("content type %q", p.ContentType)
	}
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != p.Width || b.Dy() != p.Height {
		t.Fatalf("picture is %v, says %d × %d", b, p.Width, p.Height)
	}
	return img
}

func TestProcessSizes(t *testing.T) {
	t.Parallel()
	webp, err := os.ReadFile("testdata/blue-purple-pink.lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name           string
		data           []byte
		ctype          string
		photoW, photoH int
		w160, w320     int // widths drawn
	}{
		{"large jpeg", phototest.JPEG(2000, 1500), "image/jpeg", 1280, 960, 160, 320},
		{"portrait jpeg", phototest.JPEG(600, 900), "image/jpeg", 600, 900, 160, 320},
		{"small png", phototest.PNG(200, 100, false), "image/jpeg", 200, 100, 160, 200},
		{"transparent png", phototest.PNG(400, 400, true), "image/png", 400, 400, 160, 320},
		{"webp", webp, "image/jpeg", 0, 0, 150, 150}, // 150 px wide
	} {
		p, err := Process(tc.data)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if p.Photo.ContentType != tc.ctype {
			t.Errorf("%s: stored as %s, want %s", tc.name, p.Photo.ContentType, tc.ctype)
		}
		decodePicture(t, p.Photo)
		if tc.photoW != 0 && (p.Photo.Width != tc.photoW || p.Photo.Height != tc.photoH) {
			t.Errorf("%s: photo %d × %d, want %d × %d", tc.name, p.Photo.Width, p.Photo.Height, tc.photoW, tc.photoH)
		}
		for w, want := range map[int]int{160: tc.w160, 320: tc.w320} {
			v := p.Variants[w]
			decodePicture(t, v)
			if v.Width != want {
				t.Errorf("%s: width %d drawn %d wide, want %d", tc.name, w, v.Width, want)
			}
			// The proportions stay, to the pixel.
			if wantH := (p.Photo.Height*v.Width + p.Photo.Width/2) / p.Photo.Width; v.Height < wantH-1 || v.Height > wantH+1 {
				t.Errorf("%s: width %d is %d × %d, want height %d", tc.name, w, v.Width, v.Height, wantH)
			}
		}
	}
}

// The EXIF segment (a phone's GPS position among it) does not survive,
// and its orientation is applied: a photo taken on its side stands up.
func TestProcessStripsMetadataAndStandsUp(t *testing.T) {
	t.Parallel()
	src := phototest.WithEXIF(phototest.JPEG(300, 200), 6)
	if !bytes.Contains(src, []byte(phototest.GPSMarker)) || exifOrientation(src) != 6 {
		t.Fatal("the test picture lacks its EXIF data")
	}
	p, err := Process(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, pic := range append([]Picture{p.Photo}, p.Variants[160], p.Variants[320]) {
		for _, s := range []string{phototest.GPSMarker, "Exif", "GPS"} {
			if bytes.Contains(pic.Data, []byte(s)) {
				t.Errorf("%d px picture contains %q", pic.Width, s)
			}
		}
		if exifOrientation(pic.Data) != 1 {
			t.Errorf("%d px picture keeps an orientation", pic.Width)
		}
	}
	if p.Photo.Width != 200 || p.Photo.Height != 300 {
		t.Fatalf("turned photo is %d × %d, want 200 × 300", p.Photo.Width, p.Photo.Height)
	}
	// Turned a quarter clockwise: the red left half is now on top.
	img := decodePicture(t, p.Photo)
	top, bottom := img.At(100, 20), img.At(100, 280)
	if r, _, b, _ := top.RGBA(); r < b {
		t.Errorf("top is %v, want red", top)
	}
	if r, _, b, _ := bottom.RGBA(); r > b {
		t.Errorf("bottom is %v, want blue", bottom)
	}
}

func TestOrientations(t *testing.T) {
	t.Parallel()
	src := scale(phototest.Gradient(3, 2), 3, 2)
	for o := 1; o <= 8; o++ {
		got := orient(src, o)
		w, h := got.Bounds().Dx(), got.Bounds().Dy()
		if (o >= 5) != (w == 2 && h == 3) {
			t.Errorf("orientation %d: %d × %d", o, w, h)
		}
		// Every orientation is a permutation of the pixels.
		if len(got.Pix) != len(src.Pix) {
			t.Errorf("orientation %d: %d bytes", o, len(got.Pix))
		}
	}
}

func TestProcessRefuses(t *testing.T) {
	t.Parallel()
	jpg := phototest.JPEG(400, 300)
	gif := []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")
	for _, tc := range []struct {
		name string
		data []byte
		code string
	}{
		{"empty", nil, "photo_missing"},
		{"gif", gif, "photo_type_unsupported"},
		{"text", []byte("<svg xmlns='http://www.w3.org/2000/svg'/>"), "photo_type_unsupported"},
		{"bomb", phototest.PNGClaiming(100_000, 100_000), "photo_too_large"},
		{"strip", phototest.PNGClaiming(MaxSide+1, 20), "photo_too_large"},
		{"just over", phototest.PNGClaiming(6000, 5001), "photo_too_large"},
		// 20 megapixels pass the pixel bound, but at 16 bits a channel
		// they would decode to 160 MB: over the bytes' bound. The same
		// claim at 8 bits passes the bounds and is caught lying.
		{"16-bit, 20 MP", pngClaiming16(5000, 4000), "photo_too_large"},
		{"8-bit, 20 MP", phototest.PNGClaiming(5000, 4000), "photo_unreadable"},
		{"tiny", phototest.PNG(8, 8, false), "photo_too_small"},
		{"cut short", jpg[:len(jpg)/2], "photo_unreadable"},
		{"header only", jpg[:20], "photo_unreadable"},
		{"lying header", phototest.PNGClaiming(32, 32), "photo_unreadable"},
		{"too many bytes", append(jpg, make([]byte, MaxFileBytes)...), "photo_file_too_large"},
	} {
		_, err := Process(tc.data)
		if code(err) != tc.code {
			t.Errorf("%s: %v (%s), want %s", tc.name, err, code(err), tc.code)
		}
	}
}

// pngClaiming16 is phototest.PNGClaiming with 16 bits a channel.
func pngClaiming16(w, h uint32) []byte {
	b := phototest.PNGClaiming(w, h)
	b[24] = 16 // IHDR's bit depth
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

func TestExifOrientationBounds(t *testing.T) {
	t.Parallel()
	full := phototest.WithEXIF(phototest.JPEG(32, 32), 8)
	if got := exifOrientation(full); got != 8 {
		t.Fatalf("orientation %d, want 8", got)
	}
	// Every prefix reads without a panic, as 1 or as 8.
	for n := range len(full) {
		if got := exifOrientation(full[:n]); got != 1 && got != 8 {
			t.Fatalf("prefix %d: orientation %d", n, got)
		}
	}
}

// FuzzProcess feeds the decoders' path arbitrary bytes: it must refuse
// with one of its codes or give pictures that decode, never panic, and
// never decode past the pixel bound.
func FuzzProcess(f *testing.F) {
	f.Add(phototest.JPEG(40, 30))
	f.Add(phototest.WithEXIF(phototest.JPEG(40, 30), 6))
	f.Add(phototest.PNG(40, 30, true))
	f.Add(phototest.PNGClaiming(100_000, 100_000))
	if webp, err := os.ReadFile("testdata/blue-purple-pink.lossy.webp"); err == nil {
		f.Add(webp)
	}
	codes := "photo_missing photo_type_unsupported photo_too_large photo_too_small photo_unreadable photo_file_too_large"
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = exifOrientation(data)
		p, err := Process(data)
		if err != nil {
			if c := code(err); c == "" || !strings.Contains(codes, c) {
				t.Fatalf("refused without a code: %v", err)
			}
			return
		}
		for _, pic := range append([]Picture{p.Photo}, p.Variants[160], p.Variants[320]) {
			if pic.Width > masterSide || pic.Height > masterSide || pic.Width < 1 || pic.Height < 1 {
				t.Fatalf("picture %d × %d", pic.Width, pic.Height)
			}
			decodePicture(t, pic)
		}
	})
}
