package webui_test

import (
	"archive/zip"
	"bytes"
	"io"
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
