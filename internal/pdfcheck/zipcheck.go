package pdfcheck

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"path"
	"sort"
	"strings"
	"unicode/utf8"
)

// A ZIP has two tables of contents: the central directory at its end, which
// most tools list and extract from, and a local header before each entry's
// data, which streaming extractors read instead. An archive whose two
// disagree shows one name to the checker and another to whoever unpacks it
// (a co-author's name in src/<name>.py behind a neutral one), and an entry
// named /etc/... or ../../... writes outside the folder it is unpacked in.
// readZipDirectory reads both, byte by byte, and refuses such archives
// before anything in them is read.

// ZIP refusals.
var (
	ErrZipDamaged  = errors.New("the ZIP file cannot be read")
	ErrZipMismatch = errors.New("the ZIP file's central directory and its local headers disagree")
	ErrZipPath     = errors.New("a ZIP entry's name is absolute or climbs out of the archive")
	ErrZipDup      = errors.New("the ZIP file holds two entries of the same name")
)

func init() {
	codes[ErrZipDamaged] = "invalid_zip"
	codes[ErrZipMismatch] = "zip_headers_disagree"
	codes[ErrZipPath] = "zip_unsafe_path"
	codes[ErrZipDup] = "zip_duplicate_name"
}

// Bounds of the reader: far above what a workshop's supplement holds.
const (
	zipMaxEntries = 65535
	zipMaxCDBytes = 16 << 20
)

const (
	sigLocal   = 0x04034b50
	sigCentral = 0x02014b50
	sigEnd     = 0x06054b50
	sigEnd64   = 0x06064b50
	sigLoc64   = 0x07064b50
	sigDataDsc = 0x08074b50
)

// zipEntry is one entry as both tables describe it.
type zipEntry struct {
	// Name is the name as extractors use it, decoded; Names are every
	// spelling the archive gives (raw, decoded as CP437 or Latin-1, and
	// the Unicode path extra field), all of which are checked.
	Name     string
	Names    []string
	Flags    uint16
	Method   uint16
	CRC      uint32
	CompSize uint64
	Size     uint64
	Offset   uint64
	Comment  string
}

// zipDirectory is what readZipDirectory found.
type zipDirectory struct {
	Entries []zipEntry
	Comment string
}

// readZipDirectory reads and cross-checks a ZIP's two tables.
func readZipDirectory(r io.ReaderAt, size int64) (*zipDirectory, error) {
	if size < 22 {
		return nil, refuse(ErrZipDamaged, "too short for a ZIP file")
	}
	tail := make([]byte, min(size, 22+65535))
	if _, err := r.ReadAt(tail, size-int64(len(tail))); err != nil && err != io.EOF {
		return nil, refuse(ErrZipDamaged, "%v", err)
	}
	eocd := -1
	for i := len(tail) - 22; i >= 0; i-- {
		if binary.LittleEndian.Uint32(tail[i:]) == sigEnd && i+22+int(binary.LittleEndian.Uint16(tail[i+20:])) <= len(tail) {
			eocd = i
			break
		}
	}
	if eocd < 0 {
		return nil, refuse(ErrZipDamaged, "no end of central directory record")
	}
	end := tail[eocd:]
	eocdPos := size - int64(len(tail)) + int64(eocd)
	count := uint64(binary.LittleEndian.Uint16(end[10:]))
	cdSize := uint64(binary.LittleEndian.Uint32(end[12:]))
	cdOff := uint64(binary.LittleEndian.Uint32(end[16:]))
	comment := string(end[22 : 22+int(binary.LittleEndian.Uint16(end[20:]))])
	if binary.LittleEndian.Uint16(end[4:]) != 0 || binary.LittleEndian.Uint16(end[6:]) != 0 {
		return nil, refuse(ErrZipDamaged, "a multi-part archive")
	}
	if count == 0xffff || cdSize == 0xffffffff || cdOff == 0xffffffff {
		// ZIP64: a locator right before the record points at the real one.
		if eocdPos < 20 {
			return nil, refuse(ErrZipDamaged, "ZIP64 locator missing")
		}
		loc := make([]byte, 20)
		if _, err := r.ReadAt(loc, eocdPos-20); err != nil || binary.LittleEndian.Uint32(loc) != sigLoc64 {
			return nil, refuse(ErrZipDamaged, "ZIP64 locator missing")
		}
		off := binary.LittleEndian.Uint64(loc[8:])
		rec := make([]byte, 56)
		if off > uint64(size) || off+56 > uint64(size) {
			return nil, refuse(ErrZipDamaged, "ZIP64 record out of the file")
		}
		if _, err := r.ReadAt(rec, int64(off)); err != nil || binary.LittleEndian.Uint32(rec) != sigEnd64 {
			return nil, refuse(ErrZipDamaged, "ZIP64 record missing")
		}
		count, cdSize, cdOff = binary.LittleEndian.Uint64(rec[32:]), binary.LittleEndian.Uint64(rec[40:]), binary.LittleEndian.Uint64(rec[48:])
	}
	if count > zipMaxEntries {
		return nil, refuse(ErrZipDamaged, "%d entries, at most %d read", count, zipMaxEntries)
	}
	if cdSize > zipMaxCDBytes || cdOff > uint64(size) || cdOff+cdSize > uint64(size) {
		return nil, refuse(ErrZipDamaged, "the central directory lies outside the file")
	}
	cd := make([]byte, cdSize)
	if _, err := r.ReadAt(cd, int64(cdOff)); err != nil && err != io.EOF {
		return nil, refuse(ErrZipDamaged, "%v", err)
	}
	dir := &zipDirectory{Comment: comment}
	for n := uint64(0); n < count; n++ {
		if len(cd) < 46 || binary.LittleEndian.Uint32(cd) != sigCentral {
			return nil, refuse(ErrZipDamaged, "central directory entry %d is damaged", n+1)
		}
		nameLen, extraLen, commentLen := int(binary.LittleEndian.Uint16(cd[28:])), int(binary.LittleEndian.Uint16(cd[30:])), int(binary.LittleEndian.Uint16(cd[32:]))
		if 46+nameLen+extraLen+commentLen > len(cd) {
			return nil, refuse(ErrZipDamaged, "central directory entry %d is cut short", n+1)
		}
		e := zipEntry{
			Flags:    binary.LittleEndian.Uint16(cd[8:]),
			Method:   binary.LittleEndian.Uint16(cd[10:]),
			CRC:      binary.LittleEndian.Uint32(cd[16:]),
			CompSize: uint64(binary.LittleEndian.Uint32(cd[20:])),
			Size:     uint64(binary.LittleEndian.Uint32(cd[24:])),
			Offset:   uint64(binary.LittleEndian.Uint32(cd[42:])),
		}
		rawName := cd[46 : 46+nameLen]
		extra := cd[46+nameLen : 46+nameLen+extraLen]
		e.Comment = decodeZipText(cd[46+nameLen+extraLen:46+nameLen+extraLen+commentLen], e.Flags)
		zip64Sizes(extra, &e)
		e.Name = decodeZipText(rawName, e.Flags)
		e.Names = nameSpellings(rawName, e.Flags, extra)
		if err := checkLocal(r, cdOff, &e, rawName, extra); err != nil {
			return nil, err
		}
		dir.Entries = append(dir.Entries, e)
		cd = cd[46+nameLen+extraLen+commentLen:]
	}
	if err := checkCoverage(r, cdOff, dir.Entries); err != nil {
		return nil, err
	}
	if err := checkNames(dir.Entries); err != nil {
		return nil, err
	}
	return dir, nil
}

// zip64Sizes takes sizes and offset from the ZIP64 extra field where the
// header's own fields are saturated.
func zip64Sizes(extra []byte, e *zipEntry) {
	for f := range extraFields(extra) {
		if f.id != 0x0001 {
			continue
		}
		b := f.data
		next := func(v *uint64) {
			if *v == 0xffffffff && len(b) >= 8 {
				*v, b = binary.LittleEndian.Uint64(b), b[8:]
			}
		}
		next(&e.Size)
		next(&e.CompSize)
		next(&e.Offset)
	}
}

type extraField struct {
	id   uint16
	data []byte
}

func extraFields(extra []byte) func(func(extraField) bool) {
	return func(yield func(extraField) bool) {
		for len(extra) >= 4 {
			id, n := binary.LittleEndian.Uint16(extra), int(binary.LittleEndian.Uint16(extra[2:]))
			if 4+n > len(extra) {
				return
			}
			if !yield(extraField{id, extra[4 : 4+n]}) {
				return
			}
			extra = extra[4+n:]
		}
	}
}

// unicodePath is the UTF-8 name of the Info-ZIP Unicode path field, which
// extractors prefer to the header's own.
func unicodePath(extra []byte) (string, bool) {
	for f := range extraFields(extra) {
		if f.id == 0x7075 && len(f.data) >= 5 && f.data[0] == 1 {
			return string(f.data[5:]), true
		}
	}
	return "", false
}

// checkLocal reads the entry's local header and compares it with the
// central directory's.
func checkLocal(r io.ReaderAt, cdOff uint64, e *zipEntry, cdName, cdExtra []byte) error {
	if e.Offset+30 > cdOff {
		return refuse(ErrZipMismatch, "entry %q: its local header lies outside the entries", e.Name)
	}
	h := make([]byte, 30)
	if _, err := r.ReadAt(h, int64(e.Offset)); err != nil || binary.LittleEndian.Uint32(h) != sigLocal {
		return refuse(ErrZipMismatch, "entry %q: no local header where the central directory says", e.Name)
	}
	nameLen, extraLen := uint64(binary.LittleEndian.Uint16(h[26:])), uint64(binary.LittleEndian.Uint16(h[28:]))
	if e.Offset+30+nameLen+extraLen > cdOff {
		return refuse(ErrZipMismatch, "entry %q: its local header runs into the central directory", e.Name)
	}
	rest := make([]byte, nameLen+extraLen)
	if _, err := r.ReadAt(rest, int64(e.Offset+30)); err != nil {
		return refuse(ErrZipDamaged, "entry %q: %v", e.Name, err)
	}
	localName, localExtra := rest[:nameLen], rest[nameLen:]
	if !bytes.Equal(localName, cdName) {
		return refuse(ErrZipMismatch, "the central directory names an entry %q, its local header %q", e.Name, decodeZipText(localName, e.Flags))
	}
	lu, lok := unicodePath(localExtra)
	cu, cok := unicodePath(cdExtra)
	if lok && cok && lu != cu || lok && !cok && lu != e.Name {
		return refuse(ErrZipMismatch, "entry %q: its local header gives the Unicode name %q", e.Name, lu)
	}
	if lok {
		e.Names = append(e.Names, lu)
	}
	flags, method := binary.LittleEndian.Uint16(h[6:]), binary.LittleEndian.Uint16(h[8:])
	if method != e.Method || flags&0x1 != e.Flags&0x1 {
		return refuse(ErrZipMismatch, "entry %q: compression or encryption differ between the two headers", e.Name)
	}
	if flags&0x8 == 0 {
		crc := binary.LittleEndian.Uint32(h[14:])
		csize, usize := uint64(binary.LittleEndian.Uint32(h[18:])), uint64(binary.LittleEndian.Uint32(h[22:]))
		if csize == 0xffffffff || usize == 0xffffffff {
			var l zipEntry
			l.CompSize, l.Size = csize, usize
			zip64Sizes(localExtra, &l)
			csize, usize = l.CompSize, l.Size
		}
		if crc != e.CRC || csize != e.CompSize || usize != e.Size {
			return refuse(ErrZipMismatch, "entry %q: sizes or checksum differ between the two headers", e.Name)
		}
	}
	data := e.Offset + 30 + nameLen + extraLen
	if data+e.CompSize > cdOff || data+e.CompSize < data {
		return refuse(ErrZipMismatch, "entry %q: its data runs into the central directory", e.Name)
	}
	return nil
}

// checkCoverage refuses entries whose data overlap and local headers that
// the central directory does not list: the parts of the file between the
// entries may hold nothing that looks like an entry.
func checkCoverage(r io.ReaderAt, cdOff uint64, entries []zipEntry) error {
	type span struct{ from, to uint64 }
	spans := make([]span, 0, len(entries))
	for _, e := range entries {
		h := make([]byte, 30)
		if _, err := r.ReadAt(h, int64(e.Offset)); err != nil {
			return refuse(ErrZipDamaged, "%v", err)
		}
		end := e.Offset + 30 + uint64(binary.LittleEndian.Uint16(h[26:])) + uint64(binary.LittleEndian.Uint16(h[28:])) + e.CompSize
		if e.Flags&0x8 != 0 {
			// A data descriptor: optional signature, CRC, two sizes.
			sig := make([]byte, 4)
			if _, err := r.ReadAt(sig, int64(end)); err == nil && binary.LittleEndian.Uint32(sig) == sigDataDsc {
				end += 4
			}
			end += 12
			if e.CompSize >= 0xffffffff || e.Size >= 0xffffffff {
				end += 8
			}
		}
		spans = append(spans, span{e.Offset, min(end, cdOff)})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].from < spans[j].from })
	pos := uint64(0)
	for i, s := range spans {
		if i > 0 && s.from < pos {
			return refuse(ErrZipMismatch, "two entries share the same bytes")
		}
		if s.from > pos {
			if err := noLocalHeader(r, pos, s.from); err != nil {
				return err
			}
		}
		pos = max(pos, s.to)
	}
	if cdOff > pos {
		return noLocalHeader(r, pos, cdOff)
	}
	return nil
}

// noLocalHeader refuses a local header signature in [from, to).
func noLocalHeader(r io.ReaderAt, from, to uint64) error {
	const chunk = 1 << 20
	for off := from; off < to; off += chunk - 3 {
		n := min(chunk, to-off)
		b := make([]byte, n)
		if _, err := r.ReadAt(b, int64(off)); err != nil && err != io.EOF {
			return refuse(ErrZipDamaged, "%v", err)
		}
		if bytes.Contains(b, []byte("PK\x03\x04")) {
			return refuse(ErrZipMismatch, "a local header at byte %d that the central directory does not list", off+uint64(bytes.Index(b, []byte("PK\x03\x04"))))
		}
		if n < chunk {
			break
		}
	}
	return nil
}

// checkNames refuses unsafe and duplicate names, in every spelling.
func checkNames(entries []zipEntry) error {
	seen := map[string]string{}
	for _, e := range entries {
		for _, n := range e.Names {
			if why := unsafeName(n); why != "" {
				return refuse(ErrZipPath, "entry %q %s", n, why)
			}
		}
		key := strings.ToLower(strings.TrimSuffix(path.Clean("/"+strings.ReplaceAll(e.Name, "\\", "/")), "/"))
		if prev, ok := seen[key]; ok {
			return refuse(ErrZipDup, "%q and %q unpack to the same file", prev, e.Name)
		}
		seen[key] = e.Name
	}
	return nil
}

func unsafeName(n string) string {
	s := strings.ReplaceAll(n, "\\", "/")
	switch {
	case n == "":
		return "has no name"
	case strings.ContainsRune(n, 0):
		return "holds a NUL byte"
	case strings.HasPrefix(s, "/"):
		return "is an absolute path"
	case len(s) >= 2 && s[1] == ':' && (s[0]|0x20 >= 'a' && s[0]|0x20 <= 'z'):
		return "names a drive"
	}
	for _, part := range strings.Split(s, "/") {
		if part == ".." {
			return "climbs out of the folder it is unpacked in (..)"
		}
	}
	return ""
}

// nameSpellings are the ways an entry's name can be read.
func nameSpellings(raw []byte, flags uint16, extra []byte) []string {
	out := []string{decodeZipText(raw, flags)}
	if flags&0x800 == 0 && !utf8.Valid(raw) {
		out = append(out, latin1(raw))
	} else if s := string(raw); s != out[0] {
		out = append(out, s)
	}
	if u, ok := unicodePath(extra); ok && u != out[0] {
		out = append(out, u)
	}
	return out
}
