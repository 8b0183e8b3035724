// Package pdfcheck checks an uploaded paper against a venue's format rules:
// the page limit counted the way venues state it (body pages, not counting
// references, acknowledgements and supplementary parts), page size, size and
// page-count caps; it finds identity leaks in a double-blind submission and
// writes the anonymised copy that reviewers download.
//
// Untrusted PDFs are never parsed in the calling process: Checker runs the
// work in a child process (RunWorker) under wall-clock, CPU and memory limits.
package pdfcheck

import "slices"

// Section kinds that can end the body. A venue excludes a subset of them from
// the page limit; the rest count as body when they appear before the first
// excluded section.
const (
	KindBody             = "body"
	KindReferences       = "references"
	KindAcknowledgements = "acknowledgements"
	KindAppendix         = "appendix"
	KindChecklist        = "checklist"
	KindSupplementary    = "supplementary"
	KindBroaderImpact    = "broader_impact"
	KindLimitations      = "limitations"
	// KindBlank is a page without text in a paper that has text elsewhere.
	KindBlank = "blank"
	// KindUnknown is a page of a paper whose text could not be read at all.
	KindUnknown = "unknown"
)

// Verdicts of a Report.
const (
	VerdictOK                = "ok"
	VerdictOverLimit         = "over_limit"
	VerdictUndecidedAccepted = "undecided_accepted"
)

// Rules are a venue's format settings.
type Rules struct {
	// PageLimit is the maximum number of body pages; 0 means no limit.
	PageLimit int `json:"page_limit"`
	// Excluded lists the section kinds that do not count towards PageLimit.
	Excluded []string `json:"excluded"`
	// PageSizes lists the accepted page sizes ("letter", "a4"); empty accepts any.
	PageSizes []string `json:"page_sizes"`
	// MaxPages caps the total page count, supplementary parts included.
	MaxPages int `json:"max_pages"`
	// MaxBytes caps the file size.
	MaxBytes int64 `json:"max_bytes"`
	// Anonymous turns on leak detection (double-blind submissions); it is
	// off for camera-ready uploads.
	Anonymous bool `json:"anonymous"`
	// Format is the template's geometry; empty: measured, not judged.
	Format FormatRules `json:"format"`
}

// DefaultRules are DLDE III's: four body pages, US Letter or A4.
func DefaultRules() Rules {
	return Rules{
		PageLimit: 4,
		Excluded: []string{KindReferences, KindAcknowledgements, KindAppendix,
			KindChecklist, KindSupplementary},
		PageSizes: []string{"letter", "a4"},
		MaxPages:  50,
		MaxBytes:  10 << 20,
		Anonymous: true,
	}
}

func (r Rules) excludes(kind string) bool { return slices.Contains(r.Excluded, kind) }

// Identity is what the submission form knows about its authors; leak
// detection looks for it in the file.
type Identity struct {
	Names        []string `json:"names,omitempty"`
	Emails       []string `json:"emails,omitempty"`
	Affiliations []string `json:"affiliations,omitempty"`
	ORCIDs       []string `json:"orcids,omitempty"`
}

// pageSize is a named paper size in PDF points (portrait).
type pageSize struct {
	name string
	w, h float64
}

var knownPageSizes = []pageSize{
	{"letter", 612, 792},
	{"a4", 595.276, 841.89},
	{"legal", 612, 1008},
	{"a5", 419.528, 595.276},
}

// sizeTolerance absorbs rounding by producers (Chromium writes A4 as
// 594.96 x 841.92).
const sizeTolerance = 3.0

// sizeName names a page size, in either orientation, or returns "" when it
// matches none of the known sizes.
func sizeName(w, h float64) string {
	near := func(a, b float64) bool { return a-b < sizeTolerance && b-a < sizeTolerance }
	for _, s := range knownPageSizes {
		if near(w, s.w) && near(h, s.h) || near(w, s.h) && near(h, s.w) {
			return s.name
		}
	}
	return ""
}
