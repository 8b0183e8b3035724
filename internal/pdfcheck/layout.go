package pdfcheck

import (
	"bytes"
	"encoding/xml"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// layout is the text of a file as poppler's `pdftohtml -xml` sees it.
type layout struct {
	pages   []textPage
	outline []outlineItem
}

type textPage struct {
	number        int
	width, height float64
	elems         []textElem
}

// textElem is one <text> run: poppler splits lines at font changes and
// wide gaps, so a heading "4 Conclusion" can arrive as two runs.
type textElem struct {
	top, left, width, height float64
	size                     float64
	bold                     bool
	text                     string
	// family is the font's name as the file gives it (BaseFont), which
	// the format check uses to read the size to a tenth of a point.
	family string
}

type outlineItem struct {
	page  int
	title string
}

var boldFamily = regexp.MustCompile(`(?i)(bold|black|heavy|semibold|demi|medi(um)?\b|-medi|-b$|\.b$|,bold|cmbx|cmb\d)`)

// parseLayout reads pdftohtml's XML. It is lenient: poppler writes
// invalid UTF-8 in font names, and a hostile file can make it write
// anything, so bad input yields fewer elements, never a failure.
func parseLayout(data []byte) layout {
	data = bytes.ToValidUTF8(data, []byte("\uFFFD"))
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	type font struct {
		size   float64
		bold   bool
		family string
	}
	fonts := map[string]font{}
	var out layout
	var cur *textPage
	var elem *textElem
	var sb strings.Builder
	inItem, itemPage, boldDepth := false, 0, 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break // EOF or bad XML: keep what was read
		}
		switch t := tok.(type) {
		case xml.StartElement:
			a := attrList(t.Attr)
			switch t.Name.Local {
			case "page":
				out.pages = append(out.pages, textPage{
					number: atoi(a.get("number")), width: atof(a.get("width")), height: atof(a.get("height")),
				})
				cur = &out.pages[len(out.pages)-1]
			case "fontspec":
				fonts[a.get("id")] = font{size: atof(a.get("size")), bold: boldFamily.MatchString(a.get("family")), family: a.get("family")}
			case "text":
				f := fonts[a.get("font")]
				elem = &textElem{top: atof(a.get("top")), left: atof(a.get("left")), width: atof(a.get("width")),
					height: atof(a.get("height")), size: f.size, bold: f.bold, family: f.family}
				sb.Reset()
				boldDepth = 0
			case "b":
				if elem != nil && sb.Len() == 0 {
					boldDepth++
				}
			case "item":
				inItem, itemPage = true, atoi(a.get("page"))
				sb.Reset()
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "text":
				if elem != nil && cur != nil {
					elem.text = cleanText(sb.String())
					if boldDepth > 0 {
						elem.bold = true
					}
					if elem.text != "" {
						cur.elems = append(cur.elems, *elem)
					}
				}
				elem = nil
			case "item":
				if inItem {
					out.outline = append(out.outline, outlineItem{page: itemPage, title: cleanText(sb.String())})
				}
				inItem = false
			}
		case xml.CharData:
			if elem != nil || inItem {
				sb.Write(t)
			}
		}
	}
	return out
}

// attrList looks an element's attributes up by name; the last of a
// repeated name wins. A handful per element: a scan is cheaper than a map.
type attrList []xml.Attr

func (l attrList) get(name string) string {
	for i := len(l) - 1; i >= 0; i-- {
		if l[i].Name.Local == name {
			return l[i].Value
		}
	}
	return ""
}

func atof(s string) float64 {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || f != f || f > 1e6 || f < -1e6 {
		return 0
	}
	return f
}

func atoi(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0
	}
	return n
}

// cleanText NFKC-normalises (ligatures "ﬁ" become "fi") and collapses
// white space.
func cleanText(s string) string {
	if !isASCII(s) {
		s = norm.NFKC.String(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// line is a row of text in one column, in reading order.
type line struct {
	page   int
	column int // 1, or 2 for the right-hand column of a two-column page
	top    float64
	left   float64
	size   float64
	bold   bool
	// leadBold is the text of the leading bold runs, for run-in headings
	// ("Acknowledgements. We thank ...").
	leadBold string
	text     string
	kind     string
	// elems are the runs the line was joined from, for the format check.
	elems []textElem
}

// pageLines is one page's lines, in reading order, without furniture
// (running heads, page numbers) and margin line numbers.
type pageLines struct {
	number  int
	columns int
	height  float64
	lines   []line
}

var (
	digitsOnly  = regexp.MustCompile(`^[0-9]{1,4}$`)
	pageNumber  = regexp.MustCompile(`(?i)^(page\s*)?([0-9]{1,4}|[ivxlc]{1,6})(\s*(of|/)\s*[0-9]{1,4})?$`)
	digitsInRun = regexp.MustCompile(`[0-9]+`)
)

// textBlock is the horizontal extent of the main text: where long lines
// start and end, taken over the whole document.
type textBlock struct{ left, right float64 }

func measureBlock(l layout, body float64) textBlock {
	var lefts, rights []float64
	for _, p := range l.pages {
		for _, e := range p.elems {
			if len(e.text) >= 20 && e.size >= body-1 {
				lefts = append(lefts, e.left)
				rights = append(rights, e.left+e.width)
			}
		}
	}
	if len(lefts) == 0 {
		return textBlock{left: -1e9, right: 1e9}
	}
	sort.Float64s(lefts)
	sort.Float64s(rights)
	return textBlock{left: lefts[len(lefts)/20], right: rights[len(rights)-1-len(rights)/20]}
}

// bodyFontSize is the size carrying the most characters.
func bodyFontSize(l layout) float64 {
	chars := map[float64]int{}
	for _, p := range l.pages {
		for _, e := range p.elems {
			chars[e.size] += len(e.text)
		}
	}
	best, bestN := 0.0, 0
	for s, n := range chars {
		if n > bestN || n == bestN && s < best {
			best, bestN = s, n
		}
	}
	return best
}

// furniture finds repeated running heads and footers: the same text (digits
// ignored) near the top or bottom edge of at least two pages.
func furniture(l layout) map[string]bool {
	count := map[string]int{}
	for _, p := range l.pages {
		seen := map[string]bool{}
		for _, e := range p.elems {
			if inEdge(e, p) {
				k := digitsInRun.ReplaceAllString(strings.ToLower(e.text), "#")
				if !seen[k] {
					seen[k] = true
					count[k]++
				}
			}
		}
	}
	rep := map[string]bool{}
	for k, n := range count {
		if n >= 2 && len(l.pages) >= 2 {
			rep[k] = true
		}
	}
	return rep
}

func inEdge(e textElem, p textPage) bool {
	if p.height <= 0 {
		return false
	}
	return e.top < 0.07*p.height || e.top+e.height > 0.93*p.height
}
