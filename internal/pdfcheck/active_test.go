package pdfcheck

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The active-content corpus is built by testdata/src/active.py with qpdf
// from exact4.pdf: active.pdf (every kind, inside object streams),
// revision.pdf (a Launch only an earlier revision holds) and hidden.pdf
// (the authors named in every place outside the page text).

// TestActiveContentNamed checks that each kind is named, with the hook
// that fires it where there is one.
func TestActiveContentNamed(t *testing.T) {
	t.Parallel()
	checker := testChecker(t, "1", CheckerOptions{})
	tests := []struct {
		file string
		want []string // substrings of some active_content message each
	}{
		{"active", []string{
			"runs JavaScript when the file is opened",
			"SubmitForm action) when a page is opened",
			"Launch action) when a page is closed",
			"opens a web address by itself (URI action on a hook) when the file is closed",
			"GoToR", "GoToE", "ImportData", "rich media", "3D model", "XFA form",
		}},
		{"revision", []string{"Launch action"}},
		{"orphan", []string{"Launch action"}},
		{"hidden", []string{"runs JavaScript when the file is opened"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			rep, err := checker.Check(context.Background(), "testdata/"+tt.file+".pdf", DefaultRules(), alice, "")
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			var msgs []string
			for _, f := range rep.Leaks {
				if f.Code == "active_content" {
					msgs = append(msgs, f.Message)
					if f.InText {
						t.Errorf("active content holds the paper, but the copy removes it: %+v", f)
					}
					if !strings.HasSuffix(f.Message, "reviewers get a copy without it") {
						t.Errorf("message does not say what reviewers get: %q", f.Message)
					}
				}
			}
			for _, w := range tt.want {
				if !slices.ContainsFunc(msgs, func(m string) bool { return strings.Contains(m, w) }) {
					t.Errorf("no active_content finding says %q; got %q", w, msgs)
				}
			}
		})
	}
	// The Launch of revision.pdf is gone from the current file: only the
	// bytes of the earlier revision tell of it.
	rep, err := checker.Check(context.Background(), "testdata/revision.pdf", DefaultRules(), alice, "")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(rep.Leaks, func(f Finding) bool {
		return f.Code == "active_content" && strings.Contains(f.Where, "earlier revision")
	}) || !hasCode(rep.Leaks, "incremental_revisions") {
		t.Errorf("the earlier revision's Launch is not named: %+v", rep.Leaks)
	}
}

// TestHiddenTextHolds checks that a name in each place outside the page
// text is found and holds the paper (InText), and that a plain paper with
// hyperref's links, bookmarks and destinations is not held.
func TestHiddenTextHolds(t *testing.T) {
	t.Parallel()
	checker := testChecker(t, "1", CheckerOptions{})
	rep, err := checker.Check(context.Background(), "testdata/hidden.pdf", DefaultRules(), alice, "")
	if err != nil {
		t.Fatal(err)
	}
	places := []string{"comment text (/Contents)", "comment author (/T)", "popup note", "form field (/V)",
		"bookmark (outline) title", "link target", "named destination", "JavaScript source",
		"attachment name", "layer name", "page label"}
	for _, p := range places {
		if !slices.ContainsFunc(rep.Leaks, func(f Finding) bool { return strings.HasPrefix(f.Where, p) && f.InText }) {
			t.Errorf("no holding finding in %q: %+v", p, rep.Leaks)
		}
	}
	for _, code := range []string{"author_email", "mailto_link"} {
		if !hasCode(rep.Leaks, code) {
			t.Errorf("no %s finding", code)
		}
	}
	if !slices.ContainsFunc(rep.Leaks, func(f Finding) bool { return strings.Contains(f.Message, "github.com/amueller") }) {
		t.Error("the link to the author's GitHub page is not found")
	}
	// Chapter and section bookmarks, hyperref's destinations and links:
	// nothing of the authors, nothing held.
	for _, file := range []string{"exact4", "sixpage", "twocol"} {
		rep, err := checker.Check(context.Background(), "testdata/"+file+".pdf", benchRules(), alice, "")
		if err != nil && !IsRefusal(err) {
			t.Fatal(err)
		}
		for _, f := range rep.Leaks {
			if f.InText && f.Page == 0 {
				t.Errorf("%s: held for %+v", file, f)
			}
		}
	}
}

// TestReviewersCopyClean reads the reviewers' copies back with qpdf: no
// action but a clicked web link or a jump inside the file, no comment,
// form, script, attachment, hook or name of the authors anywhere, and a
// file qpdf finds sound. Page text is unchanged where no form drew on it.
func TestReviewersCopyClean(t *testing.T) {
	t.Parallel()
	checker := testChecker(t, "1", CheckerOptions{})
	for _, file := range []string{"active", "revision", "hidden", "orphan"} {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			in := "testdata/" + file + ".pdf"
			out := filepath.Join(t.TempDir(), "copy.pdf")
			rep, err := checker.Check(context.Background(), in, DefaultRules(), alice, out)
			if err != nil || !rep.Anonymised {
				t.Fatalf("Check: %v (anonymised %v)", err, rep.Anonymised)
			}
			if msg := run(t, "qpdf", "--check", out); !strings.Contains(msg, "No syntax or stream encoding errors") {
				t.Fatalf("qpdf --check: %s", msg)
			}
			if file != "hidden" {
				if a, b := run(t, "pdftotext", "-layout", in, "-"), run(t, "pdftotext", "-layout", out, "-"); a != b {
					t.Error("page text changed")
				}
			}
			checkObjects(t, out)
			checkNoActive(t, out)
		})
	}
}

// checkNoActive walks every object of file as qpdf decodes it.
func checkNoActive(t *testing.T, file string) {
	t.Helper()
	raw := run(t, "qpdf", "--json=2", "--json-key=qpdf", "--decode-level=all", "--json-stream-data=none", file)
	var doc struct {
		QPDF []map[string]any `json:"qpdf"`
	}
	if err := json.Unmarshal([]byte(raw), &doc); err != nil || len(doc.QPDF) < 2 {
		t.Fatalf("qpdf json: %v", err)
	}
	bannedKeys := map[string]bool{"/JS": true, "/AA": true, "/OpenAction": true, "/XFA": true, "/AcroForm": true,
		"/RichMediaContent": true, "/3DD": true, "/Popup": true}
	bannedNames := map[string]bool{"/JavaScript": true, "/Launch": true, "/SubmitForm": true, "/ImportData": true,
		"/GoToR": true, "/GoToE": true, "/RichMedia": true, "/3D": true, "/Widget": true, "/Popup": true,
		"/Rendition": true, "/Screen": true}
	var walk func(where, key string, v any)
	walk = func(where, key string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if x["/Subtype"] != nil && x["/Rect"] != nil && x["/Subtype"] != "/Link" {
				t.Errorf("%s: annotation %v kept", where, x["/Subtype"])
			}
			if x["/Next"] != nil && x["/S"] != nil {
				t.Errorf("%s: chained action kept", where)
			}
			if u, ok := x["/URI"].(string); ok && strings.HasPrefix(strings.ToLower(decodeQPDFString(u)), "mailto:") {
				t.Errorf("%s: mailto link kept", where)
			}
			for k, e := range x {
				if bannedKeys[k] {
					t.Errorf("%s: key %s kept", where, k)
				}
				walk(where, k, e)
			}
		case []any:
			for _, e := range x {
				walk(where, key, e)
			}
		case string:
			if bannedNames[x] && key != "/ProcSet" {
				t.Errorf("%s: %s kept (under %s)", where, x, key)
			}
			if s := strings.ToLower(decodeQPDFString(x)); strings.Contains(s, "chen") || strings.Contains(s, "amueller") ||
				strings.Contains(s, "tuebingen") {
				t.Errorf("%s: identifying string %q", where, s)
			}
		}
	}
	for obj, v := range doc.QPDF[1] {
		walk(obj, "", v)
	}
}

// TestActiveOriginals guards the tests above: the originals carry what
// their copies must not.
func TestActiveOriginals(t *testing.T) {
	t.Parallel()
	raw := run(t, "qpdf", "--json=2", "--json-key=qpdf", "--decode-level=all", "--json-stream-data=none", "testdata/active.pdf")
	for _, want := range []string{"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/RichMedia", "/3D", "/XFA", "/OpenAction", "/AA"} {
		if !strings.Contains(raw, `"`+want+`"`) {
			t.Errorf("active.pdf has no %s: the corpus no longer tests it", want)
		}
	}
	if n := strings.Count(run(t, "qpdf", "--show-xref", "testdata/active.pdf"), "compressed; stream ="); n < 10 {
		t.Errorf("active.pdf keeps only %d objects in object streams", n)
	}
	// orphan.pdf's Launch is compressed in an object stream nothing
	// refers to: its bytes do not say it.
	if b, err := os.ReadFile("testdata/orphan.pdf"); err != nil || bytes.Contains(b, []byte("Launch")) {
		t.Errorf("orphan.pdf shows its Launch in plain bytes (%v)", err)
	}
	if !strings.Contains(run(t, "qpdf", "--show-object=45", "testdata/orphan.pdf"), "/Launch") {
		t.Error("orphan.pdf's object 45 is no Launch action")
	}
	raw = run(t, "qpdf", "--json=2", "--json-key=qpdf", "--decode-level=all", "--json-stream-data=none", "testdata/hidden.pdf")
	for _, want := range []string{"Bo Chen", "mailto:", "amueller", "/Outlines", "/PageLabels", "/OCProperties", "/Popup"} {
		if !strings.Contains(raw, want) {
			t.Errorf("hidden.pdf has no %s: the corpus no longer tests it", want)
		}
	}
}

// TestCLIReviewersCopy: `quire pdfcheck --reviewers-copy OUT` names the
// active content and writes the copy reviewers would get.
func TestCLIReviewersCopy(t *testing.T) {
	t.Parallel()
	c := testChecker(t, "1", CheckerOptions{})
	dir := t.TempDir()
	var out, errb bytes.Buffer
	code := runCLI([]string{"--authors", "Alice Müller;Bo Chen", "--reviewers-copy", dir, "testdata/active.pdf", "testdata/hidden.pdf"}, &out, &errb, c.opts)
	if code != 0 {
		t.Fatalf("exit %d; %s", code, errb.String())
	}
	for _, want := range []string{"active_content: this file runs JavaScript when the file is opened",
		"reviewers' copy written to " + filepath.Join(dir, "active.pdf"), "bookmark (outline) title"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	checkNoActive(t, filepath.Join(dir, "active.pdf"))
	checkNoActive(t, filepath.Join(dir, "hidden.pdf"))
	out.Reset()
	errb.Reset()
	if code := runCLI([]string{"--reviewers-copy", filepath.Join(dir, "none.pdf"), "testdata/active.pdf", "testdata/hidden.pdf"}, &out, &errb, c.opts); code != 2 {
		t.Errorf("two files into one copy: exit %d, want 2", code)
	}
}

// TestCLIArchive: `quire pdfcheck` checks a supplementary ZIP as the
// upload does: refused for a climbing name, and for one with a PDF
// inside, the copy written with that PDF cleaned.
func TestCLIArchive(t *testing.T) {
	t.Parallel()
	c := testChecker(t, "1", CheckerOptions{})
	dir := t.TempDir()
	active, err := os.ReadFile("testdata/active.pdf")
	if err != nil {
		t.Fatal(err)
	}
	good, bad := filepath.Join(dir, "good.zip"), filepath.Join(dir, "bad.zip")
	if err := os.WriteFile(good, goZip(t, map[string][]byte{"proofs.pdf": active, "README.txt": utf16LE("by Bo Chen", true)}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, rawZip([]rawEntry{{cdName: "/etc/passwd", data: []byte("x")}}, ""), 0o600); err != nil {
		t.Fatal(err)
	}
	copyDir := filepath.Join(dir, "copies")
	if err := os.Mkdir(copyDir, 0o700); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := runCLI([]string{"--authors", "Bo Chen", "--reviewers-copy", copyDir, good, bad}, &out, &errb, c.opts); code != 1 {
		t.Fatalf("exit %d, want 1 (one refused); %s", code, errb.String())
	}
	for _, want := range []string{"REFUSED  zip_unsafe_path", "removed  active_content: this file runs JavaScript",
		"holds    author_name", "archive: README.txt", "verdict  held from reviewers", "reviewers' copy written to " + filepath.Join(copyDir, "good.zip")} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	zr, err := zip.OpenReader(filepath.Join(copyDir, "good.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = zr.Close() }()
	for _, f := range zr.File {
		if f.Name == "proofs.pdf" {
			b, err := readEntry(f, 1<<30)
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, "proofs.pdf")
			if err := os.WriteFile(p, b, 0o600); err != nil {
				t.Fatal(err)
			}
			checkNoActive(t, p)
		}
	}
}
