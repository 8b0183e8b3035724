// Package pdfgen writes small, realistic-looking workshop papers as PDF, so
// the demo venue has files that the PDF checker can judge the way it judges
// real uploads: a NeurIPS-like extended abstract on US Letter, with a title
// block, numbered sections, a figure, references and, on request, the parts
// the page limit does not count (acknowledgements, appendix, checklist) or
// the mistakes authors make (an author block, a named Info /Author, a
// non-anonymous footer).
//
// It has no dependencies beyond the standard library and draws only with the
// standard Type1 fonts, so a paper costs well under a millisecond to make.
// The output is a pure function of the Paper: the filler text comes from the
// abstract's own words through a hash-seeded generator, and the dates and
// /ID are derived from the spec, never from the clock.
package pdfgen

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
)

// Footers of the NeurIPS style family. The anonymous build says "Submitted
// to"; the preprint and camera-ready builds name the venue or say "Preprint",
// which the PDF checker reports as a sign of a non-anonymous build.
const (
	AnonymousFooter = "Submitted to DLDE III. Do not distribute."
	PreprintFooter  = "Preprint. Under review."
	FinalFooter     = "The Symbiosis of Deep Learning and Differential Equations III, Workshop at NeurIPS 2023."
)

// ErrInvalidPaper is returned for a spec that cannot be laid out.
var ErrInvalidPaper = errors.New("pdfgen: invalid paper")

// maxBodyPages keeps a mistyped spec from producing a huge file.
const maxBodyPages = 30

// Paper is the spec of one generated paper.
type Paper struct {
	Title    string
	Abstract string
	// Authors are printed on page 1 only when AuthorBlock is true (a
	// deliberate anonymity leak); otherwise the block says "Anonymous
	// Author(s)". An entry may hold several lines separated by "\n": the
	// first (the name) is set in bold, the rest (affiliation, e-mail) in
	// roman, as LaTeX's \author does.
	Authors     []string
	AuthorBlock bool
	// BodyPages is how far the main body runs, in pages: 3.5 ends the body
	// half-way down page 4; 4.0 fills page 4, so what follows starts at
	// the top of page 5.
	BodyPages float64
	// Acknowledgements adds an "Acknowledgments and Disclosure of Funding"
	// section right after the body.
	Acknowledgements bool
	ReferencesCount  int
	// Appendix adds "A  Additional Experiments" pages after the references.
	Appendix bool
	// Checklist adds a "NeurIPS Paper Checklist" section at the end.
	Checklist bool
	// MetadataAuthor, when set, is written into the Info /Author entry (a
	// metadata leak).
	MetadataAuthor string
	// Lead, when set, is the first sentence of the introduction: a way
	// to cite the authors' own earlier work by name in the third person,
	// which the PDF checker reports and a chair may release.
	Lead string
	// Footer is printed at the bottom of page 1 only, where NeurIPS-like
	// styles say which build this is; empty prints none.
	Footer string
	// Scale, when set, draws every page at that scale about the text
	// block's centre: the paper of an author who shrank the whole document
	// to fit the page limit (0.9 gives 9 pt type on 10.8 pt lines), which
	// the PDF check's format rules catch. 0 draws it as designed.
	Scale float64
	// OpenScript, when set, is JavaScript the file runs when opened (an
	// /OpenAction): the active content the PDF check names and the
	// reviewers' copy removes.
	OpenScript string
}

// Write writes the paper as a PDF 1.4 file.
func Write(w io.Writer, p Paper) error {
	if err := p.validate(); err != nil {
		return err
	}
	_, err := w.Write(render(p))
	return err
}

// Bytes returns the paper as a PDF file. It panics on a spec Write would
// refuse, like regexp.MustCompile, since its callers hold fixed demo data.
func Bytes(p Paper) []byte {
	if err := p.validate(); err != nil {
		panic(err)
	}
	return render(p)
}

func (p Paper) validate() error {
	switch {
	case p.Title == "":
		return fmt.Errorf("%w: no title", ErrInvalidPaper)
	case math.IsNaN(p.BodyPages) || p.BodyPages <= 0 || p.BodyPages > maxBodyPages:
		return fmt.Errorf("%w: body pages %v, want more than 0 and at most %d", ErrInvalidPaper, p.BodyPages, maxBodyPages)
	case p.ReferencesCount < 0 || p.ReferencesCount > 200:
		return fmt.Errorf("%w: %d references, want 0 to 200", ErrInvalidPaper, p.ReferencesCount)
	case p.Scale != 0 && !(p.Scale >= 0.5 && p.Scale <= 1):
		return fmt.Errorf("%w: scale %v, want 0 (none) or 0.5 to 1", ErrInvalidPaper, p.Scale)
	}
	return nil
}

func render(p Paper) []byte {
	pages := compose(p)
	var buf bytes.Buffer
	writePDF(&buf, p, pages)
	return buf.Bytes()
}
