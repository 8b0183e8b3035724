package webui_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
)

// afterTheSubmissionDeadline is past DLDE III's deadline (2023-10-08 AoE)
// and its half hour of grace.
var afterTheSubmissionDeadline = time.Date(2023, 10, 9, 13, 0, 0, 0, time.UTC)

// newPaper signs Ada in and creates her submission through the form; it
// returns her browser and the submission's page.
func newPaper(t *testing.T, s *apptest.Server) (*browser, string) {
	t.Helper()
	s.CreateUser(t, "ada@uni.example", "Ada Author", false)
	b := newBrowser(t, s)
	b.signIn("ada@uni.example", apptest.Password)
	p := b.post("/venues/dlde-2023/submit", paperForm(b.csrf()))
	m := submissionURL.FindStringSubmatch(p.location)
	if m == nil {
		t.Fatalf("create: %d %q %s", p.status, p.location, p.body)
	}
	return b, "/submissions/" + m[1]
}

// uploadBytes sends a one-file form with the given content, as a browser
// without script does: the CSRF field first, then the file.
func (b *browser) uploadBytes(path, field, csrf, name string, data []byte) page {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if csrf != "" {
		_ = mw.WriteField("csrf", csrf)
	}
	fw, err := mw.CreateFormFile(field, name)
	if err != nil {
		b.t.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, b.s.URL+path, &buf)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

// zipOf is a ZIP archive holding one text file.
func zipOf(t testing.TB, name, text string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(text)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// editForm is the details form as the edit page fills it in, changed.
func editForm(csrf string) url.Values {
	f := paperForm(csrf)
	f.Set("title", "Learned Step Sizes for Neural ODEs")
	f.Set("keywords", "neural ODEs, adaptive solvers")
	return f
}

func TestAuthorEditsTheDetailsWithoutScript(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	b, sub := newPaper(t, s)

	mustContain(t, b.get(sub), `href="`+sub+`/edit"`, "Edit the details")
	form := b.get(sub + "/edit")
	if form.status != http.StatusOK {
		t.Fatalf("the edit form: %d", form.status)
	}
	mustContain(t, form, "Edit the details of submission #1", `action="`+sub+`/edit"`, `value="Neural ODEs with Learned Step Sizes"`,
		">We learn step sizes.</textarea>", `value="Bob Coauthor"`, `value="bob@lab.example"`, `id="f-authors-5-name"`,
		`value="neural differential equations, hypersolvers"`, `<option value="new-work" selected>`, "Save the details")

	if p := b.post(sub+"/edit", editForm("")); p.status != http.StatusForbidden {
		t.Errorf("an edit without CSRF: %d", p.status)
	}
	// The service's complaints land by their fields, on the row typed in,
	// and nothing changes.
	bad := editForm(b.csrf())
	bad.Set("title", " ")
	bad.Del("declaration")
	bad["author_email"][2] = "bob-at-lab"
	p := b.post(sub+"/edit", bad)
	if p.status != http.StatusBadRequest {
		t.Errorf("a bad edit: %d", p.status)
	}
	mustContain(t, p, `id="f-title-error"`, `id="f-declaration-error"`, `id="f-authors-2-email-error"`, `href="#f-authors-2-email"`,
		`value="bob-at-lab"`, `value="neural ODEs, adaptive solvers"`, "Please correct the 3 problems below.", `action="`+sub+`/edit"`)
	mustContain(t, b.get(sub), "<h1>Neural ODEs with Learned Step Sizes</h1>", "neural differential equations, hypersolvers")

	p = b.post(sub+"/edit", editForm(b.csrf()))
	if p.status != http.StatusSeeOther || p.location != sub+"?edited=1" {
		t.Fatalf("the edit: %d %q %s", p.status, p.location, p.body)
	}
	after := b.get(p.location)
	mustContain(t, after, "The details were saved.", "<h1>Learned Step Sizes for Neural ODEs</h1>", "neural ODEs, adaptive solvers", "Bob Coauthor")
	mustContain(t, b.get(sub+"/history"), "Revision 1: Details edited", "Learned Step Sizes for Neural ODEs")

	// Someone else can neither see nor send the form.
	s.CreateUser(t, "eve@elsewhere.example", "Eve", false)
	eve := newBrowser(t, s)
	eve.signIn("eve@elsewhere.example", apptest.Password)
	if p := eve.get(sub + "/edit"); p.status != http.StatusNotFound {
		t.Errorf("a stranger's edit form: %d", p.status)
	}
	if p := eve.post(sub+"/edit", editForm(eve.csrf())); p.status != http.StatusNotFound {
		t.Errorf("a stranger's edit: %d", p.status)
	}

	// After the deadline the page says so instead of offering the form,
	// and a form sent anyway changes nothing.
	s.Clock.Set(afterTheSubmissionDeadline)
	b.signIn("ada@uni.example", apptest.Password)
	closed := b.get(sub)
	mustContain(t, closed, "The details can no longer be changed.", "The submission deadline has passed", "unless the chairs give this submission an extension")
	for _, gone := range []string{`href="` + sub + `/edit"`, `action="` + sub + `/pdf"`, `action="` + sub + `/supplementary"`} {
		if strings.Contains(closed.body, gone) {
			t.Errorf("after the deadline the page still has %s", gone)
		}
	}
	late := b.get(sub + "/edit")
	mustContain(t, late, "data-closed", "The submission deadline has passed")
	if strings.Contains(late.body, `action="`+sub+`/edit"`) {
		t.Error("after the deadline the edit page still has its form")
	}
	again := editForm(b.csrf())
	again.Set("title", "Too Late a Title")
	if p := b.post(sub+"/edit", again); p.status != http.StatusForbidden || !strings.Contains(p.body, "The submission deadline has passed") {
		t.Errorf("an edit after the deadline: %d", p.status)
	}
	mustContain(t, b.get(sub), "<h1>Learned Step Sizes for Neural ODEs</h1>")
}

func TestAuthorDownloadsTheirPDFWithoutScript(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	b, sub := newPaper(t, s)
	if p := b.get(sub); !strings.Contains(p.body, "No PDF yet") || strings.Contains(p.body, "data-pdf-link") {
		t.Errorf("before an upload the page offers a PDF:\n%s", p.body)
	}
	if p := b.upload(sub+"/pdf", b.csrf(), "midpage4.pdf"); p.status != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", p.status, p.body)
	}
	id := strings.TrimPrefix(sub, "/submissions/")
	mustContain(t, b.get(sub), `href="/api/v1/submissions/`+id+`/pdf" data-pdf-link`, `href="/api/v1/submissions/`+id+`/pdf?copy=anonymised"`)

	want, err := os.ReadFile(filepath.Join("..", "pdfcheck", "testdata", "midpage4.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	// The links are the API's, answered from the browser's cookies.
	pdf := b.get("/api/v1/submissions/" + id + "/pdf")
	if pdf.status != http.StatusOK || pdf.header.Get("Content-Type") != "application/pdf" || pdf.body != string(want) {
		t.Errorf("the PDF link: %d %s, %d bytes of %d", pdf.status, pdf.header.Get("Content-Type"), len(pdf.body), len(want))
	}
	anon := b.get("/api/v1/submissions/" + id + "/pdf?copy=anonymised")
	if anon.status != http.StatusOK || anon.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(anon.body, "%PDF-") {
		t.Errorf("the reviewers' copy: %d %s", anon.status, anon.header.Get("Content-Type"))
	}
	// A stranger's browser gets nothing.
	s.CreateUser(t, "eve@elsewhere.example", "Eve", false)
	eve := newBrowser(t, s)
	eve.signIn("eve@elsewhere.example", apptest.Password)
	if p := eve.get("/api/v1/submissions/" + id + "/pdf"); p.status != http.StatusNotFound {
		t.Errorf("a stranger's download: %d", p.status)
	}
}

func TestAuthorUploadsSupplementaryWithoutScript(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	b, sub := newPaper(t, s)
	id := strings.TrimPrefix(sub, "/submissions/")
	mustContain(t, b.get(sub), "data-supplementary", "None yet.", `action="`+sub+`/supplementary"`, "At most 50 MiB.")

	text := []byte("proof sketch, as plain text")
	if p := b.uploadBytes(sub+"/supplementary", "supplementary", "", "proof.txt", text); p.status != http.StatusForbidden {
		t.Errorf("an upload without CSRF: %d", p.status)
	}
	if p := b.uploadBytes(sub+"/supplementary", "other", b.csrf(), "proof.txt", text); p.status != http.StatusBadRequest ||
		!strings.Contains(p.body, `id="f-supplementary-error"`) {
		t.Errorf("a form without the file: %d", p.status)
	}
	// Neither a PDF nor a ZIP: refused, nothing stored.
	p := b.uploadBytes(sub+"/supplementary", "supplementary", b.csrf(), "proof.txt", text)
	if p.status != http.StatusUnprocessableEntity {
		t.Errorf("a text file: %d", p.status)
	}
	mustContain(t, p, "data-supp-refused", "Upload refused", "Supplementary material must be a PDF or a ZIP file",
		"Nothing was stored: this submission still has no supplementary material.")

	archive := zipOf(t, "proof.txt", "The full proof of Theorem 2, by induction on the step count.")
	p = b.uploadBytes(sub+"/supplementary", "supplementary", b.csrf(), "proofs.zip", archive)
	if p.status != http.StatusSeeOther || p.location != sub+"?supplementary=1#supplementary" {
		t.Fatalf("a ZIP: %d %q %s", p.status, p.location, p.body)
	}
	size := fmt.Sprintf("%d bytes", len(archive))
	mustContain(t, b.get(p.location), "Your supplementary material was accepted", "The current one is a ZIP archive of "+size,
		"The check found no names of the authors in it.", `href="/api/v1/submissions/`+id+`/supplementary" data-supp-link`)

	// Refused again: the ZIP stands, and the page says so.
	p = b.uploadBytes(sub+"/supplementary", "supplementary", b.csrf(), "proof.txt", text)
	if p.status != http.StatusUnprocessableEntity {
		t.Errorf("a text file over the ZIP: %d", p.status)
	}
	mustContain(t, p, "Upload refused", "Your previous supplementary material is unchanged and still counts.", "The current one is a ZIP archive of "+size)
	got := b.get("/api/v1/submissions/" + id + "/supplementary")
	if got.status != http.StatusOK || got.body != string(archive) {
		t.Errorf("the supplementary link after a refused upload: %d, %d bytes of %d", got.status, len(got.body), len(archive))
	}

	// An archive that names its authors is taken, and held from the
	// reviewers with what was found.
	named := zipOf(t, "README.txt", "Code by Ada Author, University of Examples.")
	if p := b.uploadBytes(sub+"/supplementary", "supplementary", b.csrf(), "code.zip", named); p.status != http.StatusSeeOther {
		t.Fatalf("a ZIP naming Ada: %d %s", p.status, p.body)
	}
	mustContain(t, b.get(sub), "The check found what may name the authors:", "archive: README.txt", "data-hold")
	mustContain(t, b.get(sub+"/history"), "Supplementary material")
}

func TestAnAcceptedPaperShowsItsDecisionAndNoWithdrawal(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	id := releasedWorld(t, s, "accept-poster")
	sub := fmt.Sprintf("/submissions/%d", id)
	b := newBrowser(t, s)
	b.signIn("ada@uni.example", apptest.Password)
	p := b.get(sub)
	mustContain(t, p, `data-status="accepted">Accepted as a poster</dd>`, "Camera-ready version", `href="/api/v1/submissions/`+fmt.Sprint(id)+`/pdf"`,
		"data-withdraw-accepted")
	for _, gone := range []string{"Withdraw this submission", `data-status="submitted"`, `href="` + sub + `/edit"`, `action="` + sub + `/supplementary"`, `action="` + sub + `/pdf"`} {
		if strings.Contains(p.body, gone) {
			t.Errorf("the accepted paper's page has %s", gone)
		}
	}
	mine := b.get("/submissions")
	mustContain(t, mine, `status-accepted">Accepted as a poster`)
	if strings.Contains(mine.body, "status-submitted") {
		t.Error("my submissions still call the accepted paper submitted")
	}
}
