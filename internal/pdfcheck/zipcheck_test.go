package pdfcheck

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// rawEntry is one entry of a hand-made archive: the central directory and
// the local header may name it differently, and an entry may be left out
// of the central directory.
type rawEntry struct {
	cdName, localName string
	data              []byte
	hidden            bool // a local header and data only
	flags             uint16
}

// rawZip writes entries stored (uncompressed) the way the format lays
// them out, so that each test can break exactly one rule.
func rawZip(entries []rawEntry, comment string) []byte {
	var b, cd bytes.Buffer
	le := binary.LittleEndian
	n := 0
	for _, e := range entries {
		if e.localName == "" {
			e.localName = e.cdName
		}
		off := b.Len()
		crc := crc32.ChecksumIEEE(e.data)
		h := make([]byte, 30)
		le.PutUint32(h, sigLocal)
		le.PutUint16(h[4:], 20)
		le.PutUint16(h[6:], e.flags)
		le.PutUint32(h[14:], crc)
		le.PutUint32(h[18:], uint32(len(e.data)))
		le.PutUint32(h[22:], uint32(len(e.data)))
		le.PutUint16(h[26:], uint16(len(e.localName)))
		b.Write(h)
		b.WriteString(e.localName)
		b.Write(e.data)
		if e.hidden {
			continue
		}
		n++
		c := make([]byte, 46)
		le.PutUint32(c, sigCentral)
		le.PutUint16(c[4:], 20)
		le.PutUint16(c[6:], 20)
		le.PutUint16(c[8:], e.flags)
		le.PutUint32(c[16:], crc)
		le.PutUint32(c[20:], uint32(len(e.data)))
		le.PutUint32(c[24:], uint32(len(e.data)))
		le.PutUint16(c[28:], uint16(len(e.cdName)))
		le.PutUint32(c[42:], uint32(off))
		cd.Write(c)
		cd.WriteString(e.cdName)
	}
	cdOff := b.Len()
	b.Write(cd.Bytes())
	end := make([]byte, 22)
	le.PutUint32(end, sigEnd)
	le.PutUint16(end[8:], uint16(n))
	le.PutUint16(end[10:], uint16(n))
	le.PutUint32(end[12:], uint32(cd.Len()))
	le.PutUint32(end[16:], uint32(cdOff))
	le.PutUint16(end[20:], uint16(len(comment)))
	b.Write(end)
	b.WriteString(comment)
	return b.Bytes()
}

func goZip(t testing.TB, files map[string][]byte) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(files[n]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func utf16LE(s string, bom bool) []byte {
	var b []byte
	if bom {
		b = []byte{0xff, 0xfe}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// TestZipRefusals: the archives a reviewer must never get, each refused
// with its own stable code.
func TestZipRefusals(t *testing.T) {
	t.Parallel()
	code := "import torch\n"
	tests := []struct {
		name string
		zip  []byte
		code string
	}{
		{"local header names a co-author", rawZip([]rawEntry{{cdName: "src/model.py", localName: "src/bochen.py", data: []byte(code)}}, ""), "zip_headers_disagree"},
		{"an entry only the local headers list", rawZip([]rawEntry{{cdName: "README.md", data: []byte("hi\n")}, {cdName: "src/alice_mueller.py", data: []byte(code), hidden: true}}, ""), "zip_headers_disagree"},
		{"zip-slip", rawZip([]rawEntry{{cdName: "../../../../tmp/evil.sh", data: []byte("rm -rf ~\n")}}, ""), "zip_unsafe_path"},
		{"climbs out midway", rawZip([]rawEntry{{cdName: "src/../../evil.sh", data: []byte("x\n")}}, ""), "zip_unsafe_path"},
		{"absolute", rawZip([]rawEntry{{cdName: "/etc/cron.d/evil", data: []byte("x\n")}}, ""), "zip_unsafe_path"},
		{"a Windows drive", rawZip([]rawEntry{{cdName: "C:\\Windows\\evil.bat", data: []byte("x\n")}}, ""), "zip_unsafe_path"},
		{"backslashes climbing out", rawZip([]rawEntry{{cdName: "..\\evil.bat", data: []byte("x\n")}}, ""), "zip_unsafe_path"},
		{"duplicate names", rawZip([]rawEntry{{cdName: "run.sh", data: []byte("a\n")}, {cdName: "run.sh", data: []byte("b\n")}}, ""), "zip_duplicate_name"},
		{"names that differ in case only", rawZip([]rawEntry{{cdName: "README.md", data: []byte("a\n")}, {cdName: "readme.md", data: []byte("b\n")}}, ""), "zip_duplicate_name"},
		{"not a ZIP at all", []byte("PK\x03\x04broken"), "invalid_zip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := readZipDirectory(bytes.NewReader(tt.zip), int64(len(tt.zip)))
			var ce *CheckError
			if !errors.As(err, &ce) || ce.Code != tt.code {
				t.Fatalf("err = %v, want code %s", err, tt.code)
			}
			if !errors.Is(err, sentinelFor(tt.code)) {
				t.Errorf("code %s does not map back to its sentinel", tt.code)
			}
		})
	}
	// Archives that tools write every day pass.
	for name, z := range map[string][]byte{
		"Go's writer":      goZip(t, map[string][]byte{"src/": nil, "src/train.py": []byte(code), "README.md": []byte("Run it.\n")}),
		"hand-made stored": rawZip([]rawEntry{{cdName: "a.txt", data: []byte("a\n")}, {cdName: "b/c.txt", data: []byte("c\n")}}, "comment"),
		"empty":            goZip(t, nil),
	} {
		if _, err := readZipDirectory(bytes.NewReader(z), int64(len(z))); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestZipEncodings: names and text found whatever the encoding.
func TestZipEncodings(t *testing.T) {
	t.Parallel()
	latin1Name := []byte("Alice M\xfcller notes.txt") // Latin-1 ü, no UTF-8 flag
	tests := []struct {
		name  string
		zip   []byte
		where string
	}{
		{"UTF-16 with a BOM", goZip(t, map[string][]byte{"README.txt": utf16LE("Code by Alice Müller.\r\n", true)}), "archive: README.txt"},
		{"UTF-16 without one", goZip(t, map[string][]byte{"notes.txt": utf16LE("Thanks to Bo Chen\n", false)}), "archive: notes.txt"},
		{"UTF-16 big-endian", goZip(t, map[string][]byte{"be.txt": append([]byte{0xfe, 0xff}, []byte("\x00B\x00o\x00 \x00C\x00h\x00e\x00n")...)}), "archive: be.txt"},
		{"Latin-1", goZip(t, map[string][]byte{"AUTHORS": []byte("Alice M\xfcller <alice@example.org>\n")}), "archive: AUTHORS"},
		{"UTF-8 with a BOM", goZip(t, map[string][]byte{"a.md": []byte("\xef\xbb\xbfby Alice Müller")}), "archive: a.md"},
		{"a Latin-1 name", rawZip([]rawEntry{{cdName: string(latin1Name), data: []byte("x\n")}}, ""), "archive entry name Alice Müller notes.txt"},
		{"a comment", rawZip([]rawEntry{{cdName: "x.txt", data: []byte("x\n")}}, "packed by Bo Chen"), "archive comment"},
	}
	dir := t.TempDir()
	for i, tt := range tests {
		p := filepath.Join(dir, strings.Repeat("z", i+1)+".zip")
		if err := os.WriteFile(p, tt.zip, 0o600); err != nil {
			t.Fatal(err)
		}
		rep, _, err := scanArchive(archiveJob{Path: p, ID: alice, Extract: dir})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if !slices.ContainsFunc(rep.Leaks, func(f Finding) bool { return f.Where == tt.where && f.InText }) {
			t.Errorf("%s: nothing found in %q: %+v", tt.name, tt.where, rep.Leaks)
		}
	}
	// Binary data is not read as Latin-1 text.
	if _, ok := decodeText([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")); ok {
		t.Error("a PNG read as text")
	}
}

// TestArchiveReviewersCopy runs a ZIP through the worker: its PDF comes
// out extracted, checked, and put back as its reviewers' copy.
func TestArchiveReviewersCopy(t *testing.T) {
	t.Parallel()
	checker := testChecker(t, "1", CheckerOptions{})
	active, err := os.ReadFile("testdata/active.pdf")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "supp.zip")
	if err := os.WriteFile(in, goZip(t, map[string][]byte{"appendix/proofs.pdf": active, "code/run.py": []byte("print(1)\n")}), 0o600); err != nil {
		t.Fatal(err)
	}
	extract := filepath.Join(dir, "x")
	if err := os.Mkdir(extract, 0o700); err != nil {
		t.Fatal(err)
	}
	rep, pdfs, err := checker.CheckArchive(context.Background(), in, alice, 0, extract)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Leaks) != 0 || len(pdfs) != 1 || pdfs[0].Name != "appendix/proofs.pdf" {
		t.Fatalf("leaks %+v, pdfs %+v", rep.Leaks, pdfs)
	}
	clean := filepath.Join(dir, "clean.pdf")
	prep, err := checker.Check(context.Background(), pdfs[0].Path, Rules{MaxPages: 1000, Anonymous: true}, alice, clean)
	if err != nil || !hasCode(prep.Leaks, "active_content") {
		t.Fatalf("inner check: %v, %+v", err, prep.Leaks)
	}
	out := filepath.Join(dir, "reviewers.zip")
	if err := checker.AssembleArchive(context.Background(), in, map[string]string{pdfs[0].Name: clean}, out); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = zr.Close() }()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Name == "appendix/proofs.pdf" {
			got := filepath.Join(dir, "got.pdf")
			b, err := readEntry(f, 1<<30)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(got, b, 0o600); err != nil {
				t.Fatal(err)
			}
			checkNoActive(t, got)
		}
	}
	if strings.Join(names, " ") != "appendix/proofs.pdf code/run.py" {
		t.Errorf("entries %v", names)
	}
	// A refused archive comes back as its code through the worker.
	bad := filepath.Join(dir, "bad.zip")
	if err := os.WriteFile(bad, rawZip([]rawEntry{{cdName: "../x", data: []byte("x")}}, ""), 0o600); err != nil {
		t.Fatal(err)
	}
	var ce *CheckError
	if _, _, err := checker.CheckArchive(context.Background(), bad, alice, 0, extract); !errors.As(err, &ce) || ce.Code != "zip_unsafe_path" {
		t.Errorf("bad archive: %v", err)
	}
}

// FuzzZipDirectory: the reader never panics, and what it accepts Go's
// archive/zip reads the same way, with safe and distinct names.
func FuzzZipDirectory(f *testing.F) {
	f.Add(goZip(f, map[string][]byte{"a/b.txt": []byte("hello"), "c.py": []byte("x = 1\n")}))
	f.Add(rawZip([]rawEntry{{cdName: "a.txt", data: []byte("a")}, {cdName: "b.txt", data: []byte("b"), flags: 0x800}}, "c"))
	f.Add(rawZip([]rawEntry{{cdName: "a", localName: "b", data: []byte("a")}}, ""))
	f.Add(rawZip([]rawEntry{{cdName: "a", data: []byte("a")}, {cdName: "h", data: []byte("PK\x03\x04"), hidden: true}}, ""))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir, err := readZipDirectory(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			var ce *CheckError
			if !errors.As(err, &ce) {
				t.Fatalf("not a refusal: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, e := range dir.Entries {
			for _, n := range e.Names {
				if unsafeName(n) != "" {
					t.Fatalf("accepted unsafe name %q", n)
				}
			}
			k := strings.ToLower(e.Name)
			if seen[k] {
				t.Fatalf("accepted duplicate %q", e.Name)
			}
			seen[k] = true
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return // Go is stricter on some fields; it is not used then
		}
		if len(zr.File) != len(dir.Entries) {
			t.Fatalf("archive/zip reads %d entries, we %d", len(zr.File), len(dir.Entries))
		}
	})
}
