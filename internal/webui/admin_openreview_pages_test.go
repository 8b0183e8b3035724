package webui_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/app/apptest"
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
