package publication_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/quirehq/quire/internal/publication"
)

// BenchmarkStamp is one public PDF: the cover written, qpdf joining it to
// a four-page paper in its capped child process, the result read back.
func BenchmarkStamp(b *testing.B) {
	st := publication.NewStamper("")
	if st.Qpdf == "" {
		b.Skip("qpdf not installed")
	}
	paper := corpus(b, "midpage4.pdf")
	cover := publication.Cover{Venue: "DLDE III", Title: "A paper", Authors: []string{"Ada Author"}, Status: "Non-archival report", Licence: "CC BY 4.0"}
	dir := b.TempDir()
	for b.Loop() {
		f, _, err := st.Stamp(ctx, tempIn(dir), bytes.NewReader(paper), cover)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, f); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}

// BenchmarkCoverPDF is the cover page alone, written in the server.
func BenchmarkCoverPDF(b *testing.B) {
	c := publication.Cover{Venue: "DLDE III", Title: "A paper", Authors: []string{"Ada Author"}, Status: "Non-archival report", Licence: "CC BY 4.0"}
	for b.Loop() {
		publication.CoverPDF(c)
	}
}
