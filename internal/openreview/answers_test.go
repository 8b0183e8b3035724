package openreview_test

import (
	"testing"

	"github.com/quirehq/quire/internal/openreview"
)

// TestExportAnswersAsHeld: the export writes the answers a submission has
// now, under the keys they came in with: one removed in Quire is absent,
// one changed has its new value; an answer the import refused and a key
// the venue does not ask stay as they came.
func TestExportAnswersAsHeld(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "dlde-or")
	ws := makeWorkshop(t)
	w.importInto(t, "dlde-or", ws, notesJSON(t, ws.notes), "")
	first := ws.notes[0]
	if first.Number != 1 || first.Content.String("code") == "" || first.Content.String("TLDR") == "" {
		t.Fatalf("paper 1: %v", first.Content)
	}
	if _, err := w.s.App.Pool.Exec(ctx, `UPDATE submission_field_values SET answers = (answers - 'code') || '{"tldr": "Changed in Quire."}'
		WHERE submission_id = (SELECT submission_id FROM openreview_notes WHERE note_id = $1)`, first.ID); err != nil {
		t.Fatal(err)
	}
	ex, err := w.svc.Export(ctx, "dlde-or", w.chair.UserID)
	if err != nil {
		t.Fatal(err)
	}
	byNumber := map[int]openreview.Note{}
	for _, n := range ex.Notes {
		if n.Forum == n.ID {
			byNumber[n.Number] = n
		}
	}
	c := byNumber[1].Content
	if _, ok := c["code"]; ok {
		t.Errorf("the answer removed in Quire is exported: %v", c["code"])
	}
	if _, ok := c["tldr"]; ok || c.String("TLDR") != "Changed in Quire." {
		t.Errorf("the changed answer: TLDR %q, tldr %v", c.String("TLDR"), c["tldr"])
	}
	if got := byNumber[9].Content.String("topic_group"); got != "Something else entirely" {
		t.Errorf("the refused answer of paper 9: %q", got)
	}
	if got := byNumber[12].Content.String("ethics_statement"); got != "No concerns." {
		t.Errorf("the key the venue does not ask, of paper 12: %q", got)
	}
	if got := byNumber[5].Content.String("code"); got != "https://github.com/dlde/paper5" {
		t.Errorf("paper 5's untouched answer: %q", got)
	}
}
