package webui_test

import (
	"archive/zip"
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/openreview"
)

// postImport sends the console's import form as a browser without script
// does.
func (b *browser) postImport(venue string, files map[string][]byte) page {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf", b.csrf())
	_ = mw.WriteField("venue", venue)
	for field, data := range files {
		fw, err := mw.CreateFormFile(field, field+".bin")
		if err != nil {
			b.t.Fatal(err)
		}
		_, _ = fw.Write(data)
	}
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, b.s.URL+"/admin/openreview-imports", &buf)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

// TestOpenReviewImportRefusalsWithoutScript: every refusal is said on the
// console's form, with its status, and imports nothing.
func TestOpenReviewImportRefusalsWithoutScript(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	b := newBrowser(t, s)
	b.signIn("admin@example.org", apptest.Password)
	cases := []struct {
		name   string
		venue  string
		files  map[string][]byte
		status int
		says   string
	}{
		{"no file", "dlde-2023", nil, http.StatusBadRequest, "Choose the JSON file of notes"},
		{"not JSON", "dlde-2023", map[string][]byte{"notes": []byte("title,abstract\n")}, http.StatusBadRequest, "The file is not JSON"},
		{"no submissions", "dlde-2023", map[string][]byte{"notes": []byte(`[{"id": "r1", "forum": "x", "replyto": "x", "invitations": ["V/Submission1/-/Official_Review"]}]`)},
			http.StatusBadRequest, "no submission notes"},
		{"a broken ZIP", "dlde-2023", map[string][]byte{"notes": []byte(orNotes), "pdfs": []byte("PK not a zip")}, http.StatusBadRequest, "not a readable ZIP"},
		{"a broken map", "dlde-2023", map[string][]byte{"notes": []byte(orNotes), "profiles": []byte("id,email\nx,not-an-email\n")}, http.StatusBadRequest, "is not an email address"},
		{"no such venue", "nowhere", map[string][]byte{"notes": []byte(orNotes)}, http.StatusNotFound, "Nothing was imported"},
		{"too large", "dlde-2023", map[string][]byte{"notes": bytes.Repeat([]byte(" "), int(s.App.Config.MaxUploadBytes)+1)}, http.StatusRequestEntityTooLarge, "larger than"},
	}
	for _, c := range cases {
		p := b.postImport(c.venue, c.files)
		if p.status != c.status || !strings.Contains(p.body, c.says) {
			t.Errorf("%s: %d, want %d saying %q:\n%s", c.name, p.status, c.status, c.says, p.body)
		}
		if c.status != http.StatusRequestEntityTooLarge && !strings.Contains(p.body, "Nothing was imported") {
			t.Errorf("%s: the form does not say that nothing was imported", c.name)
		}
	}
	var n int
	if err := s.App.Pool.QueryRow(context.Background(), `SELECT count(*) FROM submissions`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d submissions after refusals (%v)", n, err)
	}
	// Someone who is neither an administrator nor the venue's chair.
	s.CreateUser(t, "someone@example.org", "Someone", false)
	o := newBrowser(t, s)
	o.signIn("someone@example.org", apptest.Password)
	if p := o.postImport("dlde-2023", map[string][]byte{"notes": []byte(orNotes)}); p.status != http.StatusForbidden {
		t.Fatalf("someone imports: %d", p.status)
	}
	// Nor the venue's chair, who is no administrator: the console is not
	// theirs (they import with the command), and nothing is imported.
	ch := newBrowser(t, s)
	ch.signIn("chair@example.org", apptest.Password)
	if p := ch.postImport("dlde-2023", map[string][]byte{"notes": []byte(orNotes)}); p.status != http.StatusForbidden {
		t.Fatalf("the chair imports in the console: %d", p.status)
	}
	if err := s.App.Pool.QueryRow(context.Background(), `SELECT count(*) FROM submissions`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d submissions after the chair's refused import (%v)", n, err)
	}
	// The form takes files of an upload's size, not a form's 1 MiB: a
	// venue's notes and PDFs run to megabytes.
	big := append([]byte(orNotes), bytes.Repeat([]byte(" "), 3<<20)...)
	if p := b.postImport("dlde-2023", map[string][]byte{"notes": big}); p.status >= 400 || strings.Contains(p.body, "Nothing was imported") {
		t.Fatalf("a 3 MiB notes file: %d\n%s", p.status, p.body)
	}
}

// TestOpenReviewExportFromTheConsoleImportsAgain: what the console's
// export links hand out is what its import takes: the notes as
// openreview-py writes them, the PDFs in a ZIP under the names the import
// looks for, the profile map; imported again into the same venue they
// update the two papers and add none. Only administrators download them.
func TestOpenReviewExportFromTheConsoleImportsAgain(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "r1@example.org", "Reviewer One", false)
	s.CreateUser(t, "r2@example.org", "Reviewer Two", false)
	profiles := "openreview_id,email\nNeurIPS.cc/2023/Workshop/DLDE/Submission1/Reviewer_Abc1,r1@example.org\nNeurIPS.cc/2023/Workshop/DLDE/Submission2/Reviewer_Xyz9,r2@example.org\n"
	zipped, err := os.ReadFile(pdfZip(t))
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, s)
	b.signIn("admin@example.org", apptest.Password)
	if p := b.postImport("dlde-2023", map[string][]byte{"notes": []byte(orNotes), "pdfs": zipped, "profiles": []byte(profiles)}); p.status != http.StatusOK {
		t.Fatalf("import: %d\n%s", p.status, p.body)
	}
	files := map[string][]byte{}
	for _, f := range []string{"notes.json", "pdfs.zip", "profiles.csv"} {
		p := b.get("/admin/venues/dlde-2023/openreview/" + f)
		if p.status != http.StatusOK {
			t.Fatalf("%s: %d %s", f, p.status, p.body)
		}
		files[f] = []byte(p.body)
	}
	notes, err := openreview.Read(bytes.NewReader(files["notes.json"]), openreview.DefaultLimits)
	if err != nil {
		t.Fatalf("the exported notes do not read back: %v", err)
	}
	subs := 0
	for _, n := range notes {
		if n.Forum == n.ID {
			subs++
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(files["pdfs.zip"]), int64(len(files["pdfs.zip"])))
	if err != nil || len(zr.File) != 1 || zr.File[0].Name != "aBcD1234xy.pdf" {
		t.Fatalf("the exported PDFs: %v %v", err, zr)
	}
	if _, err := openreview.ReadProfiles(bytes.NewReader(files["profiles.csv"])); err != nil || !bytes.Contains(files["profiles.csv"], []byte("r1@example.org")) {
		t.Fatalf("the exported profile map: %v\n%s", err, files["profiles.csv"])
	}
	if subs != 2 {
		t.Fatalf("%d submissions in the exported notes, want 2", subs)
	}
	again := b.postImport("dlde-2023", map[string][]byte{"notes": files["notes.json"], "pdfs": files["pdfs.zip"], "profiles": files["profiles.csv"]})
	if again.status != http.StatusOK || !strings.Contains(again.body, "2 (0 new, 2 updated") {
		t.Fatalf("importing the export again: %d\n%s", again.status, again.body)
	}
	var n int
	if err := s.App.Pool.QueryRow(context.Background(), `SELECT count(*) FROM submissions`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("%d submissions after importing the export again (%v)", n, err)
	}

	ch := newBrowser(t, s)
	ch.signIn("chair@example.org", apptest.Password)
	if p := ch.get("/admin/venues/dlde-2023/openreview/notes.json"); p.status != http.StatusForbidden {
		t.Fatalf("the chair downloads from the console: %d", p.status)
	}
	if p := b.get("/admin/venues/dlde-2023/openreview/secrets.txt"); p.status != http.StatusNotFound {
		t.Fatalf("an unknown export file: %d", p.status)
	}
}
