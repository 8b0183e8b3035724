package publication

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/quirehq/quire/internal/problem"
)

// A public PDF is the paper behind a cover page that says what it is: the
// venue, the archival status, the licence and where its page is. The cover
// is written here, from trusted text; the paper is an upload, so it is
// never parsed in the server: qpdf joins the two in a child process with
// capped memory and CPU time, and the joined file keeps the cover's
// document information (title, authors, status, licence).

// Stamper runs qpdf.
type Stamper struct {
	Qpdf, Prlimit string
	// MemoryBytes and CPUSeconds cap the child; Timeout ends it.
	MemoryBytes int64
	CPUSeconds  int
	Timeout     time.Duration
}

// NewStamper finds qpdf and prlimit in dir, else on PATH. A missing tool is
// not an error here: the public PDF then answers 503 and says why.
func NewStamper(dir string) *Stamper {
	find := func(name string) string {
		if dir != "" {
			p := filepath.Join(dir, name)
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				return p
			}
		}
		p, _ := exec.LookPath(name)
		return p
	}
	return &Stamper{Qpdf: find("qpdf"), Prlimit: find("prlimit"), MemoryBytes: 1 << 30, CPUSeconds: 60, Timeout: 2 * time.Minute}
}

// Cover is what the cover page and the document information say.
type Cover struct {
	Venue, Title, Status, Licence, LicenceURL, Page, Date string
	Authors                                               []string
	Keywords                                              []string
}

// CoverOf is the cover of a published paper.
func CoverOf(v Venue, p Paper) Cover {
	c := Cover{Venue: v.Name, Title: p.Title, Status: p.Status, Licence: p.Licence.Name, LicenceURL: p.Licence.URL, Page: p.Page, Keywords: p.Keywords}
	if !p.Date.IsZero() {
		c.Date = p.Date.Format("2 January 2006")
	}
	for _, a := range p.Authors {
		c.Authors = append(c.Authors, a.Name)
	}
	return c
}

// Subject is the document information's subject: status and licence.
func (c Cover) Subject() string {
	s := c.Status + ". Licence: " + c.Licence
	if c.LicenceURL != "" {
		s += " (" + c.LicenceURL + ")"
	}
	return s
}

// errStampUnavailable is a server fault: the PDF cannot be made here.
func errStampUnavailable(cause error) error {
	pe := problem.New(problem.ErrUnavailable, "publishing_unavailable",
		"the public PDF cannot be prepared on this server now (the error has been logged); the paper's page and citations are unaffected")
	pe.Cause, pe.RetryAfter = cause, time.Minute
	return pe
}

// TempFile reserves an empty local file for a step of the work, in a
// folder whose leftovers a crash leaves are cleaned (blob.Files.TempPath).
type TempFile func(prefix string) (string, error)

// Stamp writes the paper in src behind the cover into temporary files and
// returns the result open; closing it removes them all.
func (st *Stamper) Stamp(ctx context.Context, temp TempFile, src io.Reader, c Cover) (io.ReadCloser, int64, error) {
	if st == nil || st.Qpdf == "" {
		return nil, 0, errStampUnavailable(errors.New("qpdf is not installed (Debian: apt-get install qpdf)"))
	}
	var files []string
	done := false
	defer func() {
		if !done {
			for _, f := range files {
				os.Remove(f)
			}
		}
	}()
	for range 3 {
		f, err := temp("publish")
		if err != nil {
			return nil, 0, errStampUnavailable(err)
		}
		files = append(files, f)
	}
	paper, cover, out := files[0], files[1], files[2]
	f, err := os.OpenFile(paper, os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, 0, errStampUnavailable(err)
	}
	_, err = io.Copy(f, src)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, 0, err
	}
	if err := os.WriteFile(cover, CoverPDF(c), 0o600); err != nil {
		return nil, 0, errStampUnavailable(err)
	}
	ctx, cancel := context.WithTimeout(ctx, st.Timeout)
	defer cancel()
	args := []string{"--warning-exit-0", "--no-warn", cover, "--pages", ".", paper, "--", out}
	name := st.Qpdf
	if st.Prlimit != "" {
		args = append([]string{fmt.Sprintf("--as=%d", st.MemoryBytes), fmt.Sprintf("--cpu=%d", st.CPUSeconds), "--", st.Qpdf}, args...)
		name = st.Prlimit
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = filepath.Dir(out)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "LC_ALL=C"}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, 0, errStampUnavailable(fmt.Errorf("qpdf: %w: %s", err, strings.TrimSpace(stderr.String())))
	}
	r, err := os.Open(out)
	if err != nil {
		return nil, 0, errStampUnavailable(err)
	}
	fi, err := r.Stat()
	if err != nil {
		r.Close()
		return nil, 0, errStampUnavailable(err)
	}
	done = true
	return removing{File: r, files: files}, fi.Size(), nil
}

// removing is an open file whose work files go when it is closed.
type removing struct {
	*os.File
	files []string
}

func (r removing) Close() error {
	err := r.File.Close()
	for _, f := range r.files {
		os.Remove(f)
	}
	return err
}

// CoverPDF is a one-page letter-size PDF saying what the paper is, in
// Helvetica, with the same in its document information.
func CoverPDF(c Cover) []byte {
	var content bytes.Buffer
	y := 720.0
	line := func(font string, size float64, text string) {
		for _, l := range wrap(text, int(468/(size*0.5))) {
			fmt.Fprintf(&content, "BT /%s %.1f Tf 72 %.1f Td (%s) Tj ET\n", font, size, y, pdfText(l))
			y -= size * 1.35
		}
	}
	line("F1", 10, c.Venue)
	y -= 14
	line("F2", 18, c.Title)
	y -= 6
	line("F1", 12, strings.Join(c.Authors, ", "))
	y -= 24
	line("F2", 11, c.Status)
	if c.Date != "" {
		line("F1", 11, c.Date)
	}
	y -= 8
	lic := "Licence: " + c.Licence
	if c.LicenceURL != "" {
		lic += " (" + c.LicenceURL + ")"
	}
	line("F1", 11, lic)
	line("F1", 11, "Published with its authors' consent. Its page: "+c.Page)
	y = 72
	line("F1", 9, c.Subject())

	info := fmt.Sprintf("<< /Title %s /Author %s /Subject %s /Keywords %s /Creator %s /License %s /Archival %s >>",
		pdfUTF16(c.Title), pdfUTF16(strings.Join(c.Authors, "; ")), pdfUTF16(c.Subject()), pdfUTF16(strings.Join(c.Keywords, ", ")),
		pdfUTF16("Quire"), pdfUTF16(c.Licence), pdfUTF16(c.Status))
	xmp := XMP(c)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R /Metadata 8 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
		info,
		fmt.Sprintf("<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%sendstream", len(xmp), xmp),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// XMP is the cover's XMP packet, which qpdf keeps as the whole document's
// metadata: what indexers and reference managers read in place of the
// document information, the licence the way Creative Commons marks files
// (xmpRights, cc:license) and the status as the document's type.
func XMP(c Cover) string {
	var b strings.Builder
	esc := func(s string) string {
		var e strings.Builder
		_ = xml.EscapeText(&e, []byte(s))
		return e.String()
	}
	alt := func(tag, text string) {
		fmt.Fprintf(&b, "   <%s><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt></%s>\n", tag, esc(text), tag)
	}
	list := func(tag, kind string, items []string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(&b, "   <%s><rdf:%s>", tag, kind)
		for _, it := range items {
			fmt.Fprintf(&b, "<rdf:li>%s</rdf:li>", esc(it))
		}
		fmt.Fprintf(&b, "</rdf:%s></%s>\n", kind, tag)
	}
	b.WriteString("<?xpacket begin=\"\ufeff\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n")
	b.WriteString(`<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/" xmlns:cc="http://creativecommons.org/ns#" xmlns:prism="http://prismstandard.org/namespaces/basic/3.0/">
   <dc:format>application/pdf</dc:format>
`)
	alt("dc:title", c.Title)
	list("dc:creator", "Seq", c.Authors)
	alt("dc:description", c.Subject())
	list("dc:subject", "Bag", c.Keywords)
	list("dc:type", "Bag", []string{c.Status})
	rights := "Licence: " + c.Licence
	if c.LicenceURL != "" {
		rights += " (" + c.LicenceURL + ")"
	}
	alt("dc:rights", rights)
	alt("xmpRights:UsageTerms", rights)
	b.WriteString("   <xmpRights:Marked>True</xmpRights:Marked>\n")
	if c.LicenceURL != "" {
		fmt.Fprintf(&b, "   <xmpRights:WebStatement>%s</xmpRights:WebStatement>\n", esc(c.LicenceURL))
		fmt.Fprintf(&b, "   <cc:license rdf:resource=\"%s\"/>\n", esc(c.LicenceURL))
	}
	fmt.Fprintf(&b, "   <pdf:Keywords>%s</pdf:Keywords>\n", esc(strings.Join(c.Keywords, ", ")))
	b.WriteString("   <xmp:CreatorTool>Quire</xmp:CreatorTool>\n")
	if c.Venue != "" {
		fmt.Fprintf(&b, "   <prism:publicationName>%s</prism:publicationName>\n", esc(c.Venue))
	}
	if c.Page != "" {
		fmt.Fprintf(&b, "   <prism:url>%s</prism:url>\n", esc(c.Page))
	}
	b.WriteString("  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>\n")
	return b.String()
}

// wrap breaks text into lines of at most n characters at spaces.
func wrap(text string, n int) []string {
	var out []string
	cur := ""
	for _, w := range strings.Fields(text) {
		if cur != "" && len([]rune(cur))+1+len([]rune(w)) > n {
			out = append(out, cur)
			cur = ""
		}
		if cur != "" {
			cur += " "
		}
		cur += w
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}

// pdfText is a literal string in WinAnsi (Latin-1 here); what the
// standard fonts cannot show becomes '?'.
func pdfText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r >= 0xa0 && r <= 0xff:
			fmt.Fprintf(&b, "\\%03o", r)
		case r == '\u2019' || r == '\u2018':
			b.WriteByte('\'')
		case r == '\u2013' || r == '\u2014':
			b.WriteByte('-')
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}

// pdfUTF16 is a text string in UTF-16BE with its byte-order mark, as a hex
// string: any character, nothing to escape.
func pdfUTF16(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}
