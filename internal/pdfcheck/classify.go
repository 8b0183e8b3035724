package pdfcheck

import (
	"fmt"
	"strings"
)

// classification is where the body ends and what each page holds.
type classification struct {
	bodyPages int
	// decided is false when no excluded section was found.
	decided   bool
	bodyEnd   string
	sections  []SectionStart
	pageKinds map[int]string
	textChars int
	warnings  []Finding
}

// marker is a section start known before the walk: from the outline.
type marker struct {
	kind, heading string
	lineIdx       int // -1: the heading line was not found; starts at the top
}

// classify walks the lines in reading order. The body ends at the first
// heading of an excluded section; body pages run up to the last page that
// held body text before it.
func classify(pages []pageLines, outline []outlineItem, rules Rules, body float64) classification {
	c := classification{pageKinds: map[int]string{}}
	markers := outlineMarkers(pages, outline, &c)

	bodyEnded := false
	cur := KindBody
	lastBodyPage, lastTextPage := 0, 0
	var first *SectionStart
	start := func(kind, heading string, ln line, y float64, source string) {
		excluded := rules.excludes(kind)
		s := SectionStart{Kind: kind, Heading: heading, Page: ln.page, Y: round2(y), Excluded: excluded, Source: source}
		if ln.column == 2 {
			s.Column = 2
		}
		switch {
		case !bodyEnded && excluded:
			bodyEnded, cur = true, kind
			c.sections = append(c.sections, s)
			first = &c.sections[len(c.sections)-1]
		case !bodyEnded:
			c.sections = append(c.sections, s) // counts as body here
		case kind != cur || source == "outline":
			cur = kind
			c.sections = append(c.sections, s)
		}
	}
	for pi := range pages {
		p := &pages[pi]
		mk, hasMarker := markers[p.number]
		if hasMarker && mk.lineIdx < 0 {
			start(mk.kind, mk.heading, line{page: p.number}, 0, "outline")
		}
		for li := range p.lines {
			ln := &p.lines[li]
			c.textChars += len(ln.text)
			lastTextPage = p.number
			kind, heading, source := "", "", "layout"
			switch {
			case hasMarker && mk.lineIdx == li:
				kind, heading, source = mk.kind, ln.text, "outline"
			case headingStyle(*ln, body):
				if kind = sectionKind(ln.text); kind != "" {
					heading = ln.text
				} else if bodyEnded && letterNumbered.MatchString(ln.text) && ln.size >= body+1 {
					kind, heading = KindAppendix, ln.text
				}
			}
			// Run-in headings ("Acknowledgements. We thank ...") end the
			// body; after it, bold run-ins are list items (a checklist's
			// "Limitations." question), not sections.
			if kind == "" && !bodyEnded && ln.leadBold != "" && ln.leadBold != ln.text {
				if kind = sectionKind(ln.leadBold); kind != "" {
					heading = ln.leadBold
				}
			}
			if kind != "" {
				start(kind, heading, *ln, ln.top, source)
			}
			if bodyEnded {
				ln.kind = cur
			} else {
				ln.kind = KindBody
				lastBodyPage = p.number
			}
		}
	}
	for _, p := range pages {
		kind := KindBlank
		for i, ln := range p.lines {
			if i == 0 {
				kind = ln.kind
			}
			if ln.kind == KindBody {
				kind = KindBody
				break
			}
		}
		c.pageKinds[p.number] = kind
	}
	if first == nil {
		c.bodyPages = lastTextPage
		c.bodyEnd = fmt.Sprintf("no excluded section (%s) found: every page with text, up to page %d, counts as body",
			strings.Join(rules.Excluded, ", "), lastTextPage)
		return c
	}
	c.decided = true
	c.bodyPages = lastBodyPage
	where := "at the top of the page"
	if lastBodyPage == first.Page {
		where = fmt.Sprintf("%.0f pt from the top, after body text", first.Y)
		if first.Column == 2 {
			where += " (right-hand column)"
		}
	}
	c.bodyEnd = fmt.Sprintf("body ends on page %d: %q (%s) starts on page %d, %s",
		lastBodyPage, first.Heading, first.Kind, first.Page, where)
	return c
}

// outlineMarkers places the outline's recognised sections on their heading
// lines. Only the first outline entry per page is used: a page rarely
// starts two sections that matter.
func outlineMarkers(pages []pageLines, outline []outlineItem, c *classification) map[int]marker {
	byNumber := map[int]*pageLines{}
	for i := range pages {
		byNumber[pages[i].number] = &pages[i]
	}
	out := map[int]marker{}
	for _, it := range outline {
		kind := sectionKind(it.title)
		if kind == "" {
			continue
		}
		if _, dup := out[it.page]; dup {
			continue
		}
		p := byNumber[it.page]
		if p == nil {
			continue
		}
		key := headingKey(it.title)
		m := marker{kind: kind, heading: it.title, lineIdx: -1}
		for li, ln := range p.lines {
			lk := headingKey(ln.text)
			if lk != "" && (lk == key || len(lk) >= 4 && strings.HasPrefix(key, lk)) {
				m.lineIdx = li
				break
			}
		}
		if m.lineIdx < 0 {
			c.warnings = append(c.warnings, Finding{Code: "outline_heading_not_found",
				Message: fmt.Sprintf("the bookmark %q points to page %d, but its heading is not in the page text; the section is taken to start at the top of that page", it.title, it.page),
				Where:   fmt.Sprintf("page %d", it.page)})
		}
		out[it.page] = m
	}
	return out
}
