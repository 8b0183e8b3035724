package webui_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/quirehq/quire/internal/app/apptest"
)

// zipSlip is a stored archive with one entry named to climb out of the
// folder it is unpacked in.
func zipSlip(t *testing.T) string {
	t.Helper()
	name, data := "../../../../tmp/evil.sh", []byte("rm -rf ~\n")
	var b bytes.Buffer
	le := binary.LittleEndian
	h := make([]byte, 30)
	le.PutUint32(h, 0x04034b50)
	le.PutUint16(h[4:], 20)
	le.PutUint32(h[14:], crc32.ChecksumIEEE(data))
	le.PutUint32(h[18:], uint32(len(data)))
	le.PutUint32(h[22:], uint32(len(data)))
	le.PutUint16(h[26:], uint16(len(name)))
	b.Write(h)
	b.WriteString(name)
	b.Write(data)
	cdOff := b.Len()
	c := make([]byte, 46)
	le.PutUint32(c, 0x02014b50)
	le.PutUint16(c[4:], 20)
	le.PutUint16(c[6:], 20)
	copy(c[16:28], h[14:26])
	le.PutUint16(c[28:], uint16(len(name)))
	b.Write(c)
	b.WriteString(name)
	end := make([]byte, 22)
	le.PutUint32(end, 0x06054b50)
	le.PutUint16(end[8:], 1)
	le.PutUint16(end[10:], 1)
	le.PutUint32(end[12:], uint32(46+len(name)))
	le.PutUint32(end[16:], uint32(cdOff))
	b.Write(end)
	p := filepath.Join(t.TempDir(), "supplement.zip")
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestActiveContentInChromium: an author uploads a paper that runs
// JavaScript when opened and reads, in the report, that reviewers get a
// copy without it; a supplementary ZIP whose entry climbs out of its
// folder is refused with the reason, the page saying nothing was stored.
func TestActiveContentInChromium(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "ada@uni.example", "Ada Author", false)
	ada := newBrowser(t, s)
	ada.signIn("ada@uni.example", apptest.Password)
	m := submissionURL.FindStringSubmatch(ada.post("/venues/dlde-2023/submit", paperForm(ada.csrf())).location)
	if m == nil {
		t.Fatal("the submission was not created")
	}
	path := "/submissions/" + m[1]

	tb := newTab(t, s)
	tb.signIn("ada@uni.example", path)
	tb.do("uploading the paper with a script",
		chromedp.WaitVisible(chromedp.CSS("#f-pdf")),
		chromedp.SetUploadFiles(chromedp.CSS("#f-pdf"), []string{corpusFile(t, "active.pdf")}),
		chromedp.Click(chromedp.CSS("form[data-upload] button[type=submit]")))
	tb.see(".notice", "Your new PDF was accepted")
	tb.see("[data-current-report] .leaks", "this file runs JavaScript when the file is opened; reviewers get a copy without it")
	tb.checkAccessibility("the report naming active content")

	tb.do("uploading a ZIP whose entry climbs out",
		chromedp.WaitVisible(chromedp.CSS("#f-supplementary")),
		chromedp.SetUploadFiles(chromedp.CSS("#f-supplementary"), []string{zipSlip(t)}),
		chromedp.Click(chromedp.CSS(`form[action$="/supplementary"] button[type=submit]`)))
	tb.see(`[data-supp-refused][data-refused="zip_unsafe_path"]`, "A name in the ZIP file leaves the folder it is unpacked in.")
	tb.see("[data-supp-refused] [data-unchanged]", "Nothing was stored")
	tb.checkAccessibility("a refused ZIP")
}
