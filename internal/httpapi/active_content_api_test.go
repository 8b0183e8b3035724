package httpapi_test

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/demo"
)

// activeNames are what a reviewers' copy must not hold: actions that run
// or fetch on their own, scripts, forms, media.
var activeNames = []string{`"/JS"`, `"/JavaScript"`, `"/Launch"`, `"/SubmitForm"`, `"/ImportData"`, `"/GoToR"`, `"/GoToE"`,
	`"/RichMedia"`, `"/3D"`, `"/XFA"`, `"/OpenAction"`, `"/AA"`, `"/AcroForm"`}

// qpdfJSON is every object of a PDF as qpdf decodes it, lowercased.
func qpdfJSON(t *testing.T, pdf []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "copy.pdf")
	if err := os.WriteFile(p, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("qpdf", "--json=2", "--json-key=qpdf", "--decode-level=all", "--json-stream-data=none", p).Output()
	if err != nil {
		t.Fatalf("qpdf: %v", err)
	}
	return string(out)
}

func expectNoActive(t *testing.T, what string, pdf []byte) {
	t.Helper()
	j := qpdfJSON(t, pdf)
	for _, n := range activeNames {
		if strings.Contains(j, n) {
			t.Errorf("%s still holds %s", what, n)
		}
	}
}

// TestActiveContentRemovedForReviewers: an author uploads a paper that
// runs JavaScript when opened (and launches, submits, fetches on hooks);
// the report tells the author so, the paper is not held for it, and the
// reviewer's copy holds none of it.
func TestActiveContentRemovedForReviewers(t *testing.T) {
	t.Parallel()
	w, ids, tok := heldPaper(t)
	rex, id := tok["rev@example.org"], ids[0]
	up := w.upload(t, id, corpus(t, "active.pdf"))
	if up.StatusCode != 200 {
		t.Fatalf("upload: %s", up.Body)
	}
	var res struct {
		Report struct {
			Leaks []struct{ Code, Message string }
		}
		Submission struct {
			Anonymity *struct{ Held bool }
		}
	}
	up.JSON(t, &res)
	said := false
	for _, l := range res.Report.Leaks {
		said = said || l.Code == "active_content" && strings.Contains(l.Message, "runs JavaScript when the file is opened; reviewers get a copy without it")
	}
	if !said {
		t.Errorf("the report does not warn of the script: %+v", res.Report.Leaks)
	}
	if res.Submission.Anonymity != nil && res.Submission.Anonymity.Held {
		t.Error("active content alone holds the paper, though the copy removes it")
	}
	r := w.s.As(t, rex, "GET", fmt.Sprintf("/api/v1/submissions/%d/pdf?copy=anonymised", id), nil)
	if r.StatusCode != 200 {
		t.Fatalf("reviewer download: %s", r.Status)
	}
	expectNoActive(t, "the reviewers' copy", r.Body)
	// The authors and the chairs still get their file as uploaded.
	if o := w.s.As(t, w.chair, "GET", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), nil); sha(o.Body) != sha(corpus(t, "active.pdf")) {
		t.Error("the chair's original is not the upload")
	}
}

// TestNamesOutsideThePageText: a paper naming its author in a comment, a
// popup, a form field, a link to her page and her mail, a destination and
// a layer is held like a name on page 1; once a chair releases it, the
// copy reviewers get names nobody.
func TestNamesOutsideThePageText(t *testing.T) {
	t.Parallel()
	w, ids, tok := heldPaper(t)
	rex, id := tok["rev@example.org"], ids[0]
	// Bo Chen, whom the file names in the other places, joins the authors.
	p := paper()
	p["authors"] = append(p["authors"].([]map[string]string),
		map[string]string{"name": "Alice Müller", "email": "alice@uni.example", "affiliation": "University of Examples"},
		map[string]string{"name": "Bo Chen", "email": "bo@lab.example", "affiliation": "Example Lab"})
	if r := w.s.As(t, w.author, "PATCH", fmt.Sprintf("/api/v1/submissions/%d", id), p); r.StatusCode != 200 {
		t.Fatalf("edit: %s", r.Body)
	}
	up := w.upload(t, id, corpus(t, "hidden.pdf"))
	if up.StatusCode != 200 {
		t.Fatalf("upload: %s", up.Body)
	}
	var res struct {
		Submission struct {
			Anonymity struct {
				PdfHeld  bool `json:"pdf_held"`
				Findings []struct{ Code, Where string }
			}
		}
	}
	up.JSON(t, &res)
	if !res.Submission.Anonymity.PdfHeld {
		t.Fatalf("not held: %s", up.Body)
	}
	for _, place := range []string{"comment text (/Contents)", "comment author (/T)", "popup note", "form field", "bookmark (outline) title",
		"link target", "named destination", "JavaScript source", "attachment name", "layer name", "page label"} {
		found := false
		for _, f := range res.Submission.Anonymity.Findings {
			found = found || strings.HasPrefix(f.Where, place)
		}
		if !found {
			t.Errorf("no finding in %q: %+v", place, res.Submission.Anonymity.Findings)
		}
	}
	reviewerGetsNothing(t, w, rex, id)
	if r := w.s.As(t, w.chair, "POST", fmt.Sprintf("/api/v1/submissions/%d/anonymity-hold/release", id), map[string]string{"reason": "the copy drops them"}); r.StatusCode != 200 {
		t.Fatalf("release: %s", r.Body)
	}
	r := w.s.As(t, rex, "GET", fmt.Sprintf("/api/v1/submissions/%d/pdf?copy=anonymised", id), nil)
	if r.StatusCode != 200 {
		t.Fatalf("reviewer download after the release: %s", r.Status)
	}
	j := strings.ToLower(qpdfJSON(t, r.Body))
	for _, s := range []string{"alice", "müller", "mueller", "m\\u00fcller", "chen", "mailto:", "tuebingen"} {
		if strings.Contains(j, s) {
			t.Errorf("the reviewers' copy still says %q", s)
		}
	}
	expectNoActive(t, "the reviewers' copy", r.Body)
}

// zipEntryRaw is a stored entry whose two headers may disagree.
type zipEntryRaw struct{ cd, local, data string }

func rawZipOf(entries ...zipEntryRaw) []byte {
	var b, cd bytes.Buffer
	le := binary.LittleEndian
	for _, e := range entries {
		off, crc := b.Len(), crc32.ChecksumIEEE([]byte(e.data))
		h := make([]byte, 30)
		le.PutUint32(h, 0x04034b50)
		le.PutUint16(h[4:], 20)
		le.PutUint32(h[14:], crc)
		le.PutUint32(h[18:], uint32(len(e.data)))
		le.PutUint32(h[22:], uint32(len(e.data)))
		le.PutUint16(h[26:], uint16(len(e.local)))
		b.Write(h)
		b.WriteString(e.local + e.data)
		c := make([]byte, 46)
		le.PutUint32(c, 0x02014b50)
		le.PutUint16(c[4:], 20)
		le.PutUint16(c[6:], 20)
		le.PutUint32(c[16:], crc)
		le.PutUint32(c[20:], uint32(len(e.data)))
		le.PutUint32(c[24:], uint32(len(e.data)))
		le.PutUint16(c[28:], uint16(len(e.cd)))
		le.PutUint32(c[42:], uint32(off))
		cd.Write(c)
		cd.WriteString(e.cd)
	}
	end := make([]byte, 22)
	le.PutUint32(end, 0x06054b50)
	le.PutUint16(end[8:], uint16(len(entries)))
	le.PutUint16(end[10:], uint16(len(entries)))
	le.PutUint32(end[12:], uint32(cd.Len()))
	le.PutUint32(end[16:], uint32(b.Len()))
	b.Write(cd.Bytes())
	b.Write(end)
	return b.Bytes()
}

// TestSupplementaryZipChecked: archives whose headers disagree, whose
// names climb out or are absolute, or that hold a name twice are refused
// with their own code and the previous file kept; a PDF inside reaches
// reviewers without its active content; a UTF-16 README naming an author
// holds the material.
func TestSupplementaryZipChecked(t *testing.T) {
	t.Parallel()
	w, ids, tok := heldPaper(t)
	rex, id := tok["rev@example.org"], ids[0]
	put := func(body []byte) *struct {
		status int
		body   []byte
	} {
		r := w.s.As(t, w.author, "PUT", fmt.Sprintf("/api/v1/submissions/%d/supplementary", id), body, "Content-Type", "application/zip")
		return &struct {
			status int
			body   []byte
		}{r.StatusCode, r.Body}
	}
	first := zipOf(t, map[string][]byte{"code/train.py": []byte("print('hello')\n")})
	if r := put(first); r.status != 200 {
		t.Fatalf("clean zip: %s", r.body)
	}
	code := "import torch\n"
	for _, c := range []struct {
		name string
		zip  []byte
		code string
	}{
		{"the local header names a co-author", rawZipOf(zipEntryRaw{"src/model.py", "src/amueller.py", code}), "zip_headers_disagree"},
		{"zip-slip", rawZipOf(zipEntryRaw{"../../../../tmp/x.sh", "../../../../tmp/x.sh", code}), "zip_unsafe_path"},
		{"absolute", rawZipOf(zipEntryRaw{"/etc/passwd", "/etc/passwd", code}), "zip_unsafe_path"},
		{"a name twice", rawZipOf(zipEntryRaw{"a.py", "a.py", code}, zipEntryRaw{"a.py", "a.py", "x = 2\n"}), "zip_duplicate_name"},
	} {
		r := w.s.As(t, w.author, "PUT", fmt.Sprintf("/api/v1/submissions/%d/supplementary", id), c.zip, "Content-Type", "application/zip")
		if pb := expectProblem(t, r, 422, c.code); !strings.Contains(fmt.Sprint(pb["detail"]), "previous version is unchanged") {
			t.Errorf("%s: detail %v", c.name, pb["detail"])
		}
		if got := w.s.As(t, w.author, "GET", fmt.Sprintf("/api/v1/submissions/%d/supplementary", id), nil); sha(got.Body) != sha(first) {
			t.Errorf("%s: the previous file was not kept", c.name)
		}
	}

	// A PDF with active content inside: the reviewer's archive has it
	// cleaned; the author's is as uploaded.
	withPDF := zipOf(t, map[string][]byte{"appendix.pdf": corpus(t, "active.pdf"), "code/run.py": []byte("print(1)\n")})
	if r := put(withPDF); r.status != 200 {
		t.Fatalf("zip with a PDF: %s", r.body)
	}
	if got := w.s.As(t, w.author, "GET", fmt.Sprintf("/api/v1/submissions/%d/supplementary", id), nil); sha(got.Body) != sha(withPDF) {
		t.Error("the author does not get the archive as uploaded")
	}
	r := w.s.As(t, rex, "GET", fmt.Sprintf("/api/v1/submissions/%d/supplementary", id), nil)
	if r.StatusCode != 200 {
		t.Fatalf("reviewer: %s", r.Status)
	}
	zr, err := zip.NewReader(bytes.NewReader(r.Body), int64(len(r.Body)))
	if err != nil {
		t.Fatalf("the reviewer's archive: %v", err)
	}
	found := false
	for _, f := range zr.File {
		if f.Name == "appendix.pdf" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			_ = rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			expectNoActive(t, "the PDF in the reviewers' archive", b)
			found = true
		}
	}
	if !found || len(zr.File) != 2 {
		t.Errorf("the reviewer's archive lost entries: %d", len(zr.File))
	}

	// A README in UTF-16 naming an author holds the material.
	readme := []byte{0xff, 0xfe}
	for _, c := range "Code by Alice Müller\r\n" {
		readme = append(readme, byte(c), byte(c>>8))
	}
	if r := put(zipOf(t, map[string][]byte{"README.txt": readme})); r.status != 200 || !bytes.Contains(r.body, []byte(`"supplementary_held":true`)) {
		t.Errorf("a UTF-16 README naming the author: %s", r.body)
	}
	expectProblem(t, w.s.As(t, rex, "GET", fmt.Sprintf("/api/v1/submissions/%d/supplementary", id), nil), 403, "anonymity_hold")
}

// TestDemoActiveContentCleaned: the demo paper that runs a script when
// opened is reported, not held, and its reviewers' copy is clean.
func TestDemoActiveContentCleaned(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("loading the demo runs 43 PDF checks")
	}
	s := apptest.Start(t, apptest.Options{Env: map[string]string{"QUIRE_DEMO": "true"}})
	chair := s.Session(t, demo.Chair.Email).Access
	var subs []struct {
		ID    int64  `json:"id"`
		Title string `json:"title"`
	}
	s.As(t, chair, "GET", "/api/v1/venues/dlde-2023/submissions", nil).JSON(t, &subs)
	var id int64
	for _, x := range subs {
		if strings.HasPrefix(x.Title, "Fourier Neural Operators for Super-Resolution") {
			id = x.ID
		}
	}
	if id == 0 {
		t.Fatal("the demo paper with a script is missing")
	}
	var sub struct {
		Report struct {
			Leaks []struct{ Code, Message string }
		}
		Anonymity struct{ Held bool }
	}
	s.As(t, chair, "GET", fmt.Sprintf("/api/v1/submissions/%d", id), nil).JSON(t, &sub)
	if len(sub.Report.Leaks) != 1 || sub.Report.Leaks[0].Code != "active_content" || sub.Anonymity.Held {
		t.Errorf("report %+v, held %v; want the script named and nothing held", sub.Report.Leaks, sub.Anonymity.Held)
	}
	orig := s.As(t, chair, "GET", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), nil)
	if !strings.Contains(qpdfJSON(t, orig.Body), `"/OpenAction"`) {
		t.Fatal("the demo's original has no open action: the check below proves nothing")
	}
	copyOf := s.As(t, chair, "GET", fmt.Sprintf("/api/v1/submissions/%d/pdf?copy=anonymised", id), nil)
	if copyOf.StatusCode != 200 {
		t.Fatalf("copy: %s", copyOf.Status)
	}
	expectNoActive(t, "the demo paper's reviewers' copy", copyOf.Body)
}
