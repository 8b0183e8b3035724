package pdfcheck

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// minTextChars below this much text in the whole file, the layout is not
// read: a scanned paper, or text drawn as outlines.
const minTextChars = 200

// job is one check, as the parent sends it to the worker.
type job struct {
	Path    string        `json:"path"`
	Rules   Rules         `json:"rules"`
	ID      Identity      `json:"identity"`
	AnonOut string        `json:"anon_out,omitempty"`
	Poppler popplerLimits `json:"poppler"`
	Tools   toolPaths     `json:"tools"`
}

// analyze is the whole check, in the calling process. Only the worker and
// tests call it: it parses untrusted input.
func analyze(ctx context.Context, j job) (Report, error) {
	rules := j.Rules
	data, err := readCapped(j.Path, rules.MaxBytes)
	if err != nil {
		return Report{}, err
	}
	if err := checkHeader(data); err != nil {
		return Report{}, err
	}
	// poppler reads the text while pdfcpu reads the structure.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type popplerResult struct {
		xml []byte
		err error
	}
	popCh := make(chan popplerResult, 1)
	go func() {
		x, err := runPdftohtml(ctx, j.Path, j.Poppler, j.Tools)
		popCh <- popplerResult{x, err}
	}()
	doc, err := inspectPDF(data, rules)
	if err != nil {
		return Report{}, err
	}
	pop := <-popCh
	rep := Report{
		PageLimit:  rules.PageLimit,
		TotalPages: len(doc.pages),
		Encrypted:  doc.encrypted,
		Fonts:      doc.fonts,
	}
	if pop.err != nil {
		var ce *CheckError
		if errors.As(pop.err, &ce) {
			return rep, pop.err
		}
		rep.Warnings = append(rep.Warnings, Finding{Code: "text_extraction_failed",
			Message: fmt.Sprintf("the text could not be extracted (%v)", pop.err)})
	}
	lay := parseLayout(pop.xml)
	rep.BodyFontSize = bodyFontSize(lay)
	pages := arrange(lay, rep.BodyFontSize)
	cls := classify(pages, lay.outline, rules, rep.BodyFontSize)
	rep.Sections = cls.sections
	rep.Warnings = append(rep.Warnings, cls.warnings...)
	rep.Warnings = append(rep.Warnings, documentWarnings(doc)...)
	undecided := cls.textChars < minTextChars
	// No text: the file's doing (a scan) or the tool's? A pdftohtml that
	// cannot read the built-in PDF either is broken (gone, a missing
	// library, a stand-in that prints nothing): then no verdict, since
	// the checker did not check this file.
	if undecided {
		if err := probeExtraction(ctx, j); err != nil {
			why := "no text"
			if pop.err != nil {
				why = pop.err.Error()
			}
			return Report{}, refuse(ErrCheckFailed, "pdftohtml does not work on this server (on this file: %s; on a test PDF: %v)", why, err)
		}
	}
	for _, p := range doc.pages {
		switch {
		case undecided:
			p.Kind = KindUnknown
		case cls.pageKinds[p.Number] != "":
			p.Kind = cls.pageKinds[p.Number]
		default:
			p.Kind = KindBlank
		}
		for _, pl := range pages {
			if pl.number == p.Number {
				p.Columns = pl.columns
			}
		}
		rep.Pages = append(rep.Pages, p)
	}
	switch {
	case undecided:
		rep.Verdict = VerdictUndecidedAccepted
		rep.Sections = nil
		rep.BodyEnd = fmt.Sprintf("no readable text: accepted on its %d pages in total, for a chair to check", rep.TotalPages)
		rep.Warnings = append(rep.Warnings, Finding{Code: "no_text",
			Message: fmt.Sprintf("the file has no extractable text (scanned?), so body pages cannot be counted; it has %d pages in total (limit %d body pages)", rep.TotalPages, rules.PageLimit)})
	case rules.PageLimit > 0 && cls.bodyPages > rules.PageLimit && !cls.decided:
		rep.Verdict = VerdictUndecidedAccepted
		rep.BodyPages = cls.bodyPages
		rep.BodyEnd = cls.bodyEnd
		rep.Warnings = append(rep.Warnings, Finding{Code: "no_excluded_section",
			Message: fmt.Sprintf("no references or other excluded section was recognised; the text runs to page %d, over the %d-page limit, so a chair should check the page count", cls.bodyPages, rules.PageLimit)})
	case rules.PageLimit > 0 && cls.bodyPages > rules.PageLimit:
		rep.Verdict = VerdictOverLimit
		rep.BodyPages = cls.bodyPages
		rep.BodyEnd = cls.bodyEnd
	default:
		rep.Verdict = VerdictOK
		rep.BodyPages = cls.bodyPages
		rep.BodyEnd = cls.bodyEnd
	}
	if rules.Anonymous {
		rep.Leaks = findLeaks(j.ID, doc.meta, pages)
	}
	if !undecided {
		rep.Format = measureFormat(pages, rep.Pages, fontMetrics(doc.ctx), rules.Format)
	}
	if rep.Verdict == VerdictOverLimit {
		ce := refuse(ErrOverLimit, "%d body pages, the limit is %d; %s", rep.BodyPages, rules.PageLimit, rep.BodyEnd)
		ce.Report = &rep
		return rep, ce
	}
	if rep.Format.Refused() {
		ce := refuse(ErrFormat, "%s", rep.Format.refusals())
		ce.Report = &rep
		return rep, ce
	}
	if j.AnonOut != "" {
		if err := anonymise(doc, j.AnonOut); err != nil {
			return rep, err
		}
		rep.Anonymised = true
	}
	return rep, nil
}

// probeExtraction runs the text extraction on the built-in PDF with the
// job's tools and limits.
func probeExtraction(ctx context.Context, j job) error {
	dir, err := os.MkdirTemp("", "quire-probe-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	pdf := dir + "/probe.pdf"
	if err := os.WriteFile(pdf, probePDF(), 0o600); err != nil {
		return err
	}
	return probePdftohtml(ctx, j.Tools, pdf)
}

func documentWarnings(doc *document) []Finding {
	var out []Finding
	for _, f := range doc.fonts {
		if !f.Embedded {
			out = append(out, Finding{Code: "font_not_embedded",
				Message: fmt.Sprintf("font %s is not embedded; the paper may look different on other computers", f.Name)})
		}
	}
	for _, a := range doc.attachments {
		out = append(out, Finding{Code: "attachment",
			Message: fmt.Sprintf("the file carries an attachment (%s); it is removed from the reviewers' copy", a)})
	}
	if doc.encrypted {
		out = append(out, Finding{Code: "permissions",
			Message: "the file is encrypted with an owner password only (it opens without one); the reviewers' copy is not encrypted"})
	}
	return out
}

// readCapped reads the whole file, refusing it past max bytes (0: no cap).
func readCapped(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if max > 0 && st.Size() > max {
		return nil, refuse(ErrTooLarge, "%d bytes, at most %d allowed", st.Size(), max)
	}
	r := io.Reader(f)
	if max > 0 {
		r = io.LimitReader(f, max+1)
	}
	// Read into one buffer of the file's size (plus a byte, to see it
	// end), not one that doubles its way there.
	data := make([]byte, st.Size()+1)
	n, err := io.ReadFull(r, data)
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		data = data[:n]
	case err != nil:
		return nil, err
	default: // it grew since
		rest, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		data = append(data, rest...)
	}
	if max > 0 && int64(len(data)) > max {
		return nil, refuse(ErrTooLarge, "more than %d bytes", max)
	}
	return data, nil
}
