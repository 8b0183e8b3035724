package speakerphoto

import (
	"testing"

	"github.com/quirehq/quire/internal/speakerphoto/phototest"
)

// BenchmarkProcess is the cost of an upload: a camera's 24-megapixel JPEG
// and a phone's 12-megapixel one, checked, decoded, drawn at 1280, 320
// and 160 pixels and encoded; what a chair waits for once per photo.
func BenchmarkProcess(b *testing.B) {
	for _, c := range []struct {
		name string
		w, h int
	}{{"24MP", 6000, 4000}, {"12MP", 4032, 3024}} {
		data := phototest.JPEG(c.w, c.h)
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Process(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
