package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/app/apptest"
)

// auditActors counts the venue audit log's entries per actor.
func auditActors(t *testing.T, w *world) map[string]int {
	t.Helper()
	var log []map[string]any
	w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/audit", nil).JSON(t, &log)
	out := map[string]int{}
	for _, e := range log {
		out[e["actor"].(string)]++
	}
	return out
}

func TestDeleteAccountKeepsTheVenueRecordUnderATombstone(t *testing.T) {
	t.Parallel()
	w, ids, tok := reviewWorld(t)
	rex := tok["rev@example.org"]
	mine := func(i int) string { return fmt.Sprintf("/api/v1/submissions/%d/reviews/mine", ids[i]) }
	if r := w.s.As(t, rex, "PUT", mine(0), map[string]any{"fields": goodReview(3), "submit": true}); r.StatusCode != 200 {
		t.Fatalf("submit: %s", r.Body)
	}
	if r := w.s.As(t, rex, "PUT", mine(1), map[string]any{"fields": map[string]any{"summary": "half-written"}}); r.StatusCode != 200 {
		t.Fatalf("draft: %s", r.Body)
	}
	before := auditActors(t, w)
	var rexActor string
	for a := range before {
		if strings.Contains(a, "rev@example.org") || strings.Contains(a, "Rex") {
			rexActor = a
		}
	}
	if rexActor == "" {
		t.Fatalf("no audit entry by Rex to follow: %v", before)
	}

	// The only chair may not leave; a wrong password deletes nothing.
	m := expectProblem(t, w.s.As(t, w.chair, "DELETE", "/api/v1/me", map[string]string{"password": apptest.Password}), 409, "sole_chair")
	if !strings.Contains(fmt.Sprint(m["detail"]), "dlde-2023") {
		t.Fatalf("the refusal does not name the venue: %v", m)
	}
	if r := w.s.As(t, rex, "DELETE", "/api/v1/me", map[string]string{"password": "not the password"}); r.StatusCode != 400 {
		t.Fatalf("wrong password: %d %s", r.StatusCode, r.Body)
	}
	if r := w.s.As(t, rex, "GET", "/api/v1/me", nil); r.StatusCode != 200 {
		t.Fatalf("the account went with a wrong password: %d", r.StatusCode)
	}

	if r := w.s.As(t, rex, "DELETE", "/api/v1/me", map[string]string{"password": apptest.Password}); r.StatusCode != 204 {
		t.Fatalf("delete: %d %s", r.StatusCode, r.Body)
	}
	// Signed out everywhere, and the old address and password open nothing.
	if r := w.s.As(t, rex, "GET", "/api/v1/me", nil); r.StatusCode != 401 {
		t.Fatalf("the deleted account's token still works: %d", r.StatusCode)
	}
	if r := w.s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "rev@example.org", "password": apptest.Password}); r.StatusCode != 401 {
		t.Fatalf("sign-in after deletion: %d %s", r.StatusCode, r.Body)
	}
	// The submitted review stays, under its pseudonym, for the chair.
	list := w.s.As(t, w.chair, "GET", fmt.Sprintf("/api/v1/submissions/%d/reviews", ids[0]), nil)
	if list.StatusCode != 200 || !strings.Contains(string(list.Body), "Reviewer 1") || !strings.Contains(string(list.Body), "A neat idea.") {
		t.Fatalf("the submitted review is gone: %s", list.Body)
	}
	if strings.Contains(string(list.Body), "rev@example.org") || strings.Contains(string(list.Body), "Rex") {
		t.Fatalf("the review still names the deleted person: %s", list.Body)
	}
	// The audit log keeps Rex's entries, under the tombstone.
	after := auditActors(t, w)
	if after[rexActor] != 0 {
		t.Fatalf("the audit log still names %q: %v", rexActor, after)
	}
	kept := 0
	for a, n := range after {
		if strings.Contains(a, "Deleted user") || strings.Contains(a, "@invalid") {
			kept += n
		}
	}
	if kept < before[rexActor] {
		t.Fatalf("audit entries lost: %d of %d kept under the tombstone: %v", kept, before[rexActor], after)
	}
	// The address registers anew, as a new person.
	if r := w.s.Do(t, "POST", "/api/v1/auth/register", map[string]any{"email": "rev@example.org", "name": "Rex Again", "password": "a brand new long password"}); r.StatusCode != http.StatusAccepted {
		t.Fatalf("register anew: %d %s", r.StatusCode, r.Body)
	}
	var n int
	if err := w.s.App.Pool.QueryRow(t.Context(), "SELECT count(*) FROM users WHERE lower(email) = 'rev@example.org'").Scan(&n); err != nil || n != 1 {
		t.Fatalf("the new account: %d %v", n, err)
	}
	var drafts int
	if err := w.s.App.Pool.QueryRow(t.Context(), "SELECT count(*) FROM reviews WHERE status = 'draft' AND submission_id = $1", ids[1]).Scan(&drafts); err != nil || drafts != 0 {
		t.Fatalf("the draft outlived the account: %d %v", drafts, err)
	}
}

func TestDeleteAccountAsksForTheSecondFactor(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	uid := s.CreateUser(t, "ada@uni.example", "Ada", false)
	_, codes := enrollTwoFactor(t, s, uid)
	r := s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "ada@uni.example", "password": apptest.Password, "otp": codes[0]})
	if r.StatusCode != 200 {
		t.Fatalf("login: %s", r.Body)
	}
	token := r.Map(t)["access_token"].(string)
	expectProblem(t, s.As(t, token, "DELETE", "/api/v1/me", map[string]string{"password": apptest.Password}), 401, "two_factor_required")
	expectProblem(t, s.As(t, token, "DELETE", "/api/v1/me", map[string]string{"password": apptest.Password, "otp": codes[0]}), 401, "invalid_two_factor_code")
	if r := s.As(t, token, "DELETE", "/api/v1/me", map[string]string{"password": apptest.Password, "otp": codes[1]}); r.StatusCode != 204 {
		t.Fatalf("delete with a code: %d %s", r.StatusCode, r.Body)
	}
	var left int
	if err := s.App.Pool.QueryRow(t.Context(), "SELECT (SELECT count(*) FROM two_factor WHERE user_id = $1) + (SELECT count(*) FROM two_factor_recovery WHERE user_id = $1)", uid).Scan(&left); err != nil || left != 0 {
		t.Fatalf("two-factor data outlived the account: %d %v", left, err)
	}
}

// A note imported from OpenReview keeps its author ids as read; deleting
// the account turns the person's address there into the tombstone's, in
// whatever case it was written, and leaves an address that only contains
// it alone.
func TestDeleteAccountScrubsImportedOpenReviewNotes(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.create(t)
	note := `{"id": "aBcD1234xy", "content": {"authors": {"value": ["Ada Author", "Ada Other"]},
		"authorids": {"value": ["Ada@Uni.Example", "ada@uni.example.org", "~Ada_Author1"]}}}`
	if _, err := w.s.App.Pool.Exec(t.Context(), `INSERT INTO openreview_notes (venue_id, note_id, kind, submission_id, number, note, imported_at)
		SELECT venue_id, 'aBcD1234xy', 'submission', id, 1, $2::jsonb, now() FROM submissions WHERE id = $1`, id, note); err != nil {
		t.Fatal(err)
	}
	if r := w.s.As(t, w.author, "DELETE", "/api/v1/me", map[string]string{"password": apptest.Password}); r.StatusCode != 204 {
		t.Fatalf("delete: %d %s", r.StatusCode, r.Body)
	}
	var ids []string
	if err := w.s.App.Pool.QueryRow(t.Context(), `SELECT ARRAY(SELECT jsonb_array_elements_text(note->'content'->'authorids'->'value')) FROM openreview_notes WHERE note_id = 'aBcD1234xy'`).Scan(&ids); err != nil {
		t.Fatal(err)
	}
	if len(ids) != 3 || strings.EqualFold(ids[0], "ada@uni.example") || !strings.HasSuffix(ids[0], "@invalid") || ids[1] != "ada@uni.example.org" || ids[2] != "~Ada_Author1" {
		t.Fatalf("the note's author ids after deletion: %q", ids)
	}
}
