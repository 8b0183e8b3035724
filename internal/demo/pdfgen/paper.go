package pdfgen

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// compose lays the whole paper out: the title block, the body up to where
// the spec says it ends, then the parts the page limit does not count.
func compose(p Paper) []*page {
	f := newFiller(p)
	limit := blockHeight
	if p.Footer != "" {
		limit -= footerRoom
	}
	t := newTypesetter(limit)
	titleBlock(t, p)
	body(t, p, f)
	if p.Acknowledgements {
		acknowledgements(t, f)
	}
	if p.ReferencesCount > 0 {
		references(t, p.ReferencesCount, f)
	}
	if p.Appendix {
		appendix(t, f)
	}
	if p.Checklist {
		checklist(t)
	}
	furniture(t, p, limit)
	return t.pages
}

func titleBlock(t *typesetter, p Paper) {
	t.rule(left, measure, 4)
	t.y += 4 + 12
	for _, ln := range wrap(strings.Fields(p.Title), bold, 17, measure, measure) {
		t.centered(strings.Join(ln, " "), bold, 17, 20)
	}
	t.y += 6
	t.rule(left, measure, 1)
	t.y += 1 + 20
	if p.AuthorBlock && len(p.Authors) > 0 {
		authorBlock(t, p.Authors)
	} else {
		authorBlock(t, []string{"Anonymous Author(s)\nAffiliation\nAddress\nemail"})
	}
	t.y += 18
	t.centered("Abstract", bold, 12, 14)
	t.y += 3
	const indent = 36
	lines := wrap(strings.Fields(p.Abstract), roman, bodySize, measure-2*indent, measure-2*indent)
	for i, ln := range lines {
		t.line(ln, roman, bodySize, bodyLead, left+indent, measure-2*indent, i < len(lines)-1)
	}
	t.y += 6
}

// authorBlock sets the authors side by side, as many to a row as fit (at
// most three), each a centred stack of name, affiliation and e-mail.
func authorBlock(t *typesetter, authors []string) {
	stacks := make([][]string, len(authors))
	widest := 0.0
	for i, a := range authors {
		stacks[i] = strings.Split(a, "\n")
		for j, s := range stacks[i] {
			f := roman
			if j == 0 {
				f = bold
			}
			widest = max(widest, textWidth(f, bodySize, s))
		}
	}
	perRow := min(3, len(stacks))
	for perRow > 1 && widest > measure/float64(perRow)-8 {
		perRow--
	}
	col := measure / float64(perRow)
	for start := 0; start < len(stacks); start += perRow {
		row := stacks[start:min(start+perRow, len(stacks))]
		depth := 0
		for _, s := range row {
			depth = max(depth, len(s))
		}
		// A short last row is centred, as LaTeX centres it.
		offset := left + (measure-col*float64(len(row)))/2
		for j := range depth {
			b := t.baseline(bodyLead)
			for c, s := range row {
				if j >= len(s) {
					continue
				}
				f := roman
				if j == 0 {
					f = bold
				}
				x := offset + float64(c)*col + (col-textWidth(f, bodySize, s[j]))/2
				t.cur().runs = append(t.cur().runs, textRun{f: f, size: bodySize, x: x, y: b, text: s[j]})
			}
			t.y += bodyLead
		}
		t.y += 8
	}
	t.y -= 8
}

// sectionNames grow with the paper, as real papers' do.
func sectionNames(bodyPages int) []string {
	switch {
	case bodyPages <= 1:
		return []string{"Introduction", "Method", "Conclusion"}
	case bodyPages <= 4:
		return []string{"Introduction", "Background", "Method", "Experiments", "Conclusion"}
	default:
		return []string{"Introduction", "Related Work", "Background", "Method", "Experiments", "Analysis", "Discussion", "Conclusion"}
	}
}

// body fills pages with numbered sections until the point the spec names:
// the last body page is ceil(BodyPages), filled to the fraction given, or
// to its bottom for a whole number. Sections share the length evenly.
func body(t *typesetter, p Paper, f *filler) {
	n := int(math.Ceil(p.BodyPages))
	frac := p.BodyPages - float64(n-1)
	whole := frac > 1-1e-9
	last := n - 1
	minEnd := bodyLead
	if last == 0 { // a body shorter than page 1 still gets a section
		minEnd = t.y + headingHeight + 3*bodyLead
	}
	endDepth := func() float64 {
		if whole {
			return t.limit
		}
		return min(max(minEnd, frac*blockHeight), t.limit)
	}
	names := sectionNames(n)
	start := t.y
	end := float64(last)*blockHeight + frac*blockHeight
	threshold := func(i int) float64 { return start + float64(i)*(end-start)/float64(len(names)) }
	global := func() float64 { return float64(t.pageIndex())*blockHeight + t.y }

	sec, paras := 0, 0
	figureDone := n < 2 // a one-page paper has no room for a figure
	t.heading("1", names[0])
	for {
		onLast := t.pageIndex() == last
		stop := t.limit
		if onLast {
			stop = endDepth()
		}
		if sec+1 < len(names) && global() >= threshold(sec+1) {
			switch {
			case t.y+headingHeight+2*bodyLead <= stop:
				sec, paras = sec+1, 0
				t.heading(strconv.Itoa(sec+1), names[sec])
				continue
			case !onLast:
				t.newPage()
				continue
			}
		}
		if !figureDone && names[sec] == "Experiments" && paras > 0 {
			caption := fmt.Sprintf("Relative error of %s over training, against the strongest baseline (dashed); mean of five seeds.", f.phrase())
			if h := figureHeight(caption); t.y+h <= stop {
				t.figure(f, 1, caption)
				figureDone = true
				continue
			}
		}
		avail := int((stop - t.y + 1e-6) / bodyLead)
		if avail <= 0 {
			if onLast {
				break
			}
			t.newPage()
			continue
		}
		lines := min(4+f.rng.intn(6), avail)
		indent := 15.0
		if paras == 0 {
			indent = 0 // LaTeX does not indent the first paragraph of a section
		}
		t.bodyParagraph(f.paragraph(names[sec], lines, indent), lines, indent)
		paras++
	}
	if whole && (p.Acknowledgements || p.ReferencesCount > 0) {
		t.newPage()
	}
}

// paragraph gathers whole sentences until they fill lines lines, so most
// paragraphs end naturally on a short line.
func (f *filler) paragraph(section string, lines int, indent float64) []string {
	var words []string
	// Wrapping is only worth doing once the words could nearly fill the
	// lines; before that, their summed width says they cannot.
	width, nearly := 0.0, (float64(lines)-1)*measure*0.85
	for {
		s := f.lead
		if s != "" {
			f.lead = ""
		} else {
			s = f.sentence(section)
		}
		words = append(words, strings.Fields(s)...)
		width += textWidth(roman, bodySize, s+" ")
		if width >= nearly && len(wrap(words, roman, bodySize, measure, measure-indent)) >= lines {
			return words
		}
	}
}

// unnumbered starts a section that is not numbered (references, the
// acknowledgements, the checklist), keeping the heading with two lines.
func unnumbered(t *typesetter, title string, lead float64) {
	t.ensure(headingHeight + 2*lead)
	t.heading("", title)
}

func acknowledgements(t *typesetter, f *filler) {
	unnumbered(t, "Acknowledgments and Disclosure of Funding", bodyLead)
	text := fmt.Sprintf("We thank the anonymous reviewers for their comments on an earlier version of this paper, and our colleagues for many discussions on %s. "+
		"This work was supported by a national research council grant and by compute time on a shared GPU cluster. "+
		"The authors declare no competing interests.", f.phrase())
	t.flow(strings.Fields(text), roman, bodySize, bodyLead, left, measure, 0)
}

// references sets the bibliography in 9 pt with hanging numbers.
func references(t *typesetter, count int, f *filler) {
	const size, lead, hang = 9.0, 10.5, 20.0
	unnumbered(t, "References", lead)
	for i := 1; i <= count; i++ {
		lines := wrap(strings.Fields(f.reference()), roman, size, measure-hang, measure-hang)
		for j, ln := range lines {
			t.ensure(lead)
			if j == 0 {
				t.cur().runs = append(t.cur().runs, textRun{f: roman, size: size, x: left, y: t.baseline(lead), text: "[" + strconv.Itoa(i) + "]"})
			}
			t.line(ln, roman, size, lead, left+hang, measure-hang, j < len(lines)-1)
		}
		t.space(2)
	}
}

// appendix starts on a new page, as \appendix after \newpage does.
func appendix(t *typesetter, f *filler) {
	t.newPage()
	t.heading("A", "Additional Experiments")
	for i := range 5 {
		t.flow(f.words("Experiments", 90+f.rng.intn(50)), roman, bodySize, bodyLead, left, measure, indentFor(i))
	}
	caption := fmt.Sprintf("Sensitivity of %s to the solver tolerance; the dashed curve uses a fixed step.", f.phrase())
	t.ensure(figureHeight(caption))
	t.figure(f, 2, caption)
	t.ensure(headingHeight + 2*bodyLead)
	t.heading("B", "Implementation Details")
	for i := range 4 {
		t.flow(f.words("Method", 80+f.rng.intn(50)), roman, bodySize, bodyLead, left, measure, indentFor(i))
	}
}

func indentFor(paragraph int) float64 {
	if paragraph == 0 {
		return 0
	}
	return 15
}

// checklistItems are the NeurIPS 2023 checklist's questions, answered.
var checklistItems = []struct{ title, question, answer, justification string }{
	{"Claims", "Do the main claims made in the abstract and introduction accurately reflect the paper's contributions and scope?", "[Yes]", "The claims of the abstract are supported by the experiments in Section 4."},
	{"Limitations", "Does the paper discuss the limitations of the work performed by the authors?", "[Yes]", "The conclusion names the main limitation: problems of moderate dimension only."},
	{"Theory assumptions and proofs", "For each theoretical result, does the paper provide the full set of assumptions and a complete proof?", "[NA]", "The paper does not state theorems."},
	{"Experimental result reproducibility", "Does the paper fully disclose all the information needed to reproduce the main experimental results?", "[Yes]", "Appendix B lists the architectures, solvers, tolerances and training schedules."},
	{"Open access to data and code", "Does the paper provide open access to the data and code needed to reproduce the main results?", "[No]", "The code will be released after the review period; the data sets are public."},
	{"Experimental setting and details", "Does the paper specify all the training and test details necessary to understand the results?", "[Yes]", "See Section 4 and Appendix B."},
	{"Experiment statistical significance", "Does the paper report error bars or other information about the statistical significance of the experiments?", "[Yes]", "We report the mean and standard deviation over five seeds."},
	{"Experiments compute resources", "Does the paper indicate the computer resources needed to reproduce the experiments?", "[Yes]", "Every experiment ran on a single GPU in under ten hours."},
	{"Code of ethics", "Does the research conform with the NeurIPS Code of Ethics?", "[Yes]", "We have read the code of ethics and the work conforms with it."},
	{"Broader impacts", "Does the paper discuss both potential positive and negative societal impacts of the work?", "[NA]", "This is foundational work on numerical methods without a direct path to harmful use."},
}

// checklist writes the items with run-in bold titles, as the NeurIPS style
// sets them, so they do not read as section headings.
func checklist(t *typesetter) {
	t.newPage()
	t.heading("", "NeurIPS Paper Checklist")
	t.flow(strings.Fields("The checklist is designed to encourage best practices for responsible machine learning research. Answers are [Yes], [No] or [NA], each with a short justification."),
		roman, bodySize, bodyLead, left, measure, 0)
	for i, it := range checklistItems {
		t.space(6)
		t.runIn(fmt.Sprintf("%d. %s.", i+1, it.title), "Question: "+it.question)
		t.flow(strings.Fields("Answer: "+it.answer), roman, bodySize, bodyLead, left+15, measure-15, 0)
		t.flow(strings.Fields("Justification: "+it.justification), roman, bodySize, bodyLead, left+15, measure-15, 0)
	}
}

// runIn sets a paragraph that opens with a bold run-in title.
func (t *typesetter) runIn(title, text string) {
	lead := textWidth(bold, bodySize, title) + textWidth(roman, bodySize, " ")
	lines := wrap(strings.Fields(text), roman, bodySize, measure, measure-lead)
	for i, ln := range lines {
		t.ensure(bodyLead)
		x, w := left, measure
		if i == 0 {
			t.cur().runs = append(t.cur().runs, textRun{f: bold, size: bodySize, x: left, y: t.baseline(bodyLead), text: title})
			x, w = left+lead, measure-lead
		}
		t.line(ln, roman, bodySize, bodyLead, x, w, i < len(lines)-1)
	}
}

// furniture adds the page numbers and, on page 1 only, the build footer
// under a short rule, where the NeurIPS style prints it.
func furniture(t *typesetter, p Paper, firstLimit float64) {
	for i, pg := range t.pages {
		n := strconv.Itoa(i + 1)
		pg.runs = append(pg.runs, textRun{f: roman, size: bodySize, x: (pageWidth - textWidth(roman, bodySize, n)) / 2, y: 50, text: n})
	}
	if p.Footer == "" {
		return
	}
	first := t.pages[0]
	top := blockTop - firstLimit - 6
	first.gfx = append(first.gfx, fmt.Sprintf("%s %s 72 0.4 re f", num(left), num(top)))
	y := top - 10
	for _, ln := range wrap(strings.Fields(p.Footer), roman, 9, measure, measure) {
		first.runs = append(first.runs, textRun{f: roman, size: 9, x: left, y: y, text: strings.Join(ln, " ")})
		y -= 10
	}
}
