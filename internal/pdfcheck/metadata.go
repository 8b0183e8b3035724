package pdfcheck

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

const maxMetadataBytes = 1 << 20

// collectMetadata gathers the strings a reader of the file could learn the
// authors from without reading the pages.
func (doc *document) collectMetadata() {
	ctx := doc.ctx
	if ctx.Info != nil {
		if info, err := ctx.DereferenceDict(*ctx.Info); err == nil {
			doc.addDictStrings(info, "Info ")
		}
	}
	nrs := make([]int, 0, len(ctx.Table))
	for nr := range ctx.Table {
		nrs = append(nrs, nr)
	}
	sort.Ints(nrs)
	for _, nr := range nrs {
		e := ctx.Table[nr]
		if e == nil || e.Free {
			continue
		}
		switch o := e.Object.(type) {
		case types.Dict, types.LazyObjectStreamObject:
			if d, ok := tableDict(ctx, nr); ok {
				doc.inspectDict(nr, d)
			}
		case types.StreamDict:
			doc.inspectDict(nr, o.Dict)
			typ := ""
			if t := o.Type(); t != nil {
				typ = *t
			}
			switch {
			case typ == "Metadata" || o.Subtype() != nil && *o.Subtype() == "XML":
				doc.add(fmt.Sprintf("XMP metadata (object %d)", nr), xmpText(decodeSmall(o, maxMetadataBytes)))
			case typ == "EmbeddedFile":
				doc.add(fmt.Sprintf("attachment contents (object %d)", nr), string(decodeSmall(o, maxMetadataBytes)))
			}
		}
	}
	doc.collectHidden()
}

// inspectDict looks at one object for figure metadata and attachments.
func (doc *document) inspectDict(nr int, d types.Dict) {
	ctx := doc.ctx
	if s := textOf(ctx, d["PTEX.FileName"]); s != "" {
		doc.add(fmt.Sprintf("figure file name (PTEX.FileName, object %d)", nr), s)
	}
	if o, ok := d.Find("PTEX.InfoDict"); ok {
		if info, err := ctx.DereferenceDict(o); err == nil && info != nil {
			doc.addDictStrings(info, fmt.Sprintf("figure metadata (PTEX.InfoDict, object %d) ", nr))
		}
	}
	if t := d.Type(); t != nil && *t == "Filespec" {
		for _, k := range []string{"UF", "F", "Desc"} {
			if s := textOf(ctx, d[k]); s != "" {
				doc.attachments = append(doc.attachments, s)
				doc.addHidden(fmt.Sprintf("attachment name (/%s, object %d)", k, nr), s, nil)
				break
			}
		}
	}
}

func (doc *document) addDictStrings(d types.Dict, prefix string) {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if s := textOf(doc.ctx, d[k]); s != "" {
			doc.add(prefix+"/"+k, s)
		}
	}
}

func (doc *document) add(where, text string) {
	if strings.TrimSpace(text) != "" {
		doc.meta = append(doc.meta, metaField{where: where, text: text})
	}
}

// textOf decodes a PDF text string (PDFDocEncoding or UTF-16: hyperref
// writes pdfauthor as <feff...>) after following references.
func textOf(ctx interface {
	Dereference(types.Object) (types.Object, error)
}, o types.Object) string {
	if o == nil {
		return ""
	}
	o, err := ctx.Dereference(o)
	if err != nil || o == nil {
		return ""
	}
	switch v := o.(type) {
	case types.StringLiteral, types.HexLiteral:
		s, err := types.StringOrHexLiteral(v)
		if err != nil || s == nil {
			return ""
		}
		return *s
	case types.Name:
		return string(v)
	}
	return ""
}

func isWidget(d types.Dict) bool {
	s := d.Subtype()
	return s != nil && *s == "Widget"
}

// xmpText is the character data of an XMP packet, entities resolved.
func xmpText(b []byte) string {
	dec := xml.NewDecoder(strings.NewReader(strings.ToValidUTF8(string(b), " ")))
	dec.Strict = false
	var sb strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF || err != nil {
			break
		}
		if cd, ok := tok.(xml.CharData); ok {
			if s := strings.TrimSpace(string(cd)); s != "" {
				sb.WriteString(s)
				sb.WriteByte(' ')
			}
		}
	}
	return sb.String()
}
