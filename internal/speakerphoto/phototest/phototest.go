// Package phototest makes pictures for the tests of speakers' photos:
// drawn gradients, never a photo of a person, with the metadata and the
// lies in their headers that uploads carry.
package phototest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
)

// GPSMarker is a string the EXIF segment of WithEXIF carries, which no
// picture drawn from the upload may contain.
const GPSMarker = "GPS 29.9511N 90.0715W"

// Gradient is a w × h picture whose left half is red and right half
// blue, so a test can tell which way up it came out.
func Gradient(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{R: 220, G: uint8(255 * y / max(1, h)), B: 30, A: 255}
			if x >= w/2 {
				c.R, c.B = 30, 220
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// JPEG is Gradient(w, h) as a JPEG.
func JPEG(w, h int) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, Gradient(w, h), &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// PNG is Gradient(w, h) as a PNG, with alpha when transparent.
func PNG(w, h int, transparent bool) []byte {
	img := Gradient(w, h)
	if transparent {
		for i := 3; i < len(img.Pix); i += 4 * 7 {
			img.Pix[i] = 0
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// WithEXIF puts an EXIF segment into a JPEG right after its start: an
// orientation tag (1 to 8) and a GPS-like string, as a phone writes.
func WithEXIF(jpg []byte, orientation uint16) []byte {
	var tiff bytes.Buffer
	le := binary.LittleEndian
	tiff.WriteString("II")
	_ = binary.Write(&tiff, le, uint16(42))
	_ = binary.Write(&tiff, le, uint32(8))
	// IFD0: two entries of 12 bytes, an ImageDescription holding the
	// marker (stored after the IFD, at offset 38) and the orientation.
	desc := append([]byte(GPSMarker), 0)
	_ = binary.Write(&tiff, le, uint16(2))
	_ = binary.Write(&tiff, le, uint16(0x010E))
	_ = binary.Write(&tiff, le, uint16(2))
	_ = binary.Write(&tiff, le, uint32(len(desc)))
	_ = binary.Write(&tiff, le, uint32(8+2+2*12+4))
	_ = binary.Write(&tiff, le, uint16(0x0112))
	_ = binary.Write(&tiff, le, uint16(3))
	_ = binary.Write(&tiff, le, uint32(1))
	_ = binary.Write(&tiff, le, orientation)
	_ = binary.Write(&tiff, le, uint16(0))
	_ = binary.Write(&tiff, le, uint32(0)) // no next IFD
	tiff.Write(desc)
	seg := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	out := []byte{0xFF, 0xD8, 0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(out[4:], uint16(len(seg)+2))
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// PNGClaiming is a small PNG whose header claims w × h pixels: a
// decompression bomb's first bytes, with a valid checksum.
func PNGClaiming(w, h uint32) []byte {
	b := PNG(16, 16, false)
	// The IHDR chunk's data starts at 16: width, height, then 5 bytes.
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}
