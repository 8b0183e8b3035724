package webui

import (
	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

// suppView is the supplementary material on the authors' page: the current
// file and its check, and the outcome of the form when it was just sent.
type suppView struct {
	Has  bool
	Size int64
	// Kind is "PDF" or "ZIP archive".
	Kind string
	// Checked is set when the stored file has a check; Findings are what
	// the check found of the authors' names (each one holds the material
	// from the reviewers).
	Checked  bool
	Findings []pdfcheck.Finding
	// Max is the venue's limit; zero when it leaves the service's own.
	Max venue.ByteSize
	// Refused is the upload just refused; UploadError a form sent
	// without a file.
	Refused     *refusalView
	UploadError string
}

func suppViewOf(sub submission.Submission, set *venue.Settings) suppView {
	v := suppView{Max: set.Pages.SupplementaryMax}
	if sub.Supp == nil {
		return v
	}
	v.Has, v.Size, v.Kind = true, sub.Supp.Size, "PDF"
	if sub.SuppType == "zip" {
		v.Kind = "ZIP archive"
	}
	if sub.SuppReport != nil {
		v.Checked, v.Findings = true, sub.SuppReport.Leaks
	}
	return v
}
