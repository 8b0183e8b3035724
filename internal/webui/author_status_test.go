package webui

import "testing"

func TestDecisionStatusReadsAsAPastEvent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		label        string
		accept       bool
		status, text string
	}{
		{"Accept as a poster", true, "accepted", "Accepted as a poster"},
		{"Accept with a spotlight talk", true, "accepted", "Accepted with a spotlight talk"},
		{"Accept", true, "accepted", "Accepted"},
		{"Reject", false, "rejected", "Rejected"},
		{"Oral presentation", true, "accepted", "Accepted: Oral presentation"},
		{"Acceptable with changes", true, "accepted", "Accepted: Acceptable with changes"},
		{"Desk reject", false, "rejected", "Not accepted: Desk reject"},
	} {
		status, text := decisionStatus(tc.label, tc.accept)
		if status != tc.status || text != tc.text {
			t.Errorf("%q: %q %q, want %q %q", tc.label, status, text, tc.status, tc.text)
		}
	}
}
