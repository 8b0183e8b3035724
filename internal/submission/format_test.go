package submission

import (
	"math"
	"reflect"
	"testing"

	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/venue"
)

// TestFormatRules: the venue file's NeurIPS preset is the checker's (the
// command line's --template neurips), a track's own format replaces it,
// and a waiver turns refusals into warnings.
func TestFormatRules(t *testing.T) {
	t.Parallel()
	set, err := venue.DemoVenue()
	if err != nil {
		t.Fatal(err)
	}
	got := FormatRules(set, "new-work", false)
	want := pdfcheck.NeurIPSFormat(pdfcheck.ActionWarn)
	// The file's lengths pass through inches: compare to a millionth.
	if math.Abs(got.TextBlock.Tolerance-want.TextBlock.Tolerance) < 1e-6 {
		got.TextBlock.Tolerance = want.TextBlock.Tolerance
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("demo format:\n got %+v\nwant %+v", got, want)
	}
	if got := FormatRules(set, "recently-published", false); !got.Empty() {
		t.Errorf("published work's format %+v, want none", got)
	}
	set.Format.Action = venue.FormatRefuse
	if got := FormatRules(set, "new-work", false); got.TextBlock.Action != pdfcheck.ActionRefuse || got.Leading.Action != pdfcheck.ActionRefuse {
		t.Errorf("refusing format: %+v %+v", got.TextBlock, got.Leading)
	}
	if got := FormatRules(set, "new-work", true); got.TextBlock.Action != pdfcheck.ActionWarn || got.PaperSize.Action != pdfcheck.ActionWarn {
		t.Errorf("waived: %+v %+v", got.TextBlock, got.PaperSize)
	}
}
