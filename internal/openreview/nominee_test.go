package openreview_test

import (
	"strings"
	"testing"
)

// TestImportedNomineeJoinsPool: an imported answer naming the paper's
// reviewing author does what the form's save does: the nominee with an
// account joins the venue's reviewer pool; one without is reported.
func TestImportedNomineeJoinsPool(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "dlde-or")
	ws := makeWorkshop(t)
	var nominees []string
	for _, n := range ws.notes {
		if e := n.Content.String("reviewing_author"); e != "" && n.Forum == n.ID && !strings.Contains(strings.Join(nominees, " "), e) {
			nominees = append(nominees, e)
		}
	}
	if len(nominees) < 2 {
		t.Fatalf("the workshop names %d reviewing authors", len(nominees))
	}
	uid := w.s.CreateUser(t, nominees[0], "A Nominee", false)
	rep := w.importInto(t, "dlde-or", ws, notesJSON(t, ws.notes), "")
	var roles int
	if err := w.s.App.Pool.QueryRow(ctx, `SELECT count(*) FROM venue_roles r JOIN venues v ON v.id = r.venue_id
		WHERE v.slug = 'dlde-or' AND r.user_id = $1 AND r.role = 'reviewer'`, uid).Scan(&roles); err != nil {
		t.Fatal(err)
	}
	if roles != 1 {
		t.Errorf("the nominee with an account has %d reviewer roles", roles)
	}
	said := false
	for _, it := range rep.Unmapped {
		if it.What == "reviewing author" {
			if strings.HasPrefix(it.Why, nominees[0]) {
				t.Errorf("the nominee with an account is reported: %s", it.Why)
			}
			said = said || strings.HasPrefix(it.Why, nominees[1]+", whom the paper names to review for the venue, has no account here")
		}
	}
	if !said {
		t.Errorf("the nominee without an account, %s, is not reported: %+v", nominees[1], rep.Unmapped)
	}
}
