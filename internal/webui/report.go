package webui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/problem"
)

// reportView is a page-check report laid out for people: page by page, with
// the body count against the limit and what was found where.
type reportView struct {
	Verdict    string
	Summary    string
	OK         bool
	BodyPages  int
	PageLimit  int
	TotalPages int
	OverBy     int
	BodyEnd    string
	Pages      []pageRow
	Sections   []sectionRow
	Warnings   []pdfcheck.Finding
	Leaks      []pdfcheck.Finding
	Anonymised bool
	// Format is what the body measures against the template (report_format.go).
	Format *formatView
	// SubmissionID is set by For; the thumbnails' addresses need it.
	SubmissionID int64
	// Thumbs is true when some page has a thumbnail.
	Thumbs bool
}

// For ties the view to the submission it is shown on, so the page rows can
// link their thumbnails; templates call it as {{template "report" .For $.Page.ID}}.
func (v *reportView) For(id int64) *reportView {
	out := *v
	out.SubmissionID = id
	out.Pages = make([]pageRow, len(v.Pages))
	for i, p := range v.Pages {
		if p.thumbSHA != "" && id > 0 {
			p.Thumb = "/submissions/" + strconv.FormatInt(id, 10) + "/thumbs/" + p.thumbSHA
		}
		out.Pages[i] = p
	}
	return &out
}

type pageRow struct {
	Number int
	Kind   string
	Label  string
	Size   string
	// Counted pages are the body pages the limit applies to; Over ones are
	// past the limit.
	Counted, Over bool
	// Starts names the sections whose headings are on this page.
	Starts []string
	// Thumb is the address of the page's picture once For has run, Alt
	// its text; ThumbHeight keeps the layout still while it loads.
	Thumb, Alt  string
	ThumbHeight int
	thumbSHA    string
	// Block is the body's text block drawn over the thumbnail.
	Block *blockBox
}

// thumbWidth is the width the submission service draws pages at.
const thumbWidth = 120

type sectionRow struct {
	Heading, Label string
	Page           int
	Y              int
	Excluded       bool
	FromOutline    bool
}

var kindLabels = map[string]string{
	pdfcheck.KindBody:             "Body",
	pdfcheck.KindReferences:       "References",
	pdfcheck.KindAcknowledgements: "Acknowledgements",
	pdfcheck.KindAppendix:         "Appendix",
	pdfcheck.KindChecklist:        "Checklist",
	pdfcheck.KindSupplementary:    "Supplementary",
	pdfcheck.KindLimitations:      "Limitations",
	pdfcheck.KindBlank:            "Blank",
	pdfcheck.KindUnknown:          "Unknown",
}

func kindLabel(k string) string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	return strings.ToUpper(k[:min(1, len(k))]) + k[min(1, len(k)):]
}

// newReportView lays out r; nil gives nil (no check has run).
func newReportView(r *pdfcheck.Report) *reportView {
	if r == nil {
		return nil
	}
	v := &reportView{Verdict: r.Verdict, BodyPages: r.BodyPages, PageLimit: r.PageLimit, TotalPages: r.TotalPages,
		BodyEnd: sentence(r.BodyEnd), Warnings: r.Warnings, Leaks: r.Leaks, Anonymised: r.Anonymised}
	if r.PageLimit > 0 && r.BodyPages > r.PageLimit {
		v.OverBy = r.BodyPages - r.PageLimit
	}
	switch {
	case r.Verdict == pdfcheck.VerdictUndecidedAccepted:
		v.Summary = "Accepted, but the body pages could not be counted for sure: the chairs will check it by hand."
	case v.OverBy > 0:
		v.Summary = fmt.Sprintf("The body has %d pages; the limit is %d: %s too many.", r.BodyPages, r.PageLimit, plural(v.OverBy, "page"))
	case r.PageLimit > 0:
		v.Summary = fmt.Sprintf("The body has %d pages, within the limit of %d.", r.BodyPages, r.PageLimit)
		v.OK = true
	default:
		v.Summary = fmt.Sprintf("The body has %d pages; this submission has no page limit.", r.BodyPages)
		v.OK = true
	}
	v.Format = newFormatView(r.Format)
	blocks := pageBlocks(r.Format)
	starts := map[int][]string{}
	for _, s := range r.Sections {
		v.Sections = append(v.Sections, sectionRow{Heading: s.Heading, Label: kindLabel(s.Kind), Page: s.Page, Y: int(s.Y + 0.5),
			Excluded: s.Excluded, FromOutline: s.Source == "outline"})
		starts[s.Page] = append(starts[s.Page], fmt.Sprintf("%s starts %d pt from the top", kindLabel(s.Kind), int(s.Y+0.5)))
	}
	for _, p := range r.Pages {
		row := pageRow{Number: p.Number, Kind: p.Kind, Label: kindLabel(p.Kind), Size: p.Size, Starts: starts[p.Number], Block: blocks[p.Number]}
		row.Counted = p.Number <= r.BodyPages
		row.Over = row.Counted && r.PageLimit > 0 && p.Number > r.PageLimit
		if i := p.Number - 1; i >= 0 && i < len(r.Thumbnails) {
			row.thumbSHA, row.Alt = r.Thumbnails[i], thumbAlt(row)
			row.ThumbHeight = thumbWidth * 141 / 100 // A4 when the size is unknown
			if p.Width > 0 && p.Height > 0 {
				row.ThumbHeight = int(thumbWidth*p.Height/p.Width + 0.5)
			}
			v.Thumbs = true
		}
		v.Pages = append(v.Pages, row)
	}
	return v
}

// thumbAlt says what a screen reader should hear for a page's picture: its
// part of the paper and whether it counts.
func thumbAlt(p pageRow) string {
	count := "not counted"
	switch {
	case p.Over:
		count = "counted, over the limit"
	case p.Counted:
		count = "counted"
	}
	return fmt.Sprintf("Page %d: %s, %s", p.Number, strings.ToLower(p.Label), count)
}

// refusalView is an upload the checker (or the deadline, or the size
// limit) refused, with the report when the check got that far.
type refusalView struct {
	Code string
	// Reason names the refusal in a few words; Detail explains it.
	Reason string
	Detail string
	Report *reportView
}

// refusalReasons name the checker's refusals (pdfcheck's codes).
var refusalReasons = map[string]string{
	"not_pdf":              "Not a PDF file.",
	"encrypted":            "The PDF is protected by a password.",
	"invalid_pdf":          "The PDF is damaged.",
	"too_large":            "The file is too large.",
	"too_many_pages":       "The file has too many pages.",
	"page_size":            "Wrong page size.",
	"over_page_limit":      "Over the page limit.",
	"format_violation":     "Not in the venue's format.",
	"decompression_bomb":   "The PDF unpacks to an unreasonable size.",
	"check_timeout":        "The check took too long.",
	"check_memory_limit":   "The check needed too much memory.",
	"invalid_zip":          "The ZIP file cannot be read.",
	"zip_headers_disagree": "The ZIP file's two tables of contents disagree.",
	"zip_unsafe_path":      "A name in the ZIP file leaves the folder it is unpacked in.",
	"zip_duplicate_name":   "The ZIP file holds two files of the same name.",
}

const unchangedPrefix = "the upload was refused and your previous version is unchanged: "

// refusalOf explains a refused upload; ok is false for failures that are not
// refusals (those are the server's fault and get the error page).
func refusalOf(err error) (refusalView, bool) {
	if !inputError(err) {
		return refusalView{}, false
	}
	_, _, detail := describe(err)
	rv := refusalView{Detail: detail}
	var pe *problem.Error
	if errors.As(err, &pe) {
		rv.Code, rv.Reason = pe.Code, refusalReasons[pe.Code]
		rv.Detail = sentence(strings.TrimPrefix(pe.Detail, unchangedPrefix))
		if rep, ok := pe.Extra["report"].(*pdfcheck.Report); ok {
			rv.Report = newReportView(rep)
		}
	}
	return rv, true
}
