package speakerphoto

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"

	"github.com/quirehq/quire/internal/problem"
)

// An uploaded photo is untrusted input read by decoders written for speed,
// so it passes three gates before anything decodes its pixels: its size in
// bytes, its format recognised from its first bytes (never from what the
// client declares), and its dimensions read from the header alone, so that a
// small file that claims a huge picture (a decompression bomb) is refused
// before memory is spent on it. What is kept is never the upload itself but
// a picture drawn anew from its pixels: no EXIF (a phone's GPS position), no
// ICC profile, no comment or trailing data survives.
const (
	// MaxFileBytes is the largest upload read.
	MaxFileBytes = 10 << 20
	// MaxPixels bounds the decoded picture: 30 megapixels is a large
	// camera's photo.
	MaxPixels = 30_000_000
	// MaxDecodedBytes bounds the decoded picture in memory, whatever its
	// pixels are made of: 30 megapixels of 8-bit colour, but only 15 of
	// a 16-bit PNG (8 bytes a pixel) or 30 of CMYK.
	MaxDecodedBytes = 4 * MaxPixels
	// MaxSide bounds either side, so that a 1×30,000,000 strip is no
	// cheaper way past MaxPixels.
	MaxSide = 12_000
	// MinSide is the smallest side worth showing.
	MinSide = 16
	// masterSide is the longest side kept of the photo itself; the
	// page's sizes are drawn from it.
	masterSide  = 1280
	jpegQuality = 85
)

// Widths are the only widths the site serves: the photo at its display
// size, 160 CSS pixels, and twice that for high-density screens.
var Widths = []int{160, 320}

// Picture is an encoded picture: the bytes stored and what they are.
type Picture struct {
	Data          []byte
	ContentType   string
	Width, Height int
}

// Processed is an upload made safe: the photo itself (at most masterSide
// on its longest side) and one picture per width of Widths.
type Processed struct {
	Photo    Picture
	Variants map[int]Picture
}

// Errors of an upload the photo was not taken from. Each leaves the
// speaker's previous photo in place.
var (
	ErrFileTooLarge = problem.New(problem.ErrTooLarge, "photo_file_too_large",
		fmt.Sprintf("the photo is larger than %d MiB", MaxFileBytes>>20))
	ErrUnsupported = problem.New(problem.ErrUnprocessable, "photo_type_unsupported",
		"the file is not a JPEG, PNG or WebP picture")
	ErrEmpty = problem.New(problem.ErrInvalid, "photo_missing", "choose a picture to upload")
)

func unreadable(err error) error {
	return &problem.Error{Kind: problem.ErrUnprocessable, Code: "photo_unreadable",
		Detail: "the picture cannot be read (damaged or cut short)", Cause: err}
}

func tooLarge(w, h int) error {
	pe := problem.New(problem.ErrUnprocessable, "photo_too_large",
		fmt.Sprintf("the picture is %d × %d pixels; at most %d megapixels and %d pixels a side are taken", w, h, MaxPixels/1_000_000, MaxSide))
	pe.Extra = map[string]any{"width": w, "height": h}
	return pe
}

func tooSmall(w, h int) error {
	return problem.New(problem.ErrUnprocessable, "photo_too_small",
		fmt.Sprintf("the picture is %d × %d pixels; at least %d a side are needed", w, h, MinSide))
}

type format int

const (
	unknown format = iota
	formatJPEG
	formatPNG
	formatWebP
)

// sniff recognises a format by its signature.
func sniff(b []byte) format {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return formatJPEG
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return formatPNG
	case len(b) >= 12 && string(b[0:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return formatWebP
	}
	return unknown
}

// Process checks an upload and draws the pictures that are kept of it.
func Process(data []byte) (Processed, error) {
	switch {
	case len(data) == 0:
		return Processed{}, ErrEmpty
	case len(data) > MaxFileBytes:
		return Processed{}, ErrFileTooLarge
	}
	f := sniff(data)
	var (
		decodeConfig func([]byte) (image.Config, error)
		decode       func([]byte) (image.Image, error)
	)
	switch f {
	case formatJPEG:
		decodeConfig = func(b []byte) (image.Config, error) { return jpeg.DecodeConfig(bytes.NewReader(b)) }
		decode = func(b []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(b)) }
	case formatPNG:
		decodeConfig = func(b []byte) (image.Config, error) { return png.DecodeConfig(bytes.NewReader(b)) }
		decode = func(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) }
	case formatWebP:
		decodeConfig = func(b []byte) (image.Config, error) { return webp.DecodeConfig(bytes.NewReader(b)) }
		decode = func(b []byte) (image.Image, error) { return webp.Decode(bytes.NewReader(b)) }
	default:
		return Processed{}, ErrUnsupported
	}
	cfg, err := decodeConfig(data)
	if err != nil {
		return Processed{}, unreadable(err)
	}
	w, h := cfg.Width, cfg.Height
	switch {
	case w <= 0 || h <= 0:
		return Processed{}, unreadable(fmt.Errorf("dimensions %d × %d", w, h))
	case w > MaxSide || h > MaxSide || int64(w)*int64(h) > MaxPixels || int64(w)*int64(h)*bytesPerPixel(cfg.ColorModel) > MaxDecodedBytes:
		return Processed{}, tooLarge(w, h)
	case w < MinSide || h < MinSide:
		return Processed{}, tooSmall(w, h)
	}
	img, err := decode(data)
	if err != nil {
		return Processed{}, unreadable(err)
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		// The header promised one size and the data gave another.
		return Processed{}, unreadable(fmt.Errorf("header says %d × %d, picture is %d × %d", w, h, b.Dx(), b.Dy()))
	}
	orientation := 1
	if f == formatJPEG {
		orientation = exifOrientation(data)
	}
	opaque := isOpaque(img)
	master := orient(scaleToFit(img, masterSide), orientation)
	out := Processed{Variants: map[int]Picture{}}
	if out.Photo, err = encode(master, opaque); err != nil {
		return Processed{}, err
	}
	for _, width := range Widths {
		v := master
		if mw := master.Bounds().Dx(); width < mw {
			v = scale(master, width, max(1, (master.Bounds().Dy()*width+mw/2)/mw))
		}
		// A photo narrower than a width is served at its own size:
		// scaling up adds no detail.
		if out.Variants[width], err = encode(v, opaque); err != nil {
			return Processed{}, err
		}
	}
	return out, nil
}

func isOpaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// bytesPerPixel is what a decoder's picture of the colour model holds per
// pixel.
func bytesPerPixel(m color.Model) int64 {
	switch m {
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel:
		return 4
	case color.Gray16Model:
		return 2
	case color.GrayModel, color.AlphaModel:
		return 1
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 4 // YCbCr and the rest: no more than RGBA
}

// scaleToFit returns img as RGBA, scaled down so its longest side is at
// most side. A picture more than one and a half times that is first
// brought to one and a half times it with the bilinear filter: Catmull-Rom
// keeps a row of float64s per source row and destination column, which for
// a 30-megapixel source is some 200 MB; from 1.5 times the size, a tenth.
func scaleToFit(img image.Image, side int) *image.RGBA {
	b := img.Bounds()
	if pre := side * 3 / 2; b.Dx() > pre || b.Dy() > pre {
		w, h := fit(b.Dx(), b.Dy(), pre)
		mid := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.ApproxBiLinear.Scale(mid, mid.Bounds(), img, b, draw.Src, nil)
		img, b = mid, mid.Bounds()
	}
	w, h := fit(b.Dx(), b.Dy(), side)
	return scale(img, w, h)
}

// fit is w × h scaled down so that its longest side is at most side.
func fit(w, h, side int) (int, int) {
	if w > side || h > side {
		if w >= h {
			w, h = side, max(1, (h*side+w/2)/w)
		} else {
			w, h = max(1, (w*side+h/2)/h), side
		}
	}
	return w, h
}

// scale draws img at w × h with the Catmull-Rom filter, sharp without
// ringing at the factors a photo is shrunk by; drawing into RGBA takes
// x/image/draw's fast paths for every source the decoders give.
func scale(img image.Image, w, h int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	b := img.Bounds()
	if b.Dx() == w && b.Dy() == h {
		draw.Draw(dst, dst.Bounds(), img, b.Min, draw.Src)
		return dst
	}
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

func encode(img *image.RGBA, opaque bool) (Picture, error) {
	var buf bytes.Buffer
	p := Picture{Width: img.Bounds().Dx(), Height: img.Bounds().Dy()}
	if opaque {
		p.ContentType = "image/jpeg"
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: jpegQuality}); err != nil {
			return p, err
		}
	} else {
		p.ContentType = "image/png"
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&buf, img); err != nil {
			return p, err
		}
	}
	p.Data = buf.Bytes()
	return p, nil
}
