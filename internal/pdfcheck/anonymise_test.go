package pdfcheck

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"
)

// TestAnonymisedCopy verifies the reviewers' copy with tools that are not
// ours: pdfinfo for the Info fields and XMP, qpdf for every object, pdftotext
// for the text, which must not change.
func TestAnonymisedCopy(t *testing.T) {
	t.Parallel()
	checker := testChecker(t, "1", CheckerOptions{})
	for _, file := range []string{"leaks", "authorblock", "restricted", "exact4", "word"} {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			in := "testdata/" + file + ".pdf"
			out := filepath.Join(t.TempDir(), "anon.pdf")
			rules := DefaultRules()
			rep, err := checker.Check(context.Background(), in, rules, alice, out)
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if !rep.Anonymised {
				t.Fatal("report says no anonymised copy was written")
			}
			if msg, err := exec.Command("qpdf", "--check", out).CombinedOutput(); err != nil {
				t.Fatalf("qpdf --check: %v\n%s", err, msg)
			}
			info := run(t, "pdfinfo", out)
			for _, field := range []string{"Title", "Subject", "Keywords", "Author", "Creator"} {
				if m := regexp.MustCompile(`(?m)^` + field + `:\s*(\S.*)$`).FindStringSubmatch(info); m != nil {
					t.Errorf("pdfinfo still shows %s: %q", field, m[1])
				}
			}
			for _, want := range []string{"Metadata Stream: no", "Encrypted:       no"} {
				if !strings.Contains(info, want) {
					t.Errorf("pdfinfo lacks %q:\n%s", want, info)
				}
			}
			if got := run(t, "pdfdetach", "-list", out); !strings.HasPrefix(got, "0 embedded files") {
				t.Errorf("attachments survive: %s", got)
			}
			checkObjects(t, out)
			if a, b := run(t, "pdftotext", "-layout", in, "-"), run(t, "pdftotext", "-layout", out, "-"); a != b {
				t.Error("page text changed")
			}
			if a, b := trailerID(t, in), trailerID(t, out); a == b || b == "" {
				t.Errorf("/ID not renewed: %s -> %s", a, b)
			}
		})
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out)
}

func trailerID(t *testing.T, file string) string {
	m := regexp.MustCompile(`/ID \[ ?<([0-9a-f]+)>`).FindStringSubmatch(run(t, "qpdf", "--show-object=trailer", file))
	if m == nil {
		return ""
	}
	return m[1]
}

// checkObjects walks every object qpdf finds in the file (in use or left
// over from an earlier revision) for identifying keys and for the author's
// name in any string, whatever its encoding.
func checkObjects(t *testing.T, file string) {
	t.Helper()
	raw := run(t, "qpdf", "--json=2", "--json-key=qpdf", "--decode-level=none", "--json-stream-data=none", file)
	var doc struct {
		QPDF []map[string]any `json:"qpdf"`
	}
	if err := json.Unmarshal([]byte(raw), &doc); err != nil || len(doc.QPDF) < 2 {
		t.Fatalf("qpdf json: %v", err)
	}
	banned := map[string]bool{"/Metadata": true, "/PieceInfo": true, "/PTEX.FileName": true,
		"/PTEX.InfoDict": true, "/PTEX.PageNumber": true, "/EmbeddedFiles": true, "/AF": true, "/EmbeddedFile": true}
	var walk func(where string, v any)
	walk = func(where string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if st, ok := x["/Subtype"].(string); ok && st != "/Widget" && x["/Rect"] != nil && x["/T"] != nil {
				t.Errorf("%s: annotation author /T %v", where, x["/T"])
			}
			if x["/Subtype"] == "/FileAttachment" {
				t.Errorf("%s: file attachment annotation", where)
			}
			for k, e := range x {
				if banned[k] {
					t.Errorf("%s: key %s survives", where, k)
				}
				walk(where, e)
			}
		case []any:
			for _, e := range x {
				walk(where, e)
			}
		case string:
			if s := strings.ToLower(decodeQPDFString(x)); strings.Contains(s, "alice") ||
				strings.Contains(s, "müller") || strings.Contains(s, "mueller") {
				t.Errorf("%s: identifying string %q", where, s)
			}
		}
	}
	for obj, v := range doc.QPDF[1] {
		walk(obj, v)
	}
}

// decodeQPDFString reads qpdf JSON v2 strings: "u:text" or "b:hex", the
// latter possibly UTF-16 with a BOM.
func decodeQPDFString(s string) string {
	switch {
	case strings.HasPrefix(s, "u:"):
		return s[2:]
	case strings.HasPrefix(s, "b:"):
		b, err := hex.DecodeString(s[2:])
		if err != nil {
			return s
		}
		if len(b) >= 2 && b[0] == 0xfe && b[1] == 0xff {
			u := make([]uint16, 0, len(b)/2)
			for i := 2; i+1 < len(b); i += 2 {
				u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
			}
			return string(utf16.Decode(u))
		}
		return string(b)
	}
	return s
}

// TestOriginalsLeak guards the test above: the same walk over the
// originals must find what the copy no longer has.
func TestOriginalsLeak(t *testing.T) {
	t.Parallel()
	raw := run(t, "qpdf", "--json=2", "--json-key=qpdf", "--decode-level=none", "--json-stream-data=none", "testdata/leaks.pdf")
	for _, want := range []string{"/PTEX.InfoDict", "/Metadata", "/EmbeddedFiles", "\"/T\""} {
		if !strings.Contains(raw, want) {
			t.Errorf("leaks.pdf has no %s: the corpus no longer tests it", want)
		}
	}
	if !strings.Contains(run(t, "pdfinfo", "testdata/leaks.pdf"), "Alice Müller") {
		t.Error("leaks.pdf has no pdfauthor")
	}
}

// The reviewers' copy is written with a cross-reference table, whose
// trailer must count one more than the highest object number.
func TestFixTrailerSize(t *testing.T) {
	body := "%%PDF-1.7\n1 0 obj\n<<>>\nendobj\nxref\n0 2\n0000000000 65535 f\n0000000009 00000 n\n4 2\n0000000000 00000 f\n0000000009 00000 n\ntrailer\n<</Size %s/Root 1 0 R>>\nstartxref\n30\n%%%%EOF\n"
	for size, want := range map[string]string{"9": "6", "6": "6", "12345": "6"} {
		got := string(fixTrailerSize([]byte(fmt.Sprintf(body, size))))
		if got != fmt.Sprintf(body, want) {
			t.Errorf("/Size %s became:\n%s", size, got)
		}
	}
}
