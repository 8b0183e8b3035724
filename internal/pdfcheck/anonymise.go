package pdfcheck

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strconv"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Keys that carry authorship outside the page text, removed wherever they
// occur: XMP packets, application data, and what pdflatex copies from each
// included figure (its file path and its Info dictionary).
var identifyingKeys = []string{"Metadata", "PieceInfo", "PTEX.FileName", "PTEX.InfoDict", "PTEX.PageNumber"}

// keptInfoKeys survive in the Info dictionary: they say nothing of the
// authors.
var keptInfoKeys = map[string]bool{"Producer": true, "CreationDate": true, "ModDate": true}

// anonymise writes the reviewers' copy of the document: identifying
// metadata, attachments, comments, form fields, scripts and every action
// but a plain link gone (active_clean.go), a fresh /ID, and a full
// rewrite, so objects of earlier incremental revisions are not carried
// over. Page content is not touched.
func anonymise(doc *document, out string) error {
	ctx := doc.ctx
	if ctx.Info != nil {
		if info, err := ctx.DereferenceDict(*ctx.Info); err == nil && info != nil {
			for k := range info {
				if !keptInfoKeys[k] {
					delete(info, k)
				}
			}
		}
	}
	ctx.Title, ctx.Subject, ctx.Author, ctx.Creator, ctx.Keywords = "", "", "", "", ""
	ctx.KeywordList = nil
	ctx.Properties = map[string]string{}
	ctx.CatalogXMPMeta = nil
	for _, e := range ctx.Table {
		if e == nil || e.Free {
			continue
		}
		switch o := e.Object.(type) {
		case types.Dict:
			scrubDict(o)
		case types.StreamDict:
			scrubDict(o.Dict)
		}
	}
	if root, err := ctx.Catalog(); err == nil && root != nil {
		delete(root, "AF") // associated files
		if names, err := ctx.DereferenceDict(root["Names"]); err == nil && names != nil {
			if _, ok := names["EmbeddedFiles"]; ok {
				// Through pdfcpu, which also drops its name-tree cache.
				if err := ctx.RemoveEmbeddedFilesNameTree(); err != nil {
					return fmt.Errorf("remove attachments: %w", err)
				}
			}
		}
	}
	if err := dropFileAttachments(ctx); err != nil {
		return err
	}
	if err := cleanActive(doc); err != nil {
		return fmt.Errorf("remove active content: %w", err)
	}
	// The encryption of an owner-password-only file is dropped with the
	// rest: reviewers get a plain copy.
	ctx.Encrypt, ctx.E, ctx.EncKey = nil, nil, nil
	ctx.ID = nil
	// A cross-reference table and no object streams: compressing them
	// cost a third of the writing's CPU (a new deflater per stream), for a
	// copy a few KiB smaller.
	ctx.WriteObjectStream, ctx.WriteXRefStream = false, false
	return writeAtomically(ctx, out)
}

func scrubDict(d types.Dict) {
	for _, k := range identifyingKeys {
		delete(d, k)
	}
	// /T of an annotation is its author; of a form field (Widget), its name.
	if _, ok := d["Rect"]; ok && d.Subtype() != nil && !isWidget(d) {
		delete(d, "T")
	}
}

// dropFileAttachments removes FileAttachment annotations from every page.
func dropFileAttachments(ctx *model.Context) error {
	for p := 1; p <= ctx.PageCount; p++ {
		pd, _, _, err := ctx.PageDict(p, false)
		if err != nil {
			return fmt.Errorf("page %d: %w", p, err)
		}
		annots, err := ctx.DereferenceArray(pd["Annots"])
		if err != nil || annots == nil {
			continue
		}
		kept := types.Array{}
		for _, a := range annots {
			ad, err := ctx.DereferenceDict(a)
			if err == nil && ad != nil && ad.Subtype() != nil && *ad.Subtype() == "FileAttachment" {
				continue
			}
			kept = append(kept, a)
		}
		if len(kept) != len(annots) {
			pd["Annots"] = kept
		}
	}
	return nil
}

var (
	xrefSubsection = regexp.MustCompile(`(?m)^(\d+) (\d+)\r?$`)
	trailerSize    = regexp.MustCompile(`/Size \d+`)
)

// fixTrailerSize sets the trailer's /Size of a file pdfcpu wrote with a
// cross-reference table to one more than the highest object number in
// the table, as the standard says: pdfcpu writes the size of the table it
// read, which counts the objects it left out.
func fixTrailerSize(pdf []byte) []byte {
	x := bytes.LastIndex(pdf, []byte("\nxref"))
	t := bytes.LastIndex(pdf, []byte("trailer"))
	if x < 0 || t < x {
		return pdf
	}
	high := -1
	for _, m := range xrefSubsection.FindAllSubmatch(pdf[x:t], -1) {
		start, _ := strconv.Atoi(string(m[1]))
		n, _ := strconv.Atoi(string(m[2]))
		high = max(high, start+n-1)
	}
	if high < 0 {
		return pdf
	}
	loc := trailerSize.FindIndex(pdf[t:])
	want := "/Size " + strconv.Itoa(high+1)
	if loc == nil || string(pdf[t+loc[0]:t+loc[1]]) == want {
		return pdf
	}
	out := append([]byte{}, pdf[:t+loc[0]]...)
	out = append(out, want...)
	return append(out, pdf[t+loc[1]:]...)
}

// writeAtomically writes next to out and renames, so a reader never sees a
// half-written copy. The partial name is fixed so that the parent can
// remove it when it kills a worker in the middle of writing.
func writeAtomically(ctx *model.Context, out string) (err error) {
	tmp := partialName(out)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	var buf bytes.Buffer
	if err = api.WriteContext(ctx, &buf); err != nil {
		f.Close()
		return fmt.Errorf("write anonymised copy: %w", err)
	}
	if _, err = f.Write(fixTrailerSize(buf.Bytes())); err != nil {
		f.Close()
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}

func partialName(out string) string { return out + ".partial" }
