package pdfcheck

import (
	"bytes"
	"errors"
	"sort"
	"strings"
	"sync"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// document is what pdfcpu tells about a file: structure, not text.
type document struct {
	ctx       *model.Context
	pages     []PageInfo
	encrypted bool
	fonts     []FontInfo
	// meta holds every identifying string outside the page text: Info,
	// XMP, figure metadata copied in by pdflatex, annotation authors,
	// attachment names and contents.
	meta        []metaField
	attachments []string
	hiddenCount int
	hiddenSeen  map[[2]string]bool
	// active is the file's active content (active.go).
	active []activeItem
	// clean is what the reviewers' copy removes beyond the usual, decided
	// by the leak search.
	clean cleanPlan
}

// metaField is one string found in the file's metadata, and where.
type metaField struct {
	where, text string
	// hidden is text a viewer shows besides the pages (hidden_text.go): a
	// finding in it holds the paper.
	hidden bool
	// link is a link's target, searched for personal web addresses too.
	link bool
	// neutralise, when set, is what the reviewers' copy does beyond its
	// usual cleaning once the search found the authors here.
	neutralise func()
	// leaked is set by the search.
	leaked bool
	// finding is reported as it is, without a search: active content.
	finding *Finding
}

var disableConfigDir sync.Once

// checkHeader refuses anything that does not start like a PDF. Readers
// accept the header anywhere in the first KiB, and so do we.
func checkHeader(data []byte) error {
	head := data[:min(len(data), 1024)]
	if !bytes.Contains(head, []byte("%PDF-")) {
		return refuse(ErrNotPDF, "no %%PDF- header in the first 1024 bytes")
	}
	return nil
}

// inspectPDF reads data with pdfcpu (relaxed validation: strict rejects
// ordinary pdflatex output). pdfcpu can panic on hostile input; the panic
// becomes ErrDamaged so a fuzzer or a worker never dies on one.
func inspectPDF(data []byte, rules Rules) (doc *document, err error) {
	disableConfigDir.Do(api.DisableConfigDir)
	if err := checkHeader(data); err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, refuse(ErrDamaged, "parser failure: %v", r)
		}
	}()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	ctx, err := api.ReadAndValidate(bytes.NewReader(data), conf)
	if err != nil {
		if errors.Is(err, pdfcpu.ErrWrongPassword) || strings.Contains(err.Error(), "password") {
			return nil, refuse(ErrEncrypted, "a password is needed to open it")
		}
		return nil, refuse(ErrDamaged, "%v", err)
	}
	if ctx.PageCount == 0 {
		return nil, refuse(ErrDamaged, "no pages")
	}
	doc = &document{ctx: ctx, encrypted: ctx.Encrypt != nil}
	if rules.MaxPages > 0 && ctx.PageCount > rules.MaxPages {
		return nil, refuse(ErrTooManyPages, "%d pages, at most %d allowed", ctx.PageCount, rules.MaxPages)
	}
	if err := scanStreams(ctx); err != nil {
		return nil, err
	}
	dims, err := ctx.PageDims()
	if err != nil {
		return nil, refuse(ErrDamaged, "page sizes: %v", err)
	}
	for i, d := range dims {
		p := PageInfo{Number: i + 1, Size: sizeName(d.Width, d.Height), Width: round2(d.Width), Height: round2(d.Height)}
		if p.Size == "" {
			p.Size = "other"
		}
		if len(rules.PageSizes) > 0 && !containsFold(rules.PageSizes, p.Size) {
			return nil, refuse(ErrPageSize, "page %d is %.0f x %.0f pt (%s); accepted: %s",
				p.Number, d.Width, d.Height, p.Size, strings.Join(rules.PageSizes, ", "))
		}
		doc.pages = append(doc.pages, p)
	}
	doc.fonts = fonts(ctx)
	doc.collectMetadata()
	doc.active = findActive(ctx, data)
	for _, f := range activeFindings(doc.active) {
		doc.meta = append(doc.meta, metaField{where: f.Where, finding: &f})
	}
	return doc, nil
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// fonts lists the file's fonts and whether their programs are embedded.
// Type 3 fonts are drawn by the file itself and count as embedded.
func fonts(ctx *model.Context) []FontInfo {
	seen := map[string]bool{}
	var out []FontInfo
	for _, e := range ctx.Table {
		if e == nil || e.Free {
			continue
		}
		d, ok := e.Object.(types.Dict)
		if !ok || d.Type() == nil || *d.Type() != "Font" {
			continue
		}
		sub := ""
		if s := d.Subtype(); s != nil {
			sub = *s
		}
		if sub == "Type0" { // described by its descendant
			continue
		}
		name := ""
		if n := d.NameEntry("BaseFont"); n != nil {
			name = *n
		}
		embedded := sub == "Type3" || fontFileEmbedded(ctx, d)
		key := name + "|" + sub
		if name == "" || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, FontInfo{Name: name, Type: sub, Embedded: embedded})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func fontFileEmbedded(ctx *model.Context, font types.Dict) bool {
	fd, err := ctx.DereferenceDict(font["FontDescriptor"])
	if err != nil || fd == nil {
		return false
	}
	for _, k := range []string{"FontFile", "FontFile2", "FontFile3"} {
		if _, ok := fd.Find(k); ok {
			return true
		}
	}
	return false
}
