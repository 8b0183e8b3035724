package httpapi_test

import (
	"fmt"
	"testing"

	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/demo"
)

// TestDemoFormatWarning: of the demo's papers, only the one shrunk to 90%
// is warned by the NeurIPS format rules, for its 9 pt type, and it stays
// submitted: the demo venue warns, it does not refuse.
func TestDemoFormatWarning(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("loading the demo runs 43 PDF checks")
	}
	s := apptest.Start(t, apptest.Options{Env: map[string]string{"QUIRE_DEMO": "true"}})
	chair := s.Session(t, demo.Chair.Email).Access
	var subs []struct {
		Number int    `json:"number"`
		Title  string `json:"title"`
		Status string `json:"status"`
		Report *struct {
			Format *struct {
				Violations []struct {
					Rule, Action, Message string
				}
			}
		}
	}
	s.As(t, chair, "GET", "/api/v1/venues/dlde-2023/submissions", nil).JSON(t, &subs)
	if len(subs) != len(demo.Submissions) {
		t.Fatalf("%d demo submissions, want %d", len(subs), len(demo.Submissions))
	}
	warned := 0
	for i, ds := range demo.Submissions {
		x := subs[i]
		var found []string
		if x.Report != nil && x.Report.Format != nil {
			for _, v := range x.Report.Format.Violations {
				found = append(found, v.Action+" "+v.Rule+": "+v.Message)
			}
		}
		switch {
		case ds.PDF.Scale != 0:
			warned++
			if want := "warn font_size: body text 9 pt on pages 1–4, template at least 10 pt"; fmt.Sprint(found) != "["+want+"]" || x.Status != "submitted" {
				t.Errorf("#%d %q (shrunk): %s, %v; want %q", x.Number, x.Title, x.Status, found, want)
			}
		case len(found) > 0:
			t.Errorf("#%d %q is warned: %v", x.Number, x.Title, found)
		}
	}
	if warned != 1 {
		t.Errorf("%d shrunk papers in the demo, want 1", warned)
	}
}
