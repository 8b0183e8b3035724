package pdfgen

import (
	"strings"
	"unicode/utf8"
)

// font is one of the standard Type1 fonts every reader has built in.
type font int

const (
	roman font = iota
	bold
	sans
)

// fontResource names the fonts in the page resources and the PDF.
var fontResource = [...]struct{ key, base string }{
	roman: {"F1", "Times-Roman"},
	bold:  {"F2", "Times-Bold"},
	sans:  {"F3", "Helvetica"},
}

var fontWidths = [...]*[224]uint16{roman: &timesRomanWidths, bold: &timesBoldWidths, sans: &helveticaWidths}

// winAnsi maps a character to its WinAnsiEncoding code, or '?' when the
// encoding (or the font) has no glyph for it.
func winAnsi(r rune) byte {
	switch {
	case r >= 32 && r <= 126, r >= 0xA0 && r <= 0xFF:
		return byte(r)
	case r == '\t', r == '\n':
		return ' '
	}
	if b, ok := winAnsiHigh[r]; ok {
		return b
	}
	return '?'
}

// encode turns text into the bytes a WinAnsiEncoding font shows.
func encode(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		out = append(out, winAnsi(r))
	}
	return out
}

// textWidth is the advance width of s in points.
func textWidth(f font, size float64, s string) float64 {
	table := fontWidths[f]
	units := 0
	for _, r := range s {
		b := winAnsi(r)
		w := table[b-32]
		if w == 0 {
			w = table['?'-32]
		}
		units += int(w)
	}
	return float64(units) * size / 1000
}

// wrap breaks words into lines no wider than width; the first line may be
// narrower (an indent, or a bold run-in before it). A word wider than a
// line gets a line of its own.
func wrap(words []string, f font, size, width, firstWidth float64) [][]string {
	var lines [][]string
	space := textWidth(f, size, " ")
	var cur []string
	curW, limit := 0.0, firstWidth
	for _, w := range words {
		ww := textWidth(f, size, w)
		if len(cur) > 0 && curW+space+ww > limit {
			lines = append(lines, cur)
			cur, curW, limit = nil, 0, width
		}
		if len(cur) > 0 {
			curW += space
		}
		cur = append(cur, w)
		curW += ww
	}
	if len(cur) > 0 {
		lines = append(lines, cur)
	}
	return lines
}

// titleCase capitalises the first letter of each word longer than three
// letters and of the first word, the way paper titles are written.
func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		if i == 0 || len(w) > 3 {
			r, n := utf8.DecodeRuneInString(w)
			words[i] = strings.ToUpper(string(r)) + w[n:]
		}
	}
	return strings.Join(words, " ")
}

// pdfString writes s as a PDF literal string of WinAnsi bytes.
func pdfString(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b) + 2)
	sb.WriteByte('(')
	for _, c := range b {
		switch c {
		case '(', ')', '\\':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		default:
			sb.WriteByte(c)
		}
	}
	sb.WriteByte(')')
	return sb.String()
}

// pdfTextString writes s for the Info dictionary: a literal when it is
// plain ASCII, otherwise UTF-16BE with a byte-order mark, which every
// reader decodes.
func pdfTextString(s string) string {
	ascii := true
	for _, r := range s {
		if r < 32 || r > 126 {
			ascii = false
			break
		}
	}
	if ascii {
		return pdfString([]byte(s))
	}
	const hex = "0123456789ABCDEF"
	var sb strings.Builder
	sb.WriteString("<FEFF")
	for _, r := range s {
		var units []rune
		if r >= 0x10000 {
			r -= 0x10000
			units = []rune{0xD800 + r>>10, 0xDC00 + r&0x3FF}
		} else {
			units = []rune{r}
		}
		for _, u := range units {
			for shift := 12; shift >= 0; shift -= 4 {
				sb.WriteByte(hex[(u>>shift)&0xF])
			}
		}
	}
	sb.WriteByte('>')
	return sb.String()
}
