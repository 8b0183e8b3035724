package pdfcheck

// Report is the outcome of a check: what the author sees at upload and what
// `quire pdfcheck` prints.
type Report struct {
	File    string `json:"file,omitempty"`
	Verdict string `json:"verdict,omitempty"`
	// BodyPages is the number of pages up to and including the last page
	// with body text before the first excluded section; 0 when undecided.
	BodyPages  int `json:"body_pages"`
	PageLimit  int `json:"page_limit"`
	TotalPages int `json:"total_pages"`
	// BodyEnd explains the count: which page the body ended on and why.
	BodyEnd   string         `json:"body_end,omitempty"`
	Pages     []PageInfo     `json:"pages,omitempty"`
	Sections  []SectionStart `json:"sections,omitempty"`
	Warnings  []Finding      `json:"warnings,omitempty"`
	Leaks     []Finding      `json:"leaks,omitempty"`
	Fonts     []FontInfo     `json:"fonts,omitempty"`
	Encrypted bool           `json:"encrypted"`
	// BodyFontSize is the most common text size in points, as poppler
	// rounds it.
	BodyFontSize float64 `json:"body_font_size,omitempty"`
	// Format is the body's measured geometry and the template rules it
	// breaks (format.go).
	Format     *FormatReport `json:"format,omitempty"`
	Anonymised bool          `json:"anonymised"`
	// Worker records what the sandboxed run cost.
	Worker *WorkerStats `json:"worker,omitempty"`
	// Thumbnails are the blob sha256s of the first pages drawn as PNGs, in
	// page order; empty when they could not be drawn.
	Thumbnails []string `json:"thumbnails,omitempty"`
}

// PageInfo describes one page.
type PageInfo struct {
	Number int     `json:"number"`
	Kind   string  `json:"kind"`
	Size   string  `json:"size"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
	// Columns is 2 for a two-column page, 1 otherwise.
	Columns int `json:"columns,omitempty"`
}

// SectionStart is a heading that starts a recognised section.
type SectionStart struct {
	Kind    string `json:"kind"`
	Heading string `json:"heading"`
	Page    int    `json:"page"`
	// Y is the distance of the heading from the top of the page, in points.
	Y float64 `json:"y"`
	// Column is 2 when the heading is in the right-hand column.
	Column int `json:"column,omitempty"`
	// Excluded is true when the venue does not count this section.
	Excluded bool `json:"excluded"`
	// Source is "outline" when the PDF bookmarks named the section,
	// "layout" when it was found from the text.
	Source string `json:"source"`
}

// Finding is a warning or a leak, with where it was found.
type Finding struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Where   string `json:"where,omitempty"`
	// Page and Line place a finding in the page text (Line counts the
	// page's lines from the top in reading order, without running heads,
	// page numbers or margin line numbers); Text quotes that line. Both
	// are 0 for metadata, and Line is 0 when a name breaks across lines.
	Page int    `json:"page,omitempty"`
	Line int    `json:"line,omitempty"`
	Text string `json:"text,omitempty"`
	// InText is true for a leak in what a reader sees on the pages: the
	// anonymised copy keeps page content as it is, so such a leak reaches
	// reviewers unless a person decides otherwise (metadata leaks are
	// removed from the copy). It is true too for a name in the text a
	// viewer shows besides the pages (comments, bookmarks, link targets,
	// form fields): the copy removes that as well, but such a name holds
	// the paper like one on page 1, for the authors to fix or a chair to
	// release.
	InText bool `json:"in_text,omitempty"`
}

// TextLeaks returns the leaks of r that the anonymised copy still shows.
func (r *Report) TextLeaks() []Finding {
	if r == nil {
		return nil
	}
	var out []Finding
	for _, f := range r.Leaks {
		if f.InText {
			out = append(out, f)
		}
	}
	return out
}

// FontInfo is one font of the file.
type FontInfo struct {
	Name     string `json:"name"`
	Type     string `json:"type,omitempty"`
	Embedded bool   `json:"embedded"`
}

// WorkerStats is the cost of one sandboxed check.
type WorkerStats struct {
	WallMillis int64 `json:"wall_ms"`
	// CPUMillis is user plus system time of the worker and poppler.
	CPUMillis    int64 `json:"cpu_ms"`
	PeakRSSBytes int64 `json:"peak_rss_bytes"`
}
