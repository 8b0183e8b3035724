package pdfcheck

import (
	"fmt"
	"io"
)

// printArchive is printTable for a ZIP: no pages, only what holds it.
func printArchive(w io.Writer, r cliResult) {
	fmt.Fprintf(w, "%s\n", r.File)
	if r.Error != nil {
		fmt.Fprintf(w, "  REFUSED  %s: %s\n\n", r.Error.Code, r.Error.Message)
		return
	}
	if r.Report == nil {
		fmt.Fprintln(w)
		return
	}
	held := 0
	for _, f := range r.Report.Leaks {
		kind := "removed"
		if f.InText {
			kind, held = "holds", held+1
		}
		fmt.Fprintf(w, "  %-8s %s: %s (%s)\n", kind, f.Code, f.Message, f.Where)
	}
	switch {
	case held > 0:
		fmt.Fprintf(w, "  verdict  held from reviewers until a chair looks: %d finding(s)\n", held)
	default:
		fmt.Fprintln(w, "  verdict  ok: nothing in it names the authors")
	}
	fmt.Fprintln(w)
}
