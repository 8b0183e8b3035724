package pdfcheck

import (
	"bytes"
	"encoding/binary"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// The encodings a ZIP's names and the text files inside come in.

// decodeZipText decodes a name or comment: UTF-8 when flagged or valid,
// otherwise code page 437, the format's default.
func decodeZipText(b []byte, flags uint16) string {
	if flags&0x800 != 0 || utf8.Valid(b) {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	var sb strings.Builder
	for _, c := range b {
		if c < 0x80 {
			sb.WriteByte(c)
		} else {
			sb.WriteRune(cp437[c-0x80])
		}
	}
	return sb.String()
}

func latin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

var cp437 = []rune("ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0")

// decodeText reads a text file in the encodings people save them in:
// UTF-8 (with or without a BOM), UTF-16 with a BOM (or without one when
// every other byte is zero), and Latin-1 for the rest. ok is false for
// what is no text at all.
func decodeText(b []byte) (s string, ok bool) {
	switch {
	case bytes.HasPrefix(b, []byte{0xef, 0xbb, 0xbf}):
		return strings.ToValidUTF8(string(b[3:]), " "), true
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}):
		return utf16Text(b[2:], binary.LittleEndian), true
	case bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		return utf16Text(b[2:], binary.BigEndian), true
	}
	if len(b) >= 4 {
		even, odd := 0, 0
		for i := 0; i+1 < len(b); i += 2 {
			if b[i] == 0 {
				even++
			}
			if b[i+1] == 0 {
				odd++
			}
		}
		half := len(b) / 2
		switch {
		case odd*10 >= half*9 && even == 0:
			return utf16Text(b, binary.LittleEndian), true
		case even*10 >= half*9 && odd == 0:
			return utf16Text(b, binary.BigEndian), true
		}
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return "", false
	}
	if utf8.Valid(b) || utf8.Valid(trimRune(b)) {
		return string(b), true
	}
	// Latin-1, unless control bytes say it is binary.
	ctrl := 0
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			ctrl++
		}
	}
	if ctrl*100 > len(b) {
		return "", false
	}
	return latin1(b), true
}

func utf16Text(b []byte, order binary.ByteOrder) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, order.Uint16(b[i:]))
	}
	return string(utf16.Decode(u))
}

// trimRune drops a rune cut in half at the end of a prefix.
func trimRune(b []byte) []byte {
	for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
		if r, _ := utf8.DecodeLastRune(b); r != utf8.RuneError {
			return b
		}
		b = b[:len(b)-1]
	}
	return b
}
