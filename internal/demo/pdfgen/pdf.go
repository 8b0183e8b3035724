package pdfgen

import (
	"bytes"
	"compress/zlib"
	"crypto/md5"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Object numbers of the fixed objects; pages follow, two objects each.
const (
	objCatalog = 1
	objPages   = 2
	objFonts   = 3 // one per fontResource entry
	objInfo    = objFonts + len(fontResource)
	objFirst   = objInfo + 1
)

// compressors are reused: each costs most of a megabyte to set up, more
// than the pages it compresses. Reset makes the output independent of what
// a compressor did before.
var compressors = sync.Pool{New: func() any {
	zw, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed) // a valid level cannot fail
	return zw
}}

// pdfWriter writes numbered objects in order and remembers where each
// starts, for the cross-reference table.
type pdfWriter struct {
	buf     *bytes.Buffer
	offsets []int // offsets[n-1] is object n's
}

func (w *pdfWriter) object(n int, body string) {
	w.mark(n)
	fmt.Fprintf(w.buf, "%d 0 obj\n%s\nendobj\n", n, body)
}

func (w *pdfWriter) stream(n int, data []byte) {
	w.mark(n)
	fmt.Fprintf(w.buf, "%d 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n", n, len(data))
	w.buf.Write(data)
	w.buf.WriteString("\nendstream\nendobj\n")
}

func (w *pdfWriter) mark(n int) {
	if n != len(w.offsets)+1 {
		panic(fmt.Sprintf("pdfgen: object %d written out of order", n)) // a bug in this file, not bad input
	}
	w.offsets = append(w.offsets, w.buf.Len())
}

// writePDF serialises the laid-out pages as PDF 1.4 with a classic xref
// table, the form every reader and pdfcpu's strict mode accept.
func writePDF(buf *bytes.Buffer, p Paper, pages []*page) {
	contents := make([][]byte, len(pages))
	sum := md5.New()
	sum.Write([]byte(p.Title + "\x00" + p.MetadataAuthor + "\x00"))
	zw := compressors.Get().(*zlib.Writer)
	defer compressors.Put(zw)
	for i, pg := range pages {
		raw := contentStream(pg, p.Scale)
		sum.Write(raw)
		var out bytes.Buffer
		zw.Reset(&out)
		// Writes to a bytes.Buffer cannot fail.
		_, _ = zw.Write(raw)
		_ = zw.Close()
		contents[i] = out.Bytes()
	}
	digest := sum.Sum(nil)

	buf.WriteString("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n")
	w := &pdfWriter{buf: buf}
	openAction := ""
	if p.OpenScript != "" {
		openAction = fmt.Sprintf(" /OpenAction %d 0 R", objFirst+2*len(pages))
	}
	w.object(objCatalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R%s >>", objPages, openAction))
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", objFirst+2*i)
	}
	w.object(objPages, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)))
	var fontDict strings.Builder
	for i, fr := range fontResource {
		w.object(objFonts+i, fmt.Sprintf("<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>", fr.base))
		fmt.Fprintf(&fontDict, " /%s %d 0 R", fr.key, objFonts+i)
	}
	w.object(objInfo, infoDict(p, digest))
	for i := range pages {
		w.object(objFirst+2*i, fmt.Sprintf(
			"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font <<%s >> /ProcSet [/PDF /Text] >> /Contents %d 0 R >>",
			objPages, fontDict.String(), objFirst+2*i+1))
		w.stream(objFirst+2*i+1, contents[i])
	}
	if p.OpenScript != "" {
		w.object(objFirst+2*len(pages), fmt.Sprintf("<< /S /JavaScript /JS %s >>", pdfString([]byte(p.OpenScript))))
	}

	xref := buf.Len()
	fmt.Fprintf(buf, "xref\n0 %d\n0000000000 65535 f \n", len(w.offsets)+1)
	for _, off := range w.offsets {
		fmt.Fprintf(buf, "%010d 00000 n \n", off)
	}
	id := fmt.Sprintf("<%X>", digest)
	fmt.Fprintf(buf, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [%s %s] >>\nstartxref\n%d\n%%%%EOF\n",
		len(w.offsets)+1, objCatalog, objInfo, id, id, xref)
}

// infoDict dates the paper in the fortnight before the DLDE III deadline,
// at a moment taken from the spec's digest, so files differ but never
// change.
func infoDict(p Paper, digest []byte) string {
	minutes := binary.BigEndian.Uint64(digest[:8]) % (14 * 24 * 60)
	at := time.Date(2023, 9, 24, 0, 0, 0, 0, time.UTC).Add(time.Duration(minutes) * time.Minute)
	date := pdfString([]byte("D:" + at.Format("20060102150405") + "Z"))
	var sb strings.Builder
	fmt.Fprintf(&sb, "<< /Title %s /Producer %s /CreationDate %s /ModDate %s",
		pdfTextString(p.Title), pdfTextString("Quire demo paper generator"), date, date)
	if p.MetadataAuthor != "" {
		fmt.Fprintf(&sb, " /Author %s", pdfTextString(p.MetadataAuthor))
	}
	sb.WriteString(" >>")
	return sb.String()
}

// contentStream draws a page: graphics first, then all text in one BT
// block, setting font and word spacing only when they change; all of it
// at scale about the text block's centre when scale is set.
func contentStream(pg *page, scale float64) []byte {
	var b bytes.Buffer
	if scale != 0 && scale != 1 {
		cx, cy := left+measure/2, blockTop-blockHeight/2
		fmt.Fprintf(&b, "q %s 0 0 %s %s %s cm\n", num(scale), num(scale), num(cx*(1-scale)), num(cy*(1-scale)))
	}
	for _, g := range pg.gfx {
		b.WriteString(g)
		b.WriteByte('\n')
	}
	b.WriteString("BT\n")
	curFont, curSize, curTw := font(-1), 0.0, 0.0
	for _, r := range pg.runs {
		if r.f != curFont || r.size != curSize {
			fmt.Fprintf(&b, "/%s %s Tf\n", fontResource[r.f].key, num(r.size))
			curFont, curSize = r.f, r.size
		}
		if tw := strconv.FormatFloat(r.tw, 'f', 3, 64); tw != strconv.FormatFloat(curTw, 'f', 3, 64) {
			fmt.Fprintf(&b, "%s Tw\n", tw)
			curTw = r.tw
		}
		fmt.Fprintf(&b, "1 0 0 1 %s %s Tm %s Tj\n", num(r.x), num(r.y), pdfString(encode(r.text)))
	}
	b.WriteString("ET\n")
	if scale != 0 && scale != 1 {
		b.WriteString("Q\n")
	}
	return b.Bytes()
}

// num formats a coordinate with at most two decimals.
func num(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" || s == "" {
		return "0"
	}
	return s
}
