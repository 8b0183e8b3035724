package pdfcheck

import (
	"bytes"
	"compress/zlib"
	"io"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Decompression caps. A paper's largest stream is an image of a few tens of
// MiB; a bomb is flate inside flate that expands a few KiB into GiBs and
// keeps poppler busy for longer than the whole check may take.
const (
	maxStreamDecoded = 128 << 20
	maxTotalDecoded  = 512 << 20
)

// scanStreams measures how far every flate stream expands, without keeping
// the output, and refuses the file past the caps.
func scanStreams(ctx *model.Context) error {
	var total int64
	for nr, e := range ctx.Table {
		if e == nil || e.Free {
			continue
		}
		sd, ok := e.Object.(types.StreamDict)
		if !ok {
			continue
		}
		var n int64
		if len(sd.FilterPipeline) == 0 { // stored as it is: no need to read it
			n = int64(len(sd.Raw))
		} else {
			r := flateReader(sd)
			if r == nil {
				continue
			}
			n, _ = io.Copy(io.Discard, io.LimitReader(r, maxStreamDecoded+1))
		}
		if n > maxStreamDecoded {
			return refuse(ErrBomb, "stream object %d expands beyond %d MiB", nr, maxStreamDecoded>>20)
		}
		if total += n; total > maxTotalDecoded {
			return refuse(ErrBomb, "streams expand beyond %d MiB in total", maxTotalDecoded>>20)
		}
	}
	return nil
}

// flateReader decodes a stream whose filters are all FlateDecode (any
// number of them), or returns the raw bytes of an unfiltered stream. It
// returns nil for other filters: images (DCT, JPX, CCITT) do not expand
// without bound, and poppler, which decodes the rest, runs under limits.
func flateReader(sd types.StreamDict) io.Reader {
	var r io.Reader = bytes.NewReader(sd.Raw)
	for _, f := range sd.FilterPipeline {
		if f.Name != "FlateDecode" {
			return nil
		}
		zr, err := zlib.NewReader(r)
		if err != nil {
			return bytes.NewReader(nil)
		}
		r = zr
	}
	return r
}

// decodeSmall returns at most limit decoded bytes of a metadata-sized
// stream; what cannot be decoded yields nothing.
func decodeSmall(sd types.StreamDict, limit int64) []byte {
	r := flateReader(sd)
	if r == nil {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(r, limit))
	return b
}
