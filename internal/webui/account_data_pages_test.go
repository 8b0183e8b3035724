package webui_test

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/app/apptest"
)

// TestExportDataWithoutScript: the profile links to the export, which is a
// ZIP holding the person's own account and not another's; a stranger is
// sent to sign in.
func TestExportDataWithoutScript(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "ada@uni.example", "Ada", false)
	s.CreateUser(t, "bob@uni.example", "Bob", false)
	b := newBrowser(t, s)
	b.signIn("ada@uni.example", apptest.Password)
	if p := b.get("/profile"); !strings.Contains(p.body, `href="/account/export"`) {
		t.Fatalf("the profile has no export link: %s", p.body)
	}
	p := b.get("/account/export")
	if p.status != 200 || p.header.Get("Content-Type") != "application/zip" || !strings.HasPrefix(p.header.Get("Content-Disposition"), "attachment;") {
		t.Fatalf("export: %d %v", p.status, p.header)
	}
	z, err := zip.NewReader(strings.NewReader(p.body), int64(len(p.body)))
	if err != nil {
		t.Fatalf("not a ZIP: %v", err)
	}
	var account []byte
	for _, f := range z.File {
		if f.Name == "account.json" {
			rc, _ := f.Open()
			account, _ = io.ReadAll(rc)
			_ = rc.Close()
		}
	}
	if !bytes.Contains(account, []byte(`"ada@uni.example"`)) || bytes.Contains(account, []byte("bob@uni.example")) {
		t.Fatalf("account.json: %s", account)
	}
	if p := newBrowser(t, s).get("/account/export"); p.status != 303 || !strings.HasPrefix(p.location, "/login") {
		t.Fatalf("anonymous export: %d %q", p.status, p.location)
	}
}

// TestDeleteAccountWithoutScript: the form wants the box ticked and the
// right password; then Ada is signed out, cannot sign in again, and her
// address registers anew.
func TestDeleteAccountWithoutScript(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "ada@uni.example", "Ada", false)
	b := newBrowser(t, s)
	b.signIn("ada@uni.example", apptest.Password)
	mustContain(t, b.get("/profile"), `href="/account/delete"`)
	mustContain(t, b.get("/account/delete"), "Delete your account", "What the venues keep", `name="password"`)
	if p := b.post("/account/delete", url.Values{"csrf": {b.csrf()}, "password": {apptest.Password}}); p.status != http.StatusBadRequest || !strings.Contains(p.body, "Tick the box") {
		t.Fatalf("without the box: %d", p.status)
	}
	if p := b.post("/account/delete", url.Values{"csrf": {b.csrf()}, "password": {"wrong horse"}, "confirm": {"yes"}}); p.status != http.StatusBadRequest || !strings.Contains(p.body, "f-password-error") {
		t.Fatalf("a wrong password: %d %s", p.status, p.body)
	}
	if p := b.post("/account/delete", url.Values{"password": {apptest.Password}, "confirm": {"yes"}}); p.status == http.StatusOK {
		t.Fatal("deleted without the CSRF token")
	}
	p := b.post("/account/delete", url.Values{"csrf": {b.csrf()}, "password": {apptest.Password}, "confirm": {"yes"}})
	mustContain(t, p, "Your account is deleted")
	if p := b.get("/profile"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login") {
		t.Fatalf("still signed in: %d %s", p.status, p.location)
	}
	if r := s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "ada@uni.example", "password": apptest.Password}); r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("sign-in after deletion: %d", r.StatusCode)
	}
	if r := s.Do(t, "POST", "/api/v1/auth/register", map[string]any{"email": "ada@uni.example", "name": "Ada Anew", "password": "a brand new long password"}); r.StatusCode != http.StatusAccepted {
		t.Fatalf("register anew: %d %s", r.StatusCode, r.Body)
	}
}
