package openreview_test

import (
	"net/http"
	"testing"

	"github.com/quirehq/quire/internal/app/apptest"
)

// An author who deleted their account after an import stays deleted when
// the same notes are imported again: their entries keep the tombstone, not
// the address the notes still carry, so the papers do not open again to
// whoever registers that address next.
func TestReimportKeepsADeletedAuthorsTombstone(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "dlde-or")
	ws := makeWorkshop(t)
	const ada = "ada@uni.example"
	w.s.CreateUser(t, ada, "Ada Lovelace", false)
	w.importInto(t, "dlde-or", ws, notesJSON(t, ws.notes), "")
	count := func(email string) int {
		var n int
		if err := w.s.App.Pool.QueryRow(ctx, `SELECT count(*) FROM submission_authors sa JOIN submissions s ON s.id = sa.submission_id
			JOIN venues v ON v.id = s.venue_id WHERE v.slug = 'dlde-or' AND lower(sa.email) LIKE $1`, email).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	papers := count(ada)
	if papers == 0 {
		t.Fatal("Ada is on no imported paper: the test would prove nothing")
	}
	if r := w.s.As(t, w.s.Login(t, ada), "DELETE", "/api/v1/me", map[string]string{"password": apptest.Password}); r.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.StatusCode, r.Body)
	}
	if n := count(ada); n != 0 {
		t.Fatalf("%d entries keep the address after deletion", n)
	}
	w.importInto(t, "dlde-or", ws, notesJSON(t, ws.notes), "")
	if n := count(ada); n != 0 {
		t.Fatalf("the second import wrote the deleted address back on %d entries", n)
	}
	if n := count("deleted-%@invalid"); n != papers {
		t.Fatalf("%d tombstone entries after the second import, want %d", n, papers)
	}
}
